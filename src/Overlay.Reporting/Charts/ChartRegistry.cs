using Overlay.Reporting.Deployed;
using Overlay.Reporting.Report;
using static Overlay.Reporting.Charts.ChartSupport;

namespace Overlay.Reporting.Charts;

/// <summary>Where a chart's figures come from.</summary>
public enum ChartOrigin
{
    /// <summary>The encapsulators' exact header arithmetic: no capture, no timing.</summary>
    HeaderArithmetic,
    /// <summary>`overlay analyze` and `overlay chain` over the captures.</summary>
    CaptureAnalysis,
    /// <summary>BenchmarkDotNet's full-JSON reports.</summary>
    Benchmarks,
    /// <summary>`overlay kernel`: the Linux kernel's own tunnels.</summary>
    Kernel,
    /// <summary>bench/instructions.sh: instructions per packet under Cachegrind.</summary>
    Instructions,
}

/// <summary>One chart of the report: its id (file stem and anchor), title, origin, how it is built, and why it would be skipped.</summary>
public sealed record ChartEntry(string Id, string Title, ChartOrigin Origin, Func<ReportModel, ChartSpec?> Build, Func<ReportModel, string> SkipReason);

/// <summary>
/// Every chart of the report, in the order REPORT.md shows them. A new chart is one entry here (and its builder in the
/// file of its kind); a chart whose builder returns nothing, or only zeros, is listed as skipped with its reason.
/// </summary>
public static class ChartRegistry
{
    private const string NoAnalysis = "no analysis result (schema overlay-bench/analyze/v2 or v1) in the results folder";
    private const string NoBenchmarks = "no BenchmarkDotNet full-JSON report (results/benchmarks/*-report-full.json)";
    private const string NoKernel = "no kernel result (schema overlay-bench/kernel/v1, from `overlay kernel`, results/kernel.json) in the results folder";

    private static string Analysis(ReportModel m, string otherwise) => m.Inputs.Analyses.Count == 0 ? NoAnalysis : otherwise;
    private static string Bench(ReportModel m, string otherwise) => m.Benchmarks.IsEmpty ? NoBenchmarks : otherwise;
    private static string Kernel(ReportModel m, string otherwise) => m.Inputs.Kernel is null ? NoKernel : otherwise;

    public static IReadOnlyList<ChartEntry> Entries { get; } = Build();

    private static List<ChartEntry> Build()
    {
        var e = new List<ChartEntry>
        {
            new("header-overhead", "Header overhead per variant", ChartOrigin.HeaderArithmetic, m => HeaderCharts.HeaderOverhead(m.Context, m.Headers), _ => ""),
            new("overhead-vs-frame-size", "Overhead against inner frame size", ChartOrigin.HeaderArithmetic, m => HeaderCharts.OverheadVersusFrameSize(m.Context), _ => ""),
            new("service-insertion", "Service insertion: header bytes", ChartOrigin.HeaderArithmetic, m => HeaderCharts.ServiceInsertion(m.Context, m.Sweeps), _ => ""),
            new("capture-overhead", "Overhead on each capture", ChartOrigin.CaptureAnalysis, m => m.Inputs.Analyses.Count == 0 ? null : CaptureCharts.CaptureOverhead(m.Context), m => Analysis(m, "")),
        };
        foreach (double rate in LineRates)
        {
            e.Add(new($"goodput-lost-{rate:0}g", $"Goodput lost at {rate:0} GbE", ChartOrigin.CaptureAnalysis, m => CaptureCharts.GoodputLost(m.Context, rate),
                m => Analysis(m, $"the analysis has no {rate:0} Gbit/s line-rate figures")));
        }
        foreach (double mtu in UnderlayMtus)
        {
            e.Add(new($"mtu-over-{mtu:0}", $"Frames over a {mtu:0}-byte underlay MTU", ChartOrigin.CaptureAnalysis, m => CaptureCharts.MtuOver(m.Context, mtu),
                m => Analysis(m, $"the analysis has no {mtu:0}-byte MTU figures")));
        }
        e.Add(new("ecmp-flows", "ECMP flows per path over k paths", ChartOrigin.CaptureAnalysis, m => EcmpCharts.Ecmp(m, byFlows: true), m => Analysis(m, "the analysis has no ECMP figures")));
        e.Add(new("ecmp-balance", "ECMP bytes per path over k paths", ChartOrigin.CaptureAnalysis, m => EcmpCharts.Ecmp(m, byFlows: false), m => Analysis(m, "the analysis has no ECMP figures")));
        e.Add(new("replay-throughput", "Encap and decap on one core (capture replay)", ChartOrigin.CaptureAnalysis, m => CaptureCharts.ReplayThroughput(m.Context),
            m => Analysis(m, "the analysis ran with --no-throughput")));
        e.Add(new("scaling", "Encapsulation over several cores", ChartOrigin.CaptureAnalysis, m => CaptureCharts.Scaling(m.Context), m => Analysis(m, "the analysis ran without --scaling")));
        e.Add(new("chain-overhead", "Service chains: bytes on the wire over the whole path", ChartOrigin.CaptureAnalysis, m => CaptureCharts.ChainOverhead(m.Context),
            _ => "no service-chain result (schema overlay-bench/chain/v1, from `overlay chain --json`) in the results folder"));
        foreach ((string id, string title) in new[] { (AsDeployedCharts.MssId, "As deployed: MSS clamp cost"), (AsDeployedCharts.BlackHoleId, "As deployed: PMTUD black-hole share") })
        {
            e.Add(new(id, title, ChartOrigin.CaptureAnalysis,
                m => ResultFiles(m.Context) is { Count: > 0 } files
                    ? AsDeployedCharts.One(id, m.Context.Inputs.Results.ToList(), AnalysisCaption(files), m.Context.AnalysisCommands(files), AnalysisSource(files))
                    : null,
                m => Analysis(m, "no analysis result carries a deployed profile with its operator figures (`overlay analyze --profile …`)")));
        }
        foreach (string size in BenchmarkSizes)
        {
            e.Add(new($"bench-throughput-{size}", $"Encap and decap Mpps per core, {size}-byte frames (BenchmarkDotNet)", ChartOrigin.Benchmarks,
                m => BenchmarkCharts.BenchmarkThroughput(m.Context, size), m => Bench(m, $"no {Encapsulate} results at size {size}")));
        }
        e.Add(new("srv6-end", "SRv6 End per hop (BenchmarkDotNet)", ChartOrigin.Benchmarks, m => BenchmarkTimingCharts.Srv6EndChart(m.Context), m => Bench(m, $"no {Srv6End} results")));
        e.Add(new("service-hop", "Work per service hop, every chaining approach (BenchmarkDotNet)", ChartOrigin.Benchmarks, m => BenchmarkTimingCharts.ServiceHopChart(m.Context),
            m => Bench(m, $"no {ServiceHop} results")));
        e.Add(new("bench-sweep", "Per-packet time over the service chain (BenchmarkDotNet)", ChartOrigin.Benchmarks, m => BenchmarkTimingCharts.SweepChart(m.Context), m => Bench(m, $"no {Sweep} results")));
        e.Add(new("bench-replay", "Capture replay (BenchmarkDotNet)", ChartOrigin.Benchmarks, m => BenchmarkCharts.ReplayBenchmarkChart(m.Context), m => Bench(m, $"no {CaptureReplay} results")));
        e.Add(new("allocations", "Bytes allocated per packet", ChartOrigin.Benchmarks, m => BenchmarkCharts.Allocations(m.Context),
            _ => "neither the analysis nor the benchmarks measured allocations"));
        e.Add(new(KernelCharts.IncrementId, KernelCharts.IncrementTitle, ChartOrigin.Kernel, m => m.Inputs.Kernel is null ? null : KernelCharts.Increment(m.Context),
            m => Kernel(m, "the kernel run delivered no tunnel packets")));
        e.Add(new(KernelCharts.GoodputId, KernelCharts.GoodputTitle, ChartOrigin.Kernel, m => m.Inputs.Kernel is null ? null : KernelCharts.Tcp(m.Context, KernelCharts.GoodputId),
            m => Kernel(m, "the kernel run has no TCP figures")));
        e.Add(new(KernelCharts.TcpCpuId, KernelCharts.TcpCpuTitle, ChartOrigin.Kernel, m => m.Inputs.Kernel is null ? null : KernelCharts.Tcp(m.Context, KernelCharts.TcpCpuId),
            m => Kernel(m, "the kernel run has no TCP figures")));
        e.Add(new(InstructionCharts.Id, InstructionCharts.Title, ChartOrigin.Instructions, m => m.Inputs.Instructions is { } file ? InstructionCharts.Chart(file) : null,
            m => m.Inputs.Instructions is null ? InstructionCharts.Absent : "the instruction counts hold no encapsulation or decapsulation case"));
        return e;
    }

    /// <summary>Builds every chart of <see cref="Entries"/>, or lists it as skipped with its reason.</summary>
    public static (List<ChartSpec> Charts, List<SkippedChart> Skipped) Build(ReportModel model)
    {
        var charts = new List<ChartSpec>();
        var skipped = new List<SkippedChart>();
        foreach (ChartEntry entry in Entries)
        {
            ChartSpec? chart = entry.Build(model);
            if (chart is null || chart.Series.All(s => s.Points.Count == 0))
            {
                skipped.Add(new SkippedChart(entry.Id, entry.Title, entry.SkipReason(model)));
            }
            else if (chart.Series.SelectMany(s => s.Points).All(p => p.Y == 0))
            {
                // A chart of nothing but zeros says one thing; a sentence says it better.
                skipped.Add(new SkippedChart(chart.Id, chart.Title, $"every value is 0 ({chart.YLabel}), so it is said here instead of drawn"));
            }
            else
            {
                charts.Add(entry.Origin == ChartOrigin.Benchmarks ? chart with { Description = chart.Description + ProcessSpreadNote + Archived(model) } : chart);
            }
        }
        return (charts, skipped);
    }

    /// <summary>Why two bars of a benchmark chart may differ by process state alone (bench/README.md measures it).</summary>
    private const string ProcessSpreadNote =
        " Each case ran in its own process, and whole processes on that machine differ by up to 1.8× (bench/README.md): bars within that factor of each other (one variant's copy and in-place forms, two variants with the same header, a sweep point and its neighbour) show no difference measurable here.";

    /// <summary>
    /// Benchmark charts from a run older than the report's analysis say so: their machine and commit, and that variants
    /// added since (the IP-in-IP baselines) are absent from them until the next full run.
    /// </summary>
    private static string Archived(ReportModel model)
    {
        string? analysisCommit = model.Context.AnalysisEnvironment?.Commit;
        string? runCommit = model.Inputs.Run?.Commit;
        if (analysisCommit is null || runCommit is null || analysisCommit.StartsWith(runCommit, StringComparison.Ordinal) || runCommit.StartsWith(analysisCommit, StringComparison.Ordinal))
        {
            return "";
        }
        var benchmarked = model.Benchmarks.Cases.Select(c => c.Parameter("Variant")).OfType<string>().ToHashSet();
        var absent = MainVariants.Where(v => !benchmarked.Contains(v)).ToList();
        return $" Archived: measured by the BenchmarkDotNet run at commit {runCommit} on the machine the caption names (run.json), not by the run behind the capture analysis (commit {analysisCommit})"
            + (absent.Count == 0 ? "." : $"; {string.Join(", ", absent)} did not exist then and are absent here until the next full run.");
    }
}
