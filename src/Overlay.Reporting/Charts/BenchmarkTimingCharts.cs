using System.Globalization;
using Overlay.Encapsulation;
using Overlay.Reporting.Report;
using Overlay.Results;
using Overlay.Results.Benchmarks;
using static Overlay.Reporting.Charts.ChartSupport;

namespace Overlay.Reporting.Charts;

/// <summary>The charts of nanoseconds per packet from BenchmarkDotNet: SRv6 End, a service hop, the chain sweep.</summary>
public static class BenchmarkTimingCharts
{
    /// <summary>Every SRv6 End case, ns per packet: the work a segment endpoint does per hop.</summary>
    public static ChartSpec? Srv6EndChart(ReportContext context) => NanosecondBars(context, Srv6End, "srv6-end",
        "SRv6 End: work per hop (BenchmarkDotNet)", "case (parameters)", "SRv6 endpoint",
        c => c.Method ?? "?", Describe,
        "Nanoseconds one core spends per packet on SRv6 End processing at a segment endpoint (check the SRH, decrement Segments Left, copy the next SID into the destination, or shift the next C-SID in): the per-hop work that a VXLAN or GENEVE transit router never does. Error bars: the mean's confidence interval.");

    /// <summary>ServiceHopBenchmarks: ns per packet one service spends passing a packet on, per chaining approach.</summary>
    public static ChartSpec? ServiceHopChart(ReportContext context) => NanosecondBars(context, ServiceHop, "service-hop",
        "Work per service hop: SRv6 End vs GENEVE service path vs VXLAN stitching (BenchmarkDotNet)",
        "approach (chain of 4 services, IPv6 underlay, 512-byte frames)", "service hop",
        c => c.Method == BenchmarkIds.ServiceHop.Hop ? "hop (headers restored first)" : "restoring the headers alone (calibration)",
        c => c.Parameter("Approach") ?? "?",
        "Nanoseconds one core spends to pass a packet to the next service: SRv6 End and End with NEXT-C-SID; a GENEVE service-path hop (decrement the Service Index, write the next service's address, decrement the hop limit, update the UDP checksum incrementally); VXLAN stitching (decapsulate, re-encapsulate toward the next service in place); -32B: with 32 bytes of per-packet metadata (SRH TLV, GENEVE option). Every hop first puts the packet's headers back, which the calibration bars measure alone. Error bars: the mean's confidence interval.");

    /// <summary>One benchmark class's cases as labelled bars of ns per packet, a series per <paramref name="seriesOf"/>.</summary>
    private static ChartSpec? NanosecondBars(ReportContext context, string type, string id, string title, string xLabel, string category,
        Func<BenchmarkCase, string> seriesOf, Func<BenchmarkCase, string> labelOf, string description)
    {
        List<BenchmarkCase> cases = context.Inputs.Benchmarks.OfType(type).ToList();
        if (cases.Count == 0)
        {
            return null;
        }
        var series = cases.GroupBy(seriesOf)
            .Select(g => new ChartSeries(g.Key, g.Select(c => NanosecondsPoint(c, category, label: labelOf(c))).ToList()))
            .ToList();
        var reports = context.Inputs.Benchmarks.Reports.Where(r => r.Benchmarks.Any(b => b.Type == type)).ToList();
        return new ChartSpec
        {
            Id = id,
            Title = title,
            Kind = ChartKind.LabelledBars,
            XLabel = xLabel,
            YLabel = "time per packet (ns, lower is better)",
            YUnit = "ns",
            Categories = [category],
            Series = series,
            Caption = context.BenchmarkCaption(reports),
            Command = context.BenchmarkCommand,
            Source = string.Join(", ", reports.Select(r => Path.GetFileName(r.File))),
            Description = description,
        };
    }

    /// <summary>SweepBenchmarks: ns per packet against the chain length, one line per sweep.</summary>
    public static ChartSpec? SweepChart(ReportContext context)
    {
        List<BenchmarkCase> cases = context.Inputs.Benchmarks.OfType(Sweep)
            .Where(c => double.TryParse(c.Parameter("Count"), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .ToList();
        if (cases.Count == 0)
        {
            return null;
        }
        bool manyMethods = cases.Select(c => c.Method).Distinct().Count() > 1;
        var series = cases
            .GroupBy(c => manyMethods ? $"{c.Parameter("Sweep")} ({c.Method})" : c.Parameter("Sweep") ?? c.Method ?? "?")
            .Select(g => new ChartSeries(g.Key, g
                .Select(c => NanosecondsPoint(c, null, x: double.Parse(c.Parameter("Count")!, CultureInfo.InvariantCulture)))
                .OrderBy(p => p.X)
                .ToList()))
            .ToList();
        var reports = context.Inputs.Benchmarks.Reports.Where(r => r.Benchmarks.Any(b => b.Type == Sweep)).ToList();
        return new ChartSpec
        {
            Id = "bench-sweep",
            Title = "Per-packet time as the service chain grows (BenchmarkDotNet)",
            Kind = ChartKind.Lines,
            XLabel = "n: SIDs or options",
            XUnit = "count",
            YLabel = "time per packet (ns, lower is better)",
            YUnit = "ns",
            Series = series,
            Caption = context.BenchmarkCaption(reports),
            Command = context.BenchmarkCommand,
            Source = string.Join(", ", reports.Select(r => Path.GetFileName(r.File))),
            Description = "Nanoseconds per packet to encapsulate with n SIDs (SRv6) or n options (GENEVE): what a longer chain costs the headend. Error bars: the mean's confidence interval.",
        };
    }
}
