using System.Globalization;
using Overlay.Encapsulation;
using Overlay.Reporting.Report;
using Overlay.Results;
using Overlay.Results.Benchmarks;
using static Overlay.Reporting.Charts.ChartSupport;

namespace Overlay.Reporting.Charts;

/// <summary>The charts drawn from BenchmarkDotNet's full-JSON reports: packets per second and bytes allocated.</summary>
public static class BenchmarkCharts
{
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
            YLabel = "million packets per second per core (Mpps, higher is better)",
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
            YLabel = "million packets per second per core (Mpps, higher is better)",
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
                YLabel = "allocated per packet (B, lower is better)",
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
            YLabel = "allocated per packet (B, worst capture, lower is better)",
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
}
