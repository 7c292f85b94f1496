namespace Overlay.Encapsulation;

/// <summary>The overlay protocol a variant speaks, whatever its underlay, payload or options.</summary>
public enum TunnelFamily
{
    /// <summary>GRE (RFC 2784, RFC 2890), over IPv4 or IPv6 (RFC 7676).</summary>
    Gre,
    /// <summary>NVGRE (RFC 7637): GRE with a VSID and FlowID in the key.</summary>
    Nvgre,
    /// <summary>VXLAN (RFC 7348) over UDP.</summary>
    Vxlan,
    /// <summary>GENEVE (RFC 8926) over UDP, with TLV options.</summary>
    Geneve,
    /// <summary>SRv6 headend encapsulation (RFC 8986) with an SRH (RFC 8754) or NEXT-C-SID containers (RFC 9800).</summary>
    Srv6,
    /// <summary>Plain IP in IP (RFC 2003, RFC 2473, RFC 4213 §3.5): one outer IP header and nothing else.</summary>
    IpIp,
}

/// <summary>
/// Where a variant puts the inner flow's entropy in the outer headers, for an ECMP underlay to hash on. A flag per
/// field, since a UDP tunnel over IPv6 can fill both its source port and its flow label.
/// </summary>
[Flags]
public enum EntropySource
{
    /// <summary>No outer field varies with the inner flow: every flow between two endpoints hashes alike.</summary>
    None = 0,
    /// <summary>The outer UDP source port is the inner flow's hash within the underlay's range (RFC 7348 §5, RFC 8926 §3.3).</summary>
    UdpSourcePort = 1,
    /// <summary>The outer IPv6 flow label is the inner flow's hash (RFC 6437/6438), or is copied from an IPv6 inner packet's own.</summary>
    FlowLabel = 2,
    /// <summary>The GRE Key field carries a per-flow part: NVGRE's FlowID (RFC 7637 §3.2).</summary>
    GreKey = 4,
}

/// <summary>How an SRv6 variant carries its segment list; <see cref="None"/> for a tunnel that has none.</summary>
public enum SegmentEncoding
{
    /// <summary>No segment list: the outer destination is the tunnel's far end.</summary>
    None,
    /// <summary>H.Encaps (RFC 8986 §5.1, §5.3): every SID in the SRH.</summary>
    Full,
    /// <summary>H.Encaps.Red (RFC 8986 §5.2, §5.4): the first SID only in the destination address, the rest in the SRH.</summary>
    Reduced,
    /// <summary>NEXT-C-SID (RFC 9800): compressed SIDs packed into 128-bit containers, the first in the destination address.</summary>
    Compressed,
}
