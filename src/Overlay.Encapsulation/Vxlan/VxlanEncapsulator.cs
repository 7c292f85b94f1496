using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation.Vxlan;

/// <summary>
/// VXLAN (RFC 7348): the inner Ethernet frame behind UDP port 4789 and an 8-byte header with a 24-bit VNI.
/// The UDP source port carries the inner flow's hash (§5), within the underlay's source-port range.
/// </summary>
public sealed class VxlanEncapsulator : TunnelEncapsulator
{
    public VxlanEncapsulator(Underlay underlay, uint vni, ushort destinationPort = Udp.VxlanPort)
        : base($"vxlan-{UnderlayName(underlay)}", PayloadMode.L2, underlay, RemoteEndpoint(underlay), destinationPort,
            new TunnelHeader(Ipv4.ProtocolUdp, VxlanHeader.Build(CheckVni(vni))), default, default)
    {
        Vni = vni;
    }

    public uint Vni { get; }

    public override TunnelFamily Family => TunnelFamily.Vxlan;

    private static uint CheckVni(uint vni) => vni <= VxlanHeader.MaxVni
        ? vni
        : throw new ArgumentOutOfRangeException(nameof(vni), vni, "A VXLAN VNI has 24 bits (0..16777215).");
}
