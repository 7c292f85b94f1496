using System.Buffers;
using System.Buffers.Binary;
using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation.Tests.Support;

/// <summary>Encapsulated frames for decoder tests: encoding a frame exactly, and resealing the outer checksums after a corruption.</summary>
public static class OuterFrames
{
    /// <summary>The exact output of <paramref name="encapsulator"/> for <paramref name="inner"/> (the copy form).</summary>
    public static byte[] Encapsulate(IEncapsulator encapsulator, ReadOnlySpan<byte> inner)
    {
        int length = encapsulator.GetEncapsulatedLength(inner);
        if (length < 0)
        {
            throw new ArgumentException($"{encapsulator.Name} cannot carry this frame.", nameof(inner));
        }
        var frame = new byte[length];
        OperationStatus status = encapsulator.Encapsulate(inner, frame, out int written);
        if (status != OperationStatus.Done || written != length)
        {
            throw new InvalidOperationException($"{encapsulator.Name}: {status}, {written} of {length} bytes.");
        }
        return frame;
    }

    /// <summary>The output of the catalogue variant <paramref name="name"/>, freshly built, for <paramref name="inner"/>.</summary>
    public static byte[] Encapsulate(string name, ReadOnlySpan<byte> inner) =>
        Encapsulate((VariantCatalog.Find(name) ?? throw new ArgumentException($"no variant {name}", nameof(name))).Create(), inner);

    /// <summary>
    /// Recomputes the outer checksums a corruption invalidated: the IPv4 header checksum, a non-zero UDP checksum
    /// (over the datagram as the IP length delimits it) and a present GRE checksum, so that the decoder reaches the
    /// field the test corrupted. Walks no extension headers: the UDP or GRE header must follow the IP header.
    /// </summary>
    public static void Reseal(byte[] frame)
    {
        if (!Ethernet.TryReadL2Header(frame, out ushort etherType, out int ip))
        {
            return;
        }
        byte protocol;
        int l4, end;
        if (etherType == Ethernet.EtherTypeIPv4)
        {
            Span<byte> header = frame.AsSpan(ip);
            int ihl = Ipv4.HeaderLength(header);
            BinaryPrimitives.WriteUInt16BigEndian(header.Slice(Ipv4.ChecksumOffset), 0);
            BinaryPrimitives.WriteUInt16BigEndian(header.Slice(Ipv4.ChecksumOffset), InternetChecksum.Compute(header.Slice(0, ihl)));
            protocol = header[Ipv4.ProtocolOffset];
            l4 = ip + ihl;
            end = Math.Min(frame.Length, ip + Ipv4.TotalLength(header));
        }
        else
        {
            protocol = frame[ip + Ipv6.NextHeaderOffset];
            l4 = ip + Ipv6.HeaderLength;
            end = Math.Min(frame.Length, l4 + Ipv6.PayloadLength(frame.AsSpan(ip)));
        }
        if (end - l4 < 8)
        {
            return;
        }
        Span<byte> transport = frame.AsSpan(l4, end - l4);
        if (protocol == Ipv4.ProtocolUdp && BinaryPrimitives.ReadUInt16BigEndian(transport.Slice(Udp.ChecksumOffset)) != 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(transport.Slice(Udp.ChecksumOffset), 0);
            ulong pseudo = etherType == Ethernet.EtherTypeIPv4
                ? Ipv4.PseudoHeaderSum(frame.AsSpan(ip), Ipv4.ProtocolUdp, transport.Length)
                : Ipv6.PseudoHeaderSum(frame.AsSpan(ip), Ipv4.ProtocolUdp, transport.Length);
            BinaryPrimitives.WriteUInt16BigEndian(transport.Slice(Udp.ChecksumOffset), Udp.ChecksumValue(pseudo, transport));
        }
        else if (protocol == Ipv4.ProtocolGre && (transport[0] & 0x80) != 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(transport.Slice(4), 0);
            BinaryPrimitives.WriteUInt16BigEndian(transport.Slice(4), InternetChecksum.Compute(transport));
        }
    }

    /// <summary>A span filled with bytes from <paramref name="random"/>, as smoltcp's tests pre-fill buffers with garbage.</summary>
    public static byte[] Garbage(int length, Random random)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
