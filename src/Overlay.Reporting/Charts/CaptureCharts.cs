using System.Globalization;
using Overlay.Encapsulation;
using Overlay.Reporting.Report;
using Overlay.Results;
using Overlay.Results.Benchmarks;
using static Overlay.Reporting.Charts.ChartSupport;

namespace Overlay.Reporting.Charts;

/// <summary>The charts drawn from the capture analysis (`overlay analyze`) and the service-chain walk (`overlay chain`).</summary>
public static class CaptureCharts
{

    /// <summary>A grouped-bar chart of one figure: captures × the charted variants.</summary>
    private static ChartSpec? PerCapture(ReportContext context, string id, string title, string yLabel, string yUnit, string description,
        Func<VariantResult, double?> figure, int decimals = 2)
    {
        List<string> captures = CaptureNames(context);
        List<VariantResult> results = context.Inputs.Results.ToList();
        var series = new List<ChartSeries>();
        foreach (string variant in ChartedVariants(results.Select(r => r.Variant)))
        {
            var points = new List<ChartPoint>();
            foreach (string capture in captures)
            {
                VariantResult? r = results.FirstOrDefault(x => x.Capture == capture && x.Variant == variant);
                if (r is not null && figure(r) is double y && double.IsFinite(y))
                {
                    points.Add(new ChartPoint { Category = capture, Y = y });
                }
            }
            series.Add(new ChartSeries(variant, points));
        }
        if (series.All(s => s.Points.Count == 0))
        {
            return null;
        }
        return new ChartSpec
        {
            Id = id,
            Title = title,
            Kind = ChartKind.GroupedBars,
            XLabel = "capture",
            YLabel = yLabel,
            YUnit = yUnit,
            Categories = captures,
            Series = series,
            Caption = AnalysisCaption(ResultFiles(context)),
            Command = context.AnalysisCommands(ResultFiles(context)),
            Source = AnalysisSource(ResultFiles(context)),
            Description = description + LikeForLike(series.Select(s => s.Name)),
            Decimals = decimals,
            Width = 1500,
            Height = 750,
        };
    }

    public static ChartSpec CaptureOverhead(ReportContext context) => PerCapture(context, "capture-overhead",
        "Overhead on each capture (% of the captured frame bytes)", "overhead (% of frame bytes, lower is better)", "%",
        "Bytes the tunnel adds over the whole capture, as a share of the captured frames' bytes (frames a variant cannot carry, such as ARP for an L3 variant, are left out of both).",
        r => r.OverheadPercent.Value)!;

    public static ChartSpec? GoodputLost(ReportContext context, double rate) => PerCapture(context, $"goodput-lost-{rate:0}g",
        $"Goodput lost at {rate:0} GbE on each capture", "goodput lost (Gbit/s, lower is better)", "Gbit/s",
        $"Inner bytes per second a {rate:0} Gbit/s link no longer carries once every frame of the capture is tunnelled, with preamble, SFD, FCS and inter-frame gap counted on both sides.",
        r => r.LineRates.FirstOrDefault(l => l.LineRate.Value == rate)?.GoodputLost.Value, decimals: rate >= 100 ? 2 : 3);

    public static ChartSpec? MtuOver(ReportContext context, double mtu) => PerCapture(context, $"mtu-over-{mtu:0}",
        $"Frames over a {mtu:0}-byte underlay MTU after encapsulation", "frames over the MTU (% of frames, lower is better)", "%",
        $"Share of a capture's frames whose outer IP packet exceeds an underlay MTU of {mtu:0} bytes once encapsulated: they would be fragmented or dropped. Where a capture's large frames are full-sized (1514 B), they overflow under every overlay and this share barely moves between variants; the underlay MTU each variant needs (the appendix) separates them.",
        r => r.Mtu.FirstOrDefault(m => m.UnderlayMtu.Value == mtu)?.PercentOver.Value);

    /// <summary>Encap copy / in place and decap Mpps per variant on the capture with the most packets (median, min–max).</summary>
    public static ChartSpec? ReplayThroughput(ReportContext context)
    {
        List<VariantResult> results = context.Inputs.Results.Where(r => r.EncapCopy is not null || r.Decap is not null).ToList();
        if (results.Count == 0)
        {
            return null;
        }
        string capture = results.MaxBy(r => r.Packets.Value)!.Capture;
        var variants = ChartedVariants(results.Where(r => r.Capture == capture).Select(r => r.Variant));
        var byVariant = variants.Select(v => results.First(r => r.Capture == capture && r.Variant == v)).ToList();
        ChartSeries Series(string name, Func<VariantResult, ThroughputFigure?> pick) => new(name, byVariant
            .Where(r => pick(r) is not null)
            .Select(r =>
            {
                ThroughputFigure t = pick(r)!;
                return new ChartPoint { Category = r.Variant, Y = t.MedianPps.Value / 1e6, Low = t.MinPps.Value / 1e6, High = t.MaxPps.Value / 1e6 };
            })
            .ToList());
        VariantResult any = byVariant[0];
        RunEnvironment env = ResultFiles(context).First(f => f.Document.Results.Any(r => r.Capture == capture)).Document.Environment;
        double passes = (any.EncapCopy ?? any.Decap)!.Passes.Value;
        return new ChartSpec
        {
            Id = "replay-throughput",
            Title = $"Encap and decap on one core, replaying {capture} (median of {passes:0} passes)",
            Kind = ChartKind.GroupedBars,
            XLabel = "variant",
            YLabel = "million packets per second per core (Mpps, higher is better)",
            YUnit = "Mpps",
            Categories = variants,
            Series =
            [
                Series(SeriesEncapCopy, r => r.EncapCopy),
                Series(SeriesEncapInPlace, r => r.EncapInPlace),
                Series(SeriesDecap, r => r.Decap),
            ],
            Caption = AnalysisCaption(ResultFiles(context)),
            Command = context.AnalysisCommands(ResultFiles(context)),
            Source = AnalysisSource(ResultFiles(context)),
            Description = $"Packets per second one core encapsulates (copy into a new buffer, or in place into headroom) and decapsulates, replaying {capture} from memory; the bar is the median pass, the error bar spans the slowest and fastest pass. Not comparable with the BenchmarkDotNet capture-replay chart, even for the same capture, variant and form: `overlay analyze` times whole passes of every variant in one shared process, after a short untimed warm-up, on {env.Machine} at commit {env.Commit}; BenchmarkDotNet measures each case in its own process, with its own warm-up and statistics{(context.Inputs.Run is { } run ? $", on the machine its captions name at commit {run.Commit}" : "")}. The BenchmarkDotNet charts are the controlled measurement.",
            Width = 1500,
            Height = 750,
        };
    }

    /// <summary>Bytes on the wire over a whole service path against the number of services, per approach, on the capture with the most packets.</summary>
    public static ChartSpec? ChainOverhead(ReportContext context)
    {
        var files = context.Inputs.Chains;
        var results = files.SelectMany(f => f.Document.Results).ToList();
        if (results.Count == 0)
        {
            return null;
        }
        string capture = results.MaxBy(r => r.Packets.Value)!.Capture;
        var here = results.Where(r => r.Capture == capture).ToList();
        var series = new List<ChartSeries>();
        foreach (var approach in here.GroupBy(r => r.Approach))
        {
            var metadata = approach.Select(r => r.MetadataBytes.Value).Distinct().Order().ToList();
            foreach (double m in metadata.Count > 1 ? new[] { metadata[0], metadata[^1] } : metadata.ToArray())
            {
                series.Add(new ChartSeries(m == 0 ? approach.Key : $"{approach.Key} + {m:0} B metadata", approach
                    .Where(r => r.MetadataBytes.Value == m)
                    .OrderBy(r => r.Services.Value)
                    .Select(r => new ChartPoint { X = r.Services.Value, Y = r.OverheadPercentWire.Value, Label = $"ingress header {r.IngressHeaderLength.Value:0} B" })
                    .ToList()));
            }
        }
        RunEnvironment env = files[0].Document.Environment;
        double packets = here.Max(r => r.Packets.Value);
        return new ChartSpec
        {
            Id = "chain-overhead",
            Title = $"Service chains: overhead over the whole path (% of wire bytes), {capture}",
            Kind = ChartKind.Lines,
            XLabel = "k: services between the two hosts",
            XUnit = "count",
            YLabel = "overhead (% of wire bytes over the path, lower is better)",
            YUnit = "%",
            Series = series,
            Caption = ReportContext.AnalysisCaption(env, files[0].Path),
            Command = $"{ReportContext.CliPrefix} chain --quiet --json {Path.Combine(context.ResultsArgument, Path.GetFileName(files[0].Path))} && {context.ReportCommand}",
            Source = string.Join(", ", files.Select(f => Path.GetFileName(f.Path))),
            Description = $"Every frame of {capture} ({packets:0} packets) sent from host A through k services to host B, checked to arrive byte for byte, its wire bytes (preamble, SFD, FCS and inter-frame gap counted, unlike the frame-byte percentages of the capture charts) summed over the k+1 links, as a share of the same frames' wire bytes routed untunnelled; k services take k+1 SIDs (the services and host B), so the label on each point names the ingress header: SRv6 End (one SID per service, the header shrinks by nothing as it goes), SRv6 NEXT-C-SID End, a GENEVE service path (an SPI/SI option rewritten per hop) and VXLAN stitching (decapsulated and re-encapsulated at every service). Per-packet metadata rides in an SRH TLV or a GENEVE option.",
        };
    }

    /// <summary>Multi-core encapsulation (analyze --scaling): median Mpps against the number of threads.</summary>
    public static ChartSpec? Scaling(ReportContext context)
    {
        var scaling = context.Inputs.Analyses.SelectMany(a => a.Document.Scaling ?? []).ToList();
        if (scaling.Count == 0)
        {
            return null;
        }
        string capture = context.Inputs.Results.Where(r => scaling.Any(s => s.Capture == r.Capture)).MaxBy(r => r.Packets.Value)?.Capture ?? scaling[0].Capture;
        var here = scaling.Where(s => s.Capture == capture).ToList();
        var series = ChartedVariants(here.Select(s => s.Variant)).Select(v => new ChartSeries(v, here
            .Where(s => s.Variant == v)
            .OrderBy(s => s.Threads.Value)
            .Select(s => new ChartPoint { X = s.Threads.Value, Y = s.MedianPps.Value / 1e6, Low = s.MinPps.Value / 1e6, High = s.MaxPps.Value / 1e6 })
            .ToList())).ToList();
        return new ChartSpec
        {
            Id = "scaling",
            Title = $"Encapsulation (copy) sharded by flow over several cores, {capture}",
            Kind = ChartKind.Lines,
            XLabel = "threads",
            XUnit = "count",
            YLabel = "million packets per second (Mpps, all threads, higher is better)",
            YUnit = "Mpps",
            Series = series,
            Caption = AnalysisCaption(ScalingFiles(context)),
            Command = context.AnalysisCommands(ScalingFiles(context)),
            Source = AnalysisSource(ScalingFiles(context)),
            Description = $"Median packets per second with {capture} sharded by flow across N threads (error bars: slowest and fastest pass). The machine has {scaling.Max(s => s.Processors.Value):0} logical processors: no speed-up is to be expected beyond them.{ArchivedScaling(context)}",
        };
    }

    /// <summary>A scaling file from another run than the newest analysis says so, and names the captures a fresh clone lacks.</summary>
    private static string ArchivedScaling(ReportContext context)
    {
        var known = context.Inputs.Captures.Select(c => c.Name).ToHashSet();
        string text = "";
        foreach (AnalysisFile file in ScalingFiles(context))
        {
            RunEnvironment env = file.Document.Environment;
            if (context.AnalysisEnvironment is RunEnvironment newest && (env.Commit != newest.Commit || env.Machine != newest.Machine))
            {
                text += $" Archived: {Path.GetFileName(file.Path)} was measured on {env.Machine} at commit {env.Commit}, not by the run behind the other capture charts ({newest.Machine}, commit {newest.Commit}).";
            }
            var missing = file.Document.Scaling!.Select(s => s.Capture).Distinct().Where(c => !known.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                text += $" That run also read {string.Join(", ", missing)}, which is not among the analysed captures, so the command below leaves it out.";
            }
        }
        return text;
    }
}
