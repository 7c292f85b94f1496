using System.Buffers;

namespace Overlay.Encapsulation;

/// <summary>
/// The batch forms, four frames per loop iteration as VPP's quad loops run them: the four frames are parsed (and their flow
/// hashes computed) before any is written, so their loads and CRC chains overlap in the pipeline instead of running one
/// after the other; then each is written exactly as the single-packet form writes it.
/// </summary>
public abstract partial class TunnelEncapsulator
{
    public void EncapsulateBatch(ReadOnlySpan<byte> frames, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths,
        Span<byte> destination, int stride, Span<OperationStatus> statuses, Span<int> written)
    {
        int count = EncapsulatorBatch.Check(offsets, lengths, statuses, written, destination.Length, stride);
        int i = 0;
        for (; i + 4 <= count; i += 4)
        {
            bool p0 = TryParseFrame(frames, offsets[i], lengths[i], out ReadOnlySpan<byte> f0, out InnerFrame i0);
            bool p1 = TryParseFrame(frames, offsets[i + 1], lengths[i + 1], out ReadOnlySpan<byte> f1, out InnerFrame i1);
            bool p2 = TryParseFrame(frames, offsets[i + 2], lengths[i + 2], out ReadOnlySpan<byte> f2, out InnerFrame i2);
            bool p3 = TryParseFrame(frames, offsets[i + 3], lengths[i + 3], out ReadOnlySpan<byte> f3, out InnerFrame i3);
            statuses[i] = p0 ? EncapsulateParsed(i0, f0, destination.Slice(i * stride, stride), out written[i]) : EncapsulatorBatch.Invalid(out written[i]);
            statuses[i + 1] = p1 ? EncapsulateParsed(i1, f1, destination.Slice((i + 1) * stride, stride), out written[i + 1]) : EncapsulatorBatch.Invalid(out written[i + 1]);
            statuses[i + 2] = p2 ? EncapsulateParsed(i2, f2, destination.Slice((i + 2) * stride, stride), out written[i + 2]) : EncapsulatorBatch.Invalid(out written[i + 2]);
            statuses[i + 3] = p3 ? EncapsulateParsed(i3, f3, destination.Slice((i + 3) * stride, stride), out written[i + 3]) : EncapsulatorBatch.Invalid(out written[i + 3]);
        }
        for (; i < count; i++)
        {
            statuses[i] = EncapsulatorBatch.TryFrame(frames, offsets[i], lengths[i], out ReadOnlySpan<byte> frame)
                ? Encapsulate(frame, destination.Slice(i * stride, stride), out written[i])
                : EncapsulatorBatch.Invalid(out written[i]);
        }
    }

    public void EncapsulateInPlaceBatch(Span<byte> buffer, ReadOnlySpan<int> frameOffsets, ReadOnlySpan<int> frameLengths,
        Span<int> packetOffsets, Span<int> packetLengths, Span<OperationStatus> statuses)
    {
        int count = EncapsulatorBatch.Check(frameOffsets, frameLengths, statuses, packetLengths, packetOffsets.Length);
        int i = 0;
        for (; i + 4 <= count; i += 4)
        {
            bool p0 = TryParseInPlace(buffer, frameOffsets[i], frameLengths[i], out InnerFrame i0);
            bool p1 = TryParseInPlace(buffer, frameOffsets[i + 1], frameLengths[i + 1], out InnerFrame i1);
            bool p2 = TryParseInPlace(buffer, frameOffsets[i + 2], frameLengths[i + 2], out InnerFrame i2);
            bool p3 = TryParseInPlace(buffer, frameOffsets[i + 3], frameLengths[i + 3], out InnerFrame i3);
            statuses[i] = InPlace(p0, i0, buffer, frameOffsets[i], frameLengths[i], out packetOffsets[i], out packetLengths[i]);
            statuses[i + 1] = InPlace(p1, i1, buffer, frameOffsets[i + 1], frameLengths[i + 1], out packetOffsets[i + 1], out packetLengths[i + 1]);
            statuses[i + 2] = InPlace(p2, i2, buffer, frameOffsets[i + 2], frameLengths[i + 2], out packetOffsets[i + 2], out packetLengths[i + 2]);
            statuses[i + 3] = InPlace(p3, i3, buffer, frameOffsets[i + 3], frameLengths[i + 3], out packetOffsets[i + 3], out packetLengths[i + 3]);
        }
        for (; i < count; i++)
        {
            statuses[i] = EncapsulateInPlace(buffer, frameOffsets[i], frameLengths[i], out packetOffsets[i], out packetLengths[i]);
        }
    }

    private bool TryParseInPlace(ReadOnlySpan<byte> buffer, int frameOffset, int frameLength, out InnerFrame inner)
    {
        if ((uint)frameOffset > (uint)buffer.Length || (uint)frameLength > (uint)(buffer.Length - frameOffset))
        {
            inner = default;
            return false;
        }
        return InnerFrame.TryParse(buffer.Slice(frameOffset, frameLength), frameLength, _usesFlowHash, out inner);
    }

    private OperationStatus InPlace(bool parsed, in InnerFrame inner, Span<byte> buffer, int frameOffset, int frameLength, out int packetOffset, out int packetLength)
    {
        if (!parsed)
        {
            packetOffset = packetLength = 0;
            return OperationStatus.InvalidData;
        }
        return EncapsulateInPlaceParsed(inner, buffer, frameOffset, frameLength, out packetOffset, out packetLength);
    }

    private bool TryParseFrame(ReadOnlySpan<byte> frames, int offset, int length, out ReadOnlySpan<byte> frame, out InnerFrame inner)
    {
        if (!EncapsulatorBatch.TryFrame(frames, offset, length, out frame))
        {
            inner = default;
            return false;
        }
        return InnerFrame.TryParse(frame, frame.Length, _usesFlowHash, out inner);
    }
}
