using System.Globalization;
using Overlay.Results.Benchmarks;
using Overlay.Encapsulation;
using Overlay.Results;
using Overlay.Reporting.Charts;

namespace Overlay.Reporting.Report;

/// <summary>A chart the report could not draw, and why (its inputs are absent).</summary>
public sealed record SkippedChart(string Id, string Title, string Reason);

/// <summary>
/// Builds every chart of the report as data (<see cref="ChartSpec"/>) from the result files and the encapsulators'
/// exact header arithmetic. Nothing here renders; nothing here reads anything but the inputs.
/// </summary>
public static class ReportCharts
{
    /// <summary>The variants the per-capture charts show (the report's tables add the rest), in plotting order.</summary>
    public static IReadOnlyList<string> MainVariants { get; } =
    [
        "gre-l3-ipv4", "vxlan-ipv4", "geneve-ipv4",
        "gre-l3-ipv6", "vxlan-ipv6", "geneve-ipv6",
        "srv6-encaps-red-1sid", "srv6-encaps-3sid", "srv6-encaps-red-3sid", "srv6-csid-3sid",
    ];

    /// <summary>Line rates (Gbit/s) whose goodput loss is charted.</summary>
    public static IReadOnlyList<double> LineRates { get; } = [10, 100, 400];

    /// <summary>Underlay MTUs (B) whose share of frames over is charted.</summary>
    public static IReadOnlyList<double> UnderlayMtus { get; } = [1500, 9000];

    /// <summary>Benchmark sizes charted, in order of preference (every size is in the tables).</summary>
    public static IReadOnlyList<string> BenchmarkSizes { get; } = ["64", "1500", "imix"];

    public const string Encapsulate = BenchmarkIds.Encapsulate.Class;
    public const string Decapsulate = BenchmarkIds.Decapsulate.Class;
    public const string PacketDotNet = BenchmarkIds.PacketDotNet.Class;
    public const string Srv6End = BenchmarkIds.Srv6End.Class;
    public const string ServiceHop = BenchmarkIds.ServiceHop.Class;
    public const string Sweep = BenchmarkIds.Sweep.Class;
    public const string CaptureReplay = BenchmarkIds.CaptureReplay.Class;

    private const string SeriesEncapCopy = "encap, copy";
    private const string SeriesEncapInPlace = "encap, in place";
    private const string SeriesDecap = "decap";

    public static (List<ChartSpec> Charts, List<SkippedChart> Skipped) Build(ReportContext context, List<HeaderCost> catalog)
    {
        var charts = new List<ChartSpec>();
        var skipped = new List<SkippedChart>();
        charts.Add(HeaderOverhead(context, catalog));
        charts.Add(OverheadVersusFrameSize(context));
        charts.Add(ServiceInsertion(context));

        if (context.Inputs.Analyses.Count == 0)
        {
            const string reason = "no analysis result (schema overlay-bench/analyze/v1) in the results folder";
            foreach ((string id, string title) in AnalysisChartIds())
            {
                skipped.Add(new SkippedChart(id, title, reason));
            }
        }
        else
        {
            charts.Add(CaptureOverhead(context));
            foreach (double rate in LineRates)
            {
                AddOrSkip(charts, skipped, GoodputLost(context, rate), $"goodput-lost-{rate:0}g", $"Goodput lost at {rate:0} GbE", $"the analysis has no {rate:0} Gbit/s line-rate figures");
            }
            foreach (double mtu in UnderlayMtus)
            {
                AddOrSkip(charts, skipped, MtuOver(context, mtu), $"mtu-over-{mtu:0}", $"Frames over a {mtu:0}-byte underlay MTU", $"the analysis has no {mtu:0}-byte MTU figures");
            }
            AddOrSkip(charts, skipped, Ecmp(context), "ecmp-balance", "ECMP balance over k paths", "the analysis has no ECMP figures");
            AddOrSkip(charts, skipped, Ecmp(context, byFlows: true), "ecmp-flows", "ECMP flows per path over k paths", "the analysis has no ECMP figures");
            AddOrSkip(charts, skipped, ReplayThroughput(context), "replay-throughput", "Encap and decap on one core (capture replay)", "the analysis ran with --no-throughput");
            AddOrSkip(charts, skipped, Scaling(context), "scaling", "Encapsulation over several cores", "the analysis ran without --threads");
        }
        AddOrSkip(charts, skipped, ChainOverhead(context), "chain-overhead", "Service chains: bytes on the wire over the whole path",
            "no service-chain result (schema overlay-bench/chain/v1, from `overlay chain --json`) in the results folder");

        BenchmarkSet bench = context.Inputs.Benchmarks;
        if (bench.IsEmpty)
        {
            const string reason = "no BenchmarkDotNet full-JSON report (results/benchmarks/*-report-full.json)";
            foreach (string size in BenchmarkSizes)
            {
                skipped.Add(new SkippedChart($"bench-throughput-{size}", $"Encap and decap Mpps per core, {size}-byte frames (BenchmarkDotNet)", reason));
            }
            skipped.Add(new SkippedChart("srv6-end", "SRv6 End per hop (BenchmarkDotNet)", reason));
            skipped.Add(new SkippedChart("bench-sweep", "Per-packet time over the service chain (BenchmarkDotNet)", reason));
            skipped.Add(new SkippedChart("bench-replay", "Capture replay (BenchmarkDotNet)", reason));
        }
        else
        {
            var sizes = bench.OfType(Encapsulate).Select(c => c.Parameter("Size")).OfType<string>().Distinct().ToList();
            var charted = BenchmarkSizes.Where(sizes.Contains).ToList();
            if (charted.Count == 0 && sizes.Count > 0)
            {
                charted.Add(sizes[0]);
            }
            foreach (string size in charted)
            {
                charts.Add(BenchmarkThroughput(context, size));
            }
            if (charted.Count == 0)
            {
                skipped.Add(new SkippedChart("bench-throughput", "Encap and decap Mpps per core (BenchmarkDotNet)", $"no {Encapsulate} results"));
            }
            AddOrSkip(charts, skipped, Srv6EndChart(context), "srv6-end", "SRv6 End per hop (BenchmarkDotNet)", $"no {Srv6End} results");
            AddOrSkip(charts, skipped, ServiceHopChart(context), "service-hop", "Work per service hop, every chaining approach (BenchmarkDotNet)", $"no {ServiceHop} results");
            AddOrSkip(charts, skipped, SweepChart(context), "bench-sweep", "Per-packet time over the service chain (BenchmarkDotNet)", $"no {Sweep} results");
            AddOrSkip(charts, skipped, ReplayBenchmarkChart(context), "bench-replay", "Capture replay (BenchmarkDotNet)", $"no {CaptureReplay} results");
        }
        AddOrSkip(charts, skipped, Allocations(context), "allocations", "Bytes allocated per packet",
            "neither the analysis nor the benchmarks measured allocations");
        if (ResultFiles(context) is { Count: > 0 } deployed) { charts.AddRange(Deployed.AsDeployedCharts.Build(context.Inputs.Results.ToList(), AnalysisCaption(deployed), context.AnalysisCommands(deployed), AnalysisSource(deployed))); }
        KernelCharts.Build(context, charts, skipped);
        return (charts, skipped);
    }

    private static IEnumerable<(string Id, string Title)> AnalysisChartIds()
    {
        yield return ("capture-overhead", "Overhead on each capture");
        foreach (double rate in LineRates)
        {
            yield return ($"goodput-lost-{rate:0}g", $"Goodput lost at {rate:0} GbE");
        }
        foreach (double mtu in UnderlayMtus)
        {
            yield return ($"mtu-over-{mtu:0}", $"Frames over a {mtu:0}-byte underlay MTU");
        }
        yield return ("ecmp-balance", "ECMP balance over k paths");
        yield return ("ecmp-flows", "ECMP flows per path over k paths");
        yield return ("replay-throughput", "Encap and decap on one core (capture replay)");
    }

    private static void AddOrSkip(List<ChartSpec> charts, List<SkippedChart> skipped, ChartSpec? chart, string id, string title, string reason)
    {
        if (chart is not null && chart.Series.Any(s => s.Points.Count > 0))
        {
            charts.Add(chart);
        }
        else
        {
            skipped.Add(new SkippedChart(id, title, reason));
        }
    }

    // ---- exact: header arithmetic ----

    /// <summary>Header overhead per variant, grouped by underlay and service, coloured by protocol family.</summary>
    public static ChartSpec HeaderOverhead(ReportContext context, List<HeaderCost> catalog)
    {
        var groups = new List<string>();
        foreach (string underlay in new[] { "IPv4", "IPv6" })
        {
            foreach (string service in new[] { "L3", "L2" })
            {
                if (catalog.Any(c => c.Underlay == underlay && c.Service == service))
                {
                    groups.Add(GroupName(underlay, service));
                }
            }
        }
        var families = catalog.Select(c => c.Family).Distinct().ToList();
        var series = families.Select(f => new ChartSeries(f, catalog
            .Where(c => c.Family == f)
            .OrderBy(c => groups.IndexOf(GroupName(c.Underlay, c.Service)))
            .Select(c => new ChartPoint { Category = GroupName(c.Underlay, c.Service), Label = c.Variant, Y = c.Overhead })
            .ToList())).ToList();
        return new ChartSpec
        {
            Id = "header-overhead",
            Title = "Header overhead per variant (bytes added to an untagged frame)",
            Kind = ChartKind.LabelledBars,
            XLabel = "variant, grouped by underlay and service",
            YLabel = "overhead per packet (B)",
            YUnit = "B",
            Categories = groups,
            Series = series,
            Caption = context.ExactCaption,
            Command = context.ReportCommand,
            Source = "exact (VariantCatalog encapsulators)",
            Description = "Bytes each variant adds to an untagged Ethernet frame: its outer headers (outer Ethernet included), less the 14-byte inner Ethernet header that an L3 (IP-payload) variant drops. Computed by each encapsulator's GetEncapsulatedLength, so exact for every packet.",
            Decimals = 0,
            Width = 1500,
            Height = 800,
        };
    }

    private static string GroupName(string underlay, string service) =>
        $"{underlay} underlay, {(service == "L2" ? "L2 service (Ethernet payload)" : "L3 service (IP payload)")}";

    /// <summary>Overhead as a share of the inner frame, for frame sizes 64..9000, for the main variants.</summary>
    public static ChartSpec OverheadVersusFrameSize(ReportContext context)
    {
        var series = new List<ChartSeries>();
        foreach (string name in MainVariants)
        {
            VariantSpec? spec = VariantCatalog.Find(name);
            if (spec is null)
            {
                continue;
            }
            IEncapsulator e = spec.Create();
            series.Add(new ChartSeries(name, HeaderCosts.FrameSizes
                .Select(size => new ChartPoint { X = size, Y = 100.0 * HeaderCosts.Overhead(e, size) / size })
                .ToList()));
        }
        return new ChartSpec
        {
            Id = "overhead-vs-frame-size",
            Title = "Overhead against inner frame size",
            Kind = ChartKind.Lines,
            XLabel = "inner frame size (B, Ethernet header included, FCS not; log scale)",
            XUnit = "B",
            XScale = AxisScale.Log2,
            XTicks = [64, 128, 256, 512, 1024, 1500, 4096, 9000],
            YLabel = "overhead (% of the inner frame's bytes)",
            YUnit = "%",
            Series = series,
            Caption = context.ExactCaption,
            Command = context.ReportCommand,
            Source = "exact (VariantCatalog encapsulators)",
            Description = "Overhead bytes divided by the inner frame's bytes, for untagged IPv4/UDP frames of 64 to 9000 bytes. Small packets pay the most: the same header is a larger share of them. Variants with the same overhead draw one line (VXLAN and GENEVE without options; SRv6 .Red with one SID and NEXT-C-SID with up to six).",
        };
    }

    /// <summary>The service-insertion header cost: SRv6 with 1..10 SIDs against GENEVE with 0..8 options and plain VXLAN.</summary>
    public static ChartSpec ServiceInsertion(ReportContext context)
    {
        var series = VariantCatalog.ServiceInsertionSweeps.Select(sweep => new ChartSeries(sweep.Title, sweep.Points
            .Select(n =>
            {
                IEncapsulator e = sweep.Create(n);
                return new ChartPoint { X = n, Y = HeaderCosts.Overhead(e), Label = e.Name };
            })
            .ToList())).ToList();
        return new ChartSpec
        {
            Id = "service-insertion",
            Title = "Service insertion: header bytes for a chain of n services",
            Kind = ChartKind.Lines,
            XLabel = "n: SRv6 segments (SIDs), or GENEVE options of 12 B",
            XUnit = "count",
            YLabel = "overhead per packet (B)",
            YUnit = "B",
            Series = series,
            Caption = context.ExactCaption,
            Command = context.ReportCommand,
            Source = "exact (Srv6Encapsulator, GeneveEncapsulator, VxlanEncapsulator built with n SIDs / options)",
            Description = "Bytes on the wire per packet when the path or the metadata names n services: SRv6 carries one SID per segment (H.Encaps: all in the SRH; .Red: the first only in the destination; NEXT-C-SID 32/16: six 16-bit C-SIDs per 128-bit container, the first container in the destination). GENEVE carries one 12-byte option per service; VXLAN carries nothing per service, so a chain is stitched by decapsulating and re-encapsulating at every service.",
            Decimals = 0,
        };
    }

    // ---- the analysis: captures ----

    private static List<string> CaptureNames(ReportContext context) => context.Inputs.Captures.Select(c => c.Name).Distinct().ToList();

    /// <summary>The main variants the analysis holds, or its first ten when it holds none of them.</summary>
    public static List<string> ChartedVariants(IEnumerable<string> present)
    {
        var names = present.Distinct().ToList();
        var main = MainVariants.Where(names.Contains).ToList();
        return main.Count > 0 ? main : names.Take(MainVariants.Count).ToList();
    }

    /// <summary>The analysis files whose per-variant results a chart draws (a scaling-only file holds none).</summary>
    private static List<AnalysisFile> ResultFiles(ReportContext context) =>
        context.Inputs.Analyses.Where(a => a.Document.Results.Count > 0).ToList();

    /// <summary>The analysis files whose multi-core scaling runs the scaling chart draws.</summary>
    private static List<AnalysisFile> ScalingFiles(ReportContext context) =>
        context.Inputs.Analyses.Where(a => a.Document.Scaling is { Count: > 0 }).ToList();

    /// <summary>The machine, runtime and date of the files a chart draws: one file's own, or the newest of several with every name.</summary>
    private static string AnalysisCaption(List<AnalysisFile> files) =>
        files.Count == 1
            ? ReportContext.AnalysisCaption(files[0].Document.Environment, files[0].Path)
            : ReportContext.AnalysisCaption(files.MaxBy(a => a.Document.Environment.Date)!.Document.Environment, AnalysisSource(files));

    private static string AnalysisSource(List<AnalysisFile> files) =>
        string.Join(", ", files.Select(a => Path.GetFileName(a.Path)));

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
            Description = description,
            Decimals = decimals,
            Width = 1500,
            Height = 750,
        };
    }

    public static ChartSpec CaptureOverhead(ReportContext context) => PerCapture(context, "capture-overhead",
        "Overhead on each capture (% of the captured frame bytes)", "overhead (% of frame bytes)", "%",
        "Bytes the tunnel adds over the whole capture, as a share of the captured frames' bytes (frames a variant cannot carry, such as ARP for an L3 variant, are left out of both).",
        r => r.OverheadPercent.Value)!;

    public static ChartSpec? GoodputLost(ReportContext context, double rate) => PerCapture(context, $"goodput-lost-{rate:0}g",
        $"Goodput lost at {rate:0} GbE on each capture", "goodput lost (Gbit/s)", "Gbit/s",
        $"Inner bytes per second a {rate:0} Gbit/s link no longer carries once every frame of the capture is tunnelled, with preamble, SFD, FCS and inter-frame gap counted on both sides.",
        r => r.LineRates.FirstOrDefault(l => l.LineRate.Value == rate)?.GoodputLost.Value, decimals: rate >= 100 ? 2 : 3);

    public static ChartSpec? MtuOver(ReportContext context, double mtu) => PerCapture(context, $"mtu-over-{mtu:0}",
        $"Frames over a {mtu:0}-byte underlay MTU after encapsulation", "frames over the MTU (% of frames)", "%",
        $"Share of a capture's frames whose outer IP packet exceeds an underlay MTU of {mtu:0} bytes once encapsulated: they would be fragmented or dropped.",
        r => r.Mtu.FirstOrDefault(m => m.UnderlayMtu.Value == mtu)?.PercentOver.Value);

    /// <summary>
    /// ECMP max/mean load over k paths for the capture with the most flows: of bytes (what a link carries), or of flows
    /// (<paramref name="byFlows"/>: how evenly the hash spreads flows, whatever their size; a capture with a few large
    /// flows puts most bytes on one path under any hash).
    /// </summary>
    public static ChartSpec? Ecmp(ReportContext context, bool byFlows = false)
    {
        List<VariantResult> results = context.Inputs.Results.Where(r => r.Ecmp.Paths.Count > 0).ToList();
        if (results.Count == 0)
        {
            return null;
        }
        string capture = EcmpCapture(results);
        double flows = results.Where(r => r.Capture == capture).Max(r => r.Ecmp.Flows.Value);
        var series = ChartedVariants(results.Where(r => r.Capture == capture).Select(r => r.Variant))
            .Select(v => results.First(r => r.Capture == capture && r.Variant == v))
            .Select(r => new ChartSeries($"{r.Variant} ({r.Ecmp.Entropy})", r.Ecmp.Paths
                .Select(p => new ChartPoint { X = p.Paths.Value, Y = byFlows ? p.MaxMeanFlows.Value : p.MaxMeanBytes.Value })
                .ToList()))
            .ToList();
        string what = byFlows ? "flows" : "bytes";
        return new ChartSpec
        {
            Id = byFlows ? "ecmp-flows" : "ecmp-balance",
            Title = byFlows ? $"ECMP flows per path over k paths: {capture} ({flows:0} flows)" : $"ECMP balance over k paths: {capture} ({flows:0} flows)",
            Kind = ChartKind.Lines,
            XLabel = "k: equal-cost paths (log scale)",
            XUnit = "count",
            XScale = AxisScale.Log2,
            YLabel = $"max / mean {what} per path (ratio, 1 = even; log scale)",
            YUnit = "ratio",
            YScale = AxisScale.Log2,
            Series = series,
            Caption = AnalysisCaption(ResultFiles(context)),
            Command = context.AnalysisCommands(ResultFiles(context)),
            Source = AnalysisSource(ResultFiles(context)),
            Description = (byFlows
                    ? $"How evenly the hash spreads {capture}'s flows over k paths, whatever their size: the busiest path's flows over the mean (1 is perfect, k means every flow on one path). This isolates the entropy the outer headers give the hash; the chart above weighs each flow by its bytes. "
                    : $"How evenly an underlay that hashes the outer headers spreads {capture}'s bytes over k paths: the busiest path's bytes over the mean (1 is perfect, k means everything on one path). A capture whose bytes sit in a few flows stays near k/2 or above under any hash; the next chart counts flows instead. ")
                + "In brackets, what the outer headers give the hash beyond addresses and protocol: the UDP source port (VXLAN, GENEVE), the IPv6 flow label (IPv6 underlays), or nothing (GRE over IPv4).",
        };
    }

    /// <summary>The capture the ECMP charts and finding use: the one with the most flows.</summary>
    public static string EcmpCapture(IEnumerable<VariantResult> results) => results.MaxBy(r => r.Ecmp.Flows.Value)!.Capture;

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
        double passes = (any.EncapCopy ?? any.Decap)!.Passes.Value;
        return new ChartSpec
        {
            Id = "replay-throughput",
            Title = $"Encap and decap on one core, replaying {capture} (median of {passes:0} passes)",
            Kind = ChartKind.GroupedBars,
            XLabel = "variant",
            YLabel = "million packets per second per core (Mpps)",
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
            Description = $"Packets per second one core encapsulates (copy into a new buffer, or in place into headroom) and decapsulates, replaying {capture} from memory; the bar is the median pass, the error bar spans the slowest and fastest pass. `overlay analyze` times whole passes; the BenchmarkDotNet charts below are the controlled measurement.",
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
            Title = $"Service chains: overhead on the wire over the whole path, {capture}",
            Kind = ChartKind.Lines,
            XLabel = "k: services between the two hosts",
            XUnit = "count",
            YLabel = "overhead on the wire over the path (% of the frames routed untunnelled)",
            YUnit = "%",
            Series = series,
            Caption = ReportContext.AnalysisCaption(env, files[0].Path),
            Command = $"{ReportContext.CliPrefix} chain --quiet --json {Path.Combine(context.ResultsArgument, Path.GetFileName(files[0].Path))} && {context.ReportCommand}",
            Source = string.Join(", ", files.Select(f => Path.GetFileName(f.Path))),
            Description = $"Every frame of {capture} ({packets:0} packets) sent from host A through k services to host B, checked to arrive byte for byte, its wire bytes summed over the k+1 links: SRv6 End (one SID per service, the header shrinks by nothing as it goes), SRv6 NEXT-C-SID End, a GENEVE service path (an SPI/SI option rewritten per hop) and VXLAN stitching (decapsulated and re-encapsulated at every service). Per-packet metadata rides in an SRH TLV or a GENEVE option.",
        };
    }

    /// <summary>Multi-core encapsulation (analyze --threads): median Mpps against the number of threads.</summary>
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
            YLabel = "million packets per second (Mpps, all threads)",
            YUnit = "Mpps",
            Series = series,
            Caption = AnalysisCaption(ScalingFiles(context)),
            Command = context.AnalysisCommands(ScalingFiles(context)),
            Source = AnalysisSource(ScalingFiles(context)),
            Description = $"Median packets per second with {capture} sharded by flow across N threads (error bars: slowest and fastest pass). The machine has {scaling.Max(s => s.Processors.Value):0} logical processors: no speed-up is to be expected beyond them.",
        };
    }

    // ---- BenchmarkDotNet ----

    private static List<string> CatalogOrder(IEnumerable<string> variants)
    {
        var order = VariantCatalog.All.Select(v => v.Name).ToList();
        return variants.Distinct().OrderBy(v => order.IndexOf(v) is int i && i >= 0 ? i : int.MaxValue).ThenBy(v => v, StringComparer.Ordinal).ToList();
    }

    private static ChartPoint MppsPoint(BenchmarkCase c, string category, string? label = null)
    {
        (double Low, double High)? interval = c.MppsInterval();
        return new ChartPoint { Category = category, Label = label, Y = c.Mpps!.Value, Low = interval?.Low, High = interval?.High };
    }

    private static ChartPoint NanosecondsPoint(BenchmarkCase c, string? category, double x = 0, string? label = null)
    {
        BenchmarkConfidenceInterval? ci = c.Statistics?.ConfidenceInterval;
        return new ChartPoint { Category = category, X = x, Label = label, Y = c.Nanoseconds!.Value, Low = ci?.Lower, High = ci?.Upper };
    }

    /// <summary>Encap copy / in place and decap Mpps per core per variant at one size, beside the copy and PacketDotNet baselines.</summary>
    public static ChartSpec BenchmarkThroughput(ReportContext context, string size)
    {
        BenchmarkSet bench = context.Inputs.Benchmarks;
        var all = CatalogOrder(bench.OfType(Encapsulate).Concat(bench.OfType(Decapsulate))
            .Where(c => c.Parameter("Size") == size).Select(c => c.Parameter("Variant")).OfType<string>());
        List<string> variants = all.Count > 14 ? ChartedVariants(all) : all;
        const string copyBaseline = "baseline: plain copy of the frame";
        const string packetDotNet = "baseline: PacketDotNet";
        var copy = new List<ChartPoint>();
        var inPlace = new List<ChartPoint>();
        var decap = new List<ChartPoint>();
        foreach (string v in variants)
        {
            if (bench.Find(Encapsulate, BenchmarkIds.Encapsulate.Copy, ("Variant", v), ("Size", size)) is BenchmarkCase c)
            {
                copy.Add(MppsPoint(c, v));
            }
            if (bench.Find(Encapsulate, BenchmarkIds.Encapsulate.InPlace, ("Variant", v), ("Size", size)) is BenchmarkCase p)
            {
                inPlace.Add(MppsPoint(p, v));
            }
            if (bench.Find(Decapsulate, BenchmarkIds.Decapsulate.Method, ("Variant", v), ("Size", size)) is BenchmarkCase d)
            {
                decap.Add(MppsPoint(d, v));
            }
        }
        var categories = new List<string>(variants);
        var baseline = new List<ChartPoint>();
        BenchmarkCase? memcpy = bench.OfType(Encapsulate).FirstOrDefault(c => c.Method == BenchmarkIds.CopyBaseline && c.Parameter("Size") == size);
        if (memcpy is not null)
        {
            categories.Add("plain copy");
            baseline.Add(MppsPoint(memcpy, "plain copy"));
        }
        var pdn = new List<ChartPoint>();
        foreach ((string method, string category) in new[] { (BenchmarkIds.PacketDotNet.VxlanPacket, "PacketDotNet VXLAN"), (BenchmarkIds.PacketDotNet.Gre, "PacketDotNet GRE") })
        {
            if (bench.Find(PacketDotNet, method, ("Size", size)) is BenchmarkCase c)
            {
                categories.Add(category);
                pdn.Add(MppsPoint(c, category));
            }
        }
        var reports = bench.Reports.Where(r => r.Benchmarks.Any(b => b.Type is Encapsulate or Decapsulate or PacketDotNet)).ToList();
        return new ChartSpec
        {
            Id = $"bench-throughput-{size}",
            Title = $"Encap and decap per core, {(size == "imix" ? "IMIX" : size + "-byte")} frames (BenchmarkDotNet)",
            Kind = ChartKind.GroupedBars,
            XLabel = "variant",
            YLabel = "million packets per second per core (Mpps)",
            YUnit = "Mpps",
            Categories = categories,
            Series =
            [
                new(SeriesEncapCopy, copy),
                new(SeriesEncapInPlace, inPlace),
                new(SeriesDecap, decap),
                new(copyBaseline, baseline),
                new(packetDotNet, pdn),
            ],
            Caption = context.BenchmarkCaption(reports),
            Command = context.BenchmarkCommand,
            Source = string.Join(", ", reports.Select(r => Path.GetFileName(r.File))),
            Description = $"Mpps = 1000 / mean ns per packet on one core, {size} {(size == "imix" ? "(a mix of frame sizes)" : "bytes per frame")}; the error bar is the mean's confidence interval (BenchmarkDotNet's, converted to Mpps). Beside them, a plain copy of the same frame (the ceiling for the copy form) and PacketDotNet building the packet the way a .NET user would.",
            Width = 1500,
            Height = 750,
        };
    }

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
            YLabel = "time per packet (ns)",
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
            YLabel = "time per packet (ns)",
            YUnit = "ns",
            Series = series,
            Caption = context.BenchmarkCaption(reports),
            Command = context.BenchmarkCommand,
            Source = string.Join(", ", reports.Select(r => Path.GetFileName(r.File))),
            Description = "Nanoseconds per packet to encapsulate with n SIDs (SRv6) or n options (GENEVE): what a longer chain costs the headend. Error bars: the mean's confidence interval.",
        };
    }

    /// <summary>CaptureReplayBenchmarks: replay (copy form) Mpps per capture and variant, beside the plain copy.</summary>
    public static ChartSpec? ReplayBenchmarkChart(ReportContext context)
    {
        List<BenchmarkCase> cases = context.Inputs.Benchmarks.OfType(CaptureReplay).ToList();
        if (cases.Count == 0)
        {
            return null;
        }
        var captures = cases.Select(c => c.Parameter("Capture")).OfType<string>().Distinct().ToList();
        var all = CatalogOrder(cases.Select(c => c.Parameter("Variant")).OfType<string>());
        List<string> variants = all.Count > 10 ? ChartedVariants(all) : all;
        var series = new List<ChartSeries>();
        foreach (string v in variants)
        {
            series.Add(new ChartSeries($"{v}, copy", captures
                .Select(cap => cases.FirstOrDefault(c => c.Method == BenchmarkIds.CaptureReplay.ReplayCopy && c.Parameter("Variant") == v && c.Parameter("Capture") == cap) is BenchmarkCase c ? MppsPoint(c, cap) : null)
                .OfType<ChartPoint>()
                .ToList()));
        }
        series.Add(new ChartSeries("baseline: plain copy", captures
            .Select(cap => cases.FirstOrDefault(c => c.Method == BenchmarkIds.CopyBaseline && c.Parameter("Capture") == cap) is BenchmarkCase c ? MppsPoint(c, cap) : null)
            .OfType<ChartPoint>()
            .ToList()));
        var reports = context.Inputs.Benchmarks.Reports.Where(r => r.Benchmarks.Any(b => b.Type == CaptureReplay)).ToList();
        return new ChartSpec
        {
            Id = "bench-replay",
            Title = "Capture replay, copy form, per core (BenchmarkDotNet)",
            Kind = ChartKind.GroupedBars,
            XLabel = "capture",
            YLabel = "million packets per second per core (Mpps)",
            YUnit = "Mpps",
            Categories = captures,
            Series = series,
            Caption = context.BenchmarkCaption(reports),
            Command = context.BenchmarkCommand,
            Source = string.Join(", ", reports.Select(r => Path.GetFileName(r.File))),
            Description = "Mpps one core reaches encapsulating every frame of a capture (copy form), beside a plain copy of the same frames. Error bars: the mean's confidence interval.",
            Width = 1500,
            Height = 750,
        };
    }

    /// <summary>Bytes allocated per packet per variant, ours beside PacketDotNet: from the benchmarks when they ran, else from the analysis.</summary>
    public static ChartSpec? Allocations(ReportContext context)
    {
        BenchmarkSet bench = context.Inputs.Benchmarks;
        List<BenchmarkCase> encap = bench.OfType(Encapsulate).Where(c => c.Memory?.BytesAllocatedPerOperation is not null).ToList();
        if (encap.Count > 0)
        {
            string size = BenchmarkSizes.FirstOrDefault(s => encap.Any(c => c.Parameter("Size") == s)) ?? encap[0].Parameter("Size") ?? "";
            var all = CatalogOrder(encap.Where(c => c.Parameter("Size") == size).Select(c => c.Parameter("Variant")).OfType<string>());
            List<string> variants = all.Count > 14 ? ChartedVariants(all) : all;
            ChartPoint? Alloc(string type, string method, string category, params (string, string)[] p) =>
                bench.Find(type, method, p) is { Memory.BytesAllocatedPerOperation: double bytes } ? new ChartPoint { Category = category, Y = bytes } : null;
            var categories = new List<string>(variants);
            var pdn = new List<ChartPoint>();
            foreach ((string method, string category) in new[] { (BenchmarkIds.PacketDotNet.VxlanPacket, "PacketDotNet VXLAN"), (BenchmarkIds.PacketDotNet.Gre, "PacketDotNet GRE"), (BenchmarkIds.PacketDotNet.RawPayload, "PacketDotNet raw payload") })
            {
                if (Alloc(PacketDotNet, method, category, ("Size", size)) is ChartPoint p)
                {
                    categories.Add(category);
                    pdn.Add(p);
                }
            }
            var reports = bench.Reports.Where(r => r.Benchmarks.Any(b => b.Type is Encapsulate or Decapsulate or PacketDotNet)).ToList();
            return new ChartSpec
            {
                Id = "allocations",
                Title = $"Bytes allocated per packet, {(size == "imix" ? "IMIX" : size + "-byte")} frames (BenchmarkDotNet)",
                Kind = ChartKind.GroupedBars,
                XLabel = "variant",
                YLabel = "allocated per packet (B)",
                YUnit = "B",
                Categories = categories,
                Series =
                [
                    new(SeriesEncapCopy, variants.Select(v => Alloc(Encapsulate, BenchmarkIds.Encapsulate.Copy, v, ("Variant", v), ("Size", size))).OfType<ChartPoint>().ToList()),
                    new(SeriesEncapInPlace, variants.Select(v => Alloc(Encapsulate, BenchmarkIds.Encapsulate.InPlace, v, ("Variant", v), ("Size", size))).OfType<ChartPoint>().ToList()),
                    new(SeriesDecap, variants.Select(v => Alloc(Decapsulate, BenchmarkIds.Decapsulate.Method, v, ("Variant", v), ("Size", size))).OfType<ChartPoint>().ToList()),
                    new("PacketDotNet", pdn),
                ],
                Caption = context.BenchmarkCaption(reports),
                Command = context.BenchmarkCommand,
                Source = string.Join(", ", reports.Select(r => Path.GetFileName(r.File))),
                Description = "Managed bytes allocated per packet (BenchmarkDotNet's MemoryDiagnoser, per operation = per packet). The suite's encoders are built to allocate nothing per packet; PacketDotNet is what a .NET user would otherwise write.",
                Decimals = 0,
                Width = 1500,
                Height = 750,
            };
        }

        List<VariantResult> results = context.Inputs.Results.Where(r => r.EncapCopy is not null || r.EncapInPlace is not null || r.Decap is not null).ToList();
        if (results.Count == 0)
        {
            return null;
        }
        var charted = CatalogOrder(results.Select(r => r.Variant));
        ChartSeries Worst(string name, Func<VariantResult, ThroughputFigure?> pick) => new(name, charted
            .Select(v => results.Where(r => r.Variant == v && pick(r) is not null).Select(r => pick(r)!.AllocatedPerPacket.Value).DefaultIfEmpty(double.NaN).Max() is double y && !double.IsNaN(y)
                ? new ChartPoint { Category = v, Y = y }
                : null)
            .OfType<ChartPoint>()
            .ToList());
        return new ChartSpec
        {
            Id = "allocations",
            Title = "Bytes allocated per packet (capture replay; PacketDotNet needs the benchmarks)",
            Kind = ChartKind.GroupedBars,
            XLabel = "variant",
            YLabel = "allocated per packet (B, worst capture)",
            YUnit = "B",
            Categories = charted,
            Series = [Worst(SeriesEncapCopy, r => r.EncapCopy), Worst(SeriesEncapInPlace, r => r.EncapInPlace), Worst(SeriesDecap, r => r.Decap)],
            Caption = AnalysisCaption(ResultFiles(context)),
            Command = context.AnalysisCommands(ResultFiles(context)),
            Source = AnalysisSource(ResultFiles(context)),
            Description = "Managed bytes allocated per packet during the timed replay passes, the worst capture per variant. PacketDotNet's figures come from the BenchmarkDotNet run, absent here.",
            Decimals = 0,
            Width = 1600,
            Height = 750,
        };
    }

    private static string Describe(BenchmarkCase c) =>
        c.ParameterValues.Count == 0 ? c.Method ?? "?" : string.Join(", ", c.ParameterValues.Select(kv => $"{kv.Key}={kv.Value}"));
}
