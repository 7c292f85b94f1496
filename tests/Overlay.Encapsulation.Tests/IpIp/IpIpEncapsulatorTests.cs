using System.Buffers.Binary;
using System.Net;
using Overlay.Encapsulation.IpIp;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Tests.Support;
using static Overlay.Encapsulation.Tests.Support.GoldenFrames;

namespace Overlay.Encapsulation.Tests.IpIp;

/// <summary>
/// The IP-in-IP baselines (RFC 2003 IPv4-in-IPv4, RFC 2473 IPv6-in-IPv6 and IPv4-in-IPv6, RFC 4213 §3.5 IPv6-in-IPv4)
/// against hand-checked byte vectors: one outer IP header, protocol / next header 4 or 41, then the inner IP packet.
/// </summary>
/// <remarks>
/// Every expected header is written field by field; '|' separates headers. The IPv4 header checksums were summed by
/// hand (RFC 1071) from the GRE vectors' sums (same addresses, TTL, ID) and checked with a separate script; never
/// copied from the library's output.
/// </remarks>
public class IpIpEncapsulatorTests
{
    /// <summary>
    /// The golden IPv4 frame with DF set in the inner header: flags 0x4000, so its checksum drops by 0x4000 to 0x26da.
    /// </summary>
    private const string InnerV4DfHex =
        "021122334455 0266778899aa 0800 | 45 00 0020 0001 4000 40 01 26da 0a000001 0a000002 | 08 00 5a60 0001 0001 deadbeef";

    /// <summary>The golden IPv4 frame with ECN = CE (TOS 0x03): checksum 0x66da - 3 = 0x66d7.</summary>
    private const string InnerV4CeHex =
        "021122334455 0266778899aa 0800 | 45 03 0020 0001 0000 40 01 66d7 0a000001 0a000002 | 08 00 5a60 0001 0001 deadbeef";

    private static Underlay UnderlayFor(string underlay) => underlay switch
    {
        "v4" => Underlay.Ipv4(),
        "v4-df" => Underlay.Ipv4() with { DontFragment = true },
        // The golden IPv6 vectors pin the flow label to 0 so that only RFC-defined bytes are compared ...
        "v6" => Underlay.Ipv6() with { FlowLabel = FlowLabelPolicy.Zero },
        // ... except these, which pin the default flow-hash label (RFC 6437 §3) of the golden inner frames.
        "v6-hash" => Underlay.Ipv6(),
        _ => throw new ArgumentOutOfRangeException(nameof(underlay)),
    };

    private static byte[] Frame(string inner) => inner switch
    {
        "v4-df" => Hex.Parse(InnerV4DfHex),
        "v4-ce" => Hex.Parse(InnerV4CeHex),
        _ => Named(inner),
    };

    private static byte[] Packet(string inner) => inner is "v4-df" or "v4-ce" ? Frame(inner)[14..] : IpPacketOf(inner);

    [Theory]
    // ---- ipip-ipv4: RFC 2003 §3.1 ----
    // Eth | IPv4: 45, TOS 00, total 0x0034 = 20 + 32, ID 0, flags 0000, TTL 0x40, protocol 0x04, checksum 0x8e90
    //       (sum 0x716f), 192.0.2.1 → 198.51.100.1 | the inner IPv4 packet
    [InlineData("v4", 4, "v4", OuterEthernetV4 + "| 45 00 0034 0000 0000 40 04 8e90 c0000201 c6336401")]
    // Padding and a VLAN tag are dropped with the inner Ethernet header: the same vector.
    [InlineData("v4", 4, "v4-padded", OuterEthernetV4 + "| 45 00 0034 0000 0000 40 04 8e90 c0000201 c6336401")]
    [InlineData("v4", 4, "v4-qinq", OuterEthernetV4 + "| 45 00 0034 0000 0000 40 04 8e90 c0000201 c6336401")]
    // RFC 2003 §3.1: inner DF set → outer DF set (flags 0x4000), checksum 0x8e90 - 0x4000 = 0x4e90.
    [InlineData("v4", 4, "v4-df", OuterEthernetV4 + "| 45 00 0034 0000 4000 40 04 4e90 c0000201 c6336401")]
    // The underlay's DF policy sets it whatever the inner says (RFC 2003 §3.1: "MAY be set").
    [InlineData("v4-df", 4, "v4", OuterEthernetV4 + "| 45 00 0034 0000 4000 40 04 4e90 c0000201 c6336401")]
    // RFC 6040 §4.1 normal mode: ECN copied (CE, 0x03) with DSCP 0 from the policy; checksum 0x8e90 - 3 = 0x8e8d.
    [InlineData("v4", 4, "v4-ce", OuterEthernetV4 + "| 45 03 0034 0000 0000 40 04 8e8d c0000201 c6336401")]
    // An odd-length inner packet (33 bytes): total 0x0035, checksum 0x8e8f.
    [InlineData("v4", 4, "v4-odd", OuterEthernetV4 + "| 45 00 0035 0000 0000 40 04 8e8f c0000201 c6336401")]
    // ---- ip6in4: RFC 4213 §3.5, protocol 41 ----
    // total 0x0048 = 20 + 52, protocol 0x29, checksum 0x8e57 (sum 0x71a8)
    [InlineData("v4", 6, "v6", OuterEthernetV4 + "| 45 00 0048 0000 0000 40 29 8e57 c0000201 c6336401")]
    // No DF to copy from an IPv6 inner; the underlay's DF policy still applies: 0x8e57 - 0x4000 = 0x4e57.
    [InlineData("v4-df", 6, "v6", OuterEthernetV4 + "| 45 00 0048 0000 4000 40 29 4e57 c0000201 c6336401")]
    // ---- ip4in6: RFC 2473 §3, next header 4 ----
    // IPv6: 6, traffic class 00, flow label 00000 | payload length 0x0020 = 32, next header 0x04, hop limit 0x40 | addresses
    [InlineData("v6", 4, "v4", OuterEthernetV6 + "| 6 00 00000 0020 04 40" + OuterV6Addresses)]
    // Inner DF has no outer counterpart in IPv6; ECN CE is copied into the traffic class: 6 03 00000.
    [InlineData("v6", 4, "v4-ce", OuterEthernetV6 + "| 6 03 00000 0020 04 40" + OuterV6Addresses)]
    // Flow label = the inner flow's hash folded to 20 bits (RFC 6437 §3): V4FlowLabelHex for the golden IPv4 flow.
    [InlineData("v6-hash", 4, "v4", OuterEthernetV6 + "| 6 00 " + V4FlowLabelHex + " 0020 04 40" + OuterV6Addresses)]
    // ---- ip6ip6: RFC 2473 §3, next header 41 ----
    // payload length 0x0034 = 52, next header 0x29
    [InlineData("v6", 6, "v6", OuterEthernetV6 + "| 6 00 00000 0034 29 40" + OuterV6Addresses)]
    // ... and V6FlowLabelHex for the golden IPv6 flow (its own label 0x12345 is not copied: the policy hashes).
    [InlineData("v6-hash", 6, "v6", OuterEthernetV6 + "| 6 00 " + V6FlowLabelHex + " 0034 29 40" + OuterV6Addresses)]
    public void Golden_vectors(string underlay, int innerIpVersion, string inner, string header) =>
        EncapsulatorContract.Verify(() => new IpIpEncapsulator(UnderlayFor(underlay), innerIpVersion), Frame(inner), Hex.Parse(header), Packet(inner));

    [Theory]
    [InlineData("v4", 4, "ipip-ipv4")]
    [InlineData("v4", 6, "ip6in4")]
    [InlineData("v6", 4, "ip4in6")]
    [InlineData("v6", 6, "ip6ip6")]
    public void Names_say_outer_and_inner_family_and_each_is_in_the_catalogue(string underlay, int innerIpVersion, string name)
    {
        var e = new IpIpEncapsulator(UnderlayFor(underlay), innerIpVersion);
        Assert.Equal(name, e.Name);
        Assert.Equal(PayloadMode.L3, e.Mode);
        Assert.Equal(14 + (underlay == "v4" ? 20 : 40), e.HeaderLength);
        VariantSpec spec = VariantCatalog.Find(name)!;
        IEncapsulator fromCatalogue = spec.Create();
        Assert.Equal(name, fromCatalogue.Name);
        byte[] inner = innerIpVersion == 4 ? InnerV4 : InnerV6;
        // The catalogue's defaults are the plain underlay's: the same bytes as the hashed-label vectors above.
        Assert.Equal(EncapsulatorContract.Encapsulate(new IpIpEncapsulator(underlay == "v4" ? Underlay.Ipv4() : Underlay.Ipv6(), innerIpVersion), inner),
            EncapsulatorContract.Encapsulate(fromCatalogue, inner));
    }

    [Theory]
    [InlineData("v4", 4)]
    [InlineData("v4", 6)]
    [InlineData("v6", 4)]
    [InlineData("v6", 6)]
    public void Only_its_own_inner_family_is_carried(string underlay, int innerIpVersion)
    {
        var e = new IpIpEncapsulator(UnderlayFor(underlay), innerIpVersion);
        EncapsulatorContract.VerifyRejected(e, innerIpVersion == 4 ? InnerV6 : InnerV4);
        EncapsulatorContract.VerifyRejected(e, TestFrames.Arp());
        EncapsulatorContract.VerifyRejected(e, innerIpVersion == 4 ? InnerV4[..40] : InnerV6[..50]);
        // The rejected calls consumed no IPv4 Identification: the next packet still carries ID 0.
        byte[] packet = EncapsulatorContract.Encapsulate(e, innerIpVersion == 4 ? InnerV4 : InnerV6);
        if (underlay == "v4")
        {
            Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(14 + 4)));
        }
    }

    [Theory]
    // IPv4 outer: Total Length is 16 bits, so an inner IPv4 packet of 65515 bytes fits and 65516 does not.
    [InlineData("v4", 4, 65515)]
    // IPv6 outer: Payload Length counts the inner packet alone, so every inner IPv4 packet fits (Total Length ≤ 65535).
    [InlineData("v6", 4, 65535)]
    public void The_largest_inner_packet_that_fits_the_outer_length_field_is_carried(string underlay, int innerIpVersion, int largest)
    {
        var e = new IpIpEncapsulator(UnderlayFor(underlay), innerIpVersion);
        byte[] frame = TestFrames.Ip(4, TestFrames.L4.Udp, 14 + largest);
        byte[] packet = EncapsulatorContract.Encapsulate(e, frame);
        Assert.Equal(e.HeaderLength + largest, packet.Length);
        if (underlay == "v4")
        {
            Assert.Equal(65535, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(14 + 2)));
            EncapsulatorContract.VerifyRejected(e, TestFrames.Ip(4, TestFrames.L4.Udp, 14 + largest + 1));
        }
    }

    [Fact]
    public void Configuration_is_validated_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IpIpEncapsulator(Underlay.Ipv4(), 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IpIpEncapsulator(Underlay.Ipv6(), 0));
        Assert.Throws<ArgumentException>(() => new IpIpEncapsulator(Underlay.Ipv6(destination: null), 6));
        Assert.Throws<ArgumentException>(() => new IpIpEncapsulator(Underlay.Ipv4() with { Destination = IPAddress.Parse("2001:db8::2") }, 4));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void SRv6_H_Encaps_Red_with_one_SID_is_RFC_2473_byte_for_byte_and_decapsulates_the_same(int innerIpVersion)
    {
        // The claim the baseline tests: with its one SID set to the tunnel's far end, .Red sends exactly ip4in6 / ip6ip6.
        var srv6 = new Srv6Encapsulator(Underlay.Ipv6(destination: null),
            new Srv6Options { Segments = [IPAddress.Parse("2001:db8::2")], Reduced = true });
        var ipip = new IpIpEncapsulator(Underlay.Ipv6(), innerIpVersion);
        byte[] inner = innerIpVersion == 4 ? InnerV4 : InnerV6;
        byte[] fromSrv6 = EncapsulatorContract.Encapsulate(srv6, inner);
        byte[] fromIpIp = EncapsulatorContract.Encapsulate(ipip, inner);
        Assert.Equal(Hex.Format(fromIpIp), Hex.Format(fromSrv6));
        Assert.Equal(ipip.HeaderLength, srv6.HeaderLength);

        Assert.True(Decapsulator.TryDecapsulate(fromSrv6, out TunnelPacket packet).IsSuccess);
        Assert.Equal(TunnelProtocol.IpIp, packet.Protocol);
        Assert.Equal(-1, packet.SrhOffset);
        Assert.Equal(innerIpVersion == 4 ? InnerKind.Ipv4 : InnerKind.Ipv6, packet.Inner);
        Assert.Equal(inner[14..], packet.InnerOf(fromSrv6).ToArray());
    }

    [Theory]
    [InlineData("v4", 4)]
    [InlineData("v4", 6)]
    [InlineData("v6", 4)]
    [InlineData("v6", 6)]
    public void Decapsulation_finds_the_inner_packet_and_the_outer_fields(string underlay, int innerIpVersion)
    {
        var e = new IpIpEncapsulator(UnderlayFor(underlay == "v6" ? "v6-hash" : underlay), innerIpVersion);
        byte[] inner = innerIpVersion == 4 ? InnerV4 : InnerV6;
        byte[] outer = EncapsulatorContract.Encapsulate(e, inner);
        DecapResult result = Decapsulator.TryDecapsulate(outer, out TunnelPacket packet);
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(TunnelProtocol.IpIp, packet.Protocol);
        Assert.Equal(underlay == "v4" ? 4 : 6, packet.OuterIpVersion);
        Assert.Equal(14, packet.OuterIpOffset);
        Assert.Equal(e.HeaderLength, packet.InnerOffset);
        Assert.Equal(inner[14..], packet.InnerOf(outer).ToArray());
        Assert.Equal(underlay == "v6" ? Convert.ToUInt32(innerIpVersion == 4 ? V4FlowLabelHex : V6FlowLabelHex, 16) : 0u, packet.FlowLabel);
    }

    [Fact]
    public void An_inner_version_that_disagrees_with_the_protocol_number_is_refused_at_the_inner_header()
    {
        byte[] outer = EncapsulatorContract.Encapsulate(new IpIpEncapsulator(Underlay.Ipv4(), 4), InnerV4);
        outer[14 + 9] = IpIpHeader.ProtocolIpv6; // protocol 41 announcing the IPv4 packet
        OuterFrames.Reseal(outer);
        DecapResult result = Decapsulator.TryDecapsulate(outer, out _);
        Assert.Equal(new DecapResult(DecapError.InnerVersionMismatch, 34), result);
    }
}
