using System.Buffers;

namespace Overlay.Encapsulation;

/// <summary>What a tunnel carries: the whole inner Ethernet frame, or only its IP packet.</summary>
public enum PayloadMode
{
    /// <summary>The inner Ethernet frame byte for byte as captured (VLAN tags and padding included).</summary>
    L2,
    /// <summary>The inner IP packet as its own length field says; the Ethernet header and any padding are dropped.</summary>
    L3,
}

/// <summary>
/// One overlay encapsulation, configured once and then applied per packet.
/// </summary>
/// <remarks>
/// The contract every variant keeps: configuration is validated by the constructor (an
/// <see cref="ArgumentException"/> there), so the per-packet methods cannot fail on configuration,
/// never throw, and allocate nothing. Every failure on the per-packet path is an
/// <see cref="OperationStatus"/>, and a failed call leaves the destination untouched:
/// <list type="bullet">
/// <item><see cref="OperationStatus.DestinationTooSmall"/>: the destination span or the headroom is too small;</item>
/// <item><see cref="OperationStatus.InvalidData"/>: the inner frame cannot be carried (not IP in L3 mode, or an IP header cut short).</item>
/// </list>
/// An encapsulator that keeps per-packet state (a GRE sequence number, the IPv4 Identification) is
/// not thread-safe: give every thread its own, as a NIC queue has its own.
/// </remarks>
public interface IEncapsulator
{
    /// <summary>A stable variant name, the same in the CLI, the results, the benchmarks and the charts.</summary>
    string Name { get; }

    /// <summary>The overlay protocol the variant speaks.</summary>
    TunnelFamily Family { get; }

    /// <summary>What the tunnel carries.</summary>
    PayloadMode Mode { get; }

    /// <summary>The outer network the tunnel runs over: its address family, addresses and per-packet policies.</summary>
    Underlay Underlay { get; }

    /// <summary>
    /// True where every packet's headers carry a checksum over the payload (GRE's checksum, or a UDP checksum), so
    /// encapsulation reads every payload byte however it is done.
    /// </summary>
    bool ChecksumsPayload { get; }

    /// <summary>Which outer fields carry the inner flow's entropy, for an ECMP underlay to hash on.</summary>
    EntropySource Entropy { get; }

    /// <summary>How an SRv6 variant carries its segments (<see cref="SegmentEncoding.None"/> for every other family).</summary>
    SegmentEncoding SegmentEncoding { get; }

    /// <summary>Bytes of outer headers written before the payload (outer Ethernet included).</summary>
    int HeaderLength { get; }

    /// <summary>
    /// The exact length of the frame that <see cref="Encapsulate"/> writes for <paramref name="innerFrame"/>,
    /// or -1 when the frame cannot be carried. Needs no encoding, so overhead analysis never encodes to count.
    /// </summary>
    int GetEncapsulatedLength(ReadOnlySpan<byte> innerFrame);

    /// <summary>
    /// The length the encapsulated frame would have on the wire for a frame of which only <paramref name="captured"/>
    /// was captured (cut at the snap length) and whose original length was <paramref name="originalLength"/>; -1 when
    /// it could not be carried. This is how overhead is counted for truncated frames.
    /// </summary>
    int GetEncapsulatedLength(ReadOnlySpan<byte> captured, int originalLength);

    /// <summary>Copy form: writes the outer headers and a copy of the payload into <paramref name="destination"/>.</summary>
    OperationStatus Encapsulate(ReadOnlySpan<byte> innerFrame, Span<byte> destination, out int bytesWritten);

    /// <summary>
    /// In-place form: the inner frame lies at <paramref name="frameOffset"/> in <paramref name="buffer"/> with
    /// headroom before it; the outer headers are written into that headroom and the payload is not moved.
    /// </summary>
    /// <param name="buffer">The buffer holding headroom and the frame.</param>
    /// <param name="frameOffset">Where the inner frame starts.</param>
    /// <param name="frameLength">The inner frame's length.</param>
    /// <param name="packetOffset">Where the encapsulated frame starts after the call.</param>
    /// <param name="packetLength">The encapsulated frame's length.</param>
    OperationStatus EncapsulateInPlace(Span<byte> buffer, int frameOffset, int frameLength, out int packetOffset, out int packetLength);
}
