using Overlay.Encapsulation.Headers;
using System.Runtime.CompilerServices;

namespace Overlay.Encapsulation.Vxlan;

/// <summary>Reads a VXLAN header (RFC 7348 §5) behind UDP and locates the inner Ethernet frame.</summary>
public static class VxlanDecoder
{
    /// <param name="frame">The whole outer frame.</param>
    /// <param name="offset">Where the VXLAN header starts.</param>
    /// <param name="end">Where the UDP datagram ends.</param>
    /// <param name="packet">Receives the VNI and the inner frame's place.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DecapResult Decode(ReadOnlySpan<byte> frame, int offset, int end, ref TunnelPacket packet)
    {
        if (end - offset < VxlanHeader.Length)
        {
            return new DecapResult(DecapError.Truncated, offset);
        }
        ReadOnlySpan<byte> vxlan = frame.Slice(offset, VxlanHeader.Length);
        if ((VxlanHeader.Flags(vxlan) & VxlanHeader.ValidVniFlag) == 0)
        {
            return new DecapResult(DecapError.VxlanFlagMissing, offset + VxlanHeader.FlagsOffset);
        }
        packet.Protocol = TunnelProtocol.Vxlan;
        packet.Vni = VxlanHeader.Vni(vxlan);
        return Decapsulator.SetInner(frame, Ethernet.EtherTypeTransparentEthernetBridging, offset + VxlanHeader.Length, end, offset, ref packet);
    }
}
