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
    /// The exact length of the frame that <see cref="Encapsulate(ReadOnlySpan{byte}, Span{byte}, out int)"/> writes for <paramref name="innerFrame"/>,
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

    /// <summary>
    /// Parse-once form of <see cref="GetEncapsulatedLength(ReadOnlySpan{byte}, int)"/>: <paramref name="inner"/> is what
    /// <see cref="InnerFrame.TryParse(ReadOnlySpan{byte}, int, out InnerFrame)"/> read from the frame with the same
    /// <paramref name="originalLength"/>, so a caller that runs many variants over one frame parses it once.
    /// </summary>
    int GetEncapsulatedLength(in InnerFrame inner, int originalLength);

    /// <summary>
    /// Parse-once form of <see cref="Encapsulate(ReadOnlySpan{byte}, Span{byte}, out int)"/>: <paramref name="inner"/> is
    /// what <see cref="InnerFrame.TryParse(ReadOnlySpan{byte}, out InnerFrame)"/> read from <paramref name="innerFrame"/>.
    /// The same bytes and status as the single-packet form; an <paramref name="inner"/> that does not fit the frame is
    /// <see cref="OperationStatus.InvalidData"/>.
    /// </summary>
    OperationStatus Encapsulate(in InnerFrame inner, ReadOnlySpan<byte> innerFrame, Span<byte> destination, out int bytesWritten);

    /// <summary>
    /// Batch form of <see cref="Encapsulate(ReadOnlySpan{byte}, Span{byte}, out int)"/>, as vector dataplanes run it: frame i is
    /// <c>frames.Slice(offsets[i], lengths[i])</c>, its encapsulation is written at <c>destination.Slice(i * stride, stride)</c>,
    /// with its status in <c>statuses[i]</c> and its length in <c>written[i]</c> (0 unless done). Frame for frame the same bytes and
    /// statuses as the single-packet form; a frame whose offset and length fall outside <paramref name="frames"/> is
    /// <see cref="OperationStatus.InvalidData"/>. The batch is <c>offsets.Length</c> frames; spans too short for it, or a
    /// destination shorter than that many strides, are a caller's error (an <see cref="ArgumentException"/> before any frame is read).
    /// </summary>
    void EncapsulateBatch(ReadOnlySpan<byte> frames, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths,
        Span<byte> destination, int stride, Span<OperationStatus> statuses, Span<int> written)
    {
        int count = EncapsulatorBatch.Check(offsets, lengths, statuses, written, destination.Length, stride);
        for (int i = 0; i < count; i++)
        {
            statuses[i] = EncapsulatorBatch.TryFrame(frames, offsets[i], lengths[i], out ReadOnlySpan<byte> frame)
                ? Encapsulate(frame, destination.Slice(i * stride, stride), out written[i])
                : EncapsulatorBatch.Invalid(out written[i]);
        }
    }

    /// <summary>
    /// Batch form of <see cref="EncapsulateInPlace"/>: frame i lies at <c>frameOffsets[i]</c>, <c>frameLengths[i]</c> bytes long, in
    /// <paramref name="buffer"/> with headroom before it; its encapsulated frame's place is returned in <c>packetOffsets[i]</c> and
    /// <c>packetLengths[i]</c>, its status in <c>statuses[i]</c>. Frame for frame equal to the single-packet form; frames must not
    /// overlap one another's headroom. Spans too short for <c>frameOffsets.Length</c> frames are an <see cref="ArgumentException"/>.
    /// </summary>
    void EncapsulateInPlaceBatch(Span<byte> buffer, ReadOnlySpan<int> frameOffsets, ReadOnlySpan<int> frameLengths,
        Span<int> packetOffsets, Span<int> packetLengths, Span<OperationStatus> statuses)
    {
        int count = EncapsulatorBatch.Check(frameOffsets, frameLengths, statuses, packetLengths, packetOffsets.Length);
        for (int i = 0; i < count; i++)
        {
            statuses[i] = EncapsulateInPlace(buffer, frameOffsets[i], frameLengths[i], out packetOffsets[i], out packetLengths[i]);
        }
    }
}

/// <summary>The argument checks and per-frame bounds shared by every batch form.</summary>
internal static class EncapsulatorBatch
{
    /// <summary>The batch's size; throws when a span cannot hold it (a caller's error, checked once per batch).</summary>
    public static int Check(ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, Span<OperationStatus> statuses, Span<int> written, int destinationLength, int stride)
    {
        int count = offsets.Length;
        if (lengths.Length < count || statuses.Length < count || written.Length < count)
        {
            throw new ArgumentException($"A batch of {count} frames needs {count} lengths, statuses and written lengths; got {lengths.Length}, {statuses.Length} and {written.Length}.");
        }
        if (stride <= 0 || (long)stride * count > destinationLength)
        {
            throw new ArgumentException($"A batch of {count} frames at a stride of {stride} bytes needs a destination of {(long)stride * count} bytes; got {destinationLength}.");
        }
        return count;
    }

    /// <summary>The in-place batch's size; throws when a span cannot hold it.</summary>
    public static int Check(ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, Span<OperationStatus> statuses, Span<int> packetLengths, int packetOffsets)
    {
        int count = offsets.Length;
        if (lengths.Length < count || statuses.Length < count || packetLengths.Length < count || packetOffsets < count)
        {
            throw new ArgumentException($"A batch of {count} frames needs {count} lengths, statuses, packet offsets and packet lengths.");
        }
        return count;
    }

    /// <summary>Frame i of a batch, or false when its offset and length fall outside the buffer.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool TryFrame(ReadOnlySpan<byte> frames, int offset, int length, out ReadOnlySpan<byte> frame)
    {
        if ((uint)offset > (uint)frames.Length || (uint)length > (uint)(frames.Length - offset))
        {
            frame = default;
            return false;
        }
        frame = frames.Slice(offset, length);
        return true;
    }

    public static OperationStatus Invalid(out int written)
    {
        written = 0;
        return OperationStatus.InvalidData;
    }
}
