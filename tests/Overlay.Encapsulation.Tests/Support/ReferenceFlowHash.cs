using System.Buffers.Binary;

namespace Overlay.Encapsulation.Tests.Support;

/// <summary>
/// The flow hash's rules written out a second time, independently of <see cref="FlowHash"/> and of any CRC code in the
/// library: CRC32C computed bit by bit from the Castagnoli polynomial, over a flow key assembled field by field, and the
/// mappings of a hash to a UDP source port, an IPv6 flow label and an NVGRE FlowID. The golden vectors' entropy fields
/// are checked against this (<c>GoldenEntropyTests</c>), so none of them is copied from the encoder's output.
/// </summary>
public static class ReferenceFlowHash
{
    /// <summary>CRC32C, bit-reflected polynomial 0x82F63B78 (RFC 3720 §12.1, B.4), initial value and final XOR all ones.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
            }
        }
        return ~crc;
    }

    /// <summary>
    /// The key of an IP flow: source and destination address, the ports (zero when the protocol has none here or the
    /// packet is a fragment), the upper-layer protocol and three zero bytes.
    /// </summary>
    public static byte[] IpKey(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, ushort sourcePort, ushort destinationPort)
    {
        var key = new byte[2 * source.Length + 8];
        source.CopyTo(key);
        destination.CopyTo(key.AsSpan(source.Length));
        BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(2 * source.Length), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(2 * source.Length + 2), destinationPort);
        key[2 * source.Length + 4] = protocol;
        return key;
    }

    /// <summary>The key of a non-IP frame: destination then source MAC address.</summary>
    public static byte[] MacKey(ReadOnlySpan<byte> destination, ReadOnlySpan<byte> source) => [.. destination, .. source];

    /// <summary>Linux's udp_flow_src_port: the hash scaled onto [min, max] by multiplying and keeping the high 32 bits.</summary>
    public static ushort Port(uint hash, int min, int max) => (ushort)(min + (long)hash * (max - min + 1) / (1L << 32));

    /// <summary>The 20-bit flow label: the hash's low 20 bits XOR its high 12; 1 in place of 0 (RFC 6437 §2 reserves 0).</summary>
    public static uint FlowLabel(uint hash)
    {
        uint label = (hash & 0xFFFFF) ^ (hash >> 20);
        return label == 0 ? 1 : label;
    }

    /// <summary>The NVGRE FlowID: the hash's four bytes XORed into one (RFC 7637 §3.2 lets the low key byte carry entropy).</summary>
    public static byte FlowId(uint hash) => (byte)((hash >> 24) ^ (hash >> 16) ^ (hash >> 8) ^ hash);

    // The golden frames' flows (GoldenFrames), their fields retyped from the frames' documentation.

    /// <summary>10.0.0.1 → 10.0.0.2, ICMP (protocol 1, no ports).</summary>
    public static uint GoldenV4 => Crc32C(IpKey([10, 0, 0, 1], [10, 0, 0, 2], 1, 0, 0));

    /// <summary>2001:db8:aa::1 → 2001:db8:aa::2, UDP 40000 → 53.</summary>
    public static uint GoldenV6 => Crc32C(IpKey(
        [0x20, 0x01, 0x0d, 0xb8, 0x00, 0xaa, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        [0x20, 0x01, 0x0d, 0xb8, 0x00, 0xaa, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], 17, 40000, 53));

    /// <summary>The ARP request: broadcast ← 02:66:77:88:99:aa.</summary>
    public static uint GoldenArp => Crc32C(MacKey([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x02, 0x66, 0x77, 0x88, 0x99, 0xaa]));
}
