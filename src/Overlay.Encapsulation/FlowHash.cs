using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation;

/// <summary>
/// The inner flow's hash, the entropy an encapsulator hands to the underlay (UDP source port, IPv6 flow
/// label, NVGRE FlowID). Stable across processes and machines (no per-process seed), so results repeat.
/// </summary>
/// <remarks>
/// The key is the 5-tuple: addresses, protocol, and the ports of TCP, UDP and SCTP. Ports are left out of
/// every fragment, the first included: a first fragment that hashed its ports would take another path than
/// the rest of its datagram (RFC 6438 §3 and the Linux flow dissector do the same).
/// IPv6 extension headers are walked to the upper-layer protocol.
/// </remarks>
public static class FlowHash
{
    private const uint Seed = 0x9E3779B9;

    /// <summary>Hash of an IPv4 packet (header complete, <paramref name="packet"/> cut at Total Length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint OfIpv4(ReadOnlySpan<byte> packet)
    {
        byte protocol = packet[Ipv4.ProtocolOffset];
        uint h = Seed;
        h = Mix(h, BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(Ipv4.SourceOffset)));
        h = Mix(h, BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(Ipv4.DestinationOffset)));
        int l4 = Ipv4.HeaderLength(packet);
        uint ports = Ipv4.IsFragment(packet) ? 0 : ReadPorts(packet, protocol, l4);
        h = Mix(h, ((uint)protocol << 24) | 4);
        h = Mix(h, ports);
        return Finalise(h);
    }

    /// <summary>Hash of an IPv6 packet (header complete, <paramref name="packet"/> cut at its length).</summary>
    public static uint OfIpv6(ReadOnlySpan<byte> packet)
    {
        uint h = Seed;
        ReadOnlySpan<byte> addresses = packet.Slice(Ipv6.SourceOffset, 2 * Ipv6.AddressLength);
        for (int i = 0; i < addresses.Length; i += 4)
        {
            h = Mix(h, BinaryPrimitives.ReadUInt32BigEndian(addresses.Slice(i)));
        }
        byte nextHeader = packet[Ipv6.NextHeaderOffset];
        int offset = Ipv6.HeaderLength;
        uint ports = 0;
        if (Ipv6.TrySkipExtensionHeaders(packet, ref nextHeader, ref offset, out bool fragment, out _) && !fragment)
        {
            ports = ReadPorts(packet, nextHeader, offset);
        }
        h = Mix(h, ((uint)nextHeader << 24) | 6);
        h = Mix(h, ports);
        return Finalise(h);
    }

    /// <summary>Hash of a non-IP frame: its destination and source MAC addresses (12 bytes).</summary>
    public static uint OfAddresses(ReadOnlySpan<byte> macs)
    {
        uint h = Seed;
        h = Mix(h, BinaryPrimitives.ReadUInt32BigEndian(macs));
        h = Mix(h, BinaryPrimitives.ReadUInt32BigEndian(macs.Slice(4)));
        h = Mix(h, BinaryPrimitives.ReadUInt32BigEndian(macs.Slice(8)));
        return Finalise(h);
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

    private static uint ReadPorts(ReadOnlySpan<byte> packet, byte protocol, int offset) =>
        protocol is Ipv4.ProtocolTcp or Ipv4.ProtocolUdp or Ipv4.ProtocolSctp && offset + 4 <= packet.Length
            ? BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(offset))
            : 0;

    // murmur3's 32-bit block mix and finaliser: cheap, and every input bit reaches every output bit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(uint h, uint k)
    {
        k *= 0xCC9E2D51;
        k = BitOperations.RotateLeft(k, 15);
        k *= 0x1B873593;
        h ^= k;
        h = BitOperations.RotateLeft(h, 13);
        return h * 5 + 0xE6546B64;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Finalise(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return h;
    }
}
