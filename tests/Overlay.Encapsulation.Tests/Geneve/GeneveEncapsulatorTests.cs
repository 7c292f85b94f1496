using System.Buffers.Binary;
using System.Net;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Tests.Support;
using static Overlay.Encapsulation.Tests.Support.GoldenFrames;

namespace Overlay.Encapsulation.Tests.Geneve;

/// <summary>
/// GENEVE (RFC 8926) against hand-checked byte vectors: the base header (§3.4), TLV options (§3.5), the O and C
/// bits, Opt Len in 4-byte words and its 252-byte ceiling, Ethernet and IP payloads.
/// </summary>
/// <remarks>
/// Like the VXLAN vectors, these pin the UDP source port to 49152 (0xc000) and the IPv6 flow label to 0.
/// The GENEVE header is written <c>Ver(2)|Opt Len(6) · O|C|Rsvd(6) · Protocol Type(16) · VNI(24)|Reserved(8)</c>,
/// each option <c>Class(16) · Type(8, high bit = critical) · R(3)|Length(5, words of data) · data</c>.
/// </remarks>
public class GeneveEncapsulatorTests
{
    private static readonly PortRange Pinned = new(49152, 49152);

    private static Underlay UnderlayFor(string underlay) => underlay switch
    {
        "v4" => Underlay.Ipv4() with { SourcePorts = Pinned },
        "v4-csum-on" => Underlay.Ipv4() with { SourcePorts = Pinned, UdpChecksum = UdpChecksumPolicy.On },
        "v6" => Underlay.Ipv6() with { SourcePorts = Pinned, FlowLabel = FlowLabelPolicy.Zero },
        _ => throw new ArgumentOutOfRangeException(nameof(underlay)),
    };

    /// <summary>Option sets by name: "" none; "opt1" one 12-byte option; "crit" one critical 8-byte option; "3opts" three.</summary>
    private static GeneveOption[] OptionsFor(string name) => name switch
    {
        "" => [],
        "opt1" => [Opt1],
        "crit" => [Critical],
        "3opts" => [Empty, Opt1, Critical],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    // Class 0xfff0 (experimental, §8), type 0x01 (not critical), 8 bytes a0..a7 → on the wire fff0 01 02 a0a1…a7.
    private static readonly GeneveOption Opt1 = new(0xFFF0, 0x01, new byte[] { 0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7 });
    // Class 0xfff0, type 0x81 (critical bit set), 4 bytes → fff0 81 01 11223344.
    private static readonly GeneveOption Critical = new(0xFFF0, 0x81, new byte[] { 0x11, 0x22, 0x33, 0x44 });
    // Class 0x0102, type 0x03, no data → 0102 03 00 (Length 0: the option is its 4-byte header alone).
    private static readonly GeneveOption Empty = new(0x0102, 0x03, ReadOnlyMemory<byte>.Empty);

    [Theory]
    // Eth | IPv4 total 0x0052 = 20 + 8 + 8 + 46, proto 0x11, checksum 0x8e65 | UDP 0xc000 → 0x17c1 (6081), length 0x003e,
    // checksum 0 (RFC 8926 §3.3 allows zero over IPv4) | GENEVE: Ver 0 Opt Len 0 (00), O=0 C=0 (00), type 0x6558, VNI 0x001092, 00
    [InlineData("v4", "", false, PayloadMode.L2, 4242u, "v4",
        OuterEthernetV4 + "| 45 00 0052 0000 0000 40 11 8e65 c0000201 c6336401 | c000 17c1 003e 0000 | 00 00 6558 | 001092 00")]
    // One option: Opt Len 3 words (4-byte option header + 8 data) = 0x03 | option fff0 01 02 (Length 2 words) a0..a7.
    // Total 0x005e = 20 + 8 + 20 + 46.
    [InlineData("v4", "opt1", false, PayloadMode.L2, 4242u, "v4",
        OuterEthernetV4 + "| 45 00 005e 0000 0000 40 11 8e59 c0000201 c6336401 | c000 17c1 004a 0000 | 03 00 6558 | 001092 00 | fff0 01 02 a0a1a2a3a4a5a6a7")]
    // A critical option (type 0x81): C = 1 → second byte 0x40 (§3.4: set when any option has its critical bit). Opt Len 2.
    [InlineData("v4", "crit", false, PayloadMode.L2, 4242u, "v4",
        OuterEthernetV4 + "| 45 00 005a 0000 0000 40 11 8e5d c0000201 c6336401 | c000 17c1 0046 0000 | 02 40 6558 | 001092 00 | fff0 81 01 11223344")]
    // O = 1 (control packet) → second byte 0x80.
    [InlineData("v4", "", true, PayloadMode.L2, 4242u, "v4",
        OuterEthernetV4 + "| 45 00 0052 0000 0000 40 11 8e65 c0000201 c6336401 | c000 17c1 003e 0000 | 00 80 6558 | 001092 00")]
    // Three options in order (4 + 12 + 8 = 24 bytes, Opt Len 6), O and C both set → 0xc0.
    [InlineData("v4", "3opts", true, PayloadMode.L2, 4242u, "v4",
        OuterEthernetV4 + "| 45 00 006a 0000 0000 40 11 8e4d c0000201 c6336401 | c000 17c1 0056 0000 | 06 c0 6558 | 001092 00 | 0102 03 00 | fff0 01 02 a0a1a2a3a4a5a6a7 | fff0 81 01 11223344")]
    // IP payload: protocol type 0x0800 and only the 32-byte IPv4 packet (total 0x0044 = 36 + 32).
    [InlineData("v4", "", false, PayloadMode.L3, 4242u, "v4",
        OuterEthernetV4 + "| 45 00 0044 0000 0000 40 11 8e73 c0000201 c6336401 | c000 17c1 0030 0000 | 00 00 0800 | 001092 00")]
    // ... protocol type 0x86dd and the 52-byte IPv6 packet.
    [InlineData("v4", "", false, PayloadMode.L3, 4242u, "v6",
        OuterEthernetV4 + "| 45 00 0058 0000 0000 40 11 8e5f c0000201 c6336401 | c000 17c1 0044 0000 | 00 00 86dd | 001092 00")]
    // ... a padded, tagged or plain frame all carry the same IP packet.
    [InlineData("v4", "", false, PayloadMode.L3, 4242u, "v4-padded",
        OuterEthernetV4 + "| 45 00 0044 0000 0000 40 11 8e73 c0000201 c6336401 | c000 17c1 0030 0000 | 00 00 0800 | 001092 00")]
    [InlineData("v4", "", false, PayloadMode.L3, 4242u, "v4-qinq",
        OuterEthernetV4 + "| 45 00 0044 0000 0000 40 11 8e73 c0000201 c6336401 | c000 17c1 0030 0000 | 00 00 0800 | 001092 00")]
    // UDP checksum on over IPv4: 0x2d41.
    [InlineData("v4-csum-on", "opt1", false, PayloadMode.L2, 4242u, "v4",
        OuterEthernetV4 + "| 45 00 005e 0000 0000 40 11 8e59 c0000201 c6336401 | c000 17c1 004a 2d41 | 03 00 6558 | 001092 00 | fff0 01 02 a0a1a2a3a4a5a6a7")]
    // IPv6 underlay: payload length 0x003e, next header 0x11 | UDP checksum 0x50a0, on by default over IPv6.
    [InlineData("v6", "", false, PayloadMode.L2, 4242u, "v4",
        OuterEthernetV6 + "| 6 00 00000 003e 11 40" + OuterV6Addresses + "| c000 17c1 003e 50a0 | 00 00 6558 | 001092 00")]
    // IPv6 underlay, IPv6 packet, one option, VNI 0xabcdef: checksum 0x8370.
    [InlineData("v6", "opt1", false, PayloadMode.L3, 0xABCDEFu, "v6",
        OuterEthernetV6 + "| 6 00 00000 0050 11 40" + OuterV6Addresses + "| c000 17c1 0050 8370 | 03 00 86dd | abcdef 00 | fff0 01 02 a0a1a2a3a4a5a6a7")]
    public void Golden_vectors(string underlay, string options, bool oam, PayloadMode mode, uint vni, string inner, string header)
    {
        var geneve = new GeneveOptions { Vni = vni, Oam = oam, Mode = mode, Options = OptionsFor(options) };
        byte[] frame = Named(inner);
        byte[] payload = mode == PayloadMode.L3 ? IpPacketOf(inner) : frame;
        EncapsulatorContract.Verify(() => new GeneveEncapsulator(UnderlayFor(underlay), geneve), frame, Hex.Parse(header), payload);
    }

    [Fact]
    public void Options_may_fill_Opt_Len_to_its_252_byte_ceiling()
    {
        // 6-bit Opt Len counts 4-byte words: 63 words = 252 bytes. Option A: 124 data bytes (Length 31 = 0x1f, the 5-bit
        // maximum), option B: 120 (Length 30 = 0x1e); 128 + 124 = 252.
        byte[] dataA = Enumerable.Range(0, 124).Select(i => (byte)i).ToArray();
        byte[] dataB = Enumerable.Range(0, 120).Select(i => (byte)i).ToArray();
        var options = new GeneveOptions { Vni = 4242, Options = [new GeneveOption(0x0103, 0x10, dataA), new GeneveOption(0x0104, 0x10, dataB)] };
        // IPv4 total 0x014e = 20 + 8 + 260 + 46, checksum 0x8d69 | UDP length 0x013a | GENEVE Opt Len 0x3f
        string header = OuterEthernetV4 + "| 45 00 014e 0000 0000 40 11 8d69 c0000201 c6336401 | c000 17c1 013a 0000 | 3f 00 6558 | 001092 00"
            + "| 0103 10 1f" + Convert.ToHexString(dataA) + "| 0104 10 1e" + Convert.ToHexString(dataB);
        EncapsulatorContract.Verify(() => new GeneveEncapsulator(UnderlayFor("v4"), options), InnerV4, Hex.Parse(header), InnerV4);
        Assert.Equal("geneve-ipv4-opt2x252B", new GeneveEncapsulator(Underlay.Ipv4(), options).Name);
    }

    [Fact]
    public void Configuration_is_validated_at_construction()
    {
        GeneveOption big = new(0x0103, 0x10, new byte[124]); // 128 bytes encoded
        // 256 bytes of options: one word more than Opt Len can say.
        Assert.ThrowsAny<ArgumentException>(() => new GeneveEncapsulator(Underlay.Ipv4(), new GeneveOptions { Options = [big, big] }));
        // 252 + one empty 4-byte option = 256.
        GeneveOption rest = new(0x0104, 0x10, new byte[120]);
        Assert.ThrowsAny<ArgumentException>(() => new GeneveEncapsulator(Underlay.Ipv4(), new GeneveOptions { Options = [big, rest, Empty] }));
        // 64 empty options: 256 bytes.
        Assert.ThrowsAny<ArgumentException>(() => new GeneveEncapsulator(Underlay.Ipv4(), new GeneveOptions { Options = Enumerable.Repeat(Empty, 64).ToArray() }));
        Assert.Equal(63 * 4 + 50, new GeneveEncapsulator(Underlay.Ipv4(), new GeneveOptions { Options = Enumerable.Repeat(Empty, 63).ToArray() }).HeaderLength);
        // An option's data: whole 4-byte words (§3.5), at most 31 of them (5-bit Length).
        Assert.ThrowsAny<ArgumentException>(() => new GeneveOption(0x0103, 0x10, new byte[5]));
        Assert.ThrowsAny<ArgumentException>(() => new GeneveOption(0x0103, 0x10, new byte[128]));
        // VNI has 24 bits.
        Assert.ThrowsAny<ArgumentException>(() => new GeneveEncapsulator(Underlay.Ipv4(), new GeneveOptions { Vni = 0x1000000 }));
        // A remote endpoint of the source's family.
        Assert.ThrowsAny<ArgumentException>(() => new GeneveEncapsulator(Underlay.Ipv4() with { Destination = null }, new GeneveOptions()));
        Assert.ThrowsAny<ArgumentException>(() => new GeneveEncapsulator(Underlay.Ipv4() with { Destination = IPAddress.Parse("2001:db8::2") }, new GeneveOptions()));
        Assert.ThrowsAny<ArgumentException>(() => new GeneveEncapsulator(Underlay.Ipv6() with { Destination = IPAddress.Parse("198.51.100.1") }, new GeneveOptions()));
    }

    [Theory]
    [InlineData("v4")]
    [InlineData("v6")]
    public void L3_mode_rejects_what_is_not_IP(string underlay)
    {
        var e = new GeneveEncapsulator(UnderlayFor(underlay), new GeneveOptions { Vni = 1, Mode = PayloadMode.L3, Options = [Opt1] });
        EncapsulatorContract.VerifyRejected(e, TestFrames.Arp());
        EncapsulatorContract.VerifyRejected(e, InnerV4[..40]);
        EncapsulatorContract.VerifyRejected(e, InnerV6[..50]);
    }

    [Fact]
    public void Options_do_not_pile_up_over_many_packets()
    {
        // gopacket's warning: options appended again on reuse. The header must be identical packet after packet.
        var e = new GeneveEncapsulator(UnderlayFor("v6"), new GeneveOptions { Vni = 7, Options = [Empty, Opt1, Critical] });
        byte[] first = EncapsulatorContract.Encapsulate(e, InnerV4);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(first, EncapsulatorContract.Encapsulate(e, InnerV4));
        }
        Assert.Equal(6, first[62] & 0x3F);
    }

    [Theory]
    [InlineData(PayloadMode.L2, "", "geneve-ipv4")]
    [InlineData(PayloadMode.L3, "", "geneve-l3-ipv4")]
    [InlineData(PayloadMode.L2, "3opts", "geneve-ipv4-opt3x24B")]
    public void Names_say_payload_and_options(PayloadMode mode, string options, string name)
    {
        Assert.Equal(name, new GeneveEncapsulator(Underlay.Ipv4(), new GeneveOptions { Mode = mode, Options = OptionsFor(options) }).Name);
    }

    [Fact]
    public void Every_option_length_field_counts_words_of_data()
    {
        // Walk the options as a receiver would: Opt Len and each Length must lead exactly to the payload.
        var options = Enumerable.Range(0, 8).Select(i => new GeneveOption(0xFFF0, (byte)i, new byte[4 * i])).ToArray();
        byte[] packet = EncapsulatorContract.Encapsulate(new GeneveEncapsulator(UnderlayFor("v4"), new GeneveOptions { Options = options }), InnerV4);
        int geneve = 14 + 20 + 8;
        int optLen = (packet[geneve] & 0x3F) * 4;
        Assert.Equal(options.Sum(o => 4 + o.Data.Length), optLen);
        int at = geneve + 8, end = at + optLen, index = 0;
        while (at < end)
        {
            Assert.Equal(index, packet[at + 2]);
            Assert.Equal(index, packet[at + 3] & 0x1F);
            Assert.Equal(0, packet[at + 3] >> 5); // R bits zero
            at += 4 + 4 * (packet[at + 3] & 0x1F);
            index++;
        }
        Assert.Equal(end, at);
        Assert.Equal(8, index);
        Assert.Equal(InnerV4, packet[end..]);
        Assert.Equal(0x6558, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(geneve + 2)));
    }
}
