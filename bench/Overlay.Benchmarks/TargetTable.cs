using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Overlay.Results.Benchmarks;
using Overlay.Benchmarks.Inputs;
using Overlay.Encapsulation;

namespace Overlay.Benchmarks;

/// <summary>One benchmark case as the targets read it: median time and allocation per operation.</summary>
public sealed record TargetCase(string Type, string Method, IReadOnlyDictionary<string, string> Parameters, double MedianNs, long? AllocatedBytes)
{
    public string Param(string name) => Parameters.TryGetValue(name, out string? value) ? value : "";
    public string Case => Parameters.Count == 0 ? $"{Type}.{Method}" : $"{Type}.{Method} [{string.Join(", ", Parameters.Select(p => $"{p.Key}={p.Value}"))}]";
}

/// <summary>One target checked on one case (or one group of cases).</summary>
public sealed record TargetCheck(string Target, string Case, double Value, string Comparison, double Bound, bool Met, string? Note = null);

/// <summary>
/// The performance targets, checked on the results of one benchmark run (ratios within that run only):
/// allocations, in-place flatness, copy against its calibration, the PacketDotNet peer, and replay against the
/// fixed-size rate. Built from the full JSON reports, so it can be recomputed from committed results at any time.
/// </summary>
public sealed class TargetTable
{
    public const string AllocationTarget = "0 B allocated per operation";
    public const string FlatTarget = "in-place flat: InPlace(9000 B) / InPlace(64 B)";
    public const string CopyTarget = "copy / copy baseline";
    public const string ChecksumCopyTarget = "copy / copy baseline, payload-checksumming variants";
    public const string PeerCopyTarget = "PacketDotNet (fastest build) / copy encapsulation";
    public const string PeerInPlaceTarget = "PacketDotNet (fastest build) / in-place encapsulation";
    public const string ReplayTarget = "replay rate / fixed-size rate at the capture's mean frame size";
    public const string InPlaceCalibrationTarget = "in place / copy baseline at 64 B, variants that do not checksum the payload";
    public const string DecapTarget = "decapsulation / in-place encapsulation";

    private static readonly string[] AllocationClasses =
        [nameof(EncapsulateBenchmarks), nameof(DecapsulateBenchmarks), nameof(Srv6EndBenchmarks), nameof(CaptureReplayBenchmarks)];

    private TargetTable(List<TargetCheck> checks, int results)
    {
        Checks = checks;
        Results = results;
    }

    public List<TargetCheck> Checks { get; }

    /// <summary>Benchmark cases read.</summary>
    public int Results { get; }

    /// <summary>
    /// Every case that ran in the *-report-full.json files of <paramref name="directory"/>, read with the one reader
    /// of BenchmarkDotNet's reports (a case that failed has no statistics and is left out).
    /// </summary>
    public static List<TargetCase> Load(string directory)
    {
        var results = new List<TargetCase>();
        if (!Directory.Exists(directory))
        {
            return results;
        }
        foreach (string file in Directory.EnumerateFiles(directory, "*-report-full.json").Order(StringComparer.Ordinal))
        {
            foreach (BenchmarkCase benchmark in BenchmarkReport.Read(file).Benchmarks)
            {
                if (benchmark.Statistics is not BenchmarkStatistics statistics)
                {
                    continue;
                }
                results.Add(new TargetCase(benchmark.Type!, benchmark.Method!, benchmark.ParameterValues, statistics.Median ?? double.NaN, benchmark.AllocatedBytes));
            }
        }
        return results;
    }

    public static TargetTable From(string directory) => From(Load(directory));

    public static TargetTable From(IReadOnlyList<TargetCase> results)
    {
        var checks = new List<TargetCheck>();
        CheckAllocations(results, checks);
        CheckFlatness(results, checks);
        CheckCopy(results, checks);
        CheckInPlaceAgainstCalibration(results, checks);
        CheckDecapsulation(results, checks);
        CheckPeer(results, checks);
        CheckReplay(results, checks);
        return new TargetTable(checks, results.Count);
    }

    /// <summary>Variants whose copy must checksum the payload: a UDP checksum (over IPv6) or GRE's checksum.</summary>
    public static bool ChecksumsPayload(string variant) => VariantCatalog.Find(variant)?.Create().ChecksumsPayload ?? false;

    private static void CheckAllocations(IReadOnlyList<TargetCase> results, List<TargetCheck> checks)
    {
        IEnumerable<TargetCase> measured = results.Where(r =>
            AllocationClasses.Contains(r.Type)
            || (r.Type == nameof(SweepBenchmarks))
            || (r.Type == nameof(PacketDotNetBenchmarks) && !r.Method.StartsWith(BenchmarkIds.PacketDotNet.PeerPrefix, StringComparison.Ordinal)));
        foreach (IGrouping<string, TargetCase> group in measured.GroupBy(r => r.Type))
        {
            TargetCase worst = group.MaxBy(r => r.AllocatedBytes ?? long.MaxValue)!;
            long max = worst.AllocatedBytes ?? -1;
            checks.Add(new TargetCheck(AllocationTarget, $"{group.Key}: all {group.Count()} cases (worst: {worst.Case})", max, "=", 0, max == 0,
                max < 0 ? "allocation not measured" : null));
        }
    }

    private static void CheckFlatness(IReadOnlyList<TargetCase> results, List<TargetCheck> checks)
    {
        var inPlace = results.Where(r => r.Type == nameof(EncapsulateBenchmarks) && r.Method == nameof(EncapsulateBenchmarks.InPlace)).ToList();
        foreach (string variant in inPlace.Select(r => r.Param("Variant")).Distinct())
        {
            TargetCase? small = inPlace.FirstOrDefault(r => r.Param("Variant") == variant && r.Param("Size") == "64");
            TargetCase? large = inPlace.FirstOrDefault(r => r.Param("Variant") == variant && r.Param("Size") == "9000");
            if (small is null || large is null)
            {
                continue;
            }
            double ratio = large.MedianNs / small.MedianNs;
            checks.Add(new TargetCheck(FlatTarget, variant, ratio, "≤", 1.2, ratio <= 1.2,
                ChecksumsPayload(variant) ? "checksums the payload in place: a correct checksum reads every byte" : null));
        }
    }

    private static void CheckCopy(IReadOnlyList<TargetCase> results, List<TargetCheck> checks)
    {
        var encapsulate = results.Where(r => r.Type == nameof(EncapsulateBenchmarks)).ToList();
        foreach (var group in encapsulate.GroupBy(r => (Variant: r.Param("Variant"), Size: r.Param("Size"))))
        {
            TargetCase? copy = group.FirstOrDefault(r => r.Method == nameof(EncapsulateBenchmarks.Copy));
            TargetCase? baseline = group.FirstOrDefault(r => r.Method == nameof(EncapsulateBenchmarks.CopyBaseline));
            if (copy is null || baseline is null || !int.TryParse(group.Key.Size, NumberStyles.None, CultureInfo.InvariantCulture, out int size))
            {
                continue;
            }
            bool checksum = ChecksumsPayload(group.Key.Variant);
            double bound = size >= 1500 ? (checksum ? 1.5 : 1.15) : size == 512 ? 1.5 : size == 64 ? 2.5 : double.NaN;
            if (double.IsNaN(bound))
            {
                continue;
            }
            double ratio = copy.MedianNs / baseline.MedianNs;
            checks.Add(new TargetCheck(checksum && size >= 1500 ? ChecksumCopyTarget : CopyTarget, $"{group.Key.Variant} @ {size} B", ratio, "≤", bound, ratio <= bound));
        }
    }

    /// <summary>In place at every size against the variant's own copy calibration at 64 B: the fixed cost, beside one small copy.</summary>
    private static void CheckInPlaceAgainstCalibration(IReadOnlyList<TargetCase> results, List<TargetCheck> checks)
    {
        var encapsulate = results.Where(r => r.Type == nameof(EncapsulateBenchmarks)).ToList();
        foreach (TargetCase inPlace in encapsulate.Where(r => r.Method == nameof(EncapsulateBenchmarks.InPlace)))
        {
            string variant = inPlace.Param("Variant");
            TargetCase? calibration = encapsulate.FirstOrDefault(r =>
                r.Method == nameof(EncapsulateBenchmarks.CopyBaseline) && r.Param("Variant") == variant && r.Param("Size") == "64");
            if (calibration is null || ChecksumsPayload(variant) || inPlace.Param("Size") == "imix")
            {
                continue;
            }
            double ratio = inPlace.MedianNs / calibration.MedianNs;
            checks.Add(new TargetCheck(InPlaceCalibrationTarget, $"{variant} @ {inPlace.Param("Size")} B", ratio, "≤", 2, ratio <= 2));
        }
    }

    /// <summary>
    /// Decapsulating a variant's packet against encapsulating it in place at the same inner frame size: measured there, or
    /// interpolated between the in-place sizes around it (in place does not touch the payload, so its time is nearly flat).
    /// </summary>
    private static void CheckDecapsulation(IReadOnlyList<TargetCase> results, List<TargetCheck> checks)
    {
        var inPlace = results.Where(r => r.Type == nameof(EncapsulateBenchmarks) && r.Method == nameof(EncapsulateBenchmarks.InPlace)).ToList();
        foreach (TargetCase decap in results.Where(r => r.Type == nameof(DecapsulateBenchmarks) && r.Method == nameof(DecapsulateBenchmarks.Decapsulate)))
        {
            string variant = decap.Param("Variant");
            if (!int.TryParse(decap.Param("Size"), NumberStyles.None, CultureInfo.InvariantCulture, out int size))
            {
                continue;
            }
            var points = inPlace
                .Where(r => r.Param("Variant") == variant && int.TryParse(r.Param("Size"), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                .Select(r => (Size: double.Parse(r.Param("Size"), CultureInfo.InvariantCulture), r.MedianNs))
                .OrderBy(p => p.Size)
                .ToList();
            double encap = Interpolate(points, size, out string? note);
            if (!double.IsNaN(encap))
            {
                double ratio = decap.MedianNs / encap;
                checks.Add(new TargetCheck(DecapTarget, $"{variant} @ {size} B", ratio, "≤", 1, ratio <= 1, note));
            }
        }
    }

    private static void CheckPeer(IReadOnlyList<TargetCase> results, List<TargetCheck> checks)
    {
        var peer = results.Where(r => r.Type == nameof(PacketDotNetBenchmarks)).ToList();
        foreach (var group in peer.GroupBy(r => r.Param("Size")))
        {
            double Median(string method) => group.FirstOrDefault(r => r.Method == method)?.MedianNs ?? double.NaN;
            double vxlanPacket = Median(nameof(PacketDotNetBenchmarks.PacketDotNetVxlanPacket));
            double raw = Median(nameof(PacketDotNetBenchmarks.PacketDotNetRawPayload));
            double fastest = double.IsNaN(vxlanPacket) ? raw : double.IsNaN(raw) ? vxlanPacket : Math.Min(vxlanPacket, raw);
            string which = fastest == raw ? "raw payload" : "VxlanPacket";
            void Add(string target, string @case, double peerNs, double oursNs, double bound)
            {
                if (!double.IsNaN(peerNs) && !double.IsNaN(oursNs))
                {
                    double speedup = peerNs / oursNs;
                    checks.Add(new TargetCheck(target, @case, speedup, "≥", bound, speedup >= bound));
                }
            }
            Add(PeerCopyTarget, $"VXLAN @ {group.Key} B (PacketDotNet {which})", fastest, Median(nameof(PacketDotNetBenchmarks.OverlayVxlanCopy)), 75);
            Add(PeerInPlaceTarget, $"VXLAN @ {group.Key} B (PacketDotNet {which})", fastest, Median(nameof(PacketDotNetBenchmarks.OverlayVxlanInPlace)), 150);
            Add(PeerCopyTarget, $"GRE @ {group.Key} B", Median(nameof(PacketDotNetBenchmarks.PacketDotNetGre)), Median(nameof(PacketDotNetBenchmarks.OverlayGreCopy)), 75);
        }
    }

    private static void CheckReplay(IReadOnlyList<TargetCase> results, List<TargetCheck> checks)
    {
        var replay = results.Where(r => r.Type == nameof(CaptureReplayBenchmarks) && r.Method != nameof(CaptureReplayBenchmarks.CopyBaseline)).ToList();
        var replayBaselines = results.Where(r => r.Type == nameof(CaptureReplayBenchmarks) && r.Method == nameof(CaptureReplayBenchmarks.CopyBaseline)).ToList();
        var fixedSize = results.Where(r => r.Type == nameof(EncapsulateBenchmarks)).ToList();
        var means = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (TargetCase run in replay)
        {
            string capture = run.Param("Capture"), variant = run.Param("Variant");
            string method = run.Method == nameof(CaptureReplayBenchmarks.ReplayInPlace) ? nameof(EncapsulateBenchmarks.InPlace) : nameof(EncapsulateBenchmarks.Copy);
            if (!means.TryGetValue(capture, out double mean))
            {
                string path = Path.Combine(RepoPaths.Captures, capture);
                mean = File.Exists(path) ? CaptureReplayBenchmarks.Load(path).Average(f => (double)f.Length) : double.NaN;
                means[capture] = mean;
            }
            var points = fixedSize
                .Where(r => r.Method == method && r.Param("Variant") == variant && int.TryParse(r.Param("Size"), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                .Select(r => (Size: double.Parse(r.Param("Size"), CultureInfo.InvariantCulture), r.MedianNs))
                .OrderBy(p => p.Size)
                .ToList();
            double interpolated = Interpolate(points, mean, out string? note);
            if (double.IsNaN(interpolated))
            {
                continue;
            }
            double ratio = interpolated / run.MedianNs; // rate ratio = fixed time / replay time

            // The same ratio with each side divided by its own calibration (a copy of the same bytes from the same memory):
            // what remains once the capture's larger working set (it streams from L3; a fixed-size batch stays in L1/L2) is
            // taken out, i.e. the cost of mixed sizes, protocols and branches.
            var baselinePoints = fixedSize
                .Where(r => r.Method == nameof(EncapsulateBenchmarks.CopyBaseline) && r.Param("Variant") == variant && int.TryParse(r.Param("Size"), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                .Select(r => (Size: double.Parse(r.Param("Size"), CultureInfo.InvariantCulture), r.MedianNs))
                .OrderBy(p => p.Size)
                .ToList();
            double fixedBaseline = Interpolate(baselinePoints, mean, out _);
            TargetCase? replayBaseline = replayBaselines.FirstOrDefault(r => r.Param("Capture") == capture && r.Param("Variant") == variant);
            if (run.Method == nameof(CaptureReplayBenchmarks.ReplayCopy) && replayBaseline is not null && !double.IsNaN(fixedBaseline))
            {
                double normalised = (interpolated / fixedBaseline) / (run.MedianNs / replayBaseline.MedianNs);
                note = $"{note}; per calibration: {normalised.ToString("0.00", CultureInfo.InvariantCulture)} (replay copy baseline {(replayBaseline.MedianNs / fixedBaseline).ToString("0.00", CultureInfo.InvariantCulture)}× the fixed-size one)";
            }
            string mode = run.Method == nameof(CaptureReplayBenchmarks.ReplayInPlace) ? "in place" : "copy";
            checks.Add(new TargetCheck(ReplayTarget, $"{capture} (mean {mean:F0} B), {variant}, {mode}", ratio, "≥", 0.8, ratio >= 0.8, note));
        }
    }

    /// <summary>Time per packet at <paramref name="size"/>, linear between the measured sizes around it; NaN when none brackets it.</summary>
    private static double Interpolate(List<(double Size, double MedianNs)> points, double size, out string? note)
    {
        note = null;
        if (points.Count == 0 || double.IsNaN(size))
        {
            return double.NaN;
        }
        for (int i = 1; i < points.Count; i++)
        {
            if (size <= points[i].Size && size >= points[i - 1].Size)
            {
                var (s0, t0) = points[i - 1];
                var (s1, t1) = points[i];
                note = $"fixed-size time interpolated between {s0:F0} B and {s1:F0} B";
                return t0 + (t1 - t0) * (size - s0) / (s1 - s0);
            }
        }
        return double.NaN;
    }

    public string ToJson() => JsonSerializer.Serialize(new { schema = "overlay-bench/targets/v1", results = Results, checks = Checks },
        new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals });

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# Performance targets");
        text.AppendLine();
        text.AppendLine($"Checked on {Results} benchmark cases of one run (ratios within that run; medians). Regenerate: `dotnet run -c Release --project bench/Overlay.Benchmarks -- targets`.");
        text.AppendLine();
        text.AppendLine("| target | bound | cases | met | worst case | worst value |");
        text.AppendLine("| --- | ---: | ---: | ---: | --- | ---: |");
        foreach (var group in Checks.GroupBy(c => c.Target))
        {
            TargetCheck first = group.First();
            TargetCheck worst = first.Comparison == "≥" ? group.MinBy(c => c.Value)! : group.MaxBy(c => c.Value)!;
            string bounds = string.Join(" / ", group.Select(c => $"{c.Comparison} {Format(c.Bound)}").Distinct());
            text.AppendLine($"| {group.Key} | {bounds} | {group.Count()} | {group.Count(c => c.Met)} | {worst.Case} | {Format(worst.Value)} |");
        }
        foreach (var group in Checks.GroupBy(c => c.Target))
        {
            text.AppendLine();
            text.AppendLine($"## {group.Key}");
            text.AppendLine();
            text.AppendLine("| case | value | bound | met | note |");
            text.AppendLine("| --- | ---: | ---: | :---: | --- |");
            foreach (TargetCheck check in group)
            {
                text.AppendLine($"| {check.Case} | {Format(check.Value)} | {check.Comparison} {Format(check.Bound)} | {(check.Met ? "yes" : "**no**")} | {check.Note} |");
            }
        }
        return text.ToString();
    }

    private static string Format(double value) => Math.Abs(value) >= 100 ? value.ToString("F0", CultureInfo.InvariantCulture) : value.ToString("0.00", CultureInfo.InvariantCulture);
}
