using System.Buffers.Binary;
using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation.Srv6;

/// <summary>Outcome of an SRv6 endpoint behavior on a packet.</summary>
public enum EndStatus
{
    /// <summary>The packet was updated and goes on to its new destination.</summary>
    Forwarded,
    /// <summary>Not an IPv6 packet, or its headers are cut short.</summary>
    Malformed,
    /// <summary>Segments Left is 0 (and for NEXT-C-SID no C-SID is left in the destination): this node is the last
    /// segment, so the packet goes to upper-layer processing (decapsulation at the egress), not on.</summary>
    SegmentsLeftZero,
    /// <summary>The packet has no SRH, and the behavior needs one.</summary>
    NoSrh,
    /// <summary>Hop Limit ≤ 1: the node would send ICMPv6 Time Exceeded (RFC 8986 §4.1 S05).</summary>
    HopLimitExceeded,
    /// <summary>Last Entry beyond Hdr Ext Len, or Segments Left beyond Last Entry + 1 (RFC 8986 §4.1 S09, RFC 8754 §4.3.1.1).</summary>
    SrhInvalid,
}

/// <summary>A typed outcome with the offset in the frame it refers to.</summary>
public readonly record struct EndResult(EndStatus Status, int Offset)
{
    public bool IsForwarded => Status == EndStatus.Forwarded;
    public override string ToString() => $"{Status} at offset {Offset}";
}

/// <summary>
/// SRv6 transit endpoint behaviors applied in place to an encapsulated Ethernet frame: End (RFC 8986 §4.1) and
/// End with the NEXT-CSID flavor (RFC 9800 §4.1). Nothing moves but the fields they change; nothing allocates.
/// </summary>
public static class Srv6Endpoint
{
    /// <summary>
    /// End: decrement Hop Limit and Segments Left, and copy Segment List[Segments Left] into the destination.
    /// </summary>
    public static EndResult End(Span<byte> frame)
    {
        EndResult located = Locate(frame, out int ip, out int srh);
        if (!located.IsForwarded)
        {
            return located;
        }
        return srh < 0 ? new EndResult(EndStatus.NoSrh, ip + Ipv6.NextHeaderOffset) : AdvanceSrh(frame, ip, srh);
    }

    /// <summary>
    /// End with NEXT-CSID: while the destination still holds a C-SID after the active one, shift them up by one
    /// C-SID into the active position and zero-fill the end (RFC 9800 §4.1.1 S01-S08); when none is left, proceed
    /// as End with the next container from the SRH.
    /// </summary>
    public static EndResult EndNextCsid(Span<byte> frame, CompressedSidFormat format)
    {
        format.Validate();
        EndResult located = Locate(frame, out int ip, out int srh);
        if (!located.IsForwarded)
        {
            return located;
        }
        Span<byte> destination = frame.Slice(ip + Ipv6.DestinationOffset, Ipv6.AddressLength);
        UInt128 address = BinaryPrimitives.ReadUInt128BigEndian(destination);
        int b = format.LocatorBlockBits, c = format.CsidBits;
        // The argument is what follows the active C-SID; none when the C-SID fills the container (b + c = 128), and
        // UInt128 masks shift counts to 7 bits, so that case must not shift by 128 (which would shift by 0).
        UInt128 argument = b + c == 128 ? UInt128.Zero : address << (b + c);
        if (argument == UInt128.Zero)
        {
            return srh < 0 ? new EndResult(EndStatus.SegmentsLeftZero, ip + Ipv6.DestinationOffset) : AdvanceSrh(frame, ip, srh);
        }
        if (frame[ip + Ipv6.HopLimitOffset] <= 1)
        {
            return new EndResult(EndStatus.HopLimitExceeded, ip + Ipv6.HopLimitOffset);
        }
        UInt128 blockMask = UInt128.MaxValue << (128 - b);
        BinaryPrimitives.WriteUInt128BigEndian(destination, (address & blockMask) | ((address << c) & ~blockMask));
        frame[ip + Ipv6.HopLimitOffset]--;
        return new EndResult(EndStatus.Forwarded, ip + Ipv6.DestinationOffset);
    }

    /// <summary>RFC 8986 §4.1 S02-S15 on the SRH at <paramref name="srh"/>.</summary>
    private static EndResult AdvanceSrh(Span<byte> frame, int ip, int srh)
    {
        Span<byte> header = frame.Slice(srh);
        int segmentsLeft = SegmentRoutingHeader.SegmentsLeft(header);
        if (segmentsLeft == 0)
        {
            return new EndResult(EndStatus.SegmentsLeftZero, srh + SegmentRoutingHeader.SegmentsLeftOffset);
        }
        if (frame[ip + Ipv6.HopLimitOffset] <= 1)
        {
            return new EndResult(EndStatus.HopLimitExceeded, ip + Ipv6.HopLimitOffset);
        }
        int lastEntry = SegmentRoutingHeader.LastEntry(header);
        int maxLastEntry = header[SegmentRoutingHeader.HdrExtLenOffset] / 2 - 1;
        if (lastEntry > maxLastEntry)
        {
            return new EndResult(EndStatus.SrhInvalid, srh + SegmentRoutingHeader.LastEntryOffset);
        }
        if (segmentsLeft > lastEntry + 1)
        {
            return new EndResult(EndStatus.SrhInvalid, srh + SegmentRoutingHeader.SegmentsLeftOffset);
        }
        frame[ip + Ipv6.HopLimitOffset]--;
        segmentsLeft--;
        header[SegmentRoutingHeader.SegmentsLeftOffset] = (byte)segmentsLeft;
        SegmentRoutingHeader.Segment(header, segmentsLeft).CopyTo(frame.Slice(ip + Ipv6.DestinationOffset, Ipv6.AddressLength));
        return new EndResult(EndStatus.Forwarded, srh + SegmentRoutingHeader.SegmentsLeftOffset);
    }

    /// <summary>Finds the outer IPv6 header and its SRH (-1 when none); checks every length on the way.</summary>
    private static EndResult Locate(ReadOnlySpan<byte> frame, out int ip, out int srh)
    {
        srh = -1;
        if (!Ethernet.TryReadL2Header(frame, out ushort etherType, out ip))
        {
            return new EndResult(EndStatus.Malformed, 0);
        }
        if (etherType != Ethernet.EtherTypeIPv6 || frame.Length - ip < Ipv6.HeaderLength || frame[ip] >> 4 != 6)
        {
            return new EndResult(EndStatus.Malformed, ip);
        }
        int end = ip + Ipv6.HeaderLength + Ipv6.PayloadLength(frame.Slice(ip));
        if (end > frame.Length)
        {
            return new EndResult(EndStatus.Malformed, ip + Ipv6.PayloadLengthOffset);
        }
        byte nextHeader = frame[ip + Ipv6.NextHeaderOffset];
        int at = ip + Ipv6.HeaderLength;
        // Only a Hop-by-Hop header may precede the routing header (RFC 8200 §4.1); walk generic headers until the SRH.
        while (Ipv6.IsGenericExtensionHeader(nextHeader))
        {
            if (end - at < SegmentRoutingHeader.FixedLength)
            {
                return new EndResult(EndStatus.Malformed, at);
            }
            int length = (frame[at + 1] + 1) * 8;
            if (length > end - at)
            {
                return new EndResult(EndStatus.Malformed, at + 1);
            }
            if (nextHeader == Ipv6.NextHeaderRouting && frame[at + SegmentRoutingHeader.RoutingTypeOffset] == SegmentRoutingHeader.RoutingType)
            {
                srh = at;
                break;
            }
            nextHeader = frame[at];
            at += length;
        }
        return new EndResult(EndStatus.Forwarded, ip);
    }
}
