using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation;

/// <summary>
/// The inner flow's hash, the entropy an encapsulator hands to the underlay (UDP source port, IPv6 flow
/// label, NVGRE FlowID): CRC32C of the flow key, with the CPU's CRC32C instruction where there is one (the instruction
/// VPP hashes its flows with) and a table otherwise, the same values either way. Stable across processes and machines
/// (no per-process seed), so results repeat.
/// </summary>
/// <remarks>
/// <para>The key is the 5-tuple: addresses, protocol, and the ports of TCP, UDP and SCTP. Ports are left out of
/// every fragment, the first included: a first fragment that hashed its ports would take another path than
/// the rest of its datagram (RFC 6438 §3 and the Linux flow dissector do the same).
/// IPv6 extension headers are walked to the upper-layer protocol.</para>
/// <para>The hash is the standard CRC32C (initial value and final XOR 0xFFFFFFFF, as iSCSI's, RFC 3720 §12.1) of these
/// bytes, each field as on the wire:</para>
/// <list type="bullet">
/// <item>IPv4, 16 bytes: source address, destination address, source port, destination port, protocol, three zero bytes;</item>
/// <item>IPv6, 40 bytes: source address, destination address, source port, destination port, upper-layer protocol, three zero bytes;</item>
/// <item>not IP, 12 bytes: the destination and source MAC addresses.</item>
/// </list>
/// <para>Ports absent (a fragment, another protocol, a header cut short) are four zero bytes.</para>
/// </remarks>
public static class FlowHash
{
    /// <summary>Hash of an IPv4 packet (header complete, <paramref name="packet"/> cut at Total Length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint OfIpv4(ReadOnlySpan<byte> packet) => OfIpv4<HardwareCrc32C>(packet);

    /// <summary>Hash of an IPv6 packet (header complete, <paramref name="packet"/> cut at its length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint OfIpv6(ReadOnlySpan<byte> packet) => OfIpv6<HardwareCrc32C>(packet);

    /// <summary>Hash of a non-IP frame: its destination and source MAC addresses (12 bytes).</summary>
    public static uint OfAddresses(ReadOnlySpan<byte> macs) => OfAddresses<HardwareCrc32C>(macs);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint OfIpv4<TCrc>(ReadOnlySpan<byte> packet) where TCrc : ICrc32C
    {
        byte protocol = packet[Ipv4.ProtocolOffset];
        ulong addresses = BinaryPrimitives.ReadUInt64LittleEndian(packet.Slice(Ipv4.SourceOffset));
        uint ports = Ipv4.IsFragment(packet) ? 0 : ReadPorts(packet, protocol, Ipv4.HeaderLength(packet));
        return OfIpv4Key<TCrc>(addresses, ports, protocol);
    }

    /// <summary>The IPv4 key's hash from its fields as read little-endian from the wire: both addresses, both ports (0 when absent).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint OfIpv4Key<TCrc>(ulong addresses, uint ports, byte protocol) where TCrc : ICrc32C =>
        Finish<TCrc>(TCrc.Update(uint.MaxValue, addresses), ports, protocol);

    /// <summary>The IPv6 key's hash from its fields as read little-endian from the wire: the addresses' four 8-byte words, both ports.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint OfIpv6Key<TCrc>(ulong source0, ulong source1, ulong destination0, ulong destination1, uint ports, byte protocol)
        where TCrc : ICrc32C
    {
        uint crc = TCrc.Update(uint.MaxValue, source0);
        crc = TCrc.Update(crc, source1);
        crc = TCrc.Update(crc, destination0);
        crc = TCrc.Update(crc, destination1);
        return Finish<TCrc>(crc, ports, protocol);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint OfIpv6<TCrc>(ReadOnlySpan<byte> packet) where TCrc : ICrc32C
    {
        ReadOnlySpan<byte> addresses = packet.Slice(Ipv6.SourceOffset, 2 * Ipv6.AddressLength);
        byte nextHeader = packet[Ipv6.NextHeaderOffset];
        uint ports = 0;
        if (nextHeader is Ipv4.ProtocolTcp or Ipv4.ProtocolUdp)
        {
            // The common case, no extension header: the ports follow the fixed header.
            ports = ReadPorts(packet, Ipv6.HeaderLength);
        }
        else
        {
            int offset = Ipv6.HeaderLength;
            if (Ipv6.TrySkipExtensionHeaders(packet, ref nextHeader, ref offset, out bool fragment, out _) && !fragment)
            {
                ports = ReadPorts(packet, nextHeader, offset);
            }
        }
        return OfIpv6Key<TCrc>(BinaryPrimitives.ReadUInt64LittleEndian(addresses), BinaryPrimitives.ReadUInt64LittleEndian(addresses.Slice(8)),
            BinaryPrimitives.ReadUInt64LittleEndian(addresses.Slice(16)), BinaryPrimitives.ReadUInt64LittleEndian(addresses.Slice(24)), ports, nextHeader);
    }

    internal static uint OfAddresses<TCrc>(ReadOnlySpan<byte> macs) where TCrc : ICrc32C
    {
        uint crc = TCrc.Update(uint.MaxValue, BinaryPrimitives.ReadUInt64LittleEndian(macs));
        return ~TCrc.Update(crc, BinaryPrimitives.ReadUInt32LittleEndian(macs.Slice(8, 4)));
    }

    /// <summary>A port in [<paramref name="min"/>, <paramref name="max"/>] from a hash, by multiply-shift as Linux's udp_flow_src_port does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ToPort(uint hash, ushort min, ushort max) =>
        (ushort)(min + (int)(((ulong)hash * (uint)(max - min + 1)) >> 32));

    /// <summary>A 20-bit flow label from a hash; never 0, which RFC 6437 §2 reserves for "not labelled".</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ToFlowLabel(uint hash)
    {
        uint label = (hash ^ (hash >> 20)) & Ipv6.FlowLabelMask;
        return label == 0 ? 1 : label;
    }

    /// <summary>The key's last 8 bytes: the ports as on the wire (read little-endian), the protocol, three zero bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Finish<TCrc>(uint crc, uint ports, byte protocol) where TCrc : ICrc32C =>
        ~TCrc.Update(crc, ports | ((ulong)protocol << 32));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadPorts(ReadOnlySpan<byte> packet, byte protocol, int offset) =>
        protocol is Ipv4.ProtocolTcp or Ipv4.ProtocolUdp or Ipv4.ProtocolSctp ? ReadPorts(packet, offset) : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadPorts(ReadOnlySpan<byte> packet, int offset) =>
        offset <= packet.Length - 4 ? BinaryPrimitives.ReadUInt32LittleEndian(packet.Slice(offset)) : 0;
}
