using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation.IpIp;

/// <summary>IP-in-IP framing: no header of its own, the outer IP header's protocol / next header names the inner packet.</summary>
/// <remarks>
/// RFC 2003 §3, and the same picture for RFC 2473 §3 (an outer IPv6 header) and RFC 4213 §3.5 (IPv6 in IPv4):
/// <code>
///                                      +---------------------------+
///                                      |      Outer IP Header      |
///                                      |   protocol / next header  |
///                                      |     4 (IPv4), 41 (IPv6)   |
///  +---------------------------+       +---------------------------+
///  |         IP Header         |       |         IP Header         |
///  +---------------------------+ ====> +---------------------------+
///  |         IP Payload        |       |         IP Payload        |
///  +---------------------------+       +---------------------------+
/// </code>
/// The inner packet follows the outer IP header at offset 0: the tunnel adds exactly one IP header.
/// </remarks>
public static class IpIpHeader
{
    /// <summary>Bytes the tunnel adds beyond the outer IP header.</summary>
    public const int Length = 0;
    /// <summary>IPv4 inside: RFC 2003 §3.1 (protocol 4), RFC 2473 §3 (next header 4).</summary>
    public const byte ProtocolIpv4 = Ipv4.ProtocolIpInIp;
    /// <summary>IPv6 inside: RFC 4213 §3.5 (protocol 41), RFC 2473 §3 (next header 41).</summary>
    public const byte ProtocolIpv6 = Ipv4.ProtocolIpv6;

    /// <summary>The protocol number that announces an inner IP packet of <paramref name="ipVersion"/>.</summary>
    public static byte ProtocolFor(int ipVersion) => ipVersion == 6 ? ProtocolIpv6 : ProtocolIpv4;
}

/// <summary>
/// Plain IP-in-IP of one inner family over one underlay: RFC 2003 IPv4-in-IPv4 (<c>ipip-ipv4</c>), RFC 2473
/// IPv6-in-IPv6 (<c>ip6ip6</c>) and IPv4-in-IPv6 (<c>ip4in6</c>), RFC 4213 IPv6-in-IPv4 (<c>ip6in4</c>). It carries the
/// IP packet (the inner Ethernet header is dropped); a packet of the other family, or a non-IP frame, cannot be carried.
/// </summary>
/// <remarks>
/// The outer fields follow the underlay's policies as every variant does (TTL / hop limit, DSCP, ECN copied per
/// RFC 6040, flow label = the inner flow's hash by default per RFC 6437/6438). RFC 2003 §3.1 adds one rule of its own:
/// when the inner IPv4 header has DF set, the outer must too; the underlay's DF setting sets it for every packet.
/// No Tunnel Encapsulation Limit option (RFC 2473 §4.1.1) is sent: the form of <c>ip -6 tunnel … encaplimit none</c>
/// (Linux's ip6tnl sends an 8-byte Destination Options header with limit 4 by default). On the wire an IPv6 packet
/// with next header 4 or 41 and no SRH is also what SRv6 H.Encaps.Red with one SID and NEXT-C-SID with one
/// container send: only the outer destination (a SID or a tunnel endpoint) tells them apart, and only the receiver knows.
/// </remarks>
public sealed class IpIpEncapsulator : TunnelEncapsulator
{
    /// <param name="underlay">The outer addresses and policies; needs a destination (the tunnel's far end).</param>
    /// <param name="innerIpVersion">4 or 6: the family of the packets this tunnel carries.</param>
    public IpIpEncapsulator(Underlay underlay, int innerIpVersion)
        : base(new TunnelSpec
        {
            Name = NameOf(underlay, innerIpVersion),
            Family = TunnelFamily.IpIp,
            Mode = PayloadMode.L3,
            Underlay = underlay,
            OuterDestination = RemoteEndpoint(underlay),
            ForIpv4 = TunnelHeader.None(IpIpHeader.ProtocolIpv4),
            ForIpv6 = TunnelHeader.None(IpIpHeader.ProtocolIpv6),
            Carries = innerIpVersion == 4 ? InnerIpVersions.Ipv4Only : InnerIpVersions.Ipv6Only,
            CopiesDontFragment = innerIpVersion == 4,
        })
    {
        InnerIpVersion = innerIpVersion;
    }

    /// <summary>4 or 6: the family of the packets carried.</summary>
    public int InnerIpVersion { get; }

    private static string NameOf(Underlay underlay, int innerIpVersion)
    {
        string underlayName = UnderlayName(underlay);
        return (underlayName, innerIpVersion) switch
        {
            ("ipv4", 4) => "ipip-ipv4",
            ("ipv4", 6) => "ip6in4",
            ("ipv6", 4) => "ip4in6",
            ("ipv6", 6) => "ip6ip6",
            _ => throw new ArgumentOutOfRangeException(nameof(innerIpVersion), innerIpVersion, "An IP-in-IP tunnel carries IPv4 (4) or IPv6 (6) packets."),
        };
    }
}
