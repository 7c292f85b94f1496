using System.Buffers.Binary;
using System.Net;
using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation.Srv6;

/// <summary>Segment Routing Header layout (RFC 8754 §2).</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Next Header   |  Hdr Ext Len  | Routing Type  | Segments Left |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Last Entry   |     Flags     |              Tag              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            Segment List[0] (128-bit IPv6 address)             |
/// |                              ...                              |
/// |            Segment List[n] (128-bit IPv6 address)             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// //         Optional Type Length Value objects (variable)       //
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Segment List[0] is the LAST segment of the path; the first segment to visit is Segment List[Last Entry]
/// (or, in the reduced form, only in the destination address). Hdr Ext Len counts 8-octet units after the first 8.
/// </remarks>
public static class SegmentRoutingHeader
{
    // The first four fields are every Routing header's (RFC 8200 §4.4); the Segment List is its addresses.
    public const int NextHeaderOffset = RoutingHeader.NextHeaderOffset;
    public const int HdrExtLenOffset = RoutingHeader.HdrExtLenOffset;
    public const int RoutingTypeOffset = RoutingHeader.RoutingTypeOffset;
    public const int SegmentsLeftOffset = RoutingHeader.SegmentsLeftOffset;
    public const int LastEntryOffset = 4;
    public const int FlagsOffset = 5;
    public const int TagOffset = 6;
    public const int SegmentListOffset = RoutingHeader.AddressesOffset;
    public const int FixedLength = 8;
    public const int SegmentLength = 16;
    public const byte RoutingType = RoutingHeader.TypeSegmentRouting;
    /// <summary>Hdr Ext Len is one byte of 8-octet units: 8 + 255·8 bytes, 127 segments.</summary>
    public const int MaxSegments = 127;

    public static byte NextHeader(ReadOnlySpan<byte> srh) => srh[NextHeaderOffset];
    /// <summary>The whole header's length in bytes from Hdr Ext Len.</summary>
    public static int Length(ReadOnlySpan<byte> srh) => (srh[HdrExtLenOffset] + 1) * 8;
    public static byte SegmentsLeft(ReadOnlySpan<byte> srh) => srh[SegmentsLeftOffset];
    public static byte LastEntry(ReadOnlySpan<byte> srh) => srh[LastEntryOffset];
    public static ushort Tag(ReadOnlySpan<byte> srh) => BinaryPrimitives.ReadUInt16BigEndian(srh.Slice(TagOffset));
    public static ReadOnlySpan<byte> Segment(ReadOnlySpan<byte> srh, int index) => srh.Slice(SegmentListOffset + index * SegmentLength, SegmentLength);

    /// <summary>
    /// Builds an SRH for <paramref name="segmentsInSrh"/> given in the order they are visited, storing them
    /// reversed (Segment List[0] = the last). <paramref name="segmentsLeft"/> is Last Entry for H.Encaps and
    /// Last Entry + 1 for the reduced forms, whose first segment travels only in the destination address.
    /// </summary>
    public static byte[] Build(byte nextHeader, IReadOnlyList<UInt128> segmentsInSrh, byte segmentsLeft, ushort tag = 0, IReadOnlyList<SrhTlv>? tlvs = null)
    {
        int n = segmentsInSrh.Count;
        int tlvLength = tlvs is null ? 0 : SrhTlv.PaddedLength(tlvs);
        if (n is 0 or > MaxSegments)
        {
            throw new ArgumentOutOfRangeException(nameof(segmentsInSrh), n, $"An SRH holds 1..{MaxSegments} segments.");
        }
        if (2 * n + tlvLength / 8 > byte.MaxValue)
        {
            throw new ArgumentException($"{n} segments and {tlvLength} bytes of TLVs exceed what Hdr Ext Len can describe.", nameof(tlvs));
        }
        var srh = new byte[FixedLength + n * SegmentLength + tlvLength];
        srh[NextHeaderOffset] = nextHeader;
        srh[HdrExtLenOffset] = (byte)(2 * n + tlvLength / 8);
        srh[RoutingTypeOffset] = RoutingType;
        srh[SegmentsLeftOffset] = segmentsLeft;
        srh[LastEntryOffset] = (byte)(n - 1);
        srh[FlagsOffset] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(srh.AsSpan(TagOffset), tag);
        for (int i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteUInt128BigEndian(srh.AsSpan(SegmentListOffset + i * SegmentLength), segmentsInSrh[n - 1 - i]);
        }
        if (tlvs is not null)
        {
            SrhTlv.WriteAll(tlvs, srh.AsSpan(SegmentListOffset + n * SegmentLength));
        }
        return srh;
    }

    public static UInt128 ToUInt128(IPAddress address) => BinaryPrimitives.ReadUInt128BigEndian(address.GetAddressBytes());

    public static IPAddress ToAddress(UInt128 value)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
