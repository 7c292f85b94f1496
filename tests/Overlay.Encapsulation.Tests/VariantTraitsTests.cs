using System.Buffers.Binary;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Gre;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.IpIp;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Encapsulation.Tests;

/// <summary>
/// What a variant says it is (family, segment encoding, entropy) against what it is: its class and options, and the
/// outer fields that actually change from one inner flow to the next.
/// </summary>
public sealed class VariantTraitsTests
{
    [Fact]
    public void Every_variant_names_its_family_and_segment_encoding_as_its_class_and_options_say()
    {
        foreach (VariantSpec spec in VariantCatalog.All)
        {
            IEncapsulator e = spec.Create();
            (TunnelFamily family, SegmentEncoding segments) = e switch
            {
                GreEncapsulator => (TunnelFamily.Gre, SegmentEncoding.None),
                NvgreEncapsulator => (TunnelFamily.Nvgre, SegmentEncoding.None),
                VxlanEncapsulator => (TunnelFamily.Vxlan, SegmentEncoding.None),
                GeneveEncapsulator => (TunnelFamily.Geneve, SegmentEncoding.None),
                IpIpEncapsulator => (TunnelFamily.IpIp, SegmentEncoding.None),
                Srv6Encapsulator { Options.CompressedSids: not null } => (TunnelFamily.Srv6, SegmentEncoding.Compressed),
                Srv6Encapsulator { Options.Reduced: true } => (TunnelFamily.Srv6, SegmentEncoding.Reduced),
                Srv6Encapsulator => (TunnelFamily.Srv6, SegmentEncoding.Full),
                _ => throw new InvalidOperationException($"{spec.Name}: an encapsulator of no known class"),
            };
            Assert.True(family == e.Family, $"{spec.Name}: Family = {e.Family}, expected {family}");
            Assert.True(segments == e.SegmentEncoding, $"{spec.Name}: SegmentEncoding = {e.SegmentEncoding}, expected {segments}");
        }
        foreach (TunnelFamily family in Enum.GetValues<TunnelFamily>())
        {
            Assert.Contains(VariantCatalog.All, s => s.Create().Family == family);
        }
    }

    [Fact]
    public void Every_variant_names_the_outer_fields_that_vary_with_the_inner_flow()
    {
        foreach (VariantSpec spec in VariantCatalog.All)
        {
            IEncapsulator e = spec.Create();
            Assert.True(Observed(e) == e.Entropy, $"{spec.Name}: Entropy = {e.Entropy}, observed {Observed(e)}");
        }
        Assert.Contains(VariantCatalog.All, s => s.Create().Entropy == EntropySource.None);
        Assert.Contains(VariantCatalog.All, s => s.Create().Entropy == (EntropySource.UdpSourcePort | EntropySource.FlowLabel));
        Assert.Contains(VariantCatalog.All, s => s.Create().Entropy == EntropySource.GreKey);
        Assert.Contains(VariantCatalog.All, s => s.Create().Entropy == EntropySource.FlowLabel);
    }

    public static TheoryData<string, EntropySource> Policies => new()
    {
        { "flow label zero", EntropySource.UdpSourcePort },
        { "flow label fixed", EntropySource.UdpSourcePort },
        { "flow label from an IPv6 inner", EntropySource.UdpSourcePort | EntropySource.FlowLabel },
        { "one source port, flow label zero", EntropySource.None },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public void The_underlay_policies_decide_what_entropy_a_UDP_tunnel_gives(string policy, EntropySource expected)
    {
        Underlay underlay = policy switch
        {
            "flow label zero" => Underlay.Ipv6() with { FlowLabel = FlowLabelPolicy.Zero },
            "flow label fixed" => Underlay.Ipv6() with { FlowLabel = FlowLabelPolicy.Fixed(0x12345) },
            "flow label from an IPv6 inner" => Underlay.Ipv6() with { FlowLabel = FlowLabelPolicy.FromInner },
            _ => Underlay.Ipv6() with { FlowLabel = FlowLabelPolicy.Zero, SourcePorts = new PortRange(4789, 4789) },
        };
        var e = new VxlanEncapsulator(underlay, VariantCatalog.DefaultVni);
        Assert.Equal(expected, e.Entropy);
        Assert.Equal(expected, Observed(e));
    }

    /// <summary>Which outer fields differ over 32 inner flows (IPv6 inner frames with their own flow labels where carried).</summary>
    private static EntropySource Observed(IEncapsulator e)
    {
        var ports = new HashSet<int>();
        var labels = new HashSet<uint>();
        var keys = new HashSet<uint>();
        for (int flow = 0; flow < 32; flow++)
        {
            byte[] inner = TestFrames.Ip(6, TestFrames.L4.Tcp, 200, sourcePort: (ushort)(40000 + flow), flowLabel: (uint)(0x100 + flow), seed: flow);
            if (e.GetEncapsulatedLength(inner) < 0)
            {
                inner = TestFrames.Ip(4, TestFrames.L4.Tcp, 200, sourcePort: (ushort)(40000 + flow), seed: flow);
            }
            byte[] outer = OuterFrames.Encapsulate(e, inner);
            ReadOnlySpan<byte> ip = outer.AsSpan(Ethernet.HeaderLength);
            bool ipv6 = BinaryPrimitives.ReadUInt16BigEndian(outer.AsSpan(12)) == Ethernet.EtherTypeIPv6;
            byte protocol = ipv6 ? ip[Ipv6.NextHeaderOffset] : ip[Ipv4.ProtocolOffset];
            ReadOnlySpan<byte> l4 = ip.Slice(ipv6 ? Ipv6.HeaderLength : Ipv4.HeaderLength(ip));
            if (ipv6)
            {
                labels.Add(Ipv6.FlowLabel(ip));
            }
            if (protocol == Ipv4.ProtocolUdp)
            {
                ports.Add(BinaryPrimitives.ReadUInt16BigEndian(l4));
            }
            if (protocol == Ipv4.ProtocolGre && (l4[0] & 0x20) != 0)
            {
                // The Key follows the base header and the Checksum field when C is set (RFC 2890 §2).
                keys.Add(BinaryPrimitives.ReadUInt32BigEndian(l4.Slice((l4[0] & 0x80) != 0 ? 8 : 4)));
            }
        }
        return (ports.Count > 1 ? EntropySource.UdpSourcePort : EntropySource.None)
            | (labels.Count > 1 ? EntropySource.FlowLabel : EntropySource.None)
            | (keys.Count > 1 ? EntropySource.GreKey : EntropySource.None);
    }
}
