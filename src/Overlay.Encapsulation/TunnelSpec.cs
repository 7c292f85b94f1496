using System.Net;

namespace Overlay.Encapsulation;

/// <summary>
/// The part of the outer headers a protocol contributes for one kind of payload: the IP protocol / next header
/// that introduces it, and its bytes as written before the per-packet patch.
/// </summary>
public readonly record struct TunnelHeader(byte OuterProtocol, byte[] Bytes)
{
    public static TunnelHeader None(byte outerProtocol) => new(outerProtocol, []);
}

/// <summary>Which inner IP packets an L3 tunnel carries.</summary>
public enum InnerIpVersions
{
    /// <summary>IPv4 and IPv6, each behind its own protocol header.</summary>
    Both,
    /// <summary>IPv4 alone, as an IP-in-IP tunnel of that family (RFC 2003, RFC 2473 ip4in6).</summary>
    Ipv4Only,
    /// <summary>IPv6 alone, as an IP-in-IP tunnel of that family (RFC 4213 §3.5, RFC 2473 ip6ip6).</summary>
    Ipv6Only,
}

/// <summary>
/// What a protocol folder tells the shared engine (<see cref="TunnelEncapsulator"/>) about one variant: what it is,
/// where it goes, the protocol header per payload kind, and the rules of its RFC that the engine applies per packet.
/// Validated once, when the encapsulator is built.
/// </summary>
public sealed record TunnelSpec
{
    /// <summary>The variant's stable name.</summary>
    public required string Name { get; init; }

    /// <summary>The overlay protocol.</summary>
    public required TunnelFamily Family { get; init; }

    /// <summary>L2 (the Ethernet frame) or L3 (the IP packet).</summary>
    public required PayloadMode Mode { get; init; }

    /// <summary>Outer addresses and per-packet policies.</summary>
    public required Underlay Underlay { get; init; }

    /// <summary>The outer destination address: the remote endpoint, or SRv6's first segment (or container).</summary>
    public required IPAddress OuterDestination { get; init; }

    /// <summary>The UDP destination port of a UDP-based tunnel; null for a tunnel straight over IP.</summary>
    public ushort? UdpDestinationPort { get; init; }

    /// <summary>The protocol header for an Ethernet payload (L2 mode).</summary>
    public TunnelHeader ForEthernet { get; init; }

    /// <summary>The protocol header for an IPv4 payload (L3 mode).</summary>
    public TunnelHeader ForIpv4 { get; init; }

    /// <summary>The protocol header for an IPv6 payload (L3 mode); as long as <see cref="ForIpv4"/>.</summary>
    public TunnelHeader ForIpv6 { get; init; }

    /// <summary>L3 only: which inner IP versions the tunnel carries.</summary>
    public InnerIpVersions Carries { get; init; } = InnerIpVersions.Both;

    /// <summary>L2 only: the inner frame's 802.1Q tags are dropped (NVGRE, RFC 7637 §3.2).</summary>
    public bool StripsVlanTags { get; init; }

    /// <summary>
    /// The protocol header carries a checksum over the payload (GRE's): the payload's sum is taken while it is copied
    /// and handed to <see cref="TunnelEncapsulator.PatchTunnelHeader"/>.
    /// </summary>
    public bool HeaderChecksumsPayload { get; init; }

    /// <summary>
    /// Entropy the protocol header itself carries (NVGRE's FlowID: <see cref="EntropySource.GreKey"/>), so the inner
    /// flow's hash is computed even when the underlay needs none; the underlay's own entropy is added by the engine.
    /// </summary>
    public EntropySource HeaderEntropy { get; init; }

    /// <summary>
    /// IPv4 underlay: the outer DF bit is set whenever the inner IPv4 packet's is, as RFC 2003 §3.1 requires; the
    /// underlay's <see cref="Underlay.DontFragment"/> still sets it for every packet.
    /// </summary>
    public bool CopiesDontFragment { get; init; }

    /// <summary>How an SRv6 variant carries its segments; <see cref="SegmentEncoding.None"/> for every other family.</summary>
    public SegmentEncoding SegmentEncoding { get; init; }
}
