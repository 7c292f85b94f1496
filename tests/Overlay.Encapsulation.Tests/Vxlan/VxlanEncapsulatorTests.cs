using System.Buffers.Binary;
using System.Net;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Encapsulation.Vxlan;
using static Overlay.Encapsulation.Tests.Support.GoldenFrames;

namespace Overlay.Encapsulation.Tests.Vxlan;

/// <summary>
/// VXLAN (RFC 7348) against hand-checked byte vectors, and the UDP policies every UDP tunnel shares:
/// the checksum (zero over IPv4 by default, RFC 7348 §5; computed over IPv6, RFC 8200 §8.1) and the
/// entropy source port (RFC 7348 §5: a hash of the inner headers, in 49152–65535 by default).
/// </summary>
/// <remarks>
/// The golden vectors pin the source-port range to the single port 49152 (0xc000) and the IPv6 flow label to 0,
/// so they compare only bytes the RFCs define; the "hash" rows pin the entropy of the golden inner frames too.
/// UDP checksums were computed independently (pseudo-header per RFC 768 / RFC 8200 §8.1) with a separate script.
/// </remarks>
public class VxlanEncapsulatorTests
{
    private static readonly PortRange Pinned = new(49152, 49152);

    private static Underlay UnderlayFor(string underlay) => underlay switch
    {
        "v4" => Underlay.Ipv4() with { SourcePorts = Pinned },
        "v4-csum-on" => Underlay.Ipv4() with { SourcePorts = Pinned, UdpChecksum = UdpChecksumPolicy.On },
        "v4-hash" => Underlay.Ipv4(),
        "v6" => Underlay.Ipv6() with { SourcePorts = Pinned, FlowLabel = FlowLabelPolicy.Zero },
        "v6-csum-off" => Underlay.Ipv6() with { SourcePorts = Pinned, FlowLabel = FlowLabelPolicy.Zero, UdpChecksum = UdpChecksumPolicy.Off },
        "v6-hash" => Underlay.Ipv6(),
        _ => throw new ArgumentOutOfRangeException(nameof(underlay)),
    };

    [Theory]
    // Eth | IPv4: total 0x0052 = 20 + 8 UDP + 8 VXLAN + 46, ID 0, TTL 64, proto 0x11 UDP, checksum 0x8e65 (sum 0x719a) |
    // UDP: sport 0xc000 (49152), dport 0x12b5 (4789), length 0x003e = 62, checksum 0 (default over IPv4, RFC 7348 §5) |
    // VXLAN: flags 0x08 (I), 24 reserved bits 0 | VNI 0x001092 (4242), reserved 00
    [InlineData("v4", 4242u, 4789, "v4",
        OuterEthernetV4 + "| 45 00 0052 0000 0000 40 11 8e65 c0000201 c6336401 | c000 12b5 003e 0000 | 08 000000 | 001092 00")]
    // Checksum on over IPv4: 0x2243 over the pseudo-header (addresses, 0x0011, length 0x003e), UDP header, VXLAN, frame.
    [InlineData("v4-csum-on", 4242u, 4789, "v4",
        OuterEthernetV4 + "| 45 00 0052 0000 0000 40 11 8e65 c0000201 c6336401 | c000 12b5 003e 2243 | 08 000000 | 001092 00")]
    // An IPv6 inner frame: total 0x0066 = 36 + 66, UDP length 0x0052.
    [InlineData("v4", 4242u, 4789, "v6",
        OuterEthernetV4 + "| 45 00 0066 0000 0000 40 11 8e51 c0000201 c6336401 | c000 12b5 0052 0000 | 08 000000 | 001092 00")]
    // A padded frame is carried with its padding: VXLAN carries the Ethernet frame as it is (total 0x0060 = 36 + 60).
    [InlineData("v4", 4242u, 4789, "v4-padded",
        OuterEthernetV4 + "| 45 00 0060 0000 0000 40 11 8e57 c0000201 c6336401 | c000 12b5 004c 0000 | 08 000000 | 001092 00")]
    // A non-IP frame (60-byte ARP), same lengths as above.
    [InlineData("v4", 4242u, 4789, "arp",
        OuterEthernetV4 + "| 45 00 0060 0000 0000 40 11 8e57 c0000201 c6336401 | c000 12b5 004c 0000 | 08 000000 | 001092 00")]
    // VNI edges: 0 and 0xffffff (24 bits, the low byte of the word stays reserved = 0).
    [InlineData("v4", 0u, 4789, "v4",
        OuterEthernetV4 + "| 45 00 0052 0000 0000 40 11 8e65 c0000201 c6336401 | c000 12b5 003e 0000 | 08 000000 | 000000 00")]
    [InlineData("v4", 0xFFFFFFu, 4789, "v4",
        OuterEthernetV4 + "| 45 00 0052 0000 0000 40 11 8e65 c0000201 c6336401 | c000 12b5 003e 0000 | 08 000000 | ffffff 00")]
    // Another destination port (Linux's pre-IANA 8472 = 0x2118).
    [InlineData("v4", 4242u, 8472, "v4",
        OuterEthernetV4 + "| 45 00 0052 0000 0000 40 11 8e65 c0000201 c6336401 | c000 2118 003e 0000 | 08 000000 | 001092 00")]
    // The default source-port range: the golden IPv4 flow's hash maps to V4PortHex in 49152–65535.
    [InlineData("v4-hash", 4242u, 4789, "v4",
        OuterEthernetV4 + "| 45 00 0052 0000 0000 40 11 8e65 c0000201 c6336401 | " + V4PortHex + " 12b5 003e 0000 | 08 000000 | 001092 00")]
    // IPv6 underlay: payload length 0x003e, next header 0x11, hop limit 64 | UDP checksum 0xb304, computed by default
    //   (RFC 8200 §8.1; RFC 6935/6936 allow zero only as an opt-in)
    [InlineData("v6", 4242u, 4789, "v4",
        OuterEthernetV6 + "| 6 00 00000 003e 11 40" + OuterV6Addresses + "| c000 12b5 003e b304 | 08 000000 | 001092 00")]
    [InlineData("v6", 4242u, 4789, "v6",
        OuterEthernetV6 + "| 6 00 00000 0052 11 40" + OuterV6Addresses + "| c000 12b5 0052 9f89 | 08 000000 | 001092 00")]
    // Checksum off over IPv6: zero.
    [InlineData("v6-csum-off", 4242u, 4789, "v4",
        OuterEthernetV6 + "| 6 00 00000 003e 11 40" + OuterV6Addresses + "| c000 12b5 003e 0000 | 08 000000 | 001092 00")]
    // Default IPv6 underlay: flow label V6FlowLabelHex and source port V6PortHex from the golden IPv6 flow; UDP checksum
    // 0x66aa over the pseudo-header, that port and the rest (RFC 1071 sum, worked out apart from the encoder).
    [InlineData("v6-hash", 4242u, 4789, "v6",
        OuterEthernetV6 + "| 6 00 " + V6FlowLabelHex + " 0052 11 40" + OuterV6Addresses + "| " + V6PortHex + " 12b5 0052 66aa | 08 000000 | 001092 00")]
    public void Golden_vectors(string underlay, uint vni, int port, string inner, string header)
    {
        byte[] frame = Named(inner);
        EncapsulatorContract.Verify(() => new VxlanEncapsulator(UnderlayFor(underlay), vni, (ushort)port), frame, Hex.Parse(header), frame);
    }

    [Fact]
    public void Configuration_is_validated_at_construction()
    {
        Assert.ThrowsAny<ArgumentException>(() => new VxlanEncapsulator(Underlay.Ipv4(), 0x1000000));
        Assert.ThrowsAny<ArgumentException>(() => new VxlanEncapsulator(Underlay.Ipv4(), uint.MaxValue));
        Assert.ThrowsAny<ArgumentException>(() => new VxlanEncapsulator(Underlay.Ipv4() with { Destination = null }, 1));
        Assert.ThrowsAny<ArgumentException>(() => new VxlanEncapsulator(Underlay.Ipv4() with { Destination = IPAddress.Parse("2001:db8::2") }, 1));
        Assert.ThrowsAny<ArgumentException>(() => new VxlanEncapsulator(Underlay.Ipv6() with { Destination = IPAddress.Parse("198.51.100.1") }, 1));
        Assert.ThrowsAny<ArgumentException>(() => new VxlanEncapsulator(Underlay.Ipv4() with { SourcePorts = new PortRange(50000, 40000) }, 1));
        Assert.ThrowsAny<ArgumentException>(() => new VxlanEncapsulator(Underlay.Ipv4() with { SourcePorts = new PortRange(0, 100) }, 1));
        Assert.Equal("vxlan-ipv4", new VxlanEncapsulator(Underlay.Ipv4(), 1).Name);
        Assert.Equal(PayloadMode.L2, new VxlanEncapsulator(Underlay.Ipv6(), 1).Mode);
    }

    [Theory]
    [InlineData(false, UdpChecksumPolicy.Default, false)] // RFC 7348 §5: SHOULD be zero over IPv4
    [InlineData(false, UdpChecksumPolicy.On, true)]
    [InlineData(false, UdpChecksumPolicy.Off, false)]
    [InlineData(true, UdpChecksumPolicy.Default, true)]   // RFC 8200 §8.1: mandatory over IPv6 unless a tunnel opts out
    [InlineData(true, UdpChecksumPolicy.On, true)]
    [InlineData(true, UdpChecksumPolicy.Off, false)]      // RFC 6935 / 6936: the opt-out
    public void UDP_checksum_policy(bool ipv6, UdpChecksumPolicy policy, bool computed)
    {
        Underlay underlay = (ipv6 ? Underlay.Ipv6() : Underlay.Ipv4()) with { UdpChecksum = policy };
        var e = new VxlanEncapsulator(underlay, 4242);
        foreach ((string name, byte[] frame) in TestFrames.Samples())
        {
            byte[] packet = EncapsulatorContract.Encapsulate(e, frame);
            int ip = 14, udp = ipv6 ? 54 : 34;
            ushort field = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(udp + 6));
            if (!computed)
            {
                Assert.True(field == 0, $"{name}: checksum should be absent (0)");
                continue;
            }
            Assert.True(field != 0, $"{name}: checksum should be present");
            Assert.True(UdpChecksumOk(packet, ip, udp, ipv6), $"{name}: checksum 0x{field:x4} does not verify");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_computed_UDP_checksum_of_zero_is_sent_as_all_ones(bool ipv6)
    {
        // RFC 768 (and RFC 8200 §8.1): 0 means "no checksum", so a computed 0 is transmitted as 0xffff.
        // Steer the last two payload bytes so the one's complement sum comes to 0xffff (checksum 0).
        Underlay underlay = (ipv6 ? Underlay.Ipv6() : Underlay.Ipv4()) with { SourcePorts = Pinned, UdpChecksum = UdpChecksumPolicy.On };
        byte[] frame = TestFrames.Arp();
        frame[^2] = frame[^1] = 0;
        int udp = ipv6 ? 54 : 34;
        byte[] first = EncapsulatorContract.Encapsulate(new VxlanEncapsulator(underlay, 4242), frame);
        first[udp + 6] = first[udp + 7] = 0;
        ushort sum = (ushort)~EncapsulatorContract.Rfc1071(PseudoHeaderAndDatagram(first, 14, udp, ipv6));
        ushort steer = (ushort)(0xFFFF - sum);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(frame.Length - 2), steer);

        byte[] packet = EncapsulatorContract.Encapsulate(new VxlanEncapsulator(underlay, 4242), frame);
        Assert.Equal(0xFFFF, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(udp + 6)));
        Assert.True(UdpChecksumOk(packet, 14, udp, ipv6));
    }

    [Fact]
    public void Source_port_stays_in_the_configured_range_and_spreads_flows()
    {
        var e = new VxlanEncapsulator(Underlay.Ipv4() with { SourcePorts = new PortRange(1000, 1003) }, 1);
        var seen = new HashSet<int>();
        for (int flow = 0; flow < 64; flow++)
        {
            byte[] packet = EncapsulatorContract.Encapsulate(e, TestFrames.Ip(4, TestFrames.L4.Udp, 90, sourcePort: (ushort)(30000 + flow)));
            int port = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(34));
            Assert.InRange(port, 1000, 1003);
            seen.Add(port);
        }
        Assert.Equal(4, seen.Count);
    }

    [Theory]
    [InlineData("rfc7348", 49152, 65535)]
    [InlineData("linux", 32768, 60999)]
    public void Source_port_ranges_of_the_RFC_and_of_Linux(string range, int min, int max)
    {
        PortRange ports = range == "rfc7348" ? PortRange.Rfc7348 : PortRange.Linux;
        Assert.Equal(new PortRange((ushort)min, (ushort)max), ports);
        var e = new VxlanEncapsulator(Underlay.Ipv4() with { SourcePorts = ports }, 1);
        var seen = new HashSet<int>();
        foreach ((_, byte[] frame) in TestFrames.Samples())
        {
            int port = BinaryPrimitives.ReadUInt16BigEndian(EncapsulatorContract.Encapsulate(e, frame).AsSpan(34));
            Assert.InRange(port, min, max);
            seen.Add(port);
        }
        Assert.True(seen.Count > 5);
        // The golden IPv4 flow lands on V4PortLinux within Linux's range, V4PortHex within the RFC's (see the golden vectors).
        int golden = BinaryPrimitives.ReadUInt16BigEndian(EncapsulatorContract.Encapsulate(e, InnerV4).AsSpan(34));
        Assert.Equal(range == "linux" ? V4PortLinux : Convert.ToInt32(V4PortHex, 16), golden);
    }

    [Fact]
    public void Source_port_is_a_function_of_the_flow_only()
    {
        // Every packet of a flow takes one path: the port depends on the 5-tuple, not on the packet's length or count.
        var e = new VxlanEncapsulator(Underlay.Ipv4(), 1);
        int Port(byte[] frame) => BinaryPrimitives.ReadUInt16BigEndian(EncapsulatorContract.Encapsulate(e, frame).AsSpan(34));
        int first = Port(TestFrames.Ip(4, TestFrames.L4.Tcp, 80, seed: 1));
        Assert.Equal(first, Port(TestFrames.Ip(4, TestFrames.L4.Tcp, 1514, seed: 2)));
        Assert.Equal(first, Port(TestFrames.Ip(4, TestFrames.L4.Tcp, 80, seed: 3)));
        Assert.NotEqual(first, Port(TestFrames.Ip(4, TestFrames.L4.Tcp, 80, destinationPort: 443)));
    }

    private static bool UdpChecksumOk(byte[] packet, int ip, int udp, bool ipv6) =>
        EncapsulatorContract.Rfc1071(PseudoHeaderAndDatagram(packet, ip, udp, ipv6)) == 0;

    /// <summary>RFC 768 / RFC 8200 §8.1 pseudo-header followed by the UDP datagram, for the test's own checksum.</summary>
    private static byte[] PseudoHeaderAndDatagram(byte[] packet, int ip, int udp, bool ipv6)
    {
        byte[] datagram = packet[udp..];
        var pseudo = new List<byte>();
        if (ipv6)
        {
            // The header's destination is the final one only because UDP follows it directly (RFC 8200 §8.1).
            Assert.Equal(17, packet[ip + 6]);
            pseudo.AddRange(packet.AsSpan(ip + 8, 32).ToArray());
            pseudo.AddRange([(byte)(datagram.Length >> 24), (byte)(datagram.Length >> 16), (byte)(datagram.Length >> 8), (byte)datagram.Length, 0, 0, 0, 17]);
        }
        else
        {
            pseudo.AddRange(packet.AsSpan(ip + 12, 8).ToArray());
            pseudo.AddRange([0, 17, (byte)(datagram.Length >> 8), (byte)datagram.Length]);
        }
        return [.. pseudo, .. datagram];
    }
}
