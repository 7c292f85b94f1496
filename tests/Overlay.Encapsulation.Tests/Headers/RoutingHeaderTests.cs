using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using Overlay.Encapsulation.Chain;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Tests.Support;

namespace Overlay.Encapsulation.Tests.Headers;

/// <summary>
/// RFC 8200 §8.1: with a Routing header, the transport checksum's pseudo-header holds the final destination (Segment
/// List[0] of an SRH, the last address of the other address-carrying types), not the Destination Address, which every
/// waypoint rewrites. Checked against a hand-built packet, an independent RFC 1071 sum, a public capture and tshark.
/// </summary>
public class RoutingHeaderTests
{
    private const int Ip = Ethernet.HeaderLength;
    private static readonly byte[] Source = Address("12::1"), Destination = Address("2::f1:0");
    private static readonly byte[][] SegmentList = [Address("b2::2"), Address("3::d6"), Address("2::f1:0")];

    private static byte[] Address(string text) => IPAddress.Parse(text).GetAddressBytes();

    /// <summary>
    /// An SRH inserted in front of UDP (no inner packet): 12::1 → 2::f1:0, Segments Left 2, Segment List b2::2, 3::d6,
    /// 2::f1:0, UDP 57745 → 5001 with an iperf datagram of 1024 bytes (a 40-byte iperf header, then the digits 0–9
    /// repeated). <paramref name="checksum"/> is written as given.
    /// </summary>
    private static byte[] InsertModeFrame(ushort checksum)
    {
        byte[] iperfHeader = Hex.Parse("0000b28d5bf6ee8c000858760000000000000001000013890000040000000000fffe796000100000");
        byte[] payload = [.. iperfHeader, .. Enumerable.Range(0, 984).Select(i => (byte)('0' + i % 10))];
        byte[] srh = [Ipv4.ProtocolUdp, 6, SegmentRoutingHeader.RoutingType, 2, 2, 0, 0, 0, .. SegmentList[0], .. SegmentList[1], .. SegmentList[2]];
        var udp = new byte[Udp.HeaderLength + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(udp, 57745);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(2), 5001);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(4), (ushort)udp.Length);
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(6), checksum);
        payload.CopyTo(udp.AsSpan(Udp.HeaderLength));
        var ip = new byte[Ipv6.HeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(ip, 0x6008_F8B8); // version 6, class 0, flow label 0x8f8b8
        BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), (ushort)(srh.Length + udp.Length));
        ip[6] = Ipv6.NextHeaderRouting;
        ip[7] = 64;
        Source.CopyTo(ip, 8);
        Destination.CopyTo(ip, 24);
        return [.. Hex.Parse("080027b9df40 080027e3ba2d 86dd"), .. ip, .. srh, .. udp];
    }

    /// <summary>The checksum of a UDP datagram over a pseudo-header built here byte by byte (RFC 8200 §8.1).</summary>
    private static ushort IndependentUdpChecksum(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, ReadOnlySpan<byte> datagram)
    {
        byte[] zeroed = datagram.ToArray();
        zeroed[6] = zeroed[7] = 0;
        byte[] length = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)datagram.Length);
        ushort value = EncapsulatorContract.Rfc1071([.. source, .. destination, .. length, 0, 0, 0, Ipv4.ProtocolUdp, .. zeroed]);
        return value == 0 ? (ushort)0xFFFF : value;
    }

    private static int UdpOffset(byte[] frame) => Ip + Ipv6.HeaderLength + (frame[Ip + Ipv6.NextHeaderOffset] == Ipv6.NextHeaderRouting ? (frame[Ip + Ipv6.HeaderLength + 1] + 1) * 8 : 0);

    [Fact]
    public void The_insert_mode_vector_checksum_is_0xcb39_over_Segment_List_0_and_matches_the_public_capture()
    {
        byte[] frame = InsertModeFrame(0);
        int udp = UdpOffset(frame);
        Assert.Equal(0xCB39, IndependentUdpChecksum(Source, SegmentList[0], frame.AsSpan(udp)));
        Assert.NotEqual(0xCB39, IndependentUdpChecksum(Source, Destination, frame.AsSpan(udp)));

        // The library's pseudo-header, given the whole packet, finds b2::2 in the SRH.
        ulong pseudo = Ipv6.PseudoHeaderSum(frame.AsSpan(Ip), Ipv4.ProtocolUdp, frame.Length - udp);
        Assert.Equal(0xCB39, Udp.ChecksumValue(pseudo, frame.AsSpan(udp)));

        // The packet built from the values alone is byte for byte tcpdump's test capture of it.
        byte[] built = InsertModeFrame(0xCB39);
        List<byte[]> captured = Pcap.Read(TestData.File(TestData.Captures, "encapsulated/tcpdump_ipv6-srh-insert-cksum.pcap"));
        EncapsulatorContract.AssertBytes(captured.Single(), built, "the tcpdump capture of the same packet");
    }

    [Fact]
    public void Tshark_agrees_the_insert_mode_checksum_is_good_and_catches_one_over_the_header_destination()
    {
        Assert.True(Tshark.Available, "tshark is required (.ci/run installs it)");
        byte[] good = InsertModeFrame(0xCB39);
        byte[] overHeaderDestination = InsertModeFrame(IndependentUdpChecksum(Source, Destination, good.AsSpan(UdpOffset(good))));
        List<Tshark.Dissection> rows = Tshark.Dissect([good, overHeaderDestination], "udp.checksum.status");
        Assert.Equal("1", rows[0].Fields);
        Assert.Equal("0", rows[1].Fields);
    }

    [Fact]
    public void Decapsulator_counts_an_inserted_SRH_as_not_a_tunnel_never_as_damaged()
    {
        byte[] frame = InsertModeFrame(0xCB39);
        int port = UdpOffset(frame) + Udp.DestinationPortOffset;
        Assert.Equal(new DecapResult(DecapError.SrhInsertedNotATunnel, port), Decapsulator.TryDecapsulate(frame, out _));
        // Its checksum is not the decapsulator's business: a wrong one changes nothing.
        Assert.Equal(new DecapResult(DecapError.SrhInsertedNotATunnel, port), Decapsulator.TryDecapsulate(InsertModeFrame(0x1234), out _));
        // Nor is a plain UDP datagram's to a port that is no tunnel's.
        byte[] plain = TestFrames.Ip(6, TestFrames.L4.Udp, 200, destinationPort: 5001);
        plain[^1] ^= 0xFF;
        Assert.Equal(DecapError.UnknownUdpPort, Decapsulator.TryDecapsulate(plain, out _).Error);
    }

    /// <summary>VXLAN over IPv6 with an SRH inserted after the IPv6 header, Segments Left 1: [final, header destination].</summary>
    private static byte[] WithInsertedSrh(byte[] frame, byte[] finalDestination, bool checksumOverFinal = true)
    {
        byte[] destination = frame.AsSpan(Ip + Ipv6.DestinationOffset, 16).ToArray();
        byte[] srh = [frame[Ip + Ipv6.NextHeaderOffset], 4, SegmentRoutingHeader.RoutingType, 1, 1, 0, 0, 0, .. finalDestination, .. destination];
        byte[] result = [.. frame.AsSpan(0, Ip + Ipv6.HeaderLength), .. srh, .. frame.AsSpan(Ip + Ipv6.HeaderLength)];
        result[Ip + Ipv6.NextHeaderOffset] = Ipv6.NextHeaderRouting;
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(Ip + Ipv6.PayloadLengthOffset), (ushort)(result.Length - Ip - Ipv6.HeaderLength));
        int udp = UdpOffset(result);
        ushort checksum = IndependentUdpChecksum(result.AsSpan(Ip + Ipv6.SourceOffset, 16), checksumOverFinal ? finalDestination : destination, result.AsSpan(udp));
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(udp + Udp.ChecksumOffset), checksum);
        return result;
    }

    [Fact]
    public void Decapsulator_verifies_a_tunnel_UDP_checksum_over_the_final_destination_of_an_SRH()
    {
        byte[] inner = TestFrames.Ip(4, TestFrames.L4.Tcp, 200, sourcePort: 40100);
        byte[] plain = OuterFrames.Encapsulate("vxlan-ipv6", inner);
        byte[] final = Address("2001:db8:99::1");
        byte[] frame = WithInsertedSrh(plain, final);
        DecapResult result = Decapsulator.TryDecapsulate(frame, out TunnelPacket packet);
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(TunnelProtocol.Vxlan, packet.Protocol);
        Assert.Equal(inner, packet.InnerOf(frame).ToArray());

        byte[] overHeaderDestination = WithInsertedSrh(plain, final, checksumOverFinal: false);
        Assert.Equal(new DecapResult(DecapError.BadUdpChecksum, UdpOffset(frame) + Udp.ChecksumOffset), Decapsulator.TryDecapsulate(overHeaderDestination, out _));

        Assert.True(Tshark.Available, "tshark is required (.ci/run installs it)");
        List<Tshark.Dissection> rows = Tshark.Dissect([frame, overHeaderDestination], "udp.checksum.status");
        Assert.Equal("1", rows[0].Fields.Split(',')[0]);
        Assert.Equal("0", rows[1].Fields.Split(',')[0]);
    }

    [Fact]
    public void SRv6_End_on_an_inserted_SRH_rewrites_the_destination_and_the_checksum_stays_valid()
    {
        byte[] frame = InsertModeFrame(0xCB39);
        Assert.True(Srv6Endpoint.End(frame).IsForwarded);
        Assert.Equal(SegmentList[1], frame.AsSpan(Ip + Ipv6.DestinationOffset, 16).ToArray());
        Assert.Equal(1, frame[Ip + Ipv6.HeaderLength + SegmentRoutingHeader.SegmentsLeftOffset]);
        int udp = UdpOffset(frame);
        Assert.Equal(0xCB39, IndependentUdpChecksum(Source, SegmentList[0], frame.AsSpan(udp)));
        Assert.Equal(0xCB39, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(udp + Udp.ChecksumOffset)));
        Assert.True(Tshark.Available, "tshark is required (.ci/run installs it)");
        Assert.Equal("1", Tshark.Dissect([frame], "udp.checksum.status")[0].Fields);
    }

    [Fact]
    public void GENEVE_service_hop_behind_an_SRH_leaves_the_checksum_to_the_final_destination()
    {
        byte[] inner = TestFrames.Ip(4, TestFrames.L4.Udp, 300, sourcePort: 41000, destinationPort: 5005);
        var encapsulator = new GeneveEncapsulator(Underlay.Ipv6(), new GeneveOptions { Vni = 7, Options = [GeneveServicePath.Option(0x123456, 3)] });
        var plain = new byte[inner.Length + encapsulator.HeaderLength];
        Assert.Equal(OperationStatus.Done, encapsulator.Encapsulate(inner, plain, out _));
        byte[] final = Address("2001:db8:99::1");
        byte[] frame = WithInsertedSrh(plain, final);
        byte[] next = Address("2001:db8:5::1");

        Assert.Equal(HopStatus.Forwarded, GeneveServicePath.Advance(frame, next));
        Assert.Equal(2, GeneveServicePath.ServiceIndex(frame));
        Assert.Equal(next, frame.AsSpan(Ip + Ipv6.DestinationOffset, 16).ToArray());
        int udp = UdpOffset(frame);
        Assert.Equal(IndependentUdpChecksum(frame.AsSpan(Ip + Ipv6.SourceOffset, 16), final, frame.AsSpan(udp)),
            BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(udp + Udp.ChecksumOffset)));
        Assert.True(Tshark.Available, "tshark is required (.ci/run installs it)");
        Assert.Equal("1", Tshark.Dissect([frame], "udp.checksum.status")[0].Fields.Split(',')[0]);
    }

    [Fact]
    public void Flow_hash_walks_the_SRH_to_the_ports()
    {
        byte[] frame = InsertModeFrame(0xCB39), otherPort = InsertModeFrame(0xCB39), otherPayload = InsertModeFrame(0xCB39);
        BinaryPrimitives.WriteUInt16BigEndian(otherPort.AsSpan(UdpOffset(otherPort)), 57746);
        otherPayload[^1] ^= 0xFF;
        uint hash = FlowHash.OfIpv6(frame.AsSpan(Ip));
        Assert.NotEqual(hash, FlowHash.OfIpv6(otherPort.AsSpan(Ip)));
        Assert.Equal(hash, FlowHash.OfIpv6(otherPayload.AsSpan(Ip)));
    }

    private static byte[] PacketWithRoutingHeader(byte[] routingHeader)
    {
        byte[] packet = [.. new byte[Ipv6.HeaderLength], .. routingHeader, .. new byte[8]];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)(routingHeader.Length + 8));
        packet[6] = Ipv6.NextHeaderRouting;
        Destination.CopyTo(packet, Ipv6.DestinationOffset);
        return packet;
    }

    public static TheoryData<string, string, string> RoutingTypes() => new()
    {
        // type 0 (RFC 2460 §4.4): Address[1..2], the last is the final destination.
        { "type 0, two addresses, segments left 2", "11 04 00 02 00000000" + "20010db8000000000000000000000001" + "20010db8000000000000000000000002", "2001:db8::2" },
        // type 2 (RFC 6275 §6.4): the Home Address.
        { "type 2, segments left 1", "11 02 02 01 00000000" + "20010db80000000000000000000000aa", "2001:db8::aa" },
        // type 3 (RFC 6554 §3): CmprI 14, CmprE 14, Pad 4: two addresses of 2 bytes, the last one's 14 leading bytes
        // from the Destination Address 2::f1:0.
        { "type 3, CmprI 14, CmprE 14, segments left 2", "11 01 03 02 EE 40 0000" + "0005 0007" + "00000000", "2::f1:7" },
        // type 4 with segments left 0: the Destination Address is final.
        { "type 4, segments left 0", "11 02 04 00 00 00 0000" + "20010db80000000000000000000000bb", "2::f1:0" },
        // type 5 (RFC 9631) carries SIDs, not addresses.
        { "type 5, segments left 1", "11 00 05 01 00000000", "2::f1:0" },
    };

    [Theory]
    [MemberData(nameof(RoutingTypes))]
    public void Final_destination_follows_each_routing_type(string because, string routingHeader, string expected)
    {
        byte[] packet = PacketWithRoutingHeader(Hex.Parse(routingHeader));
        var destination = new byte[16];
        bool fromRoutingHeader = RoutingHeader.FinalDestination(packet, destination);
        Assert.True(Address(expected).AsSpan().SequenceEqual(destination), $"{because}: {new IPAddress(destination)}");
        Assert.Equal(expected != "2::f1:0", fromRoutingHeader);
    }
}
