using System.Buffers;
using System.Buffers.Binary;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Encapsulation.Chain;

/// <summary>What a service hop did with a packet.</summary>
public enum HopStatus
{
    /// <summary>Updated and sent on to the next service.</summary>
    Forwarded,
    /// <summary>The path is complete (service index 0): the packet is for the egress, not another service.</summary>
    PathEnd,
    /// <summary>Not a packet of this chain (not the tunnel, or no service-path option).</summary>
    NotOnPath,
    /// <summary>TTL / hop limit would reach 0.</summary>
    HopLimitExceeded,
    /// <summary>Headers cut short or inconsistent.</summary>
    Malformed,
    /// <summary>The buffer has no room for the new outer headers.</summary>
    NoRoom,
}

/// <summary>
/// A service path carried as a GENEVE option, as NSH's Service Path Header (RFC 8300 §2.3) carries it: a 24-bit
/// Service Path Identifier and an 8-bit Service Index that every service decrements. Class 0xFFF1 lies in GENEVE's
/// experimental range (RFC 8926 §8); the type's critical bit is set, since a hop that cannot read it must not forward.
/// </summary>
public static class GeneveServicePath
{
    public const ushort OptionClass = 0xFFF1;
    public const byte OptionType = 0x81;
    public const int DataLength = 4;

    public static GeneveOption Option(uint servicePathId, byte serviceIndex)
    {
        if (servicePathId > 0xFF_FFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(servicePathId), servicePathId, "A service path identifier has 24 bits.");
        }
        var data = new byte[DataLength];
        BinaryPrimitives.WriteUInt32BigEndian(data, (servicePathId << 8) | serviceIndex);
        return new GeneveOption(OptionClass, OptionType, data);
    }

    /// <summary>Offset of the service-path option's data in <paramref name="frame"/>, or -1.</summary>
    public static int Find(ReadOnlySpan<byte> frame, in TunnelPacket packet)
    {
        ReadOnlySpan<byte> options = frame.Slice(packet.GeneveOptionsOffset, packet.GeneveOptionsLength);
        for (int at = 0; at + GeneveHeader.OptionHeaderLength <= options.Length;)
        {
            ReadOnlySpan<byte> option = options.Slice(at);
            int dataLength = GeneveHeader.OptionDataLength(option);
            if (BinaryPrimitives.ReadUInt16BigEndian(option) == OptionClass && option[GeneveHeader.OptionTypeOffset] == OptionType && dataLength >= DataLength)
            {
                return packet.GeneveOptionsOffset + at + GeneveHeader.OptionHeaderLength;
            }
            at += GeneveHeader.OptionHeaderLength + dataLength;
        }
        return -1;
    }

    /// <summary>
    /// One service's forwarding work: decrement the Service Index, send the packet to <paramref name="nextHop"/> (the
    /// next service's address, the underlay's family), decrement TTL / hop limit, and update the IPv4 header checksum
    /// and a non-zero UDP checksum incrementally (RFC 1624), as a forwarding plane would rather than summing again.
    /// </summary>
    public static HopStatus Advance(Span<byte> frame, ReadOnlySpan<byte> nextHop)
    {
        // A transit hop reads headers only: its NIC verified the UDP checksum on receive, and it updates it incrementally.
        if (!Decapsulator.TryDecapsulate(frame, out TunnelPacket packet, verifyPayloadChecksums: false).IsSuccess)
        {
            return HopStatus.Malformed;
        }
        if (packet.Protocol != TunnelProtocol.Geneve)
        {
            return HopStatus.NotOnPath;
        }
        int data = Find(frame, packet);
        if (data < 0)
        {
            return HopStatus.NotOnPath;
        }
        int indexOffset = data + 3;
        if (frame[indexOffset] == 0)
        {
            return HopStatus.PathEnd;
        }
        int ip = packet.OuterIpOffset;
        bool v6 = packet.OuterIpVersion == 6;
        int hopOffset = ip + (v6 ? Ipv6.HopLimitOffset : Ipv4.TtlOffset);
        if (frame[hopOffset] <= 1)
        {
            return HopStatus.HopLimitExceeded;
        }
        int addressLength = v6 ? Ipv6.AddressLength : Ipv4.AddressLength;
        if (nextHop.Length != addressLength)
        {
            return HopStatus.Malformed;
        }

        // The UDP header ends where GENEVE begins, past any IPv6 extension headers.
        int udp = packet.GeneveOptionsOffset - GeneveHeader.BaseLength - Udp.HeaderLength;
        Span<byte> checksumField = frame.Slice(udp + Udp.ChecksumOffset, 2);
        ushort checksum = BinaryPrimitives.ReadUInt16BigEndian(checksumField);
        // The Service Index is the low byte of its 16-bit word (the option data starts on a 4-byte boundary).
        checksum = ReplaceWord(frame, indexOffset - 1, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(indexOffset - 1)) - 1), checksum);
        // The destination address is in the UDP pseudo-header, unless a routing header holds the final destination
        // there (RFC 8200 §8.1): then the new address changes the header only.
        int destination = ip + (v6 ? Ipv6.DestinationOffset : Ipv4.DestinationOffset);
        Span<byte> finalDestination = stackalloc byte[Ipv6.AddressLength];
        bool inPseudoHeader = !v6 || !RoutingHeader.FinalDestination(frame.Slice(ip), finalDestination);
        for (int i = 0; i < addressLength; i += 2)
        {
            ushort word = BinaryPrimitives.ReadUInt16BigEndian(nextHop.Slice(i));
            if (inPseudoHeader)
            {
                checksum = ReplaceWord(frame, destination + i, word, checksum);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(frame.Slice(destination + i), word);
            }
        }
        if (checksum == 0 && BinaryPrimitives.ReadUInt16BigEndian(checksumField) != 0)
        {
            checksum = 0xFFFF; // RFC 768: a computed 0 is sent as all ones.
        }
        if (BinaryPrimitives.ReadUInt16BigEndian(checksumField) != 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(checksumField, checksum);
        }
        frame[hopOffset]--;
        if (!v6)
        {
            Ipv4.WriteChecksum(frame.Slice(ip));
        }
        return HopStatus.Forwarded;
    }

    /// <summary>Writes a 16-bit word and returns the checksum updated for it.</summary>
    private static ushort ReplaceWord(Span<byte> frame, int offset, ushort value, ushort checksum)
    {
        ushort old = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset));
        BinaryPrimitives.WriteUInt16BigEndian(frame.Slice(offset), value);
        return InternetChecksum.Update(checksum, old, value);
    }

    /// <summary>The Service Index of a GENEVE packet on a path, or -1.</summary>
    public static int ServiceIndex(ReadOnlySpan<byte> frame)
    {
        if (!Decapsulator.TryDecapsulate(frame, out TunnelPacket packet).IsSuccess || packet.Protocol != TunnelProtocol.Geneve)
        {
            return -1;
        }
        int data = Find(frame, packet);
        return data < 0 ? -1 : frame[data + 3];
    }
}

/// <summary>
/// VXLAN service stitching: every service terminates the tunnel and opens a new one toward the next service (how
/// VLAN/VXLAN service stitching and Azure's Gateway Load Balancer chain appliances). In place: the inner frame stays
/// where it is and the next hop's outer headers are written into the room the old ones leave.
/// </summary>
public static class VxlanStitch
{
    public static HopStatus Advance(Span<byte> buffer, int frameOffset, int frameLength, VxlanEncapsulator next, out int packetOffset, out int packetLength)
    {
        packetOffset = frameOffset;
        packetLength = frameLength;
        ReadOnlySpan<byte> frame = buffer.Slice(frameOffset, frameLength);
        // The terminating service's NIC verified the UDP checksum on receive (offload), as for a GENEVE hop.
        if (!Decapsulator.TryDecapsulate(frame, out TunnelPacket packet, verifyPayloadChecksums: false).IsSuccess)
        {
            return HopStatus.Malformed;
        }
        if (packet.Protocol != TunnelProtocol.Vxlan)
        {
            return HopStatus.NotOnPath;
        }
        OperationStatus status = next.EncapsulateInPlace(buffer, frameOffset + packet.InnerOffset, packet.InnerLength, out packetOffset, out packetLength);
        return status switch
        {
            OperationStatus.Done => HopStatus.Forwarded,
            OperationStatus.DestinationTooSmall => HopStatus.NoRoom,
            _ => HopStatus.Malformed,
        };
    }
}
