using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using Overlay.Encapsulation.Gre;
using Overlay.Encapsulation.Tests.Support;
using static Overlay.Encapsulation.Tests.Support.GoldenFrames;

namespace Overlay.Encapsulation.Tests.Gre;

/// <summary>
/// GRE (RFC 2784, RFC 2890; over IPv6 RFC 7676) and NVGRE (RFC 7637) encoders against hand-checked byte vectors,
/// plus the outer-header policies every tunnel shares (TTL, DSCP/ECN per RFC 6040, DF, IPv6 flow label).
/// </summary>
/// <remarks>
/// Every expected header is written field by field below; '|' separates headers. Checksums were computed
/// independently of the library (RFC 1071 arithmetic by hand and a separate script), never copied from its output.
/// The outer IPv4 Identification counts 0, 1, 2… per encapsulator, so a fresh encapsulator's first packet carries 0.
/// </remarks>
public class GreEncapsulatorTests
{
    private static Underlay UnderlayFor(string underlay) => underlay switch
    {
        "v4" => Underlay.Ipv4(),
        // The golden IPv6 vectors pin the flow label to 0 so that only RFC-defined bytes are compared ...
        "v6" => Underlay.Ipv6() with { FlowLabel = FlowLabelPolicy.Zero },
        // ... except these, which pin the flow-hash label (RFC 6437 §3) of the golden inner frames.
        "v6-hash" => Underlay.Ipv6(),
        _ => throw new ArgumentOutOfRangeException(nameof(underlay)),
    };

    [Theory]
    // ---- IPv4 underlay, IP payload (RFC 2784 §2: protocol type = the payload's EtherType) ----
    // Eth | IPv4: 45, TOS 00, total 0x0038 = 20 + 4 GRE + 32 IP, ID 0, flags/frag 0000, TTL 0x40, proto 0x2f GRE,
    //       checksum 0x8e61 (sum 0x719e), 192.0.2.1 → 198.51.100.1 | GRE: C=0 K=0 S=0, Ver 0 (0000), type 0x0800
    [InlineData("v4", PayloadMode.L3, false, -1L, false, "v4",
        OuterEthernetV4 + "| 45 00 0038 0000 0000 40 2f 8e61 c0000201 c6336401 | 0000 0800")]
    // Inner IPv6: total 0x004c = 20 + 4 + 52, checksum 0x8e4d | GRE type 0x86dd
    [InlineData("v4", PayloadMode.L3, false, -1L, false, "v6",
        OuterEthernetV4 + "| 45 00 004c 0000 0000 40 2f 8e4d c0000201 c6336401 | 0000 86dd")]
    // A frame padded to 60 bytes: the IP packet is carried as its Total Length says, so the vector is the unpadded one.
    [InlineData("v4", PayloadMode.L3, false, -1L, false, "v4-padded",
        OuterEthernetV4 + "| 45 00 0038 0000 0000 40 2f 8e61 c0000201 c6336401 | 0000 0800")]
    // A VLAN-tagged frame: L3 mode drops the whole inner L2 header, tag included.
    [InlineData("v4", PayloadMode.L3, false, -1L, false, "v4-vlan",
        OuterEthernetV4 + "| 45 00 0038 0000 0000 40 2f 8e61 c0000201 c6336401 | 0000 0800")]
    // ---- IPv4 underlay, Ethernet payload (TEB, type 0x6558): the 46-byte frame, total 0x0046 = 20 + 4 + 46 ----
    [InlineData("v4", PayloadMode.L2, false, -1L, false, "v4",
        OuterEthernetV4 + "| 45 00 0046 0000 0000 40 2f 8e53 c0000201 c6336401 | 0000 6558")]
    // The 66-byte IPv6 frame: total 0x005a, checksum 0x8e3f
    [InlineData("v4", PayloadMode.L2, false, -1L, false, "v6",
        OuterEthernetV4 + "| 45 00 005a 0000 0000 40 2f 8e3f c0000201 c6336401 | 0000 6558")]
    // ---- optional fields (RFC 2890 §2: Checksum+Reserved1, then Key, then Sequence, each only when its bit is set) ----
    // C: flags 0x8000 | checksum 0x77ff over GRE header + payload: 0x8000 + 0x0800 + (valid IPv4 header and valid
    //    ICMP each sum to 0xffff, i.e. add nothing) = 0x8800 → ~ = 0x77ff | Reserved1 0000. Total 0x003c.
    [InlineData("v4", PayloadMode.L3, true, -1L, false, "v4",
        OuterEthernetV4 + "| 45 00 003c 0000 0000 40 2f 8e5d c0000201 c6336401 | 8000 0800 | 77ff 0000")]
    // K: flags 0x2000 | key 0x0000002a
    [InlineData("v4", PayloadMode.L3, false, 0x2AL, false, "v4",
        OuterEthernetV4 + "| 45 00 003c 0000 0000 40 2f 8e5d c0000201 c6336401 | 2000 0800 | 0000002a")]
    // S: flags 0x1000 | sequence 0 (RFC 2890 §2.2: the first datagram is sent with sequence number 0)
    [InlineData("v4", PayloadMode.L3, false, -1L, true, "v4",
        OuterEthernetV4 + "| 45 00 003c 0000 0000 40 2f 8e5d c0000201 c6336401 | 1000 0800 | 00000000")]
    // C+K: flags 0xa000 | checksum 0xba61 (0xa800 + 0xdead + 0xbeef = 0x459e folded → ~ = 0xba61), Reserved1 | key 0xdeadbeef
    [InlineData("v4", PayloadMode.L3, true, 0xDEADBEEFL, false, "v4",
        OuterEthernetV4 + "| 45 00 0040 0000 0000 40 2f 8e59 c0000201 c6336401 | a000 0800 | ba61 0000 | deadbeef")]
    // C+S: flags 0x9000 | checksum 0x67ff (0x9800 → ~), Reserved1 | sequence 0
    [InlineData("v4", PayloadMode.L3, true, -1L, true, "v4",
        OuterEthernetV4 + "| 45 00 0040 0000 0000 40 2f 8e59 c0000201 c6336401 | 9000 0800 | 67ff 0000 | 00000000")]
    // K+S: flags 0x3000 | key 0x2a | sequence 0
    [InlineData("v4", PayloadMode.L3, false, 0x2AL, true, "v4",
        OuterEthernetV4 + "| 45 00 0040 0000 0000 40 2f 8e59 c0000201 c6336401 | 3000 0800 | 0000002a | 00000000")]
    // C+K+S: flags 0xb000 | checksum 0x47d5 (0xb800 + 0x002a = 0xb82a → ~), Reserved1 | key 0x2a | sequence 0. Total 0x0044.
    [InlineData("v4", PayloadMode.L3, true, 0x2AL, true, "v4",
        OuterEthernetV4 + "| 45 00 0044 0000 0000 40 2f 8e55 c0000201 c6336401 | b000 0800 | 47d5 0000 | 0000002a | 00000000")]
    // C+K+S over TEB: the checksum covers the whole inner Ethernet frame too: 0x664a. Total 0x0052 = 20 + 16 + 46.
    [InlineData("v4", PayloadMode.L2, true, 0x2AL, true, "v4",
        OuterEthernetV4 + "| 45 00 0052 0000 0000 40 2f 8e47 c0000201 c6336401 | b000 6558 | 664a 0000 | 0000002a | 00000000")]
    // C over an odd-length payload (33 bytes): the last byte is padded with zero for the sum (RFC 1071 §4.1); the
    //    ICMP checksum of the inner packet was computed the same way, so the sum is again 0x8800 → 0x77ff. Total 0x003d.
    [InlineData("v4", PayloadMode.L3, true, -1L, false, "v4-odd",
        OuterEthernetV4 + "| 45 00 003d 0000 0000 40 2f 8e5c c0000201 c6336401 | 8000 0800 | 77ff 0000")]
    // ---- IPv6 underlay (RFC 7676): next header 47 ----
    // IPv6: 6, traffic class 00, flow label 00000 | payload length 0x0024 = 4 + 32, next header 0x2f, hop limit 0x40 |
    //       2001:db8::1 → 2001:db8::2 | GRE type 0x0800
    [InlineData("v6", PayloadMode.L3, false, -1L, false, "v4",
        OuterEthernetV6 + "| 6 00 00000 0024 2f 40" + OuterV6Addresses + "| 0000 0800")]
    // Inner IPv6: payload length 0x0038 = 4 + 52 | type 0x86dd
    [InlineData("v6", PayloadMode.L3, false, -1L, false, "v6",
        OuterEthernetV6 + "| 6 00 00000 0038 2f 40" + OuterV6Addresses + "| 0000 86dd")]
    // TEB: payload length 0x0032 = 4 + 46 | type 0x6558
    [InlineData("v6", PayloadMode.L2, false, -1L, false, "v4",
        OuterEthernetV6 + "| 6 00 00000 0032 2f 40" + OuterV6Addresses + "| 0000 6558")]
    // C+K+S carrying IPv6: payload length 0x0044 = 16 + 52 | checksum 0x3482 over GRE + the IPv6 packet
    [InlineData("v6", PayloadMode.L3, true, 0x2AL, true, "v6",
        OuterEthernetV6 + "| 6 00 00000 0044 2f 40" + OuterV6Addresses + "| b000 86dd | 3482 0000 | 0000002a | 00000000")]
    // Flow label = the inner flow's hash folded to 20 bits (RFC 6437 §3): V6FlowLabelHex for the golden IPv6 5-tuple
    [InlineData("v6-hash", PayloadMode.L3, false, -1L, false, "v6",
        OuterEthernetV6 + "| 6 00 " + V6FlowLabelHex + " 0038 2f 40" + OuterV6Addresses + "| 0000 86dd")]
    // ... and V4FlowLabelHex for the golden IPv4 flow (ICMP: addresses and protocol only)
    [InlineData("v6-hash", PayloadMode.L3, false, -1L, false, "v4",
        OuterEthernetV6 + "| 6 00 " + V4FlowLabelHex + " 0024 2f 40" + OuterV6Addresses + "| 0000 0800")]
    public void Golden_vectors(string underlay, PayloadMode mode, bool checksum, long key, bool sequence, string inner, string header)
    {
        var options = new GreOptions { Mode = mode, Checksum = checksum, Key = key < 0 ? null : (uint)key, Sequence = sequence };
        byte[] frame = Named(inner);
        byte[] payload = mode == PayloadMode.L3 ? IpPacketOf(inner) : frame;
        EncapsulatorContract.Verify(() => new GreEncapsulator(UnderlayFor(underlay), options), frame, Hex.Parse(header), payload);
    }

    [Theory]
    // C+K+S over IPv4, packets 0, 1, 2: the IPv4 Identification and the GRE sequence number both count up, and the
    // GRE checksum follows: 0xb82a + n → ~ = 0x47d5 - n; the IPv4 checksum 0x8e55 - n.
    [InlineData("v4", 0, OuterEthernetV4 + "| 45 00 0044 0000 0000 40 2f 8e55 c0000201 c6336401 | b000 0800 | 47d5 0000 | 0000002a | 00000000")]
    [InlineData("v4", 1, OuterEthernetV4 + "| 45 00 0044 0001 0000 40 2f 8e54 c0000201 c6336401 | b000 0800 | 47d4 0000 | 0000002a | 00000001")]
    [InlineData("v4", 2, OuterEthernetV4 + "| 45 00 0044 0002 0000 40 2f 8e53 c0000201 c6336401 | b000 0800 | 47d3 0000 | 0000002a | 00000002")]
    // S only over IPv6, packets 0, 1, 2 (IPv6 has no Identification): payload length 0x003c = 8 + 52
    [InlineData("v6", 0, OuterEthernetV6 + "| 6 00 00000 003c 2f 40" + OuterV6Addresses + "| 1000 86dd | 00000000")]
    [InlineData("v6", 1, OuterEthernetV6 + "| 6 00 00000 003c 2f 40" + OuterV6Addresses + "| 1000 86dd | 00000001")]
    [InlineData("v6", 2, OuterEthernetV6 + "| 6 00 00000 003c 2f 40" + OuterV6Addresses + "| 1000 86dd | 00000002")]
    public void Sequence_numbers_count_from_zero_across_copy_and_in_place(string underlay, int packet, string header)
    {
        bool v4 = underlay == "v4";
        var e = new GreEncapsulator(UnderlayFor(underlay), new GreOptions { Checksum = v4, Key = v4 ? 0x2Au : null, Sequence = true });
        byte[] frame = v4 ? InnerV4 : InnerV6;
        byte[] expected = [.. Hex.Parse(header), .. frame.AsSpan(14)];
        Assert.Equal(0u, e.NextSequence);
        for (int i = 0; i < packet; i++)
        {
            // The earlier packets alternate between the two forms: they share one counter.
            if (i % 2 == 0)
            {
                EncapsulatorContract.Encapsulate(e, frame);
            }
            else
            {
                byte[] buffer = EncapsulatorContract.InPlaceBuffer(frame, 128, 0);
                Assert.Equal(OperationStatus.Done, e.EncapsulateInPlace(buffer, 128, frame.Length, out _, out _));
            }
        }
        byte[] inPlace = EncapsulatorContract.InPlaceBuffer(frame, 128, 0xA5);
        if (packet % 2 == 0)
        {
            EncapsulatorContract.AssertBytes(expected, EncapsulatorContract.Encapsulate(e, frame), $"packet {packet}");
        }
        else
        {
            Assert.Equal(OperationStatus.Done, e.EncapsulateInPlace(inPlace, 128, frame.Length, out int offset, out int length));
            EncapsulatorContract.AssertBytes(expected, inPlace.AsSpan(offset, length), $"packet {packet} in place");
        }
        Assert.Equal((uint)packet + 1, e.NextSequence);
    }

    [Theory]
    [InlineData("v4")]
    [InlineData("v6")]
    public void L3_mode_rejects_what_is_not_IP(string underlay)
    {
        var e = new GreEncapsulator(UnderlayFor(underlay), new GreOptions { Checksum = true, Sequence = true });
        EncapsulatorContract.VerifyRejected(e, TestFrames.Arp());
        // An IPv4 header whose Total Length (32) runs past the frame (cut to 40 bytes): not an IP packet we can carry.
        EncapsulatorContract.VerifyRejected(e, InnerV4[..40]);
        // An IPv6 header cut short.
        EncapsulatorContract.VerifyRejected(e, InnerV6[..50]);
        // Nothing was consumed by the rejected calls.
        Assert.Equal(0u, e.NextSequence);
    }

    [Theory]
    [InlineData("v4")]
    [InlineData("v6")]
    public void TEB_carries_a_non_IP_frame_byte_for_byte(string underlay)
    {
        var e = new GreEncapsulator(UnderlayFor(underlay), new GreOptions { Mode = PayloadMode.L2 });
        byte[] arp = TestFrames.Arp();
        byte[] packet = EncapsulatorContract.Encapsulate(e, arp);
        Assert.Equal(e.HeaderLength + arp.Length, packet.Length);
        Assert.Equal(Hex.Parse("0000 6558"), packet[(e.HeaderLength - 4)..e.HeaderLength]);
        Assert.Equal(arp, packet[e.HeaderLength..]);
    }

    [Theory]
    // IPv4: Total Length is 16 bits, so 20 + 4 + frame ≤ 65535.
    [InlineData("v4", 65511)]
    // IPv6: Payload Length is 16 bits (no jumbograms), so 4 + frame ≤ 65535.
    [InlineData("v6", 65531)]
    public void The_largest_frame_that_fits_the_outer_length_field_is_carried_and_one_more_byte_is_not(string underlay, int largest)
    {
        var e = new GreEncapsulator(UnderlayFor(underlay), new GreOptions { Mode = PayloadMode.L2 });
        var frame = new byte[largest + 1];
        TestFrames.Arp().AsSpan(0, 14).CopyTo(frame);
        byte[] packet = EncapsulatorContract.Encapsulate(e, frame.AsSpan(0, largest));
        int lengthField = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(underlay == "v4" ? 16 : 18));
        Assert.Equal(65535, lengthField);
        EncapsulatorContract.VerifyRejected(e, frame);
    }

    [Fact]
    public void Configuration_is_validated_at_construction()
    {
        var options = new GreOptions();
        Assert.ThrowsAny<ArgumentException>(() => new GreEncapsulator(Underlay.Ipv4() with { Destination = null }, options));
        Assert.ThrowsAny<ArgumentException>(() => new GreEncapsulator(Underlay.Ipv4() with { Destination = IPAddress.Parse("2001:db8::2") }, options));
        Assert.ThrowsAny<ArgumentException>(() => new GreEncapsulator(Underlay.Ipv6() with { Destination = IPAddress.Parse("198.51.100.1") }, options));
        Assert.ThrowsAny<ArgumentException>(() => new GreEncapsulator(Underlay.Ipv4() with { HopLimit = HopLimitPolicy.Fixed(0) }, options));
        Assert.ThrowsAny<ArgumentException>(() => new GreEncapsulator(Underlay.Ipv4() with { Dscp = DscpPolicy.Fixed(64) }, options));
        Assert.ThrowsAny<ArgumentException>(() => new GreEncapsulator(Underlay.Ipv6() with { FlowLabel = FlowLabelPolicy.Fixed(0x100000) }, options));
        Assert.ThrowsAny<ArgumentException>(() => new GreEncapsulator(Underlay.Ipv4() with { SourceMac = new System.Net.NetworkInformation.PhysicalAddress([1, 2, 3]) }, options));
        Assert.ThrowsAny<ArgumentNullException>(() => new GreEncapsulator(Underlay.Ipv4(), null!));
    }

    [Theory]
    [InlineData(false, false, false, "gre-l3-ipv4")]
    [InlineData(true, true, true, "gre-l3-ipv4-csum-key-seq")]
    public void Names_say_which_optional_fields_are_present(bool checksum, bool key, bool sequence, string name)
    {
        var e = new GreEncapsulator(Underlay.Ipv4(), new GreOptions { Checksum = checksum, Key = key ? 1u : null, Sequence = sequence });
        Assert.Equal(name, e.Name);
    }

    // ================= NVGRE (RFC 7637) =================

    private static Underlay NvgreUnderlay(string underlay) => underlay == "v4" ? Underlay.Ipv4() : Underlay.Ipv6() with { FlowLabel = FlowLabelPolicy.Zero };

    [Theory]
    // Eth | IPv4 total 0x004a = 20 + 8 + 46, proto 47, checksum 0x8e4f | GRE: C=0 K=1 S=0 (0x2000), type 0x6558 (TEB) |
    //       key = VSID 0x001234 (24 bits) then FlowID V4FlowIdHex (8 bits: the inner flow hash folded to a byte; §3.2 lets it carry entropy)
    [InlineData("v4", "v4", 0x1234u,
        OuterEthernetV4 + "| 45 00 004a 0000 0000 40 2f 8e4f c0000201 c6336401 | 2000 6558 | 001234 " + V4FlowIdHex, "v4")]
    // A C-tagged inner frame: §3.2 says the inner frame must not carry an 802.1Q tag, so the 4-byte tag is removed and
    // the vector is the untagged one, byte for byte.
    [InlineData("v4", "v4-vlan", 0x1234u,
        OuterEthernetV4 + "| 45 00 004a 0000 0000 40 2f 8e4f c0000201 c6336401 | 2000 6558 | 001234 " + V4FlowIdHex, "v4")]
    // S-tag + C-tag: both removed.
    [InlineData("v4", "v4-qinq", 0x1234u,
        OuterEthernetV4 + "| 45 00 004a 0000 0000 40 2f 8e4f c0000201 c6336401 | 2000 6558 | 001234 " + V4FlowIdHex, "v4")]
    // A non-IP frame (ARP, 60 bytes): total 0x0058, FlowID ArpFlowIdHex from the hash of its MAC addresses.
    [InlineData("v4", "arp", 0x1234u,
        OuterEthernetV4 + "| 45 00 0058 0000 0000 40 2f 8e41 c0000201 c6336401 | 2000 6558 | 001234 " + ArpFlowIdHex, "arp")]
    // IPv6 underlay: payload length 0x004a = 8 + 66, next header 47 | key = VSID 0xabcdef, FlowID V6FlowIdHex.
    [InlineData("v6", "v6", 0xABCDEFu,
        OuterEthernetV6 + "| 6 00 00000 004a 2f 40" + OuterV6Addresses + "| 2000 6558 | abcdef " + V6FlowIdHex, "v6")]
    public void Nvgre_golden_vectors(string underlay, string inner, uint vsid, string header, string payload)
    {
        EncapsulatorContract.Verify(() => new NvgreEncapsulator(NvgreUnderlay(underlay), vsid), Named(inner), Hex.Parse(header), Named(payload));
    }

    [Fact]
    public void Nvgre_header_keeps_C_and_S_clear_and_K_set_for_every_frame()
    {
        var e = new NvgreEncapsulator(Underlay.Ipv4(), 0x1234);
        var flowIds = new HashSet<byte>();
        foreach ((string name, byte[] frame) in TestFrames.Samples())
        {
            byte[] packet = EncapsulatorContract.Encapsulate(e, frame);
            ReadOnlySpan<byte> gre = packet.AsSpan(34, 8);
            Assert.True(BinaryPrimitives.ReadUInt16BigEndian(gre) == 0x2000, $"{name}: flags/version must be K only");
            Assert.True(BinaryPrimitives.ReadUInt16BigEndian(gre.Slice(2)) == 0x6558, $"{name}: protocol type");
            Assert.True((BinaryPrimitives.ReadUInt32BigEndian(gre.Slice(4)) >> 8) == 0x1234, $"{name}: VSID");
            flowIds.Add(gre[7]);
            // The inner frame never keeps a tag: its EtherType right after the MAC addresses is not a TPID.
            ushort innerType = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(42 + 12));
            Assert.False(innerType is 0x8100 or 0x88A8 or 0x9100, $"{name}: inner tag left in place");
        }
        Assert.True(flowIds.Count > 1, "the FlowID carries the flow's entropy");
    }

    [Theory]
    [InlineData(0x000000u)]
    [InlineData(0x000FFFu)]   // 0..0xFFF are reserved (RFC 7637 §3.2)
    [InlineData(0xFFFFFFu)]   // reserved for vendor-specific NVE-to-NVE communication
    [InlineData(0x1000000u)]  // does not fit in 24 bits
    public void Nvgre_rejects_reserved_and_oversized_VSIDs(uint vsid)
    {
        Assert.ThrowsAny<ArgumentException>(() => new NvgreEncapsulator(Underlay.Ipv4(), vsid));
    }

    [Theory]
    [InlineData(0x001000u, "001000")]
    [InlineData(0xFFFFFEu, "fffffe")]
    public void Nvgre_accepts_the_VSID_range_edges(uint vsid, string keyHigh)
    {
        var e = new NvgreEncapsulator(Underlay.Ipv4(), vsid);
        Assert.Equal(vsid, e.Vsid);
        byte[] packet = EncapsulatorContract.Encapsulate(e, InnerV4);
        Assert.Equal(Hex.Parse(keyHigh), packet[38..41]);
    }

    [Fact]
    public void Nvgre_needs_a_remote_endpoint_of_the_source_family()
    {
        Assert.ThrowsAny<ArgumentException>(() => new NvgreEncapsulator(Underlay.Ipv4() with { Destination = null }, 0x1234));
        Assert.ThrowsAny<ArgumentException>(() => new NvgreEncapsulator(Underlay.Ipv4() with { Destination = IPAddress.Parse("2001:db8::2") }, 0x1234));
    }

    // ================= Outer-header policies (shared by every tunnel; exercised here over both underlays) =================

    private static byte[] EncapsulateWith(Underlay underlay, byte[] frame, PayloadMode mode = PayloadMode.L3) =>
        EncapsulatorContract.Encapsulate(new GreEncapsulator(underlay, new GreOptions { Mode = mode }), frame);

    private static void AssertIpv4HeaderChecksumValid(byte[] packet) =>
        Assert.Equal(0, EncapsulatorContract.Rfc1071(packet.AsSpan(14, 20)));

    public static TheoryData<string, string, byte, byte> HopLimitCases() => new()
    {
        // policy, inner frame, inner TTL / hop limit, expected outer TTL / hop limit
        { "fixed-17", "ipv4", 33, 17 },
        { "fixed-17", "ipv6", 33, 17 },
        { "fixed-17", "arp", 0, 17 },
        { "inherit-99", "ipv4", 33, 33 },
        { "inherit-99", "ipv6", 200, 200 },
        { "inherit-99", "arp", 0, 99 },      // nothing to inherit from: the fallback
        { "inherit-ipv6-99", "ipv4", 33, 99 }, // Linux seg6 copies only from IPv6 inners
        { "inherit-ipv6-99", "ipv6", 200, 200 },
    };

    [Theory]
    [MemberData(nameof(HopLimitCases))]
    public void Outer_TTL_and_hop_limit_are_fixed_or_inherited(string policy, string inner, byte innerHopLimit, byte expected)
    {
        HopLimitPolicy hopLimit = policy switch
        {
            "fixed-17" => HopLimitPolicy.Fixed(17),
            "inherit-99" => HopLimitPolicy.FromInner(99),
            _ => HopLimitPolicy.FromInnerIpv6(99),
        };
        byte[] frame = inner switch
        {
            "ipv4" => TestFrames.Ip(4, TestFrames.L4.Udp, 100, hopLimit: innerHopLimit),
            "ipv6" => TestFrames.Ip(6, TestFrames.L4.Udp, 100, hopLimit: innerHopLimit),
            _ => TestFrames.Arp(),
        };
        byte[] v4 = EncapsulateWith(Underlay.Ipv4() with { HopLimit = hopLimit }, frame, PayloadMode.L2);
        Assert.Equal(expected, v4[14 + 8]);
        AssertIpv4HeaderChecksumValid(v4);
        byte[] v6 = EncapsulateWith(Underlay.Ipv6() with { HopLimit = hopLimit }, frame, PayloadMode.L2);
        Assert.Equal(expected, v6[14 + 7]);
    }

    public static TheoryData<string, string, byte, byte> TrafficClassCases() => new()
    {
        // policy, inner frame, inner TOS / traffic class, expected outer TOS / traffic class (DSCP << 2 | ECN)
        { "fixed-46", "ipv4", 0x00, 0xB8 },
        { "fixed-46", "ipv4", 0x02, 0xBA },  // ECT(0) copied (RFC 6040 §4.1, normal mode)
        { "fixed-46", "ipv6", 0x01, 0xB9 },  // ECT(1) copied
        { "fixed-0", "ipv4", 0x03, 0x03 },   // CE copied too: normal mode copies the whole ECN field
        { "fixed-0", "ipv6", 0xFF, 0x03 },   // inner DSCP ignored, ECN copied
        { "fixed-46", "arp", 0, 0xB8 },      // no inner ECN: Not-ECT
        { "inherit", "ipv4", 0x29, 0x29 },   // DSCP 10 and ECT(1), both from the inner packet
        { "inherit", "ipv6", 0xB8, 0xB8 },
        { "inherit", "arp", 0, 0x00 },       // nothing to inherit: the configured 0
        { "inherit-ipv6", "ipv4", 0x2A, 0x02 }, // DSCP only from IPv6 inners; ECN still copied from IPv4
        { "inherit-ipv6", "ipv6", 0x2A, 0x2A },
    };

    [Theory]
    [MemberData(nameof(TrafficClassCases))]
    public void Outer_DSCP_is_fixed_or_inherited_and_ECN_is_always_copied(string policy, string inner, byte innerClass, byte expected)
    {
        DscpPolicy dscp = policy switch
        {
            "fixed-46" => DscpPolicy.Fixed(46),
            "fixed-0" => DscpPolicy.Fixed(0),
            "inherit" => DscpPolicy.FromInner(),
            _ => DscpPolicy.FromInnerIpv6(),
        };
        byte[] frame = inner switch
        {
            "ipv4" => TestFrames.Ip(4, TestFrames.L4.Tcp, 100, trafficClass: innerClass),
            "ipv6" => TestFrames.Ip(6, TestFrames.L4.Tcp, 100, trafficClass: innerClass),
            _ => TestFrames.Arp(),
        };
        byte[] v4 = EncapsulateWith(Underlay.Ipv4() with { Dscp = dscp }, frame, PayloadMode.L2);
        Assert.Equal(expected, v4[14 + 1]);
        AssertIpv4HeaderChecksumValid(v4);
        byte[] v6 = EncapsulateWith(Underlay.Ipv6() with { Dscp = dscp, FlowLabel = FlowLabelPolicy.Fixed(0xABCDE) }, frame, PayloadMode.L2);
        uint first = BinaryPrimitives.ReadUInt32BigEndian(v6.AsSpan(14));
        Assert.Equal(6u, first >> 28);
        Assert.Equal(expected, (byte)(first >> 20));
        Assert.Equal(0xABCDEu, first & 0xFFFFF); // the traffic class does not spill into the flow label
    }

    [Theory]
    [InlineData(false, "0000")]
    [InlineData(true, "4000")] // RFC 791: DF is bit 1 of the flags, 0x4000 of the 16-bit flags/fragment word
    public void DF_bit_is_set_only_when_asked_for(bool dontFragment, string flags)
    {
        byte[] packet = EncapsulateWith(Underlay.Ipv4() with { DontFragment = dontFragment }, InnerV4);
        Assert.Equal(Hex.Parse(flags), packet[20..22]);
        AssertIpv4HeaderChecksumValid(packet);
    }

    [Theory]
    // policy, inner frame, expected flow label (hex). Hash values are the golden flows' hashes folded to 20 bits.
    [InlineData("hash", "v4", V4FlowLabelHex)]
    [InlineData("hash", "v6", V6FlowLabelHex)]
    [InlineData("zero", "v4", "0")]
    [InlineData("zero", "v6", "0")]
    [InlineData("fixed", "v4", "abcde")]
    [InlineData("fixed", "v6", "abcde")]
    [InlineData("inherit", "v6", "12345")] // the inner IPv6 label
    [InlineData("inherit", "v4", "0")]       // an IPv4 inner has none: 0, as Linux seg6 sends
    public void Flow_label_is_hash_zero_fixed_or_inherited(string policy, string inner, string expectedHex)
    {
        FlowLabelPolicy label = policy switch
        {
            "hash" => FlowLabelPolicy.Hash,
            "zero" => FlowLabelPolicy.Zero,
            "fixed" => FlowLabelPolicy.Fixed(0xABCDE),
            _ => FlowLabelPolicy.FromInner,
        };
        byte[] packet = EncapsulateWith(Underlay.Ipv6() with { FlowLabel = label }, Named(inner));
        Assert.Equal(Convert.ToUInt32(expectedHex, 16), BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(14)) & 0xFFFFF);
    }

    [Fact]
    public void Hashed_flow_labels_spread_flows_and_are_never_zero()
    {
        var labels = new HashSet<uint>();
        for (int port = 1; port <= 64; port++)
        {
            byte[] packet = EncapsulateWith(Underlay.Ipv6(), TestFrames.Ip(4, TestFrames.L4.Tcp, 80, sourcePort: (ushort)(40000 + port)));
            uint label = BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(14)) & 0xFFFFF;
            Assert.NotEqual(0u, label); // RFC 6437 §2: 0 means "not labelled"
            labels.Add(label);
        }
        Assert.True(labels.Count >= 60, $"64 flows gave only {labels.Count} labels");
    }
}
