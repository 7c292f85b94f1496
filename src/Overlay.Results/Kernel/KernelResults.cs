namespace Overlay.Results.Kernel;

// The result document of `overlay kernel`, here beside the other result documents so the report reads it without
// depending on the namespace and peer code.

/// <summary>The whole result file, results/kernel.json (schema <see cref="SchemaName"/>).</summary>
public sealed record KernelDocument(
    string Schema,
    KernelEnvironment Environment,
    KernelSettings Settings,
    IReadOnlyList<KernelVariantStatus> Variants,
    IReadOnlyList<KernelUdpRow> Rows,
    IReadOnlyList<KernelTcpRow> Tcp,
    IReadOnlyList<KernelOverheadCheck> OverheadChecks,
    IReadOnlyList<string> Notes)
{
    public const string SchemaName = "overlay-bench/kernel/v1";
}

/// <summary>Where it ran: the kernel and iproute2 that built the tunnels, and the two cores the peers were pinned to.</summary>
public sealed record KernelEnvironment(
    string Kernel,
    string Iproute2,
    int ProcessorCount,
    int SenderCore,
    int ReceiverCore,
    string Date,
    string Tool,
    string? Commit,
    // True when the receiver peer did under 15 % of every tunnel's increment: the veth delivers on the sending core
    // (its backlog is processed there), so only the total is a tunnel's cost.
    bool ReceivePathOnSenderCore);

/// <summary>How it was run.</summary>
public sealed record KernelSettings(
    int Trials,
    double UdpSeconds,
    double TcpSeconds,
    IReadOnlyList<string> PayloadSizes,
    int UnderlayMtu,
    int InnerMtu,
    int BatchSize,
    bool Quick);

/// <summary>One variant (or a native baseline): whether this kernel has it, and the exact commands that built it.</summary>
public sealed record KernelVariantStatus(
    string Variant,
    string Description,
    bool Available,
    // Null when available; otherwise "not available in this kernel: …" naming the missing module or option.
    string? Unavailable,
    // The `ip` commands run in host A and host B (namespace names replaced by A and B).
    IReadOnlyList<string> Configuration,
    string InnerFamily,
    // The baseline subtracted from this variant's CPU per packet (null for a baseline itself).
    string? Baseline);

/// <summary>Median and spread of one measure over the trials of a cell.</summary>
public sealed record Spread(double Median, double Min, double Max, double Q1, double Q3, int Count)
{
    /// <summary>The spread of <paramref name="values"/>, or null when there are none. Quartiles interpolate linearly.</summary>
    public static Spread? Of(IEnumerable<double> values)
    {
        double[] sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }
        return new Spread(Quantile(sorted, 0.5), sorted[0], sorted[^1], Quantile(sorted, 0.25), Quantile(sorted, 0.75), sorted.Length);
    }

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}

/// <summary>One UDP cell: a variant at one payload size (bytes, or "imix").</summary>
public sealed record KernelUdpRow(
    string Variant,
    bool Available,
    string? Unavailable,
    string PayloadSize,
    // Median CPU ns per delivered packet: user+nice+system+irq+softirq of both pinned cores (/proc/stat).
    double? CpuNsPerPacket,
    // The same median for the native baseline of the variant's inner family, same size.
    double? BaselineCpuNsPerPacket,
    // CpuNsPerPacket − BaselineCpuNsPerPacket: the tunnel's own encap + decap cost.
    double? IncrementalCpuNsPerPacket,
    // The increment split by core: sender core's median minus the baseline's, receiver core's likewise.
    double? IncrementalSenderCoreNs,
    double? IncrementalReceiverCoreNs,
    Spread? CpuNs,
    Spread? SenderCoreNs,
    Spread? ReceiverCoreNs,
    // CPU of the run's own processes only (the two peers and the pinned cores' ksoftirqd), per packet: the
    // cross-check that other processes' load did not make the /proc/stat figure.
    Spread? OwnCpuNs,
    // The increment counted from the run's own processes only (own median minus the baseline's own median), in all and
    // split into the sender peer (with its core's ksoftirqd) and the receiver peer: where other processes were busy on
    // the pinned cores, these are the figures to trust.
    double? IncrementalOwnCpuNs,
    double? IncrementalOwnSenderNs,
    double? IncrementalOwnReceiverNs,
    Spread? PacketsPerSecond,
    // Share of the pinned cores' time that other processes used, per trial.
    Spread? OtherCpuShare,
    // Outer frame bytes minus inner Ethernet frame bytes, as captured on the underlay (null: not checked).
    int? OverheadMeasured,
    // The suite's model for the same frame: GetEncapsulatedLength(inner) − inner length.
    int? OverheadModel,
    IReadOnlyList<KernelUdpTrial> Trials);

/// <summary>One UDP trial. CPU figures are ns per delivered packet.</summary>
public sealed record KernelUdpTrial(
    int Trial,
    long PacketsSent,
    long PacketsDelivered,
    double Seconds,
    double CpuNsPerPacket,
    double SenderCoreNsPerPacket,
    double ReceiverCoreNsPerPacket,
    double OwnCpuNsPerPacket,
    double OwnSenderNsPerPacket,
    double OwnReceiverNsPerPacket,
    double OtherCpuShare,
    double IdleShare);

/// <summary>One TCP cell: one stream through a variant with the underlay veth's offloads on (defaults) or off.</summary>
public sealed record KernelTcpRow(
    string Variant,
    bool Available,
    string? Unavailable,
    bool Offloads,
    Spread? GoodputGbps,
    // CPU seconds (both pinned cores, /proc/stat) per gigabyte (10^9 B) of payload delivered.
    Spread? CpuSecondsPerGigabyte,
    // The same from the run's own processes only (the peers and the pinned cores' ksoftirqd).
    Spread? OwnCpuSecondsPerGigabyte,
    Spread? OtherCpuShare,
    IReadOnlyList<KernelTcpTrial> Trials);

public sealed record KernelTcpTrial(int Trial, long Bytes, double Seconds, double GoodputGbps, double CpuSecondsPerGigabyte,
    double OwnCpuSecondsPerGigabyte, double OtherCpuShare);

/// <summary>The underlay capture of one variant at one size, checked against the model and decapsulated back.</summary>
public sealed record KernelOverheadCheck(
    string Variant,
    string PayloadSize,
    int Sent,
    int Captured,
    // Captured frames whose length is exactly the model's GetEncapsulatedLength of the inner frame sent.
    int LengthMatches,
    // Frames `overlay decap` gave back whose inner packet has the addresses, ports, length and payload bytes
    // that were sent.
    int DecapMatches,
    IReadOnlyList<int> OverheadMeasured,
    int OverheadModel,
    bool Exact,
    string? Problem);
