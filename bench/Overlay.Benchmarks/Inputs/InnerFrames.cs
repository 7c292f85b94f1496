using System.Buffers.Binary;
using System.Globalization;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;

namespace Overlay.Benchmarks.Inputs;

/// <summary>
/// The inner frames every fixed-size benchmark encapsulates: Ethernet + IPv4 + TCP with seeded payload bytes,
/// one flow per frame of a batch (so the flow hash, the UDP source port and the flow label vary as on a real
/// link), valid IPv4 header checksums. Sizes are whole Ethernet frames without FCS, as a capture holds them.
/// </summary>
public static class InnerFrames
{
    /// <summary>The "simple IMIX" parameter value: 7:4:1 of 40-, 576- and 1500-byte IP packets.</summary>
    public const string Imix = "imix";

    /// <summary>Every inner frame size the benchmarks measure (minimum to jumbo, then IMIX), in the order the charts read them.</summary>
    public static readonly string[] Sizes = ["64", "128", "256", "512", "1024", "1500", "9000", Imix];

    /// <summary>Frames of simple IMIX, in IP-packet bytes, with their weights (7:4:1).</summary>
    public static readonly (int IpLength, int Weight)[] ImixMix = [(40, 7), (576, 4), (1500, 1)];

    /// <summary>The smallest frame that holds Ethernet + IPv4 + TCP (a 40-byte IP packet, the IMIX ACK).</summary>
    public const int MinFrameLength = Ethernet.HeaderLength + Ipv4.MinHeaderLength + 20;

    public const int Seed = 20261126;

    /// <summary>Frame lengths for one batch of <paramref name="count"/> frames of size <paramref name="size"/>.</summary>
    public static int[] Lengths(string size, int count)
    {
        if (size.Equals(Imix, StringComparison.OrdinalIgnoreCase))
        {
            // Whole 12-frame IMIX cycles, each shuffled with a fixed seed so the sizes do not repeat in a pattern a branch predictor learns.
            int cycle = ImixMix.Sum(m => m.Weight);
            if (count % cycle != 0)
            {
                throw new ArgumentException($"An IMIX batch holds whole cycles of {cycle} frames; {count} is not a multiple.", nameof(count));
            }
            var random = new Random(Seed);
            var lengths = new List<int>(count);
            for (int c = 0; c < count / cycle; c++)
            {
                var one = ImixMix.SelectMany(m => Enumerable.Repeat(Ethernet.HeaderLength + m.IpLength, m.Weight)).ToArray();
                random.Shuffle(one);
                lengths.AddRange(one);
            }
            return lengths.ToArray();
        }
        int length = int.Parse(size, NumberStyles.None, CultureInfo.InvariantCulture);
        if (length < MinFrameLength)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"Frames are at least {MinFrameLength} bytes (Ethernet + IPv4 + TCP).");
        }
        return Enumerable.Repeat(length, count).ToArray();
    }

    /// <summary>Mean frame length of a size parameter (IMIX: its weighted mean).</summary>
    public static double MeanLength(string size) => size.Equals(Imix, StringComparison.OrdinalIgnoreCase)
        ? ImixMix.Sum(m => (double)(Ethernet.HeaderLength + m.IpLength) * m.Weight) / ImixMix.Sum(m => m.Weight)
        : int.Parse(size, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Writes an Ethernet + IPv4 + TCP frame of <paramref name="destination"/>'s length for flow <paramref name="flow"/>.</summary>
    public static void Write(Span<byte> destination, int flow, Random random)
    {
        if (destination.Length < MinFrameLength)
        {
            throw new ArgumentOutOfRangeException(nameof(destination), destination.Length, "too short for Ethernet + IPv4 + TCP");
        }
        random.NextBytes(destination);
        ReadOnlySpan<byte> dstMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
        ReadOnlySpan<byte> srcMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
        Ethernet.Write(destination, dstMac, srcMac, Ethernet.EtherTypeIPv4);

        Span<byte> ip = destination.Slice(Ethernet.HeaderLength);
        Span<byte> source = [10, 0, (byte)(flow >> 8), (byte)flow];
        Span<byte> target = [10, 1, 0, (byte)(1 + flow % 7)];
        Ipv4.Write(ip, tos: 0, dontFragment: true, ttl: 64, Ipv4.ProtocolTcp, source, target);
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv4.TotalLengthOffset), (ushort)ip.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv4.IdentificationOffset), (ushort)(flow * 31));
        Ipv4.WriteChecksum(ip);

        Span<byte> tcp = ip.Slice(Ipv4.MinHeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)(32768 + flow));           // source port
        BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(2), (ushort)(flow % 2 == 0 ? 443 : 80));
        tcp[12] = 5 << 4;                                                              // data offset: 20 bytes
        tcp[13] = 0x18;                                                                // PSH, ACK
        BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(14), 65535);                   // window
        BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(16), 0);                       // checksum: below
        BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(18), 0);                       // urgent pointer
        ulong pseudo = Ipv4.PseudoHeaderSum(ip, Ipv4.ProtocolTcp, tcp.Length);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(16), InternetChecksum.Finish(InternetChecksum.Add(pseudo, tcp)));
    }

    /// <summary>
    /// Writes an Ethernet + IPv6 frame of <paramref name="destination"/>'s length for flow <paramref name="flow"/>, for the
    /// variants that carry IPv6 alone (IPv6 in IPv4 or IPv6): TCP where the packet holds its header (60 bytes and up), else
    /// No Next Header (59, RFC 8200 §4.7) with the seeded bytes after it, so that the 64-byte and IMIX sizes stay the same.
    /// </summary>
    public static void WriteIpv6(Span<byte> destination, int flow, Random random)
    {
        if (destination.Length < Ethernet.HeaderLength + Ipv6.HeaderLength)
        {
            throw new ArgumentOutOfRangeException(nameof(destination), destination.Length, "too short for Ethernet + IPv6");
        }
        random.NextBytes(destination);
        ReadOnlySpan<byte> dstMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
        ReadOnlySpan<byte> srcMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
        Ethernet.Write(destination, dstMac, srcMac, Ethernet.EtherTypeIPv6);

        Span<byte> ip = destination.Slice(Ethernet.HeaderLength);
        Span<byte> source = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)(flow >> 8), (byte)flow];
        Span<byte> target = [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, (byte)(1 + flow % 7)];
        bool tcp = ip.Length >= Ipv6.HeaderLength + 20;
        Ipv6.Write(ip, trafficClass: 0, flowLabel: 0, tcp ? Ipv4.ProtocolTcp : Ipv6.NextHeaderNone, hopLimit: 64, source, target);
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv6.PayloadLengthOffset), (ushort)(ip.Length - Ipv6.HeaderLength));
        if (!tcp)
        {
            return;
        }
        Span<byte> segment = ip.Slice(Ipv6.HeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(segment, (ushort)(32768 + flow));
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(2), (ushort)(flow % 2 == 0 ? 443 : 80));
        segment[12] = 5 << 4;
        segment[13] = 0x18;
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(14), 65535);
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(16), 0);
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(18), 0);
        ulong pseudo = Ipv6.PseudoHeaderSum(ip, Ipv4.ProtocolTcp, segment.Length);
        BinaryPrimitives.WriteUInt16BigEndian(segment.Slice(16), InternetChecksum.Finish(InternetChecksum.Add(pseudo, segment)));
    }

    /// <summary>A stand-alone frame of <paramref name="length"/> bytes (for one-off use outside a batch).</summary>
    public static byte[] Create(int length, int flow = 0)
    {
        var frame = new byte[length];
        Write(frame, flow, new Random(Seed + flow));
        return frame;
    }
}
