using System.Buffers.Binary;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Profiles;
using Overlay.Encapsulation.Tests.Support;

namespace Overlay.Encapsulation.Tests.Profiles;

/// <summary>
/// Every deployed profile checked field by field against its source: the outer IP version and protocol, the UDP
/// destination port, and the tunnel header with its options written out by hand from the documentation (not copied
/// from the encoder's output). The per-packet fields (identification, source port, checksums) are checked by the
/// decoder and by tshark (<see cref="ProfileDissectionTests"/>).
/// </summary>
public class DeployedProfileTests
{
    /// <summary>
    /// Per profile and inner frame ("v4", "v6"): outer IP version, IP protocol / next header, UDP destination port (0:
    /// none), the tunnel header bytes after UDP (or after the outer IPv6 header for SRv6), and the outer destination.
    /// </summary>
    public static TheoryData<string, string, int, int, int, string, string> Golden() => new()
    {
        // AWS GWLB: GENEVE Ver 0, Opt Len 8 words (32 B), O=C=0, protocol 0x0800/0x86DD, VNI 0; class 0x0108 type 1
        // len 2 (endpoint ID), type 2 len 2 (attachment ID), type 3 len 1 (flow cookie).
        { "aws-gwlb", "v4", 4, 17, 6081, "08 00 0800 000000 00 | 0108 01 02 0a1b2c3d4e5f6071 | 0108 02 02 8192a3b4c5d6e7f8 | 0108 03 01 13579bdf", "c6336401" },
        { "aws-gwlb", "v6", 4, 17, 6081, "08 00 86dd 000000 00 | 0108 01 02 0a1b2c3d4e5f6071 | 0108 02 02 8192a3b4c5d6e7f8 | 0108 03 01 13579bdf", "c6336401" },
        // Azure GWLB: VXLAN flags I (0x08), VNI 800 = 0x000320 on 10800 (0x2a30); VNI 801 = 0x000321 on 10801.
        { "azure-gwlb-internal", "v4", 4, 17, 10800, "08 000000 000320 00", "c6336401" },
        { "azure-gwlb-external", "v6", 4, 17, 10801, "08 000000 000321 00", "c6336401" },
        // NSX: GENEVE Opt Len 2 words, Ethernet (0x6558), VNI 65536 = 0x010000; one option class 0x0104 type 1 len 1.
        { "nsx-geneve", "v4", 4, 17, 6081, "02 00 6558 010000 00 | 0104 01 01 00000000", "c6336401" },
        // Cilium: VXLAN on 8472 (0x2118) with identity 256 = 0x000100; GENEVE with no options; GENEVE with the DSR
        // option: Opt Len 3, C set (0x40) by the critical type 0x81, class 0x014b len 2, 198.51.100.53 port 80 + pad.
        { "cilium-vxlan", "v4", 4, 17, 8472, "08 000000 000100 00", "c6336401" },
        { "cilium-geneve", "v4", 4, 17, 6081, "00 00 6558 000100 00", "c6336401" },
        { "cilium-geneve-dsr", "v6", 4, 17, 6081, "03 40 6558 000100 00 | 014b 81 02 c6336435 0050 0000", "c6336401" },
        // Linux VXLAN as the kernel vectors: 4789 (0x12b5), VNI 4242 = 0x001092.
        { "linux-vxlan", "v4", 4, 17, 4789, "08 000000 001092 00", "c6336401" },
        // Linux seg6 encap: SRH next header 4 (IPv4) / 41 (IPv6), Hdr Ext Len 4 (two SIDs), type 4, Segments Left 1,
        // Last Entry 1, flags 0, tag 0, Segment List [fc00:0:2::, fc00:0:1::]; destination the first SID.
        { "linux-seg6", "v4", 6, 43, 0, "04 04 04 01 01 00 0000 | fc000000000200000000000000000000 | fc000000000100000000000000000000", "fc000000000100000000000000000000" },
        { "linux-seg6", "v6", 6, 43, 0, "29 04 04 01 01 00 0000 | fc000000000200000000000000000000 | fc000000000100000000000000000000", "fc000000000100000000000000000000" },
        // uSID F3216: no SRH, next header 4; destination block fc00:0000 then C-SIDs 0001, 0002, then the zero end marker.
        { "srv6-usid", "v4", 6, 4, 0, "", "fc000000000100020000000000000000" },
        { "srv6-usid", "v6", 6, 41, 0, "", "fc000000000100020000000000000000" },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void Every_profile_writes_what_its_source_documents(string profile, string inner, int ipVersion, int protocol, int port, string tunnelHex, string destinationHex)
    {
        IEncapsulator encapsulator = Leg(profile).Create();
        byte[] innerFrame = GoldenFrames.Named(inner);
        byte[] frame = OuterFrames.Encapsulate(encapsulator, innerFrame);
        int ip = Ethernet.HeaderLength;
        Assert.Equal(ipVersion, frame[ip] >> 4);
        int l4 = ip + (ipVersion == 4 ? Ipv4.MinHeaderLength : Ipv6.HeaderLength);
        Assert.Equal(protocol, ipVersion == 4 ? frame[ip + 9] : frame[ip + 6]);
        Assert.Equal(destinationHex, Hex.Format(ipVersion == 4 ? frame.AsSpan(ip + 16, 4) : frame.AsSpan(ip + 24, 16)));
        int tunnel = l4;
        if (port != 0)
        {
            Assert.Equal(port, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(l4 + Udp.DestinationPortOffset)));
            tunnel += Udp.HeaderLength;
        }
        byte[] expectedTunnel = Hex.Parse(tunnelHex);
        Assert.Equal(Hex.Format(expectedTunnel), Hex.Format(frame.AsSpan(tunnel, expectedTunnel.Length)));
        // The payload follows the tunnel header: the Ethernet frame or the IP packet, byte for byte.
        ReadOnlySpan<byte> payload = frame.AsSpan(tunnel + expectedTunnel.Length);
        ReadOnlySpan<byte> expectedPayload = encapsulator.Mode == PayloadMode.L2 ? innerFrame : innerFrame.AsSpan(Ethernet.HeaderLength);
        Assert.Equal(Hex.Format(expectedPayload), Hex.Format(payload));
        // And the suite's decoder takes it back apart on the profile's port.
        Assert.True(Decapsulator.TryDecapsulate(frame, out TunnelPacket packet).IsSuccess, profile);
        Assert.Equal(Hex.Format(expectedPayload), Hex.Format(packet.InnerOf(frame)));
    }

    [Theory]
    [InlineData("v4")]
    [InlineData("v6")]
    [InlineData("v4-odd")]
    public void Aws_gwlb_adds_exactly_68_bytes_to_the_ip_packet(string inner)
    {
        byte[] innerFrame = GoldenFrames.Named(inner);
        IEncapsulator gwlb = DeployedProfiles.Find("aws-gwlb")!.Create();
        byte[] frame = OuterFrames.Encapsulate(gwlb, innerFrame);
        int innerIp = innerFrame.Length - Ethernet.HeaderLength;
        int outerIp = frame.Length - Ethernet.HeaderLength;
        Assert.Equal(68, outerIp - innerIp);
        // The outer IPv4 Total Length says the same.
        Assert.Equal(innerIp + 68, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(Ethernet.HeaderLength + 2)));
        Assert.Equal(68 + Ethernet.HeaderLength, gwlb.HeaderLength);
    }

    [Fact]
    public void The_azure_pair_is_in_through_the_internal_tunnel_and_out_through_the_external()
    {
        DeployedProfile pair = DeployedProfiles.Find("azure-gwlb-pair")!;
        Assert.True(pair.IsPair);
        Assert.Equal(["azure-gwlb-internal", "azure-gwlb-external"], pair.Legs.Select(l => l.Name));
        byte[] inner = GoldenFrames.InnerV4;
        uint[] vnis = pair.Legs.Select(l =>
        {
            byte[] frame = OuterFrames.Encapsulate(l.Create(), inner);
            Assert.True(Decapsulator.TryDecapsulate(frame, out TunnelPacket packet).IsSuccess);
            return packet.Vni;
        }).ToArray();
        Assert.Equal([800u, 801u], vnis);
    }

    [Fact]
    public void Cilium_dsr_adds_its_documented_12_bytes_to_cilium_geneve()
    {
        int plain = DeployedProfiles.Find("cilium-geneve")!.Create().HeaderLength;
        int dsr = DeployedProfiles.Find("cilium-geneve-dsr")!.Create().HeaderLength;
        Assert.Equal(12, dsr - plain);
        // Cilium's TunnelOverhead: 50 bytes with the inner Ethernet header, as VXLAN.
        Assert.Equal(50, plain);
        Assert.Equal(50, DeployedProfiles.Find("cilium-vxlan")!.Create().HeaderLength);
    }

    [Fact]
    public void Every_profile_names_its_sources_and_what_is_documented()
    {
        Assert.Equal(DeployedProfiles.All.Count, DeployedProfiles.All.Select(p => p.Name).Distinct().Count());
        foreach (DeployedProfile profile in DeployedProfiles.All)
        {
            Assert.NotEmpty(profile.Sources);
            Assert.All(profile.Sources, s => Assert.False(string.IsNullOrWhiteSpace(s.Url)));
            Assert.False(string.IsNullOrWhiteSpace(profile.Documented));
            Assert.All(profile.Legs, leg => Assert.Equal(leg.Name, leg.Name.ToLowerInvariant()));
            // No profile name collides with a generic variant's.
            Assert.Null(VariantCatalog.Find(profile.Name));
        }
        Assert.Equal(
            ["aws-gwlb", "azure-gwlb-internal", "azure-gwlb-external", "azure-gwlb-pair", "nsx-geneve", "cilium-vxlan", "cilium-geneve",
             "cilium-geneve-dsr", "linux-vxlan", "linux-seg6", "srv6-usid"],
            DeployedProfiles.Names);
    }

    [Fact]
    public void Linux_profiles_match_the_kernel_vector_policies()
    {
        var vxlan = DeployedProfiles.Find("linux-vxlan")!.Create();
        Assert.Equal(UdpChecksumPolicy.On, vxlan.Underlay.UdpChecksum);
        Assert.Equal(PortRange.Linux, vxlan.Underlay.SourcePorts);
        Assert.False(vxlan.Underlay.DontFragment);
        var seg6 = DeployedProfiles.Find("linux-seg6")!.Create();
        Assert.Equal(HopLimitPolicy.FromInnerIpv6(64), seg6.Underlay.HopLimit);
        Assert.Equal(FlowLabelPolicy.FromInner, seg6.Underlay.FlowLabel);
    }

    internal static VariantSpec Leg(string name) =>
        DeployedProfiles.All.SelectMany(p => p.Legs).First(l => l.Name == name);
}
