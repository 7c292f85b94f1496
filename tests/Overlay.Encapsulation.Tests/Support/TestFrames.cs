using System.Buffers.Binary;
using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation.Tests.Support;

/// <summary>Builds valid inner Ethernet frames (checksums correct) for tests: IPv4/IPv6, TCP/UDP/ICMP, VLAN tags, padding.</summary>
public static class TestFrames
{
    public static readonly byte[] InnerDestinationMac = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];
    public static readonly byte[] InnerSourceMac = [0x02, 0x66, 0x77, 0x88, 0x99, 0xAA];

    public enum L4 : byte { Icmp = 1, Tcp = 6, Udp = 17 }

    /// <summary>An Ethernet frame of exactly <paramref name="frameLength"/> bytes (≥ the headers) carrying IPv4 or IPv6.</summary>
    public static byte[] Ip(int ipVersion, L4 protocol, int frameLength, ushort sourcePort = 40000, ushort destinationPort = 80,
        int vlanTags = 0, byte hopLimit = 64, byte trafficClass = 0, uint flowLabel = 0, int seed = 1, int padding = 0,
        byte lastAddressByte = 10)
    {
        int l2 = Ethernet.HeaderLength + 4 * vlanTags;
        int ipHeader = ipVersion == 4 ? Ipv4.MinHeaderLength : Ipv6.HeaderLength;
        int l4Header = protocol switch { L4.Tcp => 20, L4.Udp => 8, _ => 8 };
        int ipLength = frameLength - l2 - padding;
        if (ipLength < ipHeader + l4Header)
        {
            throw new ArgumentOutOfRangeException(nameof(frameLength), frameLength, "too short for the headers");
        }
        var frame = new byte[frameLength];
        InnerDestinationMac.CopyTo(frame, 0);
        InnerSourceMac.CopyTo(frame, 6);
        int at = 12;
        for (int t = 0; t < vlanTags; t++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(at), t == 0 && vlanTags > 1 ? Ethernet.EtherTypeQinQ : Ethernet.EtherTypeVlan);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(at + 2), (ushort)(100 + t));
            at += 4;
        }
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(at), ipVersion == 4 ? Ethernet.EtherTypeIPv4 : Ethernet.EtherTypeIPv6);
        Span<byte> ip = frame.AsSpan(l2, ipLength);
        byte nextHeader = protocol == L4.Icmp && ipVersion == 6 ? Ipv6.NextHeaderIcmpv6 : (byte)protocol;
        if (ipVersion == 4)
        {
            Ipv4.Write(ip, trafficClass, true, hopLimit, nextHeader, [10, 0, 0, 1], [10, 0, 0, lastAddressByte]);
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv4.TotalLengthOffset), (ushort)ipLength);
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv4.IdentificationOffset), (ushort)seed);
            Ipv4.WriteChecksum(ip);
        }
        else
        {
            byte[] src = [0x20, 0x01, 0x0d, 0xb8, 0xaa, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
            byte[] dst = [0x20, 0x01, 0x0d, 0xb8, 0xaa, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, lastAddressByte];
            Ipv6.Write(ip, trafficClass, flowLabel, nextHeader, hopLimit, src, dst);
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv6.PayloadLengthOffset), (ushort)(ipLength - Ipv6.HeaderLength));
        }
        Span<byte> l4 = ip.Slice(ipHeader);
        var random = new Random(seed);
        random.NextBytes(l4.Slice(l4Header));
        switch (protocol)
        {
            case L4.Tcp:
                BinaryPrimitives.WriteUInt16BigEndian(l4, sourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(l4.Slice(2), destinationPort);
                BinaryPrimitives.WriteUInt32BigEndian(l4.Slice(4), (uint)seed);
                BinaryPrimitives.WriteUInt32BigEndian(l4.Slice(8), 1);
                l4[12] = 5 << 4;
                l4[13] = 0x18; // PSH, ACK
                BinaryPrimitives.WriteUInt16BigEndian(l4.Slice(14), 65535);
                BinaryPrimitives.WriteUInt32BigEndian(l4.Slice(16), 0);
                WriteTransportChecksum(ip, ipVersion, nextHeader, l4, 16);
                break;
            case L4.Udp:
                BinaryPrimitives.WriteUInt16BigEndian(l4, sourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(l4.Slice(2), destinationPort);
                BinaryPrimitives.WriteUInt16BigEndian(l4.Slice(4), (ushort)l4.Length);
                BinaryPrimitives.WriteUInt16BigEndian(l4.Slice(6), 0);
                WriteTransportChecksum(ip, ipVersion, nextHeader, l4, 6);
                break;
            default:
                l4[0] = ipVersion == 4 ? (byte)8 : (byte)128; // echo request
                l4[1] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(l4.Slice(2), 0);
                BinaryPrimitives.WriteUInt32BigEndian(l4.Slice(4), (uint)seed);
                if (ipVersion == 4)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(l4.Slice(2), InternetChecksum.Compute(l4));
                }
                else
                {
                    WriteTransportChecksum(ip, ipVersion, nextHeader, l4, 2);
                }
                break;
        }
        return frame;
    }

    /// <summary>A 60-byte ARP request: not IP, so only L2 modes can carry it.</summary>
    public static byte[] Arp()
    {
        var frame = new byte[60];
        Array.Fill(frame, (byte)0xFF, 0, 6);
        InnerSourceMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), Ethernet.EtherTypeArp);
        byte[] arp = [0, 1, 8, 0, 6, 4, 0, 1, .. InnerSourceMac, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2];
        arp.CopyTo(frame, 14);
        return frame;
    }

    /// <summary>A mix of frames every variant must carry (L3 variants all but the ARP).</summary>
    public static IEnumerable<(string Name, byte[] Frame)> Samples()
    {
        yield return ("ipv4-tcp-60", Ip(4, L4.Tcp, 60, padding: 6, sourcePort: 40001));
        yield return ("ipv4-udp-128", Ip(4, L4.Udp, 128, sourcePort: 40002, destinationPort: 5000));
        yield return ("ipv4-icmp-98", Ip(4, L4.Icmp, 98));
        yield return ("ipv4-tcp-1514", Ip(4, L4.Tcp, 1514, seed: 7, sourcePort: 40004));
        yield return ("ipv6-tcp-86", Ip(6, L4.Tcp, 86, flowLabel: 0x12345, trafficClass: 0xB8, sourcePort: 40005));
        yield return ("ipv6-udp-1514", Ip(6, L4.Udp, 1514, seed: 3, sourcePort: 40006, destinationPort: 5001));
        yield return ("ipv6-icmp-118", Ip(6, L4.Icmp, 118, hopLimit: 255));
        yield return ("vlan-ipv4-udp-200", Ip(4, L4.Udp, 200, vlanTags: 1, sourcePort: 40008, destinationPort: 5002));
        yield return ("qinq-ipv6-tcp-300", Ip(6, L4.Tcp, 300, vlanTags: 2, sourcePort: 40009, destinationPort: 5004));
        yield return ("ipv4-udp-9000", Ip(4, L4.Udp, 9000, seed: 11, sourcePort: 40010, destinationPort: 5003));
        yield return ("arp-60", Arp());
    }

    private static void WriteTransportChecksum(Span<byte> ip, int ipVersion, byte protocol, Span<byte> l4, int checksumOffset)
    {
        ulong pseudo = ipVersion == 4 ? Ipv4.PseudoHeaderSum(ip, protocol, l4.Length) : Ipv6.PseudoHeaderSum(ip, protocol, l4.Length);
        ushort value = InternetChecksum.Finish(InternetChecksum.Add(pseudo, l4));
        if (protocol == (byte)L4.Udp && value == 0)
        {
            value = 0xFFFF;
        }
        BinaryPrimitives.WriteUInt16BigEndian(l4.Slice(checksumOffset), value);
    }
}
