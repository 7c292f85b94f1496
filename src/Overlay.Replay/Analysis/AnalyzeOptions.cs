using Overlay.Encapsulation;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>What an analysis measures and how.</summary>
public sealed record AnalyzeOptions
{
    public required IReadOnlyList<VariantSpec> Variants { get; init; }
    /// <summary>The capture's interface MTU: an IP packet above it is a GSO/TSO/GRO super-frame.</summary>
    public int InterfaceMtu { get; init; } = 1500;
    /// <summary>Replace TCP super-frames by the MTU-sized segments that crossed the wire.</summary>
    public bool SegmentSuperFrames { get; init; }
    public IReadOnlyList<int> UnderlayMtus { get; init; } = [1500, 9000];
    public IReadOnlyList<double> LineRatesGbps { get; init; } = [10, 25, 100, 400];
    public IReadOnlyList<int> EcmpPaths { get; init; } = [2, 4, 8, 16, 64];
    /// <summary>Timed passes per mode; the median is reported with the min and max.</summary>
    public int Passes { get; init; } = 5;
    /// <summary>Each timed pass repeats the loop until it has run at least this long, so short captures time well.</summary>
    public TimeSpan MinPassTime { get; init; } = TimeSpan.FromMilliseconds(20);
    /// <summary>Untimed running of all three loops before the timed passes of each variant (see <see cref="WarmUp"/>).</summary>
    public TimeSpan WarmUpTime { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>
    /// Time encapsulation (copy, in place) and decapsulation per variant with <see cref="Passes"/> passes. Off by default:
    /// it benchmarks the host rather than describing the capture, and costs a fixed time per variant and arena.
    /// </summary>
    public bool MeasureThroughput { get; init; }
    /// <summary>Bytes of frames (and headroom) held in memory at once: larger captures stream through in chunks of this size.</summary>
    public int ArenaBytes { get; init; } = 64 << 20;
    /// <summary>Analyse only the frames whose inner flow hashes to this shard (every flow whole in one shard).</summary>
    public ShardInfo Shard { get; init; } = ShardInfo.Whole;
}

/// <summary>Where a long analysis stands, for a progress bar.</summary>
public readonly record struct AnalyzeProgress(string Capture, string Stage, double Fraction);
