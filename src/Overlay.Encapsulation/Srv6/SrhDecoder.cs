using System.Runtime.CompilerServices;

namespace Overlay.Encapsulation.Srv6;

/// <summary>Checks a Segment Routing Header against the packet (RFC 8754 §4.3.1.1) and records its fields.</summary>
public static class SrhDecoder
{
    /// <param name="frame">The whole outer frame.</param>
    /// <param name="offset">Where the routing header starts (its Routing Type is 4).</param>
    /// <param name="end">Where the outer IPv6 packet ends.</param>
    /// <param name="packet">Receives Segments Left, Last Entry and the SRH's place.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DecapResult Decode(ReadOnlySpan<byte> frame, int offset, int end, ref TunnelPacket packet)
    {
        if (end - offset < SegmentRoutingHeader.FixedLength)
        {
            return new DecapResult(DecapError.Truncated, offset);
        }
        ReadOnlySpan<byte> srh = frame.Slice(offset, end - offset);
        int length = SegmentRoutingHeader.Length(srh);
        if (length > srh.Length)
        {
            return new DecapResult(DecapError.SrhLengthMismatch, offset + SegmentRoutingHeader.HdrExtLenOffset);
        }
        // max_LE = (Hdr Ext Len / 2) - 1: the segment list must fit in the header's own length.
        int lastEntry = SegmentRoutingHeader.LastEntry(srh);
        if (SegmentRoutingHeader.FixedLength + (lastEntry + 1) * SegmentRoutingHeader.SegmentLength > length)
        {
            return new DecapResult(DecapError.SrhLengthMismatch, offset + SegmentRoutingHeader.LastEntryOffset);
        }
        // Segments Left may be Last Entry + 1 (the reduced forms), never more.
        int segmentsLeft = SegmentRoutingHeader.SegmentsLeft(srh);
        if (segmentsLeft > lastEntry + 1)
        {
            return new DecapResult(DecapError.SegmentsLeftBeyondLastEntry, offset + SegmentRoutingHeader.SegmentsLeftOffset);
        }
        packet.SrhOffset = offset;
        packet.SegmentsLeft = segmentsLeft;
        packet.LastEntry = lastEntry;
        return DecapResult.Success;
    }
}
