using BenchmarkDotNet.Running;

namespace Overlay.Benchmarks.Config;

/// <summary>
/// The main job's cases: what the performance targets and the report's tables need, and no more, so the default run
/// ends within 20 minutes on 2 cores. `--full` runs every case.
/// </summary>
public static class MainCases
{
    /// <summary>Sizes at which copy encapsulation is checked against its calibration (targets: ≤ 2.5× at 64 B, ≤ 1.5× at 512 B, ≤ 1.15× at ≥ 1500 B).</summary>
    public static readonly string[] CopySizes = ["64", "512", "1500", "9000"];

    /// <summary>
    /// Sizes at which in-place encapsulation is checked: for flatness (9000 B ≤ 1.2× 64 B) and against the 64-byte calibration
    /// (≤ 2× at every size); decapsulation at 1500 B is set against in place interpolated between them.
    /// </summary>
    public static readonly string[] InPlaceSizes = ["64", "9000"];

    /// <summary>The batch forms (CopyBatch, InPlaceBatch): the replay variants at 64 B, where the fixed cost shows most.</summary>
    public static readonly string[] BatchSizes = ["64"];

    /// <summary>
    /// Variants replayed over every capture in the main job, one per family: each is also measured at the sizes around every
    /// capture's mean frame size, so its replay rate can be set against the fixed-size rate there.
    /// </summary>
    public static readonly string[] ReplayVariants = ["gre-l3-ipv4", "vxlan-ipv4", "geneve-ipv6", "srv6-encaps-3sid"];

    /// <summary>Decapsulation sizes in the main job (every variant).</summary>
    public static readonly string[] DecapsulateSizes = ["1500"];

    /// <summary>The most cases the main job may select, so that it stays within its time budget (bench/README.md, "Jobs").</summary>
    public const int MaxCases = 600;

    /// <summary>Extra copy (and calibration) sizes for the replay variants, so every capture's mean frame size lies between two measured sizes.</summary>
    public static readonly string[] ReplayBracketSizes = ["128", "1024"];

    /// <summary>Copy (and calibration) at IMIX for the replay variants, so the report draws its IMIX chart as the full run does.</summary>
    public static readonly string[] ImixSizes = ["imix"];

    public static string Description =>
        $"encapsulate: every variant, Copy+CopyBaseline at {string.Join("/", CopySizes)} B and InPlace at {string.Join("/", InPlaceSizes)} B, "
        + $"CopyBatch+InPlaceBatch at {string.Join("/", BatchSizes)} B for {string.Join(", ", ReplayVariants)}, "
        + $"Copy+CopyBaseline at {string.Join("/", ReplayBracketSizes)} B and IMIX for {string.Join(", ", ReplayVariants)}; decapsulate: every variant at {string.Join("/", DecapsulateSizes)} B; "
        + $"SRv6 End: all; replay: every capture with {string.Join(", ", ReplayVariants)} (ReplayCopy, CopyBaseline); "
        + "PacketDotNet: every size; sweeps: Copy at every point; service hops: all";

    public static bool Includes(BenchmarkCase benchmark)
    {
        string method = benchmark.Descriptor.WorkloadMethod.Name;
        Type type = benchmark.Descriptor.Type;
        string? Param(string name) => benchmark.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value?.ToString();

        if (type == typeof(EncapsulateBenchmarks))
        {
            string size = Param(nameof(EncapsulateBenchmarks.Size))!;
            string variant = Param(nameof(EncapsulateBenchmarks.Variant))!;
            return method switch
            {
                nameof(EncapsulateBenchmarks.CopyBatch) or nameof(EncapsulateBenchmarks.InPlaceBatch) => ReplayVariants.Contains(variant) && BatchSizes.Contains(size),
                nameof(EncapsulateBenchmarks.InPlace) => InPlaceSizes.Contains(size),
                _ => CopySizes.Contains(size) || (ReplayVariants.Contains(variant) && (ReplayBracketSizes.Contains(size) || ImixSizes.Contains(size))),
            };
        }
        if (type == typeof(DecapsulateBenchmarks))
        {
            return DecapsulateSizes.Contains(Param(nameof(DecapsulateBenchmarks.Size)));
        }
        if (type == typeof(CaptureReplayBenchmarks))
        {
            return ReplayVariants.Contains(Param(nameof(CaptureReplayBenchmarks.Variant))) && method != nameof(CaptureReplayBenchmarks.ReplayInPlace);
        }
        if (type == typeof(SweepBenchmarks))
        {
            return method == nameof(SweepBenchmarks.Copy);
        }
        return true;
    }
}
