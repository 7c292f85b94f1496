using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation.Vxlan;

/// <summary>
/// VXLAN (RFC 7348): the inner Ethernet frame behind UDP port 4789 and an 8-byte header with a 24-bit VNI.
/// The UDP source port carries the inner flow's hash (§5), within the underlay's source-port range.
/// </summary>
public sealed class VxlanEncapsulator : TunnelEncapsulator
{
    public VxlanEncapsulator(Underlay underlay, uint vni, ushort destinationPort = Udp.VxlanPort)
        : base(new TunnelSpec
        {
            Name = $"vxlan-{UnderlayName(underlay)}",
            Family = TunnelFamily.Vxlan,
            Mode = PayloadMode.L2,
            Underlay = underlay,
            OuterDestination = RemoteEndpoint(underlay),
            UdpDestinationPort = destinationPort,
            ForEthernet = new(Ipv4.ProtocolUdp, VxlanHeader.Build(CheckVni(vni))),
        })
    {
        Vni = vni;
    }

    public uint Vni { get; }

    private static uint CheckVni(uint vni) => vni <= VxlanHeader.MaxVni
        ? vni
        : throw new ArgumentOutOfRangeException(nameof(vni), vni, "A VXLAN VNI has 24 bits (0..16777215).");
}
