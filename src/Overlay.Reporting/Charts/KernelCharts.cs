using System.Globalization;
using Overlay.Results.Benchmarks;
using Overlay.Results.Kernel;
using Overlay.Reporting.Report;

namespace Overlay.Reporting.Charts;

/// <summary>
/// "The kernel's own cost": the Linux kernel's tunnels measured in network namespaces (results/kernel.json), charted beside
/// the suite's own encoders. Each chart has one direction of better: CPU (lower), goodput (higher).
/// </summary>
public static class KernelCharts
{
    public const string IncrementId = "kernel-cpu-per-packet";
    public const string IncrementTitle = "The kernel's own cost: CPU per packet over native routing, beside the suite's encoder";
    public const string GoodputId = "kernel-tcp-goodput";
    public const string GoodputTitle = "The kernel's own cost: TCP goodput, one stream, offloads on and off";
    public const string TcpCpuId = "kernel-tcp-cpu";
    public const string TcpCpuTitle = "The kernel's own cost: TCP CPU per gigabyte, offloads on and off";

    /// <summary>The UDP payload sizes the increment chart prefers, in order (each its own IMIX for the suite and the kernel).</summary>
    public static IReadOnlyList<string> PreferredSizes { get; } = ["imix", "64", "512", "1400"];

    public const string KernelSeries = "kernel: encap + decap over native routing";
    public const string SuiteSeries = "suite's encoder: encap (copy) + decap";

    public static IEnumerable<(string Id, string Title)> Ids()
    {
        yield return (IncrementId, IncrementTitle);
        yield return (GoodputId, GoodputTitle);
        yield return (TcpCpuId, TcpCpuTitle);
    }

    /// <summary>The size the increment chart and the host-cost finding use: the first preferred size the kernel measured.</summary>
    public static string? ChartedSize(KernelDocument doc) =>
        PreferredSizes.FirstOrDefault(s => doc.Rows.Any(r => r.PayloadSize == s && r.IncrementalCpuNsPerPacket is not null))
        ?? doc.Rows.FirstOrDefault(r => r.IncrementalCpuNsPerPacket is not null)?.PayloadSize;

    public static string SizeName(string size) => size == "imix" ? "IMIX" : size + " B";

    /// <summary>How the chart reads: the kernel's run and where it ran.</summary>
    public static string Caption(KernelDocument doc) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Linux {doc.Environment.Kernel} · {doc.Environment.Iproute2} · {doc.Environment.ProcessorCount} logical cores, sender on cpu{doc.Environment.SenderCore}, receiver on cpu{doc.Environment.ReceiverCore} · {doc.Settings.Trials} trials per cell{(doc.Environment.Commit is null ? "" : $" · commit {doc.Environment.Commit}")} · {doc.Environment.Date}");

    /// <summary>The kernel run, then the benchmarks' run (which renders the report itself) or the report.</summary>
    public static string Command(ReportContext context, bool withBenchmarks = false) =>
        $"sudo {ReportContext.CliPrefix} kernel --json {Path.Combine(context.ResultsArgument, "kernel.json")} --markdown {Path.Combine(context.ResultsArgument, "kernel.md")} && {(withBenchmarks ? context.BenchmarkCommand : context.ReportCommand)}";

    private static string Unavailable(KernelDocument doc)
    {
        var missing = doc.Variants.Where(v => !v.Available).Select(v => v.Variant).ToList();
        return missing.Count == 0 ? "" : $" Not available in this kernel, so not charted: {string.Join(", ", missing)} (kernel.md names the missing module or option).";
    }

    /// <summary>Incremental CPU ns per packet per tunnel (the kernel's encap + decap over native routing), beside the suite's encap copy + decap.</summary>
    public static ChartSpec? Increment(ReportContext context)
    {
        KernelFile file = context.Inputs.Kernel!;
        KernelDocument doc = file.Document;
        if (ChartedSize(doc) is not string size)
        {
            return null;
        }
        BenchmarkSet bench = context.Inputs.Benchmarks;
        var rows = doc.Rows.Where(r => r.PayloadSize == size && r.IncrementalCpuNsPerPacket is not null).ToList();
        var kernel = new List<ChartPoint>();
        var suite = new List<ChartPoint>();
        var noSuite = new List<string>();
        foreach (KernelUdpRow r in rows)
        {
            // The error bar: the variant's interquartile trials less the baseline's median.
            double baseline = r.BaselineCpuNsPerPacket ?? 0;
            kernel.Add(new ChartPoint { Category = r.Variant, Y = r.IncrementalCpuNsPerPacket!.Value, Low = r.CpuNs?.Q1 - baseline, High = r.CpuNs?.Q3 - baseline });
            if (SuiteNanoseconds(bench, r.Variant, size) is { } s)
            {
                suite.Add(new ChartPoint { Category = r.Variant, Y = s.Ns, Low = s.Low, High = s.High });
            }
            else
            {
                noSuite.Add(r.Variant);
            }
        }
        string none = noSuite.Count == 0 ? "" : $" The suite has no encoder benchmark at this size for {string.Join(", ", noSuite)}.";
        return new ChartSpec
        {
            Id = IncrementId,
            Title = IncrementTitle,
            Kind = ChartKind.GroupedBars,
            XLabel = "variant",
            YLabel = "CPU ns per packet (lower is better)",
            YUnit = "ns",
            Categories = rows.Select(r => r.Variant).ToList(),
            Series = [new(KernelSeries, kernel), new(SuiteSeries, suite)],
            Caption = Caption(doc),
            Command = Command(context, withBenchmarks: suite.Count > 0),
            Source = Path.GetFileName(file.Path) + (suite.Count == 0 ? "" : ", " + string.Join(", ", bench.Reports.Where(r => r.Benchmarks.Any(b => b.Type is ChartSupport.Encapsulate or ChartSupport.Decapsulate)).Select(r => Path.GetFileName(r.File)))),
            Description = $"The kernel: median CPU ns per delivered packet of both pinned cores (user + system + softirq, /proc/stat) with {SizeName(size)} UDP payloads, less the native-routing baseline's median over the same veth; that is the tunnel's own encap + decap. Its error bar: the variant's interquartile trials less the baseline's median. The suite: BenchmarkDotNet mean ns of the copy encapsulation plus the decapsulation of the same variant, {SizeName(size)} frames (the suite's IMIX is its own frame mix), on one core with no system calls: the header work alone; its error bar adds the two means' confidence intervals{(suite.Count == 0 ? "" : $" (measured on {context.BenchmarkCaption(bench.Reports)})")}.{none}{Unavailable(doc)}",
            Decimals = 0,
            Width = 1400,
            Height = 750,
        };
    }

    /// <summary>The suite's encap (copy) + decap mean ns for a variant at a size, with the summed confidence interval; null without both.</summary>
    public static (double Ns, double? Low, double? High)? SuiteNanoseconds(BenchmarkSet bench, string variant, string size)
    {
        BenchmarkCase? encap = bench.Find(ChartSupport.Encapsulate, BenchmarkIds.Encapsulate.Copy, ("Variant", variant), ("Size", size));
        BenchmarkCase? decap = bench.Find(ChartSupport.Decapsulate, BenchmarkIds.Decapsulate.Method, ("Variant", variant), ("Size", size));
        if (encap?.Nanoseconds is not double e || decap?.Nanoseconds is not double d)
        {
            return null;
        }
        BenchmarkConfidenceInterval? a = encap.Statistics?.ConfidenceInterval, b = decap.Statistics?.ConfidenceInterval;
        return (e + d, a?.Lower + b?.Lower, a?.Upper + b?.Upper);
    }

    /// <summary>One TCP stream per variant (native routing included), offloads on and off: goodput, or CPU seconds per GB.</summary>
    public static ChartSpec? Tcp(ReportContext context, string offloadsChart)
    {
        KernelFile file = context.Inputs.Kernel!;
        KernelDocument doc = file.Document;
        bool goodput = offloadsChart == GoodputId;
        Spread? Pick(KernelTcpRow r) => goodput ? r.GoodputGbps : r.CpuSecondsPerGigabyte;
        var rows = doc.Tcp.Where(r => r.Available && Pick(r) is not null).ToList();
        var categories = rows.Select(r => r.Variant).Distinct().ToList();
        List<ChartPoint> Series(bool offloads) => rows.Where(r => r.Offloads == offloads)
            .Select(r => Pick(r)!)
            .Zip(rows.Where(r => r.Offloads == offloads).Select(r => r.Variant))
            .Select(x => new ChartPoint { Category = x.Second, Y = x.First.Median, Low = x.First.Q1, High = x.First.Q3 })
            .ToList();
        return new ChartSpec
        {
            Id = offloadsChart,
            Title = goodput ? GoodputTitle : TcpCpuTitle,
            Kind = ChartKind.GroupedBars,
            XLabel = "variant",
            YLabel = goodput ? "goodput, Gbit/s (higher is better)" : "CPU seconds per GB of payload (lower is better)",
            YUnit = goodput ? "Gbit/s" : "s/GB",
            Categories = categories,
            Series = [new("offloads on (the kernel's defaults)", Series(true)), new("offloads off (tso, gso, tx checksum)", Series(false))],
            Caption = Caption(doc),
            Command = Command(context),
            Source = Path.GetFileName(file.Path),
            Description = (goodput
                ? "Median goodput of one TCP stream from host A to host B through each tunnel, and over native routing (the baselines)"
                : "Median CPU seconds of both pinned cores (/proc/stat) per 10^9 bytes of payload delivered by one TCP stream")
                + $", with the underlay veth's offloads on and off (`ethtool -K … tso off gso off tx off`); error bars: the interquartile trials. Where offloads on and off are close, the tunnel does not keep segmentation offload through the encapsulation.{Unavailable(doc)}",
            Decimals = 2,
            Width = 1400,
            Height = 750,
        };
    }
}
