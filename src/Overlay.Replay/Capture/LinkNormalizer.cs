using System.Buffers.Binary;
using Overlay.Encapsulation.Headers;

namespace Overlay.Replay.Capture;

/// <summary>The capture link types the suite reads (LINKTYPE_* values of the pcap/pcapng formats).</summary>
public enum LinkType
{
    Null = 0,
    Ethernet = 1,
    /// <summary>DLT_RAW as libpcap reports LINKTYPE_RAW (101) on Linux.</summary>
    RawDlt = 12,
    /// <summary>DLT_RAW on OpenBSD.</summary>
    RawDltOpenBsd = 14,
    Raw = 101,
    Loop = 108,
    LinuxSll = 113,
    Ipv4 = 228,
    Ipv6 = 229,
    LinuxSll2 = 276,
}

/// <summary>
/// Turns a captured frame of any supported link type into the Ethernet frame it would be on an Ethernet
/// link, so every variant (L2 and L3) can carry it: Ethernet is kept as captured (VLAN tags included); the
/// others get a synthetic 14-byte Ethernet header with the EtherType their pseudo-header names, the source
/// MAC of a Linux cooked header where it has one, and locally administered placeholders otherwise.
/// </summary>
public static class LinkNormalizer
{
    public static readonly byte[] PlaceholderDestinationMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
    public static readonly byte[] PlaceholderSourceMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];

    private const int SllHeaderLength = 16;
    private const int Sll2HeaderLength = 20;
    private const int NullHeaderLength = 4;

    public static bool IsSupported(int linkType) => Enum.IsDefined((LinkType)linkType);

    public static string Describe(int linkType) => IsSupported(linkType)
        ? $"{(LinkType)linkType} (LINKTYPE {linkType})"
        : $"LINKTYPE {linkType}";

    /// <summary>Bytes of link header the original frame loses in normalisation (negative: bytes it gains).</summary>
    public static int LengthChange(LinkType linkType) => linkType switch
    {
        LinkType.Ethernet => 0,
        LinkType.Null or LinkType.Loop => NullHeaderLength - Ethernet.HeaderLength,
        LinkType.LinuxSll => SllHeaderLength - Ethernet.HeaderLength,
        LinkType.LinuxSll2 => Sll2HeaderLength - Ethernet.HeaderLength,
        _ => -Ethernet.HeaderLength,
    };

    /// <summary>
    /// Writes the Ethernet frame for <paramref name="captured"/> into <paramref name="destination"/> (which must hold
    /// captured.Length + 14 bytes). Returns the frame's length, or -1 with <paramref name="reason"/> when the link
    /// header is cut short or names no payload that can be placed behind an Ethernet header.
    /// </summary>
    public static int Normalize(LinkType linkType, ReadOnlySpan<byte> captured, Span<byte> destination, out string? reason)
    {
        reason = null;
        ushort etherType;
        ReadOnlySpan<byte> sourceMac = PlaceholderSourceMac;
        int headerLength;
        switch (linkType)
        {
            case LinkType.Ethernet:
                if (captured.Length < Ethernet.HeaderLength)
                {
                    reason = $"runt Ethernet frame of {captured.Length} bytes (14 is the header alone)";
                    return -1;
                }
                captured.CopyTo(destination);
                return captured.Length;
            case LinkType.Null or LinkType.Loop:
                if (captured.Length < NullHeaderLength + 1)
                {
                    reason = $"loopback frame of {captured.Length} bytes has no payload";
                    return -1;
                }
                // NULL stores the address family in the capturing host's byte order, LOOP in network order.
                // A family read the wrong way round exceeds 16 bits, which tells the two apart.
                uint family = BinaryPrimitives.ReadUInt32LittleEndian(captured);
                if (linkType == LinkType.Loop || family > 0xFFFF)
                {
                    family = BinaryPrimitives.ReadUInt32BigEndian(captured);
                }
                etherType = family switch
                {
                    2 => Ethernet.EtherTypeIPv4,
                    10 or 24 or 28 or 30 => Ethernet.EtherTypeIPv6, // AF_INET6 on Linux, NetBSD/OpenBSD, FreeBSD, macOS
                    _ => 0,
                };
                if (etherType == 0)
                {
                    // Skip reasons are counted per distinct text: a family above 255 is named as such, not by its value,
                    // so a hostile capture of random families cannot grow the counts by one entry per record.
                    reason = family <= 255
                        ? $"loopback address family {family} is neither IPv4 nor IPv6"
                        : "loopback address family above 255 is neither IPv4 nor IPv6";
                    return -1;
                }
                headerLength = NullHeaderLength;
                break;
            case LinkType.Raw or LinkType.RawDlt or LinkType.RawDltOpenBsd or LinkType.Ipv4 or LinkType.Ipv6:
                if (captured.Length < 1)
                {
                    reason = "empty raw IP frame";
                    return -1;
                }
                etherType = (captured[0] >> 4) switch
                {
                    4 => Ethernet.EtherTypeIPv4,
                    6 => Ethernet.EtherTypeIPv6,
                    _ => 0,
                };
                if (etherType == 0)
                {
                    reason = $"raw IP frame with version {captured[0] >> 4}";
                    return -1;
                }
                headerLength = 0;
                break;
            case LinkType.LinuxSll:
                if (captured.Length < SllHeaderLength)
                {
                    reason = $"Linux cooked (SLL) frame of {captured.Length} bytes, shorter than its 16-byte header";
                    return -1;
                }
                etherType = BinaryPrimitives.ReadUInt16BigEndian(captured.Slice(14));
                if (BinaryPrimitives.ReadUInt16BigEndian(captured.Slice(4)) == Ethernet.AddressLength)
                {
                    sourceMac = captured.Slice(6, Ethernet.AddressLength);
                }
                headerLength = SllHeaderLength;
                break;
            case LinkType.LinuxSll2:
                if (captured.Length < Sll2HeaderLength)
                {
                    reason = $"Linux cooked v2 (SLL2) frame of {captured.Length} bytes, shorter than its 20-byte header";
                    return -1;
                }
                etherType = BinaryPrimitives.ReadUInt16BigEndian(captured);
                if (captured[11] == Ethernet.AddressLength)
                {
                    sourceMac = captured.Slice(12, Ethernet.AddressLength);
                }
                headerLength = Sll2HeaderLength;
                break;
            default:
                reason = $"unsupported link type {Describe((int)linkType)}";
                return -1;
        }
        Ethernet.Write(destination, PlaceholderDestinationMac, sourceMac, etherType);
        captured.Slice(headerLength).CopyTo(destination.Slice(Ethernet.HeaderLength));
        return Ethernet.HeaderLength + captured.Length - headerLength;
    }
}
