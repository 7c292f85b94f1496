namespace Overlay.Encapsulation.Headers;

/// <summary>
/// The IPv6 Routing header (RFC 8200 §4.4) as far as the transport checksum needs it: where the packet's final
/// destination is (§8.1). While Segments Left is above zero, the Destination Address is only the next waypoint;
/// the pseudo-header of a UDP, TCP or ICMPv6 checksum carries the final destination, which the source wrote
/// into the routing header's last address, so that every waypoint can rewrite the destination without touching it.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Next Header  |  Hdr Ext Len  |  Routing Type | Segments Left |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  type 0, 2, 4: 4 bytes     |  type 3: CmprI|CmprE|Pad|reserved |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Addresses from offset 8                    |
/// </code>
/// The types that carry addresses, and where the final destination lies among them:
/// 0 (RFC 2460 §4.4, deprecated by RFC 5095): Address[1..n] in order, the last one;
/// 2 (RFC 6275 §6.4): the one Home Address;
/// 3 (RFC 6554 §3): n compressed addresses, the last one with CmprE leading bytes elided (taken from the Destination Address);
/// 4 (RFC 8754 §2, SRH): the Segment List in reverse order, Segment List[0].
/// Other types (5, the compressed routing header of RFC 9631, carries SIDs, not addresses) leave the Destination Address.
/// </remarks>
public static class RoutingHeader
{
    public const int NextHeaderOffset = 0;
    public const int HdrExtLenOffset = 1;
    public const int RoutingTypeOffset = 2;
    public const int SegmentsLeftOffset = 3;
    public const int AddressesOffset = 8;
    /// <summary>RFC 6554 §3: CmprI and CmprE share the byte at offset 4, Pad is the high nibble of offset 5.</summary>
    public const int RplCompressionOffset = 4;
    public const int RplPadOffset = 5;

    public const byte TypeSourceRoute = 0;
    public const byte TypeMobileIpv6 = 2;
    public const byte TypeRplSourceRoute = 3;
    public const byte TypeSegmentRouting = 4;

    /// <summary>
    /// Writes into <paramref name="destination"/> (16 bytes) the address an upper-layer checksum's pseudo-header uses
    /// for the IPv6 packet that starts <paramref name="packet"/> (RFC 8200 §8.1): the final destination in a Routing
    /// header that still has segments left, else the Destination Address. The walk stops at the upper-layer header or
    /// the end of the packet; a routing header cut short leaves the Destination Address. Returns true when a routing
    /// header supplied the address: a hop that rewrites the Destination Address then leaves the checksum alone.
    /// </summary>
    public static bool FinalDestination(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        ReadOnlySpan<byte> headerDestination = packet.Slice(Ipv6.DestinationOffset, Ipv6.AddressLength);
        headerDestination.CopyTo(destination);
        int end = Math.Min(packet.Length, Ipv6.HeaderLength + Ipv6.PayloadLength(packet));
        byte nextHeader = packet[Ipv6.NextHeaderOffset];
        int at = Ipv6.HeaderLength;
        while (end - at >= 8)
        {
            int length;
            if (nextHeader == Ipv6.NextHeaderRouting)
            {
                length = (packet[at + HdrExtLenOffset] + 1) * 8;
                // RFC 8200 §4.1: one Routing header at most, so the walk ends here.
                return length <= end - at && packet[at + SegmentsLeftOffset] > 0
                    && LastAddress(packet.Slice(at, length), headerDestination, destination);
            }
            if (Ipv6.IsGenericExtensionHeader(nextHeader) || nextHeader == Ipv6.NextHeaderFragment)
            {
                length = nextHeader == Ipv6.NextHeaderFragment ? 8 : (packet[at + 1] + 1) * 8;
            }
            else if (nextHeader == Ipv6.NextHeaderAuthentication)
            {
                length = (packet[at + 1] + 2) * 4;
            }
            else
            {
                return false;
            }
            nextHeader = packet[at];
            at += length;
        }
        return false;
    }

    private static bool LastAddress(ReadOnlySpan<byte> header, ReadOnlySpan<byte> headerDestination, Span<byte> destination)
    {
        int room = header.Length - AddressesOffset;
        switch (header[RoutingTypeOffset])
        {
            case TypeSegmentRouting when room >= Ipv6.AddressLength:
                header.Slice(AddressesOffset, Ipv6.AddressLength).CopyTo(destination);
                return true;
            case TypeSourceRoute or TypeMobileIpv6 when room >= Ipv6.AddressLength:
                int count = room / Ipv6.AddressLength;
                header.Slice(AddressesOffset + (count - 1) * Ipv6.AddressLength, Ipv6.AddressLength).CopyTo(destination);
                return true;
            case TypeRplSourceRoute:
                int cmprI = header[RplCompressionOffset] >> 4, cmprE = header[RplCompressionOffset] & 0x0F, pad = header[RplPadOffset] >> 4;
                int carriedLast = Ipv6.AddressLength - cmprE;
                int addresses = room - pad - carriedLast;
                if (addresses < 0 || addresses % (Ipv6.AddressLength - cmprI) != 0)
                {
                    return false;
                }
                // RFC 6554 §3: the last address keeps its final 16 − CmprE bytes; the first CmprE are the Destination Address's.
                headerDestination.Slice(0, cmprE).CopyTo(destination);
                header.Slice(AddressesOffset + addresses, carriedLast).CopyTo(destination.Slice(cmprE));
                return true;
            default:
                return false;
        }
    }
}
