using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation;

/// <summary>The per-packet patch of a copied template: the only outer-header bytes that differ from packet to packet.</summary>
public abstract partial class TunnelEncapsulator
{
    /// <summary>
    /// Writes the per-packet fields over a copied template. The IPv4 header checksum and the UDP checksum are built from
    /// sums precomputed per template plus the fields that change, so no header is read back after it is written.
    /// </summary>
    /// <remarks>
    /// <paramref name="packet"/> is the whole encapsulated packet, at least <see cref="HeaderLength"/> bytes (both callers
    /// size it as the header plus the payload), and every field written lies in the outer Ethernet, IP and UDP headers,
    /// which end at <see cref="TunnelOffset"/> ≤ <see cref="HeaderLength"/>: the stores are made through a reference,
    /// with no bounds check of their own. <paramref name="templateIndex"/> is the template's slot (&lt; TemplateSlots, as the
    /// frame's IP version is 0, 4 or 6), so the per-slot sums are read unchecked too.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Patch(Span<byte> packet, in InnerFrame inner, int templateIndex, ulong payloadSum)
    {
        Debug.Assert(packet.Length >= HeaderLength && TunnelOffset <= HeaderLength);
        ref byte ip = ref Unsafe.Add(ref MemoryMarshal.GetReference(packet), Ethernet.HeaderLength);
        int ipLength = packet.Length - Ethernet.HeaderLength;
        // A bit per inner IP version whose field is inherited (InnerFrame.IpVersion is 0, 4 or 6).
        int version = 1 << inner.IpVersion;
        byte hopLimit = (version & _hopLimitInherits) != 0 ? inner.HopLimit : _hopLimit.Value;
        int ecn = inner.IsIp ? inner.TrafficClass & 0x03 : 0;
        int dscp = (version & _dscpInherits) != 0 ? inner.TrafficClass >> 2 : _dscp.Value;
        byte trafficClass = (byte)((dscp << 2) | ecn);

        if (_ipv6)
        {
            uint flowLabel = _flowLabel.Kind switch
            {
                FlowLabelKind.Hash => FlowHash.ToFlowLabel(inner.FlowHash),
                FlowLabelKind.Fixed => _flowLabel.Value,
                FlowLabelKind.Inherit => inner.FlowLabel,
                _ => 0,
            };
            NetworkOrder.Write32(ref ip, 0, (6u << 28) | ((uint)trafficClass << 20) | (flowLabel & Ipv6.FlowLabelMask));
            NetworkOrder.Write16(ref ip, Ipv6.PayloadLengthOffset, (ushort)(ipLength - Ipv6.HeaderLength));
            Unsafe.Add(ref ip, Ipv6.HopLimitOffset) = hopLimit;
        }
        else
        {
            ushort identification = _identification++;
            Unsafe.Add(ref ip, Ipv4.TosOffset) = trafficClass;
            // Total Length and Identification are adjacent: one 32-bit store.
            NetworkOrder.Write32(ref ip, Ipv4.TotalLengthOffset, ((uint)(ushort)ipLength << 16) | identification);
            Unsafe.Add(ref ip, Ipv4.TtlOffset) = hopLimit;
            ulong sum = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_ipv4ConstantSums), templateIndex) + trafficClass + (uint)ipLength + identification + ((uint)hopLimit << 8);
            // L3 only, so the inner IP packet is already where the payload goes: its DF bit is read there, by the one
            // kind of tunnel that copies it, rather than parsed from every frame.
            if (_copiesDontFragment && inner.IpVersion == 4
                && (Ipv4.FlagsAndFragment(packet.Slice(HeaderLength)) & Ipv4.DontFragmentFlag) != 0)
            {
                NetworkOrder.Write16(ref ip, Ipv4.FlagsFragmentOffset, Ipv4.DontFragmentFlag);
                sum += Ipv4.DontFragmentFlag;
            }
            NetworkOrder.Write16(ref ip, Ipv4.ChecksumOffset, InternetChecksum.Finish(sum));
        }

        if (!_tunnelHeaderIsConstant && TunnelOffset < packet.Length)
        {
            PatchTunnelHeader(packet.Slice(TunnelOffset), inner, payloadSum);
        }

        if (_udp)
        {
            ref byte udp = ref Unsafe.Add(ref ip, _l4Offset - Ethernet.HeaderLength);
            int udpLength = packet.Length - _l4Offset;
            // FlowHash.ToPort's multiply-shift, with the range's size computed once.
            ushort sourcePort = (ushort)(_ports.Min + (int)(((ulong)inner.FlowHash * _portCount) >> 32));
            NetworkOrder.Write16(ref udp, Udp.SourcePortOffset, sourcePort);
            NetworkOrder.Write16(ref udp, Udp.LengthOffset, (ushort)udpLength);
            if (_udpChecksum)
            {
                // Pseudo-header (addresses, protocol, length) + UDP header (ports, length) + protocol header + payload.
                ulong sum = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_udpConstantSums), templateIndex) + 2 * (uint)udpLength + sourcePort + payloadSum;
                if (!_tunnelHeaderIsConstant)
                {
                    sum = InternetChecksum.Add(sum, packet[TunnelOffset..HeaderLength]);
                }
                ushort checksum = InternetChecksum.Finish(sum);
                NetworkOrder.Write16(ref udp, Udp.ChecksumOffset, checksum == 0 ? (ushort)0xFFFF : checksum);
            }
        }
    }

    /// <summary>A bit per inner IP version (1 &lt;&lt; 4, 1 &lt;&lt; 6) whose packets give the outer header this field.</summary>
    private static int InheritingVersions(InheritFrom from) => from switch
    {
        InheritFrom.Ip => (1 << 4) | (1 << 6),
        InheritFrom.Ipv6 => 1 << 6,
        _ => 0,
    };
}
