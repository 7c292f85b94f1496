using System.Globalization;
using Overlay.Encapsulation;
using Overlay.Reporting.Report;
using Overlay.Results;
using Overlay.Results.Benchmarks;

namespace Overlay.Reporting.Charts;

/// <summary>What every chart builder shares: the variants charted, the benchmark classes read, captions and points.</summary>
public static class ChartSupport
{
    /// <summary>The variants the per-capture charts show (the report's tables add the rest), in plotting order.</summary>
    public static IReadOnlyList<string> MainVariants { get; } =
    [
        "ipip-ipv4", "gre-l3-ipv4",
        "ip6ip6", "gre-l3-ipv6", "srv6-encaps-red-1sid", "srv6-csid-3sid", "srv6-encaps-3sid",
        "vxlan-ipv4", "geneve-ipv4",
        "vxlan-ipv6", "geneve-ipv6", "srv6-encaps-l2-red-1sid", "srv6-encaps-l2-3sid",
    ];

    /// <summary>
    /// The sentence every chart of several variants ends with: which of them carry the same payload over the same underlay
    /// family, the only ones to compare (from each variant's own encapsulator, not its name).
    /// </summary>
    public static string LikeForLike(IEnumerable<string> variants)
    {
        var costs = HeaderCosts.Catalog().ToDictionary(c => c.Variant);
        var groups = variants.Distinct().Where(costs.ContainsKey).Select(v => costs[v])
            .GroupBy(c => (c.Service, c.Underlay)).OrderBy(g => g.Key.Service == "L3" ? 0 : 1).ThenBy(g => g.Key.Underlay)
            .Select(g => $"{(g.Key.Service == "L3" ? "IP" : "Ethernet")} payload over {g.Key.Underlay} ({string.Join(", ", g.Select(c => c.Variant))})")
            .ToList();
        return groups.Count < 2 ? "" : $" Compare like with like only, the same payload over the same underlay family: {string.Join("; ", groups)}.";
    }

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

    internal const string SeriesEncapCopy = "encap, copy";
    internal const string SeriesEncapInPlace = "encap, in place";
    internal const string SeriesDecap = "decap";

    internal static List<string> CaptureNames(ReportContext context) => context.Inputs.Captures.Select(c => c.Name).Distinct().ToList();

    /// <summary>The main variants the analysis holds, or its first ten when it holds none of them.</summary>
    public static List<string> ChartedVariants(IEnumerable<string> present)
    {
        var names = present.Distinct().ToList();
        var main = MainVariants.Where(names.Contains).ToList();
        return main.Count > 0 ? main : names.Take(MainVariants.Count).ToList();
    }

    /// <summary>The analysis files whose per-variant results a chart draws (a scaling-only file holds none).</summary>
    internal static List<AnalysisFile> ResultFiles(ReportContext context) =>
        context.Inputs.Analyses.Where(a => a.Document.Results.Count > 0).ToList();

    /// <summary>The analysis files whose multi-core scaling runs the scaling chart draws.</summary>
    internal static List<AnalysisFile> ScalingFiles(ReportContext context) =>
        context.Inputs.Analyses.Where(a => a.Document.Scaling is { Count: > 0 }).ToList();

    /// <summary>The machine, runtime and date of the files a chart draws: one file's own, or the newest of several with every name.</summary>
    internal static string AnalysisCaption(List<AnalysisFile> files) =>
        files.Count == 1
            ? ReportContext.AnalysisCaption(files[0].Document.Environment, files[0].Path)
            : ReportContext.AnalysisCaption(files.MaxBy(a => a.Document.Environment.Date)!.Document.Environment, AnalysisSource(files));

    internal static string AnalysisSource(List<AnalysisFile> files) =>
        string.Join(", ", files.Select(a => Path.GetFileName(a.Path)));

    internal static List<string> CatalogOrder(IEnumerable<string> variants)
    {
        var order = VariantCatalog.All.Select(v => v.Name).ToList();
        return variants.Distinct().OrderBy(v => order.IndexOf(v) is int i && i >= 0 ? i : int.MaxValue).ThenBy(v => v, StringComparer.Ordinal).ToList();
    }

    internal static ChartPoint MppsPoint(BenchmarkCase c, string category, string? label = null)
    {
        (double Low, double High)? interval = c.MppsInterval();
        return new ChartPoint { Category = category, Label = label, Y = c.Mpps!.Value, Low = interval?.Low, High = interval?.High };
    }

    internal static ChartPoint NanosecondsPoint(BenchmarkCase c, string? category, double x = 0, string? label = null)
    {
        BenchmarkConfidenceInterval? ci = c.Statistics?.ConfidenceInterval;
        return new ChartPoint { Category = category, X = x, Label = label, Y = c.Nanoseconds!.Value, Low = ci?.Lower, High = ci?.Upper };
    }

    internal static string Describe(BenchmarkCase c) =>
        c.ParameterValues.Count == 0 ? c.Method ?? "?" : string.Join(", ", c.ParameterValues.Select(kv => $"{kv.Key}={kv.Value}"));
}