using System.Buffers.Binary;

namespace Overlay.Encapsulation.Headers;

/// <summary>IPv4 header layout (RFC 791).</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Version|  IHL  |   DSCP    |ECN|          Total Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Identification        |Flags|      Fragment Offset    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Time to Live |    Protocol   |         Header Checksum       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       Source Address                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Destination Address                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public static class Ipv4
{
    public const int VersionIhlOffset = 0;
    public const int TosOffset = 1;
    public const int TotalLengthOffset = 2;
    public const int IdentificationOffset = 4;
    public const int FlagsFragmentOffset = 6;
    public const int TtlOffset = 8;
    public const int ProtocolOffset = 9;
    public const int ChecksumOffset = 10;
    public const int SourceOffset = 12;
    public const int DestinationOffset = 16;
    public const int AddressLength = 4;
    public const int MinHeaderLength = 20;

    public const ushort DontFragmentFlag = 0x4000;
    public const ushort MoreFragmentsFlag = 0x2000;
    public const ushort FragmentOffsetMask = 0x1FFF;

    public const byte ProtocolIcmp = 1;
    public const byte ProtocolIpInIp = 4;
    public const byte ProtocolTcp = 6;
    public const byte ProtocolUdp = 17;
    public const byte ProtocolIpv6 = 41;
    public const byte ProtocolGre = 47;
    public const byte ProtocolSctp = 132;
    public const byte ProtocolEthernet = 143;

    public static int Version(ReadOnlySpan<byte> header) => header[VersionIhlOffset] >> 4;
    public static int HeaderLength(ReadOnlySpan<byte> header) => (header[VersionIhlOffset] & 0x0F) * 4;
    public static ushort TotalLength(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt16BigEndian(header.Slice(TotalLengthOffset));
    public static ushort FlagsAndFragment(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt16BigEndian(header.Slice(FlagsFragmentOffset));

    /// <summary>True for every fragment of a fragmented datagram, first included (MF set or offset non-zero).</summary>
    public static bool IsFragment(ReadOnlySpan<byte> header) =>
        (FlagsAndFragment(header) & (MoreFragmentsFlag | FragmentOffsetMask)) != 0;

    /// <summary>Writes a 20-byte header with no options; length, identification and checksum are patched per packet.</summary>
    public static void Write(Span<byte> destination, byte tos, bool dontFragment, byte ttl, byte protocol, ReadOnlySpan<byte> source, ReadOnlySpan<byte> dest)
    {
        destination[VersionIhlOffset] = 0x45;
        destination[TosOffset] = tos;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(TotalLengthOffset), 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(IdentificationOffset), 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(FlagsFragmentOffset), dontFragment ? DontFragmentFlag : (ushort)0);
        destination[TtlOffset] = ttl;
        destination[ProtocolOffset] = protocol;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(ChecksumOffset), 0);
        source.CopyTo(destination.Slice(SourceOffset, AddressLength));
        dest.CopyTo(destination.Slice(DestinationOffset, AddressLength));
    }

    /// <summary>Computes and stores the header checksum of a header with no options.</summary>
    public static void WriteChecksum(Span<byte> header)
    {
        BinaryPrimitives.WriteUInt16BigEndian(header.Slice(ChecksumOffset), 0);
        BinaryPrimitives.WriteUInt16BigEndian(header.Slice(ChecksumOffset), InternetChecksum.Compute(header.Slice(0, MinHeaderLength)));
    }

    /// <summary>The transport pseudo-header sum (RFC 768): source, destination, protocol, length.</summary>
    public static ulong PseudoHeaderSum(ReadOnlySpan<byte> header, byte protocol, int transportLength)
    {
        ulong sum = InternetChecksum.Add(0, header.Slice(SourceOffset, 2 * AddressLength));
        return sum + protocol + (uint)transportLength;
    }
}
