using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Capture;

namespace Overlay.Replay.Tests.Capture;

public class LinkNormalizerTests
{
    // An IPv4 header's first bytes and an IPv6 header's first bytes: enough for the normaliser, which reads only the version.
    private static readonly byte[] Ipv4Packet = Hex.Parse("4500 001c 0001 0000 4011 0000 0a000001 0a000002 1f90 0035 0008 0000");
    private static readonly byte[] Ipv6Packet = Hex.Parse("6000 0000 0000 3b40" + new string('0', 64));

    private const string Placeholders = "020000000002 020000000001";

    [Theory]
    // NULL: AF_INET in host (little-endian) order, AF_INET6 as macOS (30) and as Linux (10), one in big-endian order.
    [InlineData(LinkType.Null, "02000000", 4, "0800")]
    [InlineData(LinkType.Null, "1e000000", 6, "86dd")]
    [InlineData(LinkType.Null, "0a000000", 6, "86dd")]
    [InlineData(LinkType.Null, "00000002", 4, "0800")]
    // LOOP: always network order.
    [InlineData(LinkType.Loop, "00000002", 4, "0800")]
    [InlineData(LinkType.Loop, "0000001c", 6, "86dd")]
    // Raw IP in all its link-type numbers: the version nibble names the EtherType.
    [InlineData(LinkType.Raw, "", 4, "0800")]
    [InlineData(LinkType.RawDlt, "", 6, "86dd")]
    [InlineData(LinkType.Ipv4, "", 4, "0800")]
    [InlineData(LinkType.Ipv6, "", 6, "86dd")]
    public void Pseudo_headers_become_an_Ethernet_header_with_the_named_EtherType(LinkType linkType, string pseudoHeader, int version, string etherType)
    {
        byte[] payload = version == 4 ? Ipv4Packet : Ipv6Packet;
        byte[] captured = [.. Hex.Parse(pseudoHeader), .. payload];
        var destination = new byte[captured.Length + 14];

        int length = LinkNormalizer.Normalize(linkType, captured, destination, out string? reason);

        Assert.Null(reason);
        Assert.Equal(Hex.Format(Hex.Parse(Placeholders + etherType)) + Hex.Format(payload), Hex.Format(destination.AsSpan(0, length)));
        Assert.Equal(captured.Length - LinkNormalizer.LengthChange(linkType), length);
    }

    [Fact]
    public void Linux_cooked_header_gives_its_protocol_and_its_source_MAC()
    {
        // SLL: packet type 0 (to us), ARPHRD_ETHER, address length 6, address, 2 bytes padding, protocol 0x0800.
        byte[] captured = [.. Hex.Parse("0000 0001 0006 0a0b0c0d0e0f 0000 0800"), .. Ipv4Packet];
        var destination = new byte[captured.Length + 14];
        int length = LinkNormalizer.Normalize(LinkType.LinuxSll, captured, destination, out _);
        Assert.Equal("020000000002" + "0a0b0c0d0e0f" + "0800" + Hex.Format(Ipv4Packet), Hex.Format(destination.AsSpan(0, length)));
    }

    [Fact]
    public void Linux_cooked_v2_header_gives_its_protocol_and_its_source_MAC()
    {
        // SLL2: protocol 0x86DD, reserved, interface index 3, ARPHRD_ETHER, packet type 4 (outgoing), address length 6, address + 2 padding.
        byte[] captured = [.. Hex.Parse("86dd 0000 00000003 0001 04 06 a1a2a3a4a5a6 0000"), .. Ipv6Packet];
        var destination = new byte[captured.Length + 14];
        int length = LinkNormalizer.Normalize(LinkType.LinuxSll2, captured, destination, out _);
        Assert.Equal("020000000002" + "a1a2a3a4a5a6" + "86dd" + Hex.Format(Ipv6Packet), Hex.Format(destination.AsSpan(0, length)));
    }

    [Fact]
    public void Ethernet_frames_are_kept_byte_for_byte_VLAN_tags_included()
    {
        byte[] frame = TestFrames.Ip(4, TestFrames.L4.Udp, 120, vlanTags: 2);
        var destination = new byte[frame.Length + 14];
        Assert.Equal(frame.Length, LinkNormalizer.Normalize(LinkType.Ethernet, frame, destination, out _));
        Assert.Equal(frame, destination[..frame.Length]);
    }

    [Theory]
    [InlineData(LinkType.Ethernet, "0102030405060708", "runt Ethernet frame")]
    [InlineData(LinkType.LinuxSll, "00000001", "shorter than its 16-byte header")]
    [InlineData(LinkType.LinuxSll2, "86dd", "shorter than its 20-byte header")]
    [InlineData(LinkType.Null, "07000000aa", "loopback address family 7 is neither IPv4 nor IPv6")]
    [InlineData(LinkType.Null, "12345678aa", "loopback address family above 255 is neither IPv4 nor IPv6")]
    [InlineData(LinkType.Raw, "5000", "raw IP frame with version 5")]
    [InlineData(LinkType.Raw, "", "empty raw IP frame")]
    public void Frames_that_cannot_be_normalised_are_refused_with_a_reason(LinkType linkType, string captured, string reason)
    {
        byte[] data = Hex.Parse(captured);
        Assert.Equal(-1, LinkNormalizer.Normalize(linkType, data, new byte[data.Length + 14], out string? why));
        Assert.Contains(reason, why);
    }
}
