namespace Overlay.Encapsulation;

public enum TunnelProtocol
{
    None,
    /// <summary>GRE (RFC 2784/2890), NVGRE included: on the wire NVGRE is GRE with a key and protocol 0x6558.</summary>
    Gre,
    Vxlan,
    Geneve,
    /// <summary>SRv6: an outer IPv6 header with an SRH, or with an Ethernet payload (next header 143) and no SRH.</summary>
    Srv6,
    /// <summary>
    /// IP in IP: an outer IPv4 or IPv6 header with protocol / next header 4 or 41 and no SRH (RFC 2003, RFC 2473, RFC 4213).
    /// SRv6 H.Encaps.Red with one SID and NEXT-C-SID with one container send exactly this: whether the outer destination
    /// is a SID only the receiver's SID table knows, so the decoder names the format, and the inner packet is the same.
    /// </summary>
    IpIp,
}

/// <summary>What a tunnel carries, as the decoder found it.</summary>
public enum InnerKind
{
    Ethernet,
    Ipv4,
    Ipv6,
}

/// <summary>Why a frame could not be decapsulated. Every value names a field and a rule; see <see cref="DecapResult.Offset"/>.</summary>
public enum DecapError
{
    None,
    /// <summary>A header, or the packet its length field describes, runs past the end of the frame.</summary>
    Truncated,
    /// <summary>The outer EtherType is neither IPv4 nor IPv6.</summary>
    UnsupportedEtherType,
    /// <summary>The IP version nibble disagrees with the EtherType.</summary>
    WrongIpVersion,
    /// <summary>IPv4 IHL below 5.</summary>
    BadIpv4HeaderLength,
    /// <summary>The outer IPv4 header checksum does not verify.</summary>
    BadIpv4Checksum,
    /// <summary>The outer packet is a fragment; a tunnel endpoint would reassemble it first.</summary>
    OuterFragment,
    /// <summary>An IPv6 extension header is cut short or the chain runs past the packet.</summary>
    ExtensionHeaderChain,
    /// <summary>The outer IP protocol / next header is not a tunnel this decoder knows.</summary>
    NotATunnel,
    /// <summary>A UDP destination port other than VXLAN's 4789 or GENEVE's 6081.</summary>
    UnknownUdpPort,
    /// <summary>The UDP length disagrees with the IP length.</summary>
    BadUdpLength,
    /// <summary>A non-zero UDP checksum does not verify (zero is accepted: RFC 7348 §5, RFC 6935).</summary>
    BadUdpChecksum,
    /// <summary>VXLAN's I flag is clear (RFC 7348 §5).</summary>
    VxlanFlagMissing,
    /// <summary>GRE version other than 0.</summary>
    GreVersion,
    /// <summary>GRE bits 1, 4 or 5 set (RFC 2784 §2.3.1).</summary>
    GreReservedBits,
    /// <summary>The GRE checksum does not verify.</summary>
    BadGreChecksum,
    /// <summary>A GRE or GENEVE protocol type that is not IPv4, IPv6 or Ethernet.</summary>
    UnknownProtocolType,
    /// <summary>GENEVE version other than 0.</summary>
    GeneveVersion,
    /// <summary>GENEVE Opt Len reaches past the packet.</summary>
    GeneveOptionLengthBeyondPacket,
    /// <summary>A GENEVE option's own length reaches past Opt Len.</summary>
    GeneveOptionMalformed,
    /// <summary>The SRH's Hdr Ext Len disagrees with the packet, or Last Entry with Hdr Ext Len (RFC 8754 §4.3.1.1).</summary>
    SrhLengthMismatch,
    /// <summary>Segments Left greater than Last Entry + 1 (RFC 8754 §4.3.1.1).</summary>
    SegmentsLeftBeyondLastEntry,
    /// <summary>The inner packet's IP version disagrees with the protocol type that announced it.</summary>
    InnerVersionMismatch,
    /// <summary>
    /// An SRH inserted in front of the transport (TCP, UDP to a port other than a tunnel's, ICMPv6, no next header):
    /// the packet itself is segment-routed and carries no encapsulated packet. Not a tunnel, and not damaged.
    /// </summary>
    SrhInsertedNotATunnel,
}

/// <summary>A decode outcome: <see cref="DecapError.None"/>, or the reason and the byte offset in the frame where it was found.</summary>
public readonly record struct DecapResult(DecapError Error, int Offset)
{
    public static DecapResult Success => default;
    public bool IsSuccess => Error == DecapError.None;
    public override string ToString() => IsSuccess ? "ok" : $"{Error} at offset {Offset}";
}

/// <summary>
/// A decapsulated frame: where the inner frame or packet lies in the outer frame, and the tunnel's fields.
/// Offsets are into the frame given to <see cref="Decapsulator.TryDecapsulate(ReadOnlySpan{byte}, out TunnelPacket)"/>; nothing is copied.
/// </summary>
public struct TunnelPacket
{
    public TunnelProtocol Protocol { get; internal set; }
    /// <summary>4 or 6.</summary>
    public int OuterIpVersion { get; internal set; }
    /// <summary>Offset of the outer IP header (after Ethernet and VLAN tags).</summary>
    public int OuterIpOffset { get; internal set; }
    public InnerKind Inner { get; internal set; }
    public int InnerOffset { get; internal set; }
    public int InnerLength { get; internal set; }
    /// <summary>The outer IPv6 flow label, 0 over IPv4.</summary>
    public uint FlowLabel { get; internal set; }
    public ushort UdpSourcePort { get; internal set; }
    /// <summary>The VXLAN or GENEVE VNI.</summary>
    public uint Vni { get; internal set; }
    public bool HasGreChecksum { get; internal set; }
    public bool HasKey { get; internal set; }
    public uint Key { get; internal set; }
    public bool HasSequence { get; internal set; }
    public uint Sequence { get; internal set; }
    public bool GeneveOam { get; internal set; }
    public bool GeneveCritical { get; internal set; }
    /// <summary>Offset and length of the GENEVE options (TLVs), 0 length when none.</summary>
    public int GeneveOptionsOffset { get; internal set; }
    public int GeneveOptionsLength { get; internal set; }
    /// <summary>Offset of the SRH, -1 when none.</summary>
    public int SrhOffset { get; internal set; }
    public int SegmentsLeft { get; internal set; }
    public int LastEntry { get; internal set; }

    /// <summary>NVGRE framing (RFC 7637): a key, protocol 0x6558, neither checksum nor sequence.</summary>
    public readonly bool IsNvgreShaped => Protocol == TunnelProtocol.Gre && HasKey && !HasGreChecksum && !HasSequence && Inner == InnerKind.Ethernet;
    /// <summary>The NVGRE Virtual Subnet ID: the key's top 24 bits.</summary>
    public readonly uint Vsid => Key >> 8;
    /// <summary>The NVGRE FlowID: the key's low 8 bits.</summary>
    public readonly byte FlowId => (byte)Key;
    /// <summary>Segments in the SRH: Last Entry + 1, or 0 without one.</summary>
    public readonly int SrhSegmentCount => SrhOffset < 0 ? 0 : LastEntry + 1;

    /// <summary>The inner frame (Ethernet) or packet (IP) within <paramref name="frame"/>.</summary>
    public readonly ReadOnlySpan<byte> InnerOf(ReadOnlySpan<byte> frame) => frame.Slice(InnerOffset, InnerLength);

    /// <summary>Segment List[<paramref name="index"/>] of the SRH in <paramref name="frame"/>.</summary>
    public readonly ReadOnlySpan<byte> Segment(ReadOnlySpan<byte> frame, int index) =>
        Srv6.SegmentRoutingHeader.Segment(frame.Slice(SrhOffset), index);
}
