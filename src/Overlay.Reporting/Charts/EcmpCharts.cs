using System.Globalization;
using Overlay.Reporting.Report;
using static Overlay.Reporting.Charts.ChartSupport;

namespace Overlay.Reporting.Charts;

/// <summary>ECMP balance over k paths, from the capture analysis, beside the ideal random hash.</summary>
public static class EcmpCharts
{
    public const string BandLow = "ideal random hash, 5th percentile";
    public const string BandHigh = "ideal random hash, 95th percentile";
    public const string LinuxSeries = "linux-seg6 (Linux seg6 headend defaults: label copied from an IPv6 inner, 0 for IPv4)";

    /// <summary>
    /// ECMP max/mean load over k paths for the capture with the most flows: of flows (how evenly the hash spreads flows,
    /// whatever their size, beside the band an ideal random hash gives), or of bytes (what a link carries).
    /// </summary>
    public static ChartSpec? Ecmp(ReportModel model, bool byFlows)
    {
        if (model.Ecmp is not EcmpTable table)
        {
            return null;
        }
        var rows = ChartedVariants(table.Rows.Select(r => r.Variant)).Select(v => table.Rows.First(r => r.Variant == v)).ToList();
        EcmpRow? linux = table.LinuxSeg6Defaults;
        if (linux is not null)
        {
            rows.Add(linux);
        }
        var series = rows
            .Select(r => new ChartSeries(r == linux ? LinuxSeries : $"{r.Variant} ({r.Entropy})", r.ByPaths.OrderBy(p => p.Key)
                .Select(p => new ChartPoint { X = p.Key, Y = byFlows ? p.Value.Flows : p.Value.Bytes })
                .ToList()))
            .ToList();
        if (byFlows)
        {
            series.Add(new ChartSeries(BandLow, table.Band.OrderBy(b => b.Key).Select(b => new ChartPoint { X = b.Key, Y = b.Value.P5 }).ToList()));
            series.Add(new ChartSeries(BandHigh, table.Band.OrderBy(b => b.Key).Select(b => new ChartPoint { X = b.Key, Y = b.Value.P95 }).ToList()));
        }
        string what = byFlows ? "flows" : "bytes";
        string flows = table.Flows.ToString("N0", CultureInfo.InvariantCulture);
        List<AnalysisFile> files = ResultFiles(model.Context);
        return new ChartSpec
        {
            Id = byFlows ? "ecmp-flows" : "ecmp-balance",
            Title = byFlows ? $"ECMP flows per path over k paths: {table.Capture} ({flows} flows)" : $"ECMP bytes per path over k paths: {table.Capture} ({flows} flows)",
            Kind = ChartKind.Lines,
            XLabel = "k: equal-cost paths (log scale)",
            XUnit = "count",
            XScale = AxisScale.Log2,
            YLabel = $"busiest path's {what} over the mean (ratio, 1 = even, lower is better; log scale)",
            YUnit = "ratio",
            YScale = AxisScale.Log2,
            Series = series,
            Caption = AnalysisCaption(files),
            Command = model.Context.AnalysisCommands(files),
            Source = AnalysisSource(files),
            Description = (byFlows
                    ? $"How evenly an underlay that hashes the outer headers spreads {table.Capture}'s flows over k paths, whatever their size: the busiest path's flows over the mean (1 is perfect, k means every flow on one path); the capture with the most flows, so that hashes can be told apart. The two band lines are what an ideal random hash gives {flows} flows ({RandomHashBand.Trials:N0} seeded trials, 5th and 95th percentile): a variant between them spreads flows as well as any hash can. "
                    : $"How evenly an underlay that hashes the outer headers spreads {table.Capture}'s bytes over k paths: the busiest path's bytes over the mean (1 is perfect, k means everything on one path). Large flows are never split, so bytes spread less evenly than flows under any hash. ")
                + "In brackets, what the outer headers give the hash beyond addresses and protocol: the UDP source port (VXLAN, GENEVE), the IPv6 flow label (IPv6 underlays, hashed from the inner flow by the suite's encoders), or nothing (GRE and IP in IP over IPv4). Linux's seg6 headend on its defaults copies the flow label only from an IPv6 inner packet and sends 0 for an IPv4 one (sysctl seg6_flowlabel): its IPv4 traffic then has no entropy, like the rows marked none."
                + (linux is null ? " (Analysed with `--profile linux-seg6`, that headend is drawn as a line of its own.)" : $" The line \"{LinuxSeries}\" is that headend, measured: the linux-seg6 profile over the same capture.")
                + Fewer(rows, table.Flows)
                + LikeForLike(rows.Select(r => r.Variant)),
        };
    }

    /// <summary>Variants that carry only part of the capture's flows (an IP-in-IP variant, one inner family) are named with their count: their own band is wider.</summary>
    private static string Fewer(IEnumerable<EcmpRow> rows, int flows)
    {
        var fewer = rows.Where(r => r.Flows < flows).Select(r => $"{r.Variant} {r.Flows.ToString("N0", CultureInfo.InvariantCulture)}").ToList();
        return fewer.Count == 0 ? "" : $" Some variants carry only one inner family's flows ({string.Join(", ", fewer)} flows): an ideal hash spreads fewer flows less evenly, so the finding sets each against the band for its own count.";
    }
}
