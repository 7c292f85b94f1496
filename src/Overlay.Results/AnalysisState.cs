namespace Overlay.Results;

/// <summary>
/// Which part of a capture's flows a document holds: shard <see cref="Index"/> of <see cref="Count"/>, every flow
/// whole in one shard (frames go by their inner flow hash). An unsharded analysis is shard 0 of 1.
/// </summary>
public sealed record ShardInfo(int Index, int Count)
{
    public static ShardInfo Whole { get; } = new(0, 1);

    /// <summary>Whether a frame whose inner flow hashes to <paramref name="flowHash"/> belongs to this shard.</summary>
    public bool Holds(uint flowHash) => Count == 1 || Of(flowHash, Count) == Index;

    /// <summary>The shard a flow hash goes to among <paramref name="count"/>, by multiply-shift (uniform for a uniform hash).</summary>
    public static int Of(uint flowHash, int count) => (int)(((ulong)flowHash * (uint)count) >> 32);

    public override string ToString() => $"{Index}/{Count}";
}

/// <summary>
/// What an analysis counted, kept so that documents of shards, or of captures on other hosts, merge into exactly the
/// figures one run over all of them would give: sums, minima and maxima, an exact histogram of frame lengths, the
/// distinct samples of flows and outer keys, and the per-flow TCP payload of the operator figures.
/// </summary>
public sealed record AnalysisState
{
    /// <summary>The underlay MTUs, ECMP path counts and line rates the counts were made for.</summary>
    public required List<int> UnderlayMtus { get; init; }
    public required List<int> EcmpPaths { get; init; }
    public required List<double> LineRatesGbps { get; init; }
    /// <summary>Distinct samples hold every key up to this many; past it they are distinct-sampling estimates.</summary>
    public required int DistinctCapacity { get; init; }
    public required List<CaptureState> Captures { get; init; }
}

/// <summary>The counted state of one capture (or of its shard).</summary>
public sealed record CaptureState
{
    public required string Name { get; init; }
    /// <summary>The capture file's length in bytes (0 for a pipe): with the frame count, what tells one capture from another.</summary>
    public required long FileBytes { get; init; }
    /// <summary>Frame length → frames of that length (exact, so the median merges).</summary>
    public required SortedDictionary<int, long> FrameLengths { get; init; }
    public required List<VariantTally> Variants { get; init; }
}

/// <summary>The counted state of one variant over one capture.</summary>
public sealed record VariantTally
{
    public required string Variant { get; init; }
    public long Packets { get; init; }
    public long Carried { get; init; }
    public long BytesIn { get; init; }
    public long BytesOut { get; init; }
    public long WireBytesIn { get; init; }
    public long WireBytesOut { get; init; }
    /// <summary>Smallest and largest per-frame overhead (<see cref="long.MaxValue"/> and <see cref="long.MinValue"/> when nothing was carried).</summary>
    public long OverheadMin { get; init; }
    public long OverheadMax { get; init; }
    public long MaxOuterIp { get; init; }
    /// <summary>Frames over each underlay MTU of <see cref="AnalysisState.UnderlayMtus"/>.</summary>
    public required List<long> OverMtu { get; init; }
    /// <summary>The entropy of the first frame encapsulated, and that frame's number in its capture (-1: none).</summary>
    public string? Entropy { get; init; }
    public long EntropyFrame { get; init; } = -1;
    /// <summary>Inner flow hash → outer key.</summary>
    public required DistinctTally Flows { get; init; }
    public required DistinctTally OuterKeys { get; init; }
    /// <summary>Bytes per ECMP path, one list per path count of <see cref="AnalysisState.EcmpPaths"/>.</summary>
    public required List<List<long>> PathBytes { get; init; }
    public required DecapTally Decap { get; init; }
    public required OperatorTally Operator { get; init; }
}

/// <summary>
/// A distinct sample: every key kept has its mixed hash's top <see cref="Level"/> bits clear (all keys at level 0).
/// Keys and values are little-endian 64-bit words, base64, in ascending key order.
/// </summary>
public sealed record DistinctTally(int Level, string Keys, string Values);

public sealed record DecapTally(long Checked, long Identical, SortedDictionary<string, long> Failures);

/// <summary>What the MSS-clamp and black-hole figures are computed from (per-MTU lists follow <see cref="Mtus"/>).</summary>
public sealed record OperatorTally
{
    public required List<int> Mtus { get; init; }
    public required List<double> LineRatesGbps { get; init; }
    public long Carried { get; init; }
    public long CarriedBytes { get; init; }
    public long NotFragmentable { get; init; }
    public required List<long> Over { get; init; }
    public required List<long> PushedOver { get; init; }
    public required List<long> OverBytes { get; init; }
    /// <summary>Per inner IP version (IPv4, IPv6): TCP payload bytes per flow (base64 of little-endian 64-bit words: flow hash, bytes, … in ascending flow order), bytes counted in bulk past the tracked flows, and the smallest tunnel bytes (int.MaxValue: none).</summary>
    public required List<string> FlowBytes { get; init; }
    public required List<long> BulkBytes { get; init; }
    public required List<int> TunnelBytes { get; init; }
}

/// <summary>Timings are not merged: a merged document keeps each input's, named by the input it came from.</summary>
public sealed record ShardTiming
{
    public required string Source { get; init; }
    public required string Shard { get; init; }
    public required string Capture { get; init; }
    public required string Variant { get; init; }
    public ThroughputFigure? EncapCopy { get; init; }
    public ThroughputFigure? EncapInPlace { get; init; }
    public ThroughputFigure? Decap { get; init; }
}

/// <summary>How a merged document was made: from which inputs, and what the distinct counts' error is past the exact-set limit.</summary>
public sealed record MergeInfo
{
    public required List<string> Inputs { get; init; }
    /// <summary>"shards" (the shards of one analysis), "threads" (the shards of one --threads N run) or "captures" (analyses of different captures summed into one).</summary>
    public required string Kind { get; init; }
    public required string DistinctCounts { get; init; }
}
