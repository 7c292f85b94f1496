using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overlay.Results;

/// <summary>A figure with its unit, as every figure in a result file is written.</summary>
public sealed record Measure(double Value, string Unit)
{
    public static Measure Bytes(double value) => new(value, "B");
    public static Measure Packets(double value) => new(value, "packets");
    public static Measure Percent(double value) => new(value, "%");
    public static Measure Gbps(double value) => new(value, "Gbit/s");
    public static Measure Pps(double value) => new(value, "packets/s");
    public static Measure Ratio(double value) => new(value, "ratio");
    public static Measure Count(double value) => new(value, "count");
    public override string ToString() => $"{Value} {Unit}";
}

/// <summary>What ran, where: machine, OS, runtime, commit and date, so a result is never read out of context.</summary>
public sealed record RunEnvironment
{
    public required string Machine { get; init; }
    public required string Os { get; init; }
    public required string Runtime { get; init; }
    public required int ProcessorCount { get; init; }
    public required string Commit { get; init; }
    public required DateTimeOffset Date { get; init; }
    public required string Tool { get; init; }

    public static RunEnvironment Current(string tool) => new()
    {
        Machine = MachineName(),
        Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        ProcessorCount = Environment.ProcessorCount,
        Commit = GitCommit(),
        Date = DateTimeOffset.UtcNow,
        Tool = tool,
    };

    private static string MachineName()
    {
        string cpu = "unknown CPU";
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                cpu = line[(line.IndexOf(':') + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return $"{cpu}, {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}";
    }

    /// <summary>The commit of the checkout the tool runs from (OVERLAY_COMMIT overrides), or "unknown".</summary>
    public static string GitCommit()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("OVERLAY_COMMIT");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment.Trim();
        }
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", "rev-parse --short=12 HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            });
            if (git is null)
            {
                return "unknown";
            }
            string output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && output.Length > 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}

/// <summary>A capture as it was read: how many frames, what was skipped, cut short or segmented, and its sizes.</summary>
public sealed record CaptureSummary
{
    public required string File { get; init; }
    public required string Name { get; init; }
    public required string LinkType { get; init; }
    /// <summary>Frames replayed (after segmentation, if on).</summary>
    public required Measure Packets { get; init; }
    public required Measure FramesInFile { get; init; }
    public required Measure Skipped { get; init; }
    public Dictionary<string, long> SkipReasons { get; init; } = [];
    /// <summary>Frames cut short by the snap length (their overhead is counted from the original length).</summary>
    public required Measure Truncated { get; init; }
    /// <summary>Frames whose IP packet exceeds the interface MTU (GSO/TSO/GRO super-frames).</summary>
    public required Measure SuperFrames { get; init; }
    /// <summary>Super-frames replaced by their MTU-sized segments (with segmentation on).</summary>
    public required Measure SuperFramesSegmented { get; init; }
    public required Measure InterfaceMtu { get; init; }
    public required Measure Bytes { get; init; }
    public required Measure FrameMin { get; init; }
    public required Measure FrameMedian { get; init; }
    public required Measure FrameMean { get; init; }
    public required Measure FrameMax { get; init; }
    /// <summary>Frame counts by size bin, keyed by the bin's upper bound in bytes ("≤64", …, ">9000").</summary>
    public Dictionary<string, long> SizeBins { get; init; } = [];
    /// <summary>Set when the capture could not be read to its end: the file, frame, offset and reason.</summary>
    public string? Error { get; init; }
}

public sealed record LineRateFigure(Measure LineRate, Measure GoodputNative, Measure GoodputTunnel, Measure GoodputLost, Measure GoodputLostPercent);

public sealed record MtuFigure(Measure UnderlayMtu, Measure FramesOver, Measure PercentOver);

public sealed record EcmpPathsFigure(Measure Paths, Measure MaxMeanBytes, Measure MaxMeanFlows);

public sealed record EcmpFigure
{
    /// <summary>What the underlay can hash on beyond addresses and protocol: "udp-source-port", "flow-label", "none".</summary>
    public required string Entropy { get; init; }
    /// <summary>Distinct outer keys (what the underlay hashes on); exact up to 32,768, estimated beyond (see <see cref="Estimated"/>).</summary>
    public required Measure DistinctOuterKeys { get; init; }
    /// <summary>Distinct inner flows; exact up to 32,768, estimated beyond (see <see cref="Estimated"/>).</summary>
    public required Measure Flows { get; init; }
    /// <summary>Flows per path come from the same flows: all of them, or past 32,768 an unbiased sample.</summary>
    public required List<EcmpPathsFigure> Paths { get; init; }
    /// <summary>
    /// True when the capture held more than 32,768 flows or outer keys, so that the counts are distinct-sampling
    /// estimates (within about 1 %) and the flow balance is measured on a sample: memory stays bounded on any capture.
    /// </summary>
    public bool Estimated { get; init; }
}

public sealed record ThroughputFigure
{
    public required Measure Passes { get; init; }
    public required Measure MedianPps { get; init; }
    public required Measure MinPps { get; init; }
    public required Measure MaxPps { get; init; }
    public required Measure MedianInnerGbps { get; init; }
    public required Measure MedianOuterGbps { get; init; }
    public required Measure AllocatedPerPacket { get; init; }
}

public sealed record DecapCheckFigure
{
    public required Measure Checked { get; init; }
    public required Measure Identical { get; init; }
    public required Measure Failed { get; init; }
    public Dictionary<string, long> Reasons { get; init; } = [];
}

/// <summary>Every figure of one variant over one capture.</summary>
public sealed record VariantResult
{
    public required string Capture { get; init; }
    public required string Variant { get; init; }
    public required string Description { get; init; }
    public required string Mode { get; init; }
    public required string Underlay { get; init; }
    public required Measure HeaderLength { get; init; }
    public required Measure Packets { get; init; }
    /// <summary>Frames the variant could carry (an L3 variant cannot carry ARP, say).</summary>
    public required Measure Carried { get; init; }
    public required Measure NotCarried { get; init; }
    public required Measure BytesIn { get; init; }
    public required Measure BytesOut { get; init; }
    public required Measure OverheadBytes { get; init; }
    public required Measure OverheadPerPacketMin { get; init; }
    public required Measure OverheadPerPacketMean { get; init; }
    public required Measure OverheadPerPacketMax { get; init; }
    public required Measure OverheadPercent { get; init; }
    public required Measure WireBytesIn { get; init; }
    public required Measure WireBytesOut { get; init; }
    public required Measure OverheadPercentWire { get; init; }
    public required List<LineRateFigure> LineRates { get; init; }
    public required List<MtuFigure> Mtu { get; init; }
    public required Measure RequiredUnderlayMtu { get; init; }
    public required EcmpFigure Ecmp { get; init; }
    public ThroughputFigure? EncapCopy { get; init; }
    public ThroughputFigure? EncapInPlace { get; init; }
    public ThroughputFigure? Decap { get; init; }
    public required DecapCheckFigure DecapCheck { get; init; }
    /// <summary>MSS clamp cost and PMTUD black-hole share; absent in documents written before they were measured.</summary>
    public OperatorFigures? Operator { get; init; }
}

/// <summary>The result file of an `overlay analyze` run (schema: docs/results-schema.md).</summary>
public sealed record ResultDocument
{
    /// <summary>v2 adds the counted state (<see cref="State"/>) that makes documents mergeable, the shard and the merge.</summary>
    public const string CurrentSchema = "overlay-bench/analyze/v2";
    public const string SchemaV1 = "overlay-bench/analyze/v1";

    /// <summary>The analysis schemas a report renders: v1 documents carry no state and cannot be merged.</summary>
    public static IReadOnlyList<string> ReadableSchemas { get; } = [CurrentSchema, SchemaV1];

    public static bool IsAnalysisSchema(string? schema) => schema is not null && ReadableSchemas.Contains(schema);

    public string Schema { get; init; } = CurrentSchema;
    public required RunEnvironment Environment { get; init; }
    public required Dictionary<string, string> Settings { get; init; }
    /// <summary>The flows this document holds (with --shard i/n); absent for a whole analysis and for a merge.</summary>
    public ShardInfo? Shard { get; init; }
    public required List<CaptureSummary> Captures { get; init; }
    public required List<VariantResult> Results { get; init; }
    /// <summary>Multi-core scaling (with --scaling), else absent.</summary>
    public List<ScalingResult>? Scaling { get; init; }
    /// <summary>What `overlay merge` (or --threads N) combined; absent otherwise.</summary>
    public MergeInfo? Merge { get; init; }
    /// <summary>In a merged document: every input's timings, not merged; the results then carry none.</summary>
    public List<ShardTiming>? ShardTimings { get; init; }
    /// <summary>The counted state behind the figures, from which documents merge exactly (absent in v1).</summary>
    public AnalysisState? State { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The document as <see cref="ToJson"/> gives it, in UTF-8, written to <paramref name="stream"/> as it is serialised.</summary>
    public void WriteJson(Stream stream) => JsonSerializer.Serialize(stream, this, JsonOptions);

    public static ResultDocument FromJson(string json) =>
        JsonSerializer.Deserialize<ResultDocument>(json, JsonOptions) ?? throw new JsonException("empty result document");
}

/// <summary>Bytes on the wire over a whole service path: one approach, k services, m bytes of metadata, one capture.</summary>
public sealed record ChainResult
{
    public required string Capture { get; init; }
    public required string Approach { get; init; }
    public required Measure Services { get; init; }
    public required Measure MetadataBytes { get; init; }
    public required Measure IngressHeaderLength { get; init; }
    public required Measure Packets { get; init; }
    /// <summary>Packets that reached the egress byte for byte.</summary>
    public required Measure Arrived { get; init; }
    /// <summary>Σ over packets and the k+1 links of the frame's wire length.</summary>
    public required Measure WireBytes { get; init; }
    /// <summary>The same frames over the same k+1 links with no tunnel.</summary>
    public required Measure NativeWireBytes { get; init; }
    public required Measure OverheadPercentWire { get; init; }
    public Dictionary<string, long> Failures { get; init; } = [];
}

/// <summary>The result file of `overlay chain` (schema overlay-bench/chain/v1).</summary>
public sealed record ChainDocument
{
    public const string CurrentSchema = "overlay-bench/chain/v1";
    public string Schema { get; init; } = CurrentSchema;
    public required RunEnvironment Environment { get; init; }
    public required List<ChainResult> Results { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, ResultDocument.JsonOptions);

    public static ChainDocument FromJson(string json) =>
        JsonSerializer.Deserialize<ChainDocument>(json, ResultDocument.JsonOptions) ?? throw new JsonException("empty chain document");
}

/// <summary>Copy encapsulation of one variant over one capture sharded by flow across N cores.</summary>
public sealed record ScalingResult
{
    public required string Capture { get; init; }
    public required string Variant { get; init; }
    public required Measure Threads { get; init; }
    public required Measure MedianPps { get; init; }
    public required Measure MinPps { get; init; }
    public required Measure MaxPps { get; init; }
    /// <summary>Median packets per second against the one-thread median of the same run.</summary>
    public required Measure SpeedUp { get; init; }
    /// <summary>The machine's logical processors: speed-up beyond them is not to be expected.</summary>
    public required Measure Processors { get; init; }
    public required List<long> ShardPackets { get; init; }
    public required List<long> ShardBytesOut { get; init; }
}
