using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using Overlay.Encapsulation.Chain;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Encapsulation.Tests.Chain;

public class ServiceHopTests
{
    private static readonly byte[] Inner = TestFrames.Ip(4, TestFrames.L4.Udp, 300, sourcePort: 41000, destinationPort: 5005);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GENEVE_service_index_decrements_at_every_hop_with_checksums_kept_valid(bool ipv6)
    {
        const int services = 4;
        Underlay underlay = ipv6 ? Underlay.Ipv6() : Underlay.Ipv4() with { UdpChecksum = UdpChecksumPolicy.On };
        var encapsulator = new GeneveEncapsulator(underlay, new GeneveOptions { Vni = 7, Options = [GeneveServicePath.Option(0x123456, services)] });
        var frame = new byte[Inner.Length + encapsulator.HeaderLength];
        Assert.Equal(OperationStatus.Done, encapsulator.Encapsulate(Inner, frame, out _));
        byte hopLimit = 64;
        for (int hop = 1; hop <= services; hop++)
        {
            byte[] next = ipv6 ? IPAddress.Parse($"2001:db8:5::{hop}").GetAddressBytes() : [203, 0, 113, (byte)hop];
            Assert.Equal(HopStatus.Forwarded, GeneveServicePath.Advance(frame, next));
            Assert.Equal(services - hop, GeneveServicePath.ServiceIndex(frame));
            // The decoder verifies the outer IPv4 header checksum and the non-zero UDP checksum.
            DecapResult result = Decapsulator.TryDecapsulate(frame, out TunnelPacket packet);
            Assert.True(result.IsSuccess, result.ToString());
            Assert.Equal(Inner, packet.InnerOf(frame).ToArray());
            int destination = Ethernet.HeaderLength + (ipv6 ? Ipv6.DestinationOffset : Ipv4.DestinationOffset);
            Assert.Equal(next, frame.AsSpan(destination, next.Length).ToArray());
            Assert.Equal(--hopLimit, frame[Ethernet.HeaderLength + (ipv6 ? Ipv6.HopLimitOffset : Ipv4.TtlOffset)]);
            int data = GeneveServicePath.Find(frame, packet);
            Assert.Equal(0x123456u, BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(data)) >> 8);
        }
        Assert.Equal(HopStatus.PathEnd, GeneveServicePath.Advance(frame, ipv6 ? new byte[16] : new byte[4]));
    }

    [Fact]
    public void GENEVE_hop_refuses_a_packet_without_a_service_path()
    {
        var encapsulator = new GeneveEncapsulator(Underlay.Ipv4(), new GeneveOptions { Vni = 7 });
        var frame = new byte[Inner.Length + encapsulator.HeaderLength];
        encapsulator.Encapsulate(Inner, frame, out _);
        byte[] before = [.. frame];
        Assert.Equal(HopStatus.NotOnPath, GeneveServicePath.Advance(frame, [203, 0, 113, 1]));
        Assert.Equal(before, frame);
    }

    [Fact]
    public void VXLAN_stitching_restores_the_inner_frame_at_every_hop()
    {
        Underlay underlay = Underlay.Ipv6();
        var buffer = new byte[512 + Inner.Length];
        Inner.CopyTo(buffer, 512);
        var first = new VxlanEncapsulator(underlay with { Destination = IPAddress.Parse("2001:db8:5::1") }, 9);
        Assert.Equal(OperationStatus.Done, first.EncapsulateInPlace(buffer, 512, Inner.Length, out int offset, out int length));
        for (int hop = 2; hop <= 6; hop++)
        {
            IPAddress nextHop = IPAddress.Parse($"2001:db8:5::{hop}");
            var next = new VxlanEncapsulator(underlay with { Destination = nextHop }, 9);
            Assert.Equal(HopStatus.Forwarded, VxlanStitch.Advance(buffer, offset, length, next, out offset, out length));
            ReadOnlySpan<byte> frame = buffer.AsSpan(offset, length);
            Assert.True(Decapsulator.TryDecapsulate(frame, out TunnelPacket packet).IsSuccess);
            Assert.Equal(Inner, packet.InnerOf(frame).ToArray());
            Assert.Equal(nextHop.GetAddressBytes(), frame.Slice(Ethernet.HeaderLength + Ipv6.DestinationOffset, 16).ToArray());
        }
    }

    [Fact]
    public void SRH_carries_metadata_TLVs_padded_to_eight_bytes()
    {
        // 2 SIDs, one 6-byte TLV (type 124): 2 + 6 = 8 bytes, no padding; one 9-byte TLV: 11 → 5 bytes of PadN (type 4, length 3, three zeros) to reach 16 (RFC 8754 §2.1.1.2).
        var segments = new[] { IPAddress.Parse("fc00:0:1::"), IPAddress.Parse("fc00:0:2::") };
        var six = new Srv6Encapsulator(Underlay.Ipv6(destination: null), new Srv6Options { Segments = segments, Tlvs = [new SrhTlv(SrhTlv.ExperimentalMetadata, new byte[] { 1, 2, 3, 4, 5, 6 })] });
        Assert.Equal(8 + 32 + 8, six.SrhLength);
        ReadOnlySpan<byte> srh = six.Template(4).Slice(six.TunnelOffset);
        Assert.Equal(5, srh[SegmentRoutingHeader.HdrExtLenOffset]); // (48 / 8) − 1
        Assert.Equal("7c06010203040506", Hex.Format(srh.Slice(40, 8)));

        var nine = new Srv6Encapsulator(Underlay.Ipv6(destination: null), new Srv6Options { Segments = segments, Tlvs = [new SrhTlv(SrhTlv.ExperimentalMetadata, new byte[9])] });
        srh = nine.Template(4).Slice(nine.TunnelOffset);
        Assert.Equal(8 + 32 + 16, nine.SrhLength);
        Assert.Equal("7c09000000000000000000" + "0403000000", Hex.Format(srh.Slice(40, 16)));
        Assert.Equal("srv6-encaps-2sid-tlv16B", nine.Name);

        // The decoder accepts the longer SRH and End still walks it.
        var frame = new byte[Inner.Length + nine.HeaderLength];
        nine.Encapsulate(Inner, frame, out int written);
        Assert.True(Decapsulator.TryDecapsulate(frame.AsSpan(0, written), out TunnelPacket packet).IsSuccess);
        Assert.Equal(1, packet.LastEntry);
        Assert.True(Srv6Endpoint.End(frame.AsSpan(0, written)).IsForwarded);
    }

    [Fact]
    public void SRH_TLVs_dissect_cleanly_in_Wireshark()
    {
        Assert.True(Tshark.Available, "tshark is required (.ci/run installs it)");
        var encapsulator = new Srv6Encapsulator(Underlay.Ipv6(destination: null), new Srv6Options
        {
            Segments = VariantCatalog.Segments(3),
            Tlvs = [new SrhTlv(SrhTlv.ExperimentalMetadata, new byte[13])],
        });
        var frame = new byte[Inner.Length + encapsulator.HeaderLength];
        encapsulator.Encapsulate(Inner, frame, out int written);
        Tshark.Dissection row = Tshark.Dissect([frame[..written]], "ipv6.routing.srh.last_entry").Single();
        Assert.StartsWith("eth:ethertype:ipv6:ipv6.routing:ip:udp", row.Protocols);
        Assert.Equal("2", row.Fields);
        Assert.DoesNotContain("8388608", row.Expert);
    }

    [Fact]
    public void Incremental_checksum_update_matches_a_full_recomputation()
    {
        var random = new Random(5);
        var data = new byte[64];
        for (int trial = 0; trial < 1000; trial++)
        {
            random.NextBytes(data);
            ushort checksum = InternetChecksum.Compute(data);
            int word = random.Next(32) * 2;
            ushort old = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(word));
            ushort value = (ushort)random.Next(65536);
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(word), value);
            ushort updated = InternetChecksum.Update(checksum, old, value);
            // Equal as one's complement values: 0x0000 and 0xFFFF are the same number.
            ushort full = InternetChecksum.Compute(data);
            Assert.True(updated == full || (updated | full) == 0xFFFF && (updated & full) == 0, $"{updated:x4} vs {full:x4}");
        }
    }
}
