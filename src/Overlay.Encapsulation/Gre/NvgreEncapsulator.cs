using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation.Gre;

/// <summary>
/// NVGRE (RFC 7637): GRE with the Key bit, protocol 0x6558, and a key of VSID (24 bits) and FlowID (8 bits).
/// </summary>
/// <remarks>
/// RFC 7637 §3.2: the C and S bits must be zero, and the inner Ethernet header must not carry an 802.1Q tag
/// (the VSID takes the VLAN's place), so tags are dropped from the inner frame. The FlowID comes from the
/// inner flow hash, so a transit device that hashes the key spreads flows (§3.2: "MAY" be used for entropy).
/// </remarks>
public sealed class NvgreEncapsulator : TunnelEncapsulator
{
    /// <summary>VSIDs 0..0xFFF are reserved (RFC 7637 §3.2); 0xFFFFFF is reserved for vendor use.</summary>
    public const uint MinVsid = 0x1000;
    public const uint MaxVsid = 0xFFFFFE;
    private const int FlowIdOffset = GreHeader.BaseLength + 3;

    public NvgreEncapsulator(Underlay underlay, uint vsid)
        : base(new TunnelSpec
        {
            Name = $"nvgre-{UnderlayName(underlay)}",
            Family = TunnelFamily.Nvgre,
            Mode = PayloadMode.L2,
            Underlay = underlay,
            OuterDestination = RemoteEndpoint(underlay),
            ForEthernet = new(Ipv4.ProtocolGre, GreHeader.Build(false, CheckVsid(vsid) << 8, false, Ethernet.EtherTypeTransparentEthernetBridging)),
            StripsVlanTags = true,
            HeaderEntropy = EntropySource.GreKey,
        })
    {
        Vsid = vsid;
    }

    public uint Vsid { get; }

    protected override bool PatchesTunnelHeader => true;

    protected override void PatchTunnelHeader(Span<byte> tunnel, in InnerFrame inner, ulong payloadSum) =>
        tunnel[FlowIdOffset] = (byte)(inner.FlowHash ^ inner.FlowHash >> 8 ^ inner.FlowHash >> 16 ^ inner.FlowHash >> 24);

    private static uint CheckVsid(uint vsid) => vsid is >= MinVsid and <= MaxVsid
        ? vsid
        : throw new ArgumentOutOfRangeException(nameof(vsid), vsid, $"NVGRE VSID must be in {MinVsid}..{MaxVsid} (RFC 7637 §3.2 reserves the rest).");
}
