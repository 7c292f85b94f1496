using System.Buffers.Binary;
using System.Net;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Tests.Support;
using static Overlay.Encapsulation.Tests.Support.GoldenFrames;

namespace Overlay.Encapsulation.Tests.Srv6;

/// <summary>
/// SRv6 headend encapsulation against hand-checked byte vectors: H.Encaps, H.Encaps.Red, H.Encaps.L2 and
/// H.Encaps.L2.Red (RFC 8986 §5.1-5.4) with the SRH of RFC 8754 §2, and NEXT-C-SID containers (RFC 9800).
/// </summary>
/// <remarks>
/// The rules the vectors pin, the ones easiest to get backwards:
/// <list type="bullet">
/// <item>Segment List[0] is the LAST segment; the first to visit is Segment List[Last Entry] (RFC 8754 §2);</item>
/// <item>the outer destination is the first segment, Segments Left = n−1 (RFC 8754 §4.1, RFC 8986 §5.1);</item>
/// <item>.Red leaves the first segment out of the SRH: Last Entry = n−2 and still Segments Left = n−1; with one
/// segment no SRH is sent (RFC 8754 §4.1.1, RFC 8986 §5.2);</item>
/// <item>the SRH's (or, without one, the outer header's) next header is 4 for IPv4, 41 for IPv6, 143 for Ethernet;</item>
/// <item>Hdr Ext Len counts 8-octet units after the first 8: 2 per segment.</item>
/// </list>
/// Segments are fc00:0:1::, fc00:0:2::, … in visit order (also valid 32/16 NEXT-C-SIDs). The flow label is pinned to 0.
/// The outer IPv6 header reads <c>6 | TC 00 | FL 00000 | payload length | next header | hop limit 40 | 2001:db8::1 | DA</c>.
/// </remarks>
public class Srv6EncapsulatorTests
{
    private const string Source = "20010db8000000000000000000000001";
    private const string Sid1 = "fc000000000100000000000000000000";
    private const string Sid2 = "fc000000000200000000000000000000";
    private const string Sid3 = "fc000000000300000000000000000000";

    private static Underlay Srv6Underlay() => Underlay.Ipv6(destination: null) with { FlowLabel = FlowLabelPolicy.Zero };

    private static IPAddress[] Segments(int n) => VariantCatalog.Segments(n);

    private static Srv6Encapsulator Create(PayloadMode mode, bool reduced, int n) =>
        new(Srv6Underlay(), new Srv6Options { Segments = Segments(n), Mode = mode, Reduced = reduced });

    [Theory]
    // ---- H.Encaps (§5.1), IPv4 packet ----
    // n=1: payload length 0x0038 = 24 SRH + 32, next header 0x2b (43, routing), DA = fc00:0:1:: |
    //      SRH: next header 04, Hdr Ext Len 02, Routing Type 04, Segments Left 00 | Last Entry 00, Flags 00, Tag 0000 | [0] fc00:0:1::
    [InlineData(PayloadMode.L3, false, 1, "v4",
        OuterEthernetV6 + "| 6 00 00000 0038 2b 40" + Source + Sid1 + "| 04 02 04 00 | 00 00 0000 | " + Sid1)]
    // n=2: SRH 04 04 04 01 | LE 01 | [0] fc00:0:2:: (last), [1] fc00:0:1:: (first, also in DA). Payload length 0x0048 = 40 + 32.
    [InlineData(PayloadMode.L3, false, 2, "v4",
        OuterEthernetV6 + "| 6 00 00000 0048 2b 40" + Source + Sid1 + "| 04 04 04 01 | 01 00 0000 | " + Sid2 + Sid1)]
    // n=3: SRH 04 06 04 02 | LE 02 | [0] fc00:0:3::, [1] fc00:0:2::, [2] fc00:0:1::. Payload length 0x0058 = 56 + 32.
    [InlineData(PayloadMode.L3, false, 3, "v4",
        OuterEthernetV6 + "| 6 00 00000 0058 2b 40" + Source + Sid1 + "| 04 06 04 02 | 02 00 0000 | " + Sid3 + Sid2 + Sid1)]
    // IPv6 packet: the SRH's next header is 0x29 (41). Payload length 0x005c = 40 + 52.
    [InlineData(PayloadMode.L3, false, 2, "v6",
        OuterEthernetV6 + "| 6 00 00000 005c 2b 40" + Source + Sid1 + "| 29 04 04 01 | 01 00 0000 | " + Sid2 + Sid1)]
    // L3 takes the IP packet out of a tagged or padded frame.
    [InlineData(PayloadMode.L3, false, 1, "v4-qinq",
        OuterEthernetV6 + "| 6 00 00000 0038 2b 40" + Source + Sid1 + "| 04 02 04 00 | 00 00 0000 | " + Sid1)]
    [InlineData(PayloadMode.L3, false, 1, "v4-padded",
        OuterEthernetV6 + "| 6 00 00000 0038 2b 40" + Source + Sid1 + "| 04 02 04 00 | 00 00 0000 | " + Sid1)]
    // ---- H.Encaps.Red (§5.2) ----
    // n=1: no SRH at all; the outer next header is 04 (IPv4) and DA = fc00:0:1::. Payload length 0x0020 = 32.
    [InlineData(PayloadMode.L3, true, 1, "v4",
        OuterEthernetV6 + "| 6 00 00000 0020 04 40" + Source + Sid1)]
    // ... 0x29 for an IPv6 packet. Payload length 0x0034 = 52.
    [InlineData(PayloadMode.L3, true, 1, "v6",
        OuterEthernetV6 + "| 6 00 00000 0034 29 40" + Source + Sid1)]
    // n=2: SRH holds only fc00:0:2::: Hdr Ext Len 02, Segments Left 01 | Last Entry 00 (= n−2). Payload length 0x0038.
    [InlineData(PayloadMode.L3, true, 2, "v4",
        OuterEthernetV6 + "| 6 00 00000 0038 2b 40" + Source + Sid1 + "| 04 02 04 01 | 00 00 0000 | " + Sid2)]
    // n=3: [0] fc00:0:3::, [1] fc00:0:2::; Hdr Ext Len 04, Segments Left 02 | Last Entry 01.
    [InlineData(PayloadMode.L3, true, 3, "v4",
        OuterEthernetV6 + "| 6 00 00000 0048 2b 40" + Source + Sid1 + "| 04 04 04 02 | 01 00 0000 | " + Sid3 + Sid2)]
    // ---- H.Encaps.L2 (§5.3): the whole Ethernet frame, next header 0x8f (143) ----
    // n=1: payload length 0x0046 = 24 + 46.
    [InlineData(PayloadMode.L2, false, 1, "v4",
        OuterEthernetV6 + "| 6 00 00000 0046 2b 40" + Source + Sid1 + "| 8f 02 04 00 | 00 00 0000 | " + Sid1)]
    [InlineData(PayloadMode.L2, false, 2, "v4",
        OuterEthernetV6 + "| 6 00 00000 0056 2b 40" + Source + Sid1 + "| 8f 04 04 01 | 01 00 0000 | " + Sid2 + Sid1)]
    [InlineData(PayloadMode.L2, false, 3, "v4",
        OuterEthernetV6 + "| 6 00 00000 0066 2b 40" + Source + Sid1 + "| 8f 06 04 02 | 02 00 0000 | " + Sid3 + Sid2 + Sid1)]
    // A tagged frame travels with its tags in L2 mode (only NVGRE strips them). Payload length 0x005e = 40 + 54.
    [InlineData(PayloadMode.L2, false, 2, "v4-qinq",
        OuterEthernetV6 + "| 6 00 00000 005e 2b 40" + Source + Sid1 + "| 8f 04 04 01 | 01 00 0000 | " + Sid2 + Sid1)]
    // A non-IP frame (60-byte ARP). Payload length 0x0064 = 40 + 60.
    [InlineData(PayloadMode.L2, false, 2, "arp",
        OuterEthernetV6 + "| 6 00 00000 0064 2b 40" + Source + Sid1 + "| 8f 04 04 01 | 01 00 0000 | " + Sid2 + Sid1)]
    // ---- H.Encaps.L2.Red (§5.4) ----
    // n=1: no SRH, outer next header 0x8f. Payload length 0x002e = 46.
    [InlineData(PayloadMode.L2, true, 1, "v4",
        OuterEthernetV6 + "| 6 00 00000 002e 8f 40" + Source + Sid1)]
    [InlineData(PayloadMode.L2, true, 2, "v4",
        OuterEthernetV6 + "| 6 00 00000 0046 2b 40" + Source + Sid1 + "| 8f 02 04 01 | 00 00 0000 | " + Sid2)]
    [InlineData(PayloadMode.L2, true, 3, "v4",
        OuterEthernetV6 + "| 6 00 00000 0056 2b 40" + Source + Sid1 + "| 8f 04 04 02 | 01 00 0000 | " + Sid3 + Sid2)]
    public void Golden_vectors(PayloadMode mode, bool reduced, int n, string inner, string header)
    {
        byte[] frame = Named(inner);
        byte[] payload = mode == PayloadMode.L3 ? IpPacketOf(inner) : frame;
        EncapsulatorContract.Verify(() => Create(mode, reduced, n), frame, Hex.Parse(header), payload);
    }

    [Fact]
    public void The_SRH_tag_is_written_where_RFC_8754_puts_it()
    {
        // SRH bytes 6-7: Tag 0x1234; everything else as the n=2 H.Encaps vector.
        string header = OuterEthernetV6 + "| 6 00 00000 0048 2b 40" + Source + Sid1 + "| 04 04 04 01 | 01 00 1234 | " + Sid2 + Sid1;
        EncapsulatorContract.Verify(() => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = Segments(2), Tag = 0x1234 }),
            InnerV4, Hex.Parse(header), IpPacketOf("v4"));
    }

    [Theory]
    [InlineData(true, null)]   // H.Encaps.Red with one segment sends no SRH ...
    [InlineData(false, 32)]    // ... nor do up to six NEXT-C-SIDs in one container
    public void A_tag_that_no_SRH_would_carry_is_rejected(bool reduced, int? csidBlockBits)
    {
        // RFC 8986 §5.2: the SRH may be omitted only when there is "no need to use any flag, tag, or TLV". A configured
        // tag with no SRH to carry it would be dropped silently; it must be refused at construction instead.
        var options = new Srv6Options
        {
            Segments = Segments(1),
            Reduced = reduced,
            Tag = 0x1234,
            CompressedSids = csidBlockBits is int b ? new CompressedSidFormat(b, 16) : null,
        };
        Assert.ThrowsAny<ArgumentException>(() => new Srv6Encapsulator(Srv6Underlay(), options));
        // With an SRH the tag travels (see the tag vector); without a tag the SRH-less forms are fine.
        Assert.Equal(54, new Srv6Encapsulator(Srv6Underlay(), options with { Tag = 0 }).HeaderLength);
        Assert.Equal(0x1234, SegmentRoutingHeader.Tag(EncapsulatorContract.Encapsulate(
            new Srv6Encapsulator(Srv6Underlay(), options with { Segments = Segments(7) }), InnerV4).AsSpan(54)));
    }

    [Theory]
    [InlineData(PayloadMode.L3, false)]
    [InlineData(PayloadMode.L3, true)]
    [InlineData(PayloadMode.L2, false)]
    [InlineData(PayloadMode.L2, true)]
    public void Sixteen_segments_are_stored_last_first(PayloadMode mode, bool reduced)
    {
        var e = Create(mode, reduced, 16);
        IPAddress[] segments = Segments(16);
        int inSrh = reduced ? 15 : 16;
        Assert.Equal(8 + 16 * inSrh, e.SrhLength);
        Assert.Equal(14 + 40 + 8 + 16 * inSrh, e.HeaderLength);

        byte[] frame = InnerV6;
        byte[] payload = mode == PayloadMode.L3 ? IpPacketOf("v6") : frame;
        byte[] packet = EncapsulatorContract.Encapsulate(e, frame);
        Assert.Equal(e.HeaderLength + payload.Length, packet.Length);
        ReadOnlySpan<byte> ip = packet.AsSpan(14, 40);
        Assert.Equal(e.SrhLength + payload.Length, BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(4)));
        Assert.Equal(43, ip[6]);
        Assert.Equal(segments[0].GetAddressBytes(), ip.Slice(24, 16).ToArray());

        ReadOnlySpan<byte> srh = packet.AsSpan(54, e.SrhLength);
        Assert.Equal(mode == PayloadMode.L2 ? 143 : 41, srh[0]);
        Assert.Equal(2 * inSrh, srh[1]);   // Hdr Ext Len
        Assert.Equal(4, srh[2]);           // Routing Type 4 = SRH
        Assert.Equal(15, srh[3]);          // Segments Left = n − 1, reduced or not
        Assert.Equal(inSrh - 1, srh[4]);   // Last Entry
        Assert.Equal(0, srh[5]);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(srh.Slice(6)));
        for (int i = 0; i < inSrh; i++)
        {
            // Segment List[i] = the (16 − i)-th segment visited: [0] is the last.
            Assert.Equal(segments[15 - i].GetAddressBytes(), srh.Slice(8 + 16 * i, 16).ToArray());
        }
        Assert.Equal(payload, packet[e.HeaderLength..]);
        Assert.Equal(segments, Visited(packet, null));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(16)]
    public void End_processing_visits_the_segments_in_order(int n)
    {
        // What every SR endpoint on the way does (RFC 8754 §4.3.1.1, RFC 8986 §4.1): decrement Segments Left and copy
        // Segment List[Segments Left] into the destination. The destinations seen must be the configured path.
        foreach (PayloadMode mode in new[] { PayloadMode.L3, PayloadMode.L2 })
        {
            foreach (bool reduced in new[] { false, true })
            {
                byte[] packet = EncapsulatorContract.Encapsulate(Create(mode, reduced, n), InnerV4);
                Assert.Equal(Segments(n), Visited(packet, null));
            }
        }
    }

    [Theory]
    // policy header length for H.Encaps L3 = 14 + 40 + 8 + 16n; .Red = 14 + 40 + 8 + 16(n−1), and 14 + 40 for n = 1 (DESIGN.md)
    [InlineData(1, false, 78)]
    [InlineData(3, false, 110)]
    [InlineData(1, true, 54)]
    [InlineData(2, true, 78)]
    [InlineData(3, true, 94)]
    public void Header_length_matches_the_overhead_formula(int n, bool reduced, int headerLength)
    {
        Assert.Equal(headerLength, Create(PayloadMode.L3, reduced, n).HeaderLength);
        Assert.Equal(headerLength, Create(PayloadMode.L2, reduced, n).HeaderLength);
    }

    // ================= NEXT-C-SID (RFC 9800) =================

    [Theory]
    // 32-bit block fc00:0000, 16-bit C-SIDs 0001, 0002, …: six fit in one 128-bit container after the block.
    // n=1: DA = fc00:0:1:: (block | 0001 | end-of-carrier zeros), no SRH, outer next header 04. Payload length 0x0020.
    [InlineData(32, PayloadMode.L3, 1, "v4",
        OuterEthernetV6 + "| 6 00 00000 0020 04 40" + Source + "| fc000000 0001 0000 0000 0000 0000 0000")]
    // n=3: DA = fc00:0:1:2:3:: — the C-SIDs in visit order after the block.
    [InlineData(32, PayloadMode.L3, 3, "v4",
        OuterEthernetV6 + "| 6 00 00000 0020 04 40" + Source + "| fc000000 0001 0002 0003 0000 0000 0000")]
    // n=6: the container is full: fc00:0:1:2:3:4:5:6, still no SRH.
    [InlineData(32, PayloadMode.L3, 6, "v4",
        OuterEthernetV6 + "| 6 00 00000 0020 04 40" + Source + "| fc000000 0001 0002 0003 0004 0005 0006")]
    // n=7: the second container fc00:0:7:: goes in a one-entry SRH: 04 02 04 01 | LE 00. Segments Left 1 > Last Entry 0,
    //      as in a reduced SRH: the first container travels only in the DA.
    [InlineData(32, PayloadMode.L3, 7, "v4",
        OuterEthernetV6 + "| 6 00 00000 0038 2b 40" + Source + "| fc000000 0001 0002 0003 0004 0005 0006"
        + "| 04 02 04 01 | 00 00 0000 | fc000000 0007 0000 0000 0000 0000 0000")]
    // n=12: the second container is full too: one SRH entry fc00:0:7:8:9:a:b:c.
    [InlineData(32, PayloadMode.L3, 12, "v4",
        OuterEthernetV6 + "| 6 00 00000 0038 2b 40" + Source + "| fc000000 0001 0002 0003 0004 0005 0006"
        + "| 04 02 04 01 | 00 00 0000 | fc000000 0007 0008 0009 000a 000b 000c")]
    // n=13: three containers; the SRH stores the last first: [0] fc00:0:d::, [1] fc00:0:7:…:c; Segments Left 2, LE 1.
    [InlineData(32, PayloadMode.L3, 13, "v4",
        OuterEthernetV6 + "| 6 00 00000 0048 2b 40" + Source + "| fc000000 0001 0002 0003 0004 0005 0006"
        + "| 04 04 04 02 | 01 00 0000 | fc000000 000d 0000 0000 0000 0000 0000 | fc000000 0007 0008 0009 000a 000b 000c")]
    // An IPv6 packet with 7 C-SIDs: SRH next header 0x29.
    [InlineData(32, PayloadMode.L3, 7, "v6",
        OuterEthernetV6 + "| 6 00 00000 004c 2b 40" + Source + "| fc000000 0001 0002 0003 0004 0005 0006"
        + "| 29 02 04 01 | 00 00 0000 | fc000000 0007 0000 0000 0000 0000 0000")]
    // An Ethernet frame with 3 C-SIDs: no SRH, outer next header 0x8f. Payload length 0x002e = 46.
    [InlineData(32, PayloadMode.L2, 3, "v4",
        OuterEthernetV6 + "| 6 00 00000 002e 8f 40" + Source + "| fc000000 0001 0002 0003 0000 0000 0000")]
    // 48-bit block fc00:0:0, 16-bit C-SIDs: five per container. n=3: DA fc00:0:0:1:2:3::.
    [InlineData(48, PayloadMode.L3, 3, "v4",
        OuterEthernetV6 + "| 6 00 00000 0020 04 40" + Source + "| fc0000000000 0001 0002 0003 0000 0000")]
    // n=5: full container fc00:0:0:1:2:3:4:5.
    [InlineData(48, PayloadMode.L3, 5, "v4",
        OuterEthernetV6 + "| 6 00 00000 0020 04 40" + Source + "| fc0000000000 0001 0002 0003 0004 0005")]
    // n=6: the sixth spills into a one-entry SRH: fc00:0:0:6::.
    [InlineData(48, PayloadMode.L3, 6, "v4",
        OuterEthernetV6 + "| 6 00 00000 0038 2b 40" + Source + "| fc0000000000 0001 0002 0003 0004 0005"
        + "| 04 02 04 01 | 00 00 0000 | fc0000000000 0006 0000 0000 0000 0000")]
    public void Compressed_SID_golden_vectors(int blockBits, PayloadMode mode, int n, string inner, string header)
    {
        byte[] frame = Named(inner);
        byte[] payload = mode == PayloadMode.L3 ? IpPacketOf(inner) : frame;
        EncapsulatorContract.Verify(() => CreateCompressed(blockBits, mode, n), frame, Hex.Parse(header), payload);
    }

    [Theory]
    [InlineData(32, 1)]
    [InlineData(32, 6)]
    [InlineData(32, 7)]
    [InlineData(32, 12)]
    [InlineData(32, 13)]
    [InlineData(32, 16)]
    [InlineData(48, 5)]
    [InlineData(48, 6)]
    [InlineData(48, 16)]
    public void Compressed_SIDs_unpack_to_the_path_in_order(int blockBits, int n)
    {
        Srv6Encapsulator e = CreateCompressed(blockBits, PayloadMode.L3, n);
        int perContainer = (128 - blockBits) / 16;
        int containers = (n + perContainer - 1) / perContainer;
        Assert.Equal(containers == 1 ? 0 : 8 + 16 * (containers - 1), e.SrhLength);
        byte[] packet = EncapsulatorContract.Encapsulate(e, InnerV4);
        Assert.Equal(CompressibleSegments(blockBits, n), Visited(packet, blockBits));
    }

    [Fact]
    public void Compressed_SIDs_reject_segments_outside_the_block_or_not_plain_C_SIDs()
    {
        Srv6Encapsulator With(params string[] sids) => new(Srv6Underlay(), new Srv6Options
        {
            Segments = sids.Select(IPAddress.Parse).ToArray(),
            CompressedSids = CompressedSidFormat.Default,
        });
        // Another 32-bit locator block than the first segment's (fc00:0000).
        Assert.ThrowsAny<ArgumentException>(() => With("fc00:0:1::", "fc00:1:2::"));
        Assert.ThrowsAny<ArgumentException>(() => With("fc00:0:1::", "fd00:0:2::"));
        // Bits after the 16-bit C-SID (an argument or a longer SID).
        Assert.ThrowsAny<ArgumentException>(() => With("fc00:0:1::", "fc00:0:2::1"));
        Assert.ThrowsAny<ArgumentException>(() => With("fc00:0:1:1::"));
        // A zero C-SID would read as the end of the container.
        Assert.ThrowsAny<ArgumentException>(() => With("fc00:0:1::", "fc00::"));
        // 48/16: fc00:0:1:: and fc00:0:2:: differ in bits 32-47, so they lie in different 48-bit blocks.
        Assert.ThrowsAny<ArgumentException>(() => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options
        {
            Segments = Segments(2),
            CompressedSids = new CompressedSidFormat(48, 16),
        }));
        // Unsupported layouts.
        foreach (CompressedSidFormat format in new CompressedSidFormat[] { new(7, 16), new(120, 16), new(32, 8), new(32, 24), new(112, 32) })
        {
            Assert.ThrowsAny<ArgumentException>(() => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = Segments(1), CompressedSids = format }));
        }
        // Accepted: the same segments in one block.
        Assert.Equal(54, With("fc00:0:1::", "fc00:0:ffff::").HeaderLength);
    }

    // ================= Configuration and payload checks =================

    [Fact]
    public void Configuration_is_validated_at_construction()
    {
        var ok = new Srv6Options { Segments = Segments(1) };
        // SRv6 needs an IPv6 underlay.
        Assert.ThrowsAny<ArgumentException>(() => new Srv6Encapsulator(Underlay.Ipv4() with { Destination = null }, ok));
        Assert.ThrowsAny<ArgumentException>(() => new Srv6Encapsulator(Underlay.Ipv4(), ok));
        // The outer destination is the first segment, not a configured endpoint.
        Assert.ThrowsAny<ArgumentException>(() => new Srv6Encapsulator(Underlay.Ipv6(), ok));
        // 1..16 segments.
        Assert.ThrowsAny<ArgumentException>(() => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = [] }));
        Assert.ThrowsAny<ArgumentException>(() => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = Segments(17) }));
        Assert.ThrowsAny<ArgumentException>(() => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = Segments(17), Reduced = true }));
        Assert.ThrowsAny<ArgumentException>(() => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = Segments(17), CompressedSids = CompressedSidFormat.Default }));
        Assert.ThrowsAny<ArgumentException>(() => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = null! }));
        // Mixed address families: an IPv4 segment.
        Assert.ThrowsAny<ArgumentException>(() => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = [IPAddress.Parse("fc00:0:1::"), IPAddress.Parse("192.0.2.7")] }));
        Assert.ThrowsAny<ArgumentException>(() => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = [IPAddress.Parse("192.0.2.7")] }));
        // The edges that must work.
        Assert.Equal(14 + 40 + 8 + 16 * 16, new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = Segments(16) }).HeaderLength);
        Assert.Equal("srv6-encaps-l2-red-3sid", Create(PayloadMode.L2, true, 3).Name);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 3)]
    [InlineData(true, 1)]
    [InlineData(true, 3)]
    public void L3_mode_rejects_what_is_not_IP(bool reduced, int n)
    {
        EncapsulatorContract.VerifyRejected(Create(PayloadMode.L3, reduced, n), TestFrames.Arp());
        EncapsulatorContract.VerifyRejected(Create(PayloadMode.L3, reduced, n), InnerV4[..40]);
        EncapsulatorContract.VerifyRejected(CreateCompressed(32, PayloadMode.L3, n), TestFrames.Arp());
    }

    [Fact]
    public void Linux_seg6_style_policies_copy_class_label_and_hop_limit_from_IPv6_inners_only()
    {
        // Linux seg6 (seg6_do_srh_encap): traffic class, flow label and hop limit from an inner IPv6 header; an IPv4 inner
        // gets the configured values (and its ECN, RFC 6040).
        Underlay underlay = Underlay.Ipv6(destination: null) with
        {
            FlowLabel = FlowLabelPolicy.FromInner,
            HopLimit = HopLimitPolicy.FromInnerIpv6(64),
            Dscp = DscpPolicy.FromInnerIpv6(),
        };
        var e = new Srv6Encapsulator(underlay, new Srv6Options { Segments = Segments(2) });

        byte[] v6 = EncapsulatorContract.Encapsulate(e, TestFrames.Ip(6, TestFrames.L4.Tcp, 120, hopLimit: 37, trafficClass: 0xB9, flowLabel: 0xABCDE));
        Assert.Equal(0x6B9ABCDEu, BinaryPrimitives.ReadUInt32BigEndian(v6.AsSpan(14)));
        Assert.Equal(37, v6[14 + 7]);

        byte[] v4 = EncapsulatorContract.Encapsulate(e, TestFrames.Ip(4, TestFrames.L4.Tcp, 120, hopLimit: 37, trafficClass: 0xBA));
        Assert.Equal(0x60200000u, BinaryPrimitives.ReadUInt32BigEndian(v4.AsSpan(14))); // DSCP 0, ECN 10 copied, label 0
        Assert.Equal(64, v4[14 + 7]);
    }

    [Fact]
    public void Hashed_flow_label_is_the_golden_flows_hash()
    {
        // RFC 6437 §3 / RFC 6438: the default labels the outer header with the inner flow's hash (V6FlowLabelHex for the golden
        // IPv6 flow, V4FlowLabelHex for the golden IPv4 one), so an ECMP underlay can spread SRv6 flows.
        var e = new Srv6Encapsulator(Underlay.Ipv6(destination: null), new Srv6Options { Segments = Segments(1), Reduced = true });
        Assert.Equal(0x6000_0000u | Convert.ToUInt32(V6FlowLabelHex, 16), BinaryPrimitives.ReadUInt32BigEndian(EncapsulatorContract.Encapsulate(e, InnerV6).AsSpan(14)));
        Assert.Equal(0x6000_0000u | Convert.ToUInt32(V4FlowLabelHex, 16), BinaryPrimitives.ReadUInt32BigEndian(EncapsulatorContract.Encapsulate(e, InnerV4).AsSpan(14)));
    }

    // ================= helpers =================

    private static Srv6Encapsulator CreateCompressed(int blockBits, PayloadMode mode, int n) =>
        new(Srv6Underlay(), new Srv6Options
        {
            Segments = CompressibleSegments(blockBits, n),
            Mode = mode,
            CompressedSids = new CompressedSidFormat(blockBits, 16),
        });

    /// <summary>fc00:0:N:: (32-bit block fc00:0) or fc00:0:0:N:: (48-bit block fc00:0:0) for N = 1..n.</summary>
    private static IPAddress[] CompressibleSegments(int blockBits, int n) => blockBits == 32
        ? Segments(n)
        : Enumerable.Range(1, n).Select(i => IPAddress.Parse($"fc00:0:0:{i:x}::")).ToArray();

    /// <summary>
    /// The destinations an encapsulated packet visits, worked out from its bytes alone as the SR endpoints would:
    /// the outer DA, then Segment List[SL−1], …, [0]. With <paramref name="csidBlockBits"/>, every container (the DA,
    /// then the SRH entries in the same order) is unpacked into block | C-SID for each non-zero 16-bit C-SID.
    /// </summary>
    private static List<IPAddress> Visited(byte[] packet, int? csidBlockBits)
    {
        ReadOnlySpan<byte> ip = packet.AsSpan(14);
        var containers = new List<byte[]> { ip.Slice(24, 16).ToArray() };
        if (ip[6] == 43)
        {
            ReadOnlySpan<byte> srh = ip.Slice(40);
            Assert.Equal(4, srh[2]);
            for (int sl = srh[3]; sl > 0; sl--)
            {
                containers.Add(srh.Slice(8 + 16 * (sl - 1), 16).ToArray());
            }
        }
        if (csidBlockBits is not int b)
        {
            return containers.Select(c => new IPAddress(c)).ToList();
        }
        var visited = new List<IPAddress>();
        int blockBytes = b / 8;
        foreach (byte[] container in containers)
        {
            for (int at = blockBytes; at + 2 <= 16 && (container[at] | container[at + 1]) != 0; at += 2)
            {
                var sid = new byte[16];
                container.AsSpan(0, blockBytes).CopyTo(sid);
                sid[blockBytes] = container[at];
                sid[blockBytes + 1] = container[at + 1];
                visited.Add(new IPAddress(sid));
            }
        }
        return visited;
    }
}
