using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Gre;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Encapsulation;

/// <summary>
/// Recognises every variant this library writes from an outer Ethernet frame and locates the inner frame or
/// packet: GRE and NVGRE (IP protocol 47), VXLAN (UDP 4789), GENEVE (UDP 6081), SRv6 (IPv6 with an SRH, or IPv6
/// carrying Ethernet directly) and IP in IP (IPv4 or IPv6 carrying IPv4 or IPv6 directly, protocol 4 or 41). Errors are values with the offset where they were found, so
/// a hostile capture cannot turn the loop into an exception storm. Nothing is allocated or copied.
/// </summary>
public static class Decapsulator
{
    public static DecapResult TryDecapsulate(ReadOnlySpan<byte> frame, out TunnelPacket packet) =>
        TryDecapsulate(frame, out packet, verifyPayloadChecksums: true);

    /// <summary>
    /// As <see cref="TryDecapsulate(ReadOnlySpan{byte}, out TunnelPacket)"/>, but with <paramref name="verifyPayloadChecksums"/>
    /// false the UDP checksum is not summed over the payload: the view a transit hop takes, whose NIC has verified the
    /// checksum already (receive checksum offload) and which updates it incrementally instead. Headers are still checked.
    /// </summary>
    public static DecapResult TryDecapsulate(ReadOnlySpan<byte> frame, out TunnelPacket packet, bool verifyPayloadChecksums)
    {
        packet = default;
        packet.SrhOffset = -1;
        if (!Ethernet.TryReadL2Header(frame, out ushort etherType, out int ipOffset))
        {
            // The walk stopped at ipOffset: a header or tag cut short there, or a whole tag past MaxVlanTags.
            return frame.Length >= ipOffset + Ethernet.VlanTagLength
                ? new DecapResult(DecapError.UnsupportedEtherType, ipOffset - 2)
                : new DecapResult(DecapError.Truncated, Math.Min(frame.Length, ipOffset));
        }
        packet.OuterIpOffset = ipOffset;

        DecapResult result;
        byte protocol;
        int l4Offset, end, protocolOffset;
        switch (etherType)
        {
            case Ethernet.EtherTypeIPv4:
                result = ReadIpv4(frame, ipOffset, out protocol, out l4Offset, out end);
                protocolOffset = ipOffset + Ipv4.ProtocolOffset;
                packet.OuterIpVersion = 4;
                break;
            case Ethernet.EtherTypeIPv6:
                result = ReadIpv6(frame, ipOffset, ref packet, out protocol, out protocolOffset, out l4Offset, out end);
                packet.OuterIpVersion = 6;
                break;
            default:
                return new DecapResult(DecapError.UnsupportedEtherType, Ethernet.EtherTypeOffset + ipOffset - Ethernet.HeaderLength);
        }
        if (!result.IsSuccess)
        {
            return result;
        }

        switch (protocol)
        {
            case Ipv4.ProtocolGre:
                return GreDecoder.Decode(frame, l4Offset, end, ref packet);
            case Ipv4.ProtocolUdp:
                return ReadUdp(frame, ipOffset, l4Offset, end, verifyPayloadChecksums, ref packet);
            case Ipv4.ProtocolIpInIp or Ipv4.ProtocolIpv6:
                // With an SRH, SRv6 (set while walking it). Without one, the wire format is IP in IP whoever sent it:
                // SRv6 H.Encaps.Red with one SID and NEXT-C-SID in one container are byte for byte RFC 2473.
                if (packet.SrhOffset < 0)
                {
                    packet.Protocol = TunnelProtocol.IpIp;
                }
                return SetInner(frame, protocol == Ipv4.ProtocolIpInIp ? Ethernet.EtherTypeIPv4 : Ethernet.EtherTypeIPv6, l4Offset, end, protocolOffset, ref packet);
            case Ipv4.ProtocolEthernet when packet.OuterIpVersion == 6:
                packet.Protocol = TunnelProtocol.Srv6;
                return SetInner(frame, Ethernet.EtherTypeTransparentEthernetBridging, l4Offset, end, protocolOffset, ref packet);
            default:
                // An SRH in front of the transport (insert mode): the packet itself is segment-routed, nothing is encapsulated.
                return new DecapResult(packet.SrhOffset >= 0 ? DecapError.SrhInsertedNotATunnel : DecapError.NotATunnel, protocolOffset);
        }
    }

    /// <summary>Records the inner frame of a protocol type (0x6558 Ethernet, 0x0800 IPv4, 0x86DD IPv6) running to <paramref name="end"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static DecapResult SetInner(ReadOnlySpan<byte> frame, ushort protocolType, int innerOffset, int end, int protocolTypeOffset, ref TunnelPacket packet)
    {
        int length = end - innerOffset;
        switch (protocolType)
        {
            case Ethernet.EtherTypeTransparentEthernetBridging:
                if (length < Ethernet.HeaderLength)
                {
                    return new DecapResult(DecapError.Truncated, innerOffset);
                }
                packet.Inner = InnerKind.Ethernet;
                break;
            case Ethernet.EtherTypeIPv4 or Ethernet.EtherTypeIPv6:
                if (length < 1)
                {
                    return new DecapResult(DecapError.Truncated, innerOffset);
                }
                int version = protocolType == Ethernet.EtherTypeIPv4 ? 4 : 6;
                if (frame[innerOffset] >> 4 != version)
                {
                    return new DecapResult(DecapError.InnerVersionMismatch, innerOffset);
                }
                packet.Inner = version == 4 ? InnerKind.Ipv4 : InnerKind.Ipv6;
                break;
            default:
                return new DecapResult(DecapError.UnknownProtocolType, protocolTypeOffset);
        }
        packet.InnerOffset = innerOffset;
        packet.InnerLength = length;
        return DecapResult.Success;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecapResult ReadIpv4(ReadOnlySpan<byte> frame, int offset, out byte protocol, out int l4Offset, out int end)
    {
        protocol = 0;
        l4Offset = end = 0;
        ReadOnlySpan<byte> ip = frame.Slice(offset);
        if (ip.Length < Ipv4.MinHeaderLength)
        {
            return new DecapResult(DecapError.Truncated, offset);
        }
        if (Ipv4.Version(ip) != 4)
        {
            return new DecapResult(DecapError.WrongIpVersion, offset);
        }
        int headerLength = Ipv4.HeaderLength(ip);
        if (headerLength < Ipv4.MinHeaderLength)
        {
            return new DecapResult(DecapError.BadIpv4HeaderLength, offset);
        }
        int total = Ipv4.TotalLength(ip);
        if (headerLength > ip.Length || total > ip.Length)
        {
            return new DecapResult(DecapError.Truncated, offset + Ipv4.TotalLengthOffset);
        }
        if (total < headerLength)
        {
            return new DecapResult(DecapError.BadIpv4HeaderLength, offset + Ipv4.TotalLengthOffset);
        }
        if (!(headerLength == Ipv4.MinHeaderLength ? InternetChecksum.IsValid20(ip) : InternetChecksum.IsValid(ip.Slice(0, headerLength))))
        {
            return new DecapResult(DecapError.BadIpv4Checksum, offset + Ipv4.ChecksumOffset);
        }
        if (Ipv4.IsFragment(ip))
        {
            return new DecapResult(DecapError.OuterFragment, offset + Ipv4.FlagsFragmentOffset);
        }
        protocol = ip[Ipv4.ProtocolOffset];
        l4Offset = offset + headerLength;
        end = offset + total;
        return DecapResult.Success;
    }

    // protocolOffset: where the Next Header field that names the upper layer lies, the IPv6 header's or the last extension header's.
    private static DecapResult ReadIpv6(ReadOnlySpan<byte> frame, int offset, ref TunnelPacket packet, out byte protocol, out int protocolOffset, out int l4Offset, out int end)
    {
        protocol = 0;
        protocolOffset = offset + Ipv6.NextHeaderOffset;
        l4Offset = end = 0;
        ReadOnlySpan<byte> ip = frame.Slice(offset);
        if (ip.Length < Ipv6.HeaderLength)
        {
            return new DecapResult(DecapError.Truncated, offset);
        }
        if (ip[0] >> 4 != 6)
        {
            return new DecapResult(DecapError.WrongIpVersion, offset);
        }
        // The walk runs on locals, stored to the out parameters once at the end: out parameters live in the caller's
        // memory, and updating them on every step of the loop cost a store and a reload each.
        int stop = offset + Ipv6.HeaderLength + Ipv6.PayloadLength(ip);
        if (stop > frame.Length)
        {
            return new DecapResult(DecapError.Truncated, offset + Ipv6.PayloadLengthOffset);
        }
        packet.FlowLabel = Ipv6.FlowLabel(ip);

        // Walk the extension headers; the SRH is the routing header of type 4 (RFC 8754 §2).
        byte next = ip[Ipv6.NextHeaderOffset];
        int nextOffset = offset + Ipv6.NextHeaderOffset;
        int at = offset + Ipv6.HeaderLength;
        while (true)
        {
            if (next == Ipv6.NextHeaderFragment)
            {
                return new DecapResult(DecapError.OuterFragment, at);
            }
            if (!Ipv6.IsGenericExtensionHeader(next) && next != Ipv6.NextHeaderAuthentication)
            {
                break;
            }
            if (stop - at < 8)
            {
                return new DecapResult(DecapError.ExtensionHeaderChain, at);
            }
            if (next == Ipv6.NextHeaderRouting && frame[at + SegmentRoutingHeader.RoutingTypeOffset] == SegmentRoutingHeader.RoutingType)
            {
                DecapResult srh = SrhDecoder.Decode(frame, at, stop, ref packet);
                if (!srh.IsSuccess)
                {
                    return srh;
                }
                packet.Protocol = TunnelProtocol.Srv6;
            }
            int length = next == Ipv6.NextHeaderAuthentication ? (frame[at + 1] + 2) * 4 : (frame[at + 1] + 1) * 8;
            if (length > stop - at)
            {
                return new DecapResult(DecapError.ExtensionHeaderChain, at + 1);
            }
            next = frame[at];
            nextOffset = at;
            at += length;
        }
        protocol = next;
        protocolOffset = nextOffset;
        l4Offset = at;
        end = stop;
        return DecapResult.Success;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecapResult ReadUdp(ReadOnlySpan<byte> frame, int ipOffset, int offset, int end, bool verifyChecksum, ref TunnelPacket packet)
    {
        if (end - offset < Udp.HeaderLength)
        {
            return new DecapResult(DecapError.Truncated, offset);
        }
        ReadOnlySpan<byte> udp = frame.Slice(offset, end - offset);
        // The port first: a datagram to any other port is not a tunnel, and its checksum is not this decoder's business.
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(udp.Slice(Udp.DestinationPortOffset));
        // The IANA ports first, so that only a datagram to neither pays for the test of the ports deployments give VXLAN.
        if (port is not (Udp.VxlanPort or Udp.GenevePort) && !Profiles.DeployedPorts.IsVxlan(port))
        {
            return new DecapResult(packet.SrhOffset >= 0 ? DecapError.SrhInsertedNotATunnel : DecapError.UnknownUdpPort, offset + Udp.DestinationPortOffset);
        }
        if (BinaryPrimitives.ReadUInt16BigEndian(udp.Slice(Udp.LengthOffset)) != udp.Length)
        {
            return new DecapResult(DecapError.BadUdpLength, offset + Udp.LengthOffset);
        }
        if (verifyChecksum && BinaryPrimitives.ReadUInt16BigEndian(udp.Slice(Udp.ChecksumOffset)) != 0)
        {
            // Over IPv6 the pseudo-header holds the final destination (RFC 8200 §8.1): a routing header's last address.
            ReadOnlySpan<byte> ip = frame.Slice(ipOffset, end - ipOffset);
            ulong pseudo = packet.OuterIpVersion == 6
                ? Ipv6.PseudoHeaderSum(ip, Ipv4.ProtocolUdp, udp.Length)
                : Ipv4.PseudoHeaderSum(ip, Ipv4.ProtocolUdp, udp.Length);
            if (InternetChecksum.Fold(InternetChecksum.Add(pseudo, udp)) != 0xFFFF)
            {
                return new DecapResult(DecapError.BadUdpChecksum, offset + Udp.ChecksumOffset);
            }
        }
        packet.UdpSourcePort = BinaryPrimitives.ReadUInt16BigEndian(udp.Slice(Udp.SourcePortOffset));
        return port == Udp.GenevePort
            ? GeneveDecoder.Decode(frame, offset + Udp.HeaderLength, end, ref packet)
            : VxlanDecoder.Decode(frame, offset + Udp.HeaderLength, end, ref packet);
    }
}
