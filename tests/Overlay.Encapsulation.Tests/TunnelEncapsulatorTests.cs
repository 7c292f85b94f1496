using System.Reflection;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Gre;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Encapsulation.Tests;

/// <summary>
/// An encapsulator that writes per-packet header fields must say so (PatchesTunnelHeader), or its patch would be
/// skipped and its UDP checksum summed over a stale header: every variant's flag matches whether its class overrides
/// PatchTunnelHeader.
/// </summary>
public sealed class TunnelEncapsulatorTests
{
    [Fact]
    public void Every_variant_that_patches_its_header_declares_it()
    {
        Type[] patch = [typeof(Span<byte>), typeof(InnerFrame).MakeByRefType(), typeof(ulong)];
        PropertyInfo flag = typeof(TunnelEncapsulator).GetProperty("PatchesTunnelHeader", BindingFlags.Instance | BindingFlags.NonPublic)!;
        int patching = 0;
        foreach (VariantSpec spec in VariantCatalog.All)
        {
            if (spec.Create() is not TunnelEncapsulator encapsulator)
            {
                continue;
            }
            bool overrides = encapsulator.GetType().GetMethod("PatchTunnelHeader", BindingFlags.Instance | BindingFlags.NonPublic, patch)!.DeclaringType != typeof(TunnelEncapsulator);
            Assert.True(overrides == (bool)flag.GetValue(encapsulator)!, $"{spec.Name}: overrides PatchTunnelHeader = {overrides}, PatchesTunnelHeader = {!overrides}");
            patching += overrides ? 1 : 0;
        }
        Assert.True(patching > 0, "no variant patches its header: the check would prove nothing");
    }

    [Fact]
    public void A_variant_describes_its_underlay_and_whether_it_checksums_the_payload()
    {
        foreach (VariantSpec spec in VariantCatalog.All)
        {
            IEncapsulator e = spec.Create();
            // Independently of the encapsulator's own bookkeeping: GRE's checksum option, or a UDP checksum.
            bool expected = e switch
            {
                GreEncapsulator gre => gre.Options.Checksum,
                VxlanEncapsulator vxlan => vxlan.Underlay.ComputesUdpChecksum,
                GeneveEncapsulator geneve => geneve.Underlay.ComputesUdpChecksum,
                _ => false,
            };
            Assert.True(expected == e.ChecksumsPayload, $"{spec.Name}: ChecksumsPayload = {e.ChecksumsPayload}");
            // The name says the underlay: "-ipv6", SRv6, or RFC 2473's IPv6 outer (ip6ip6, ip4in6).
            bool ipv6Underlay = spec.Name.Contains("ipv6", StringComparison.Ordinal) || spec.Name.StartsWith("srv6", StringComparison.Ordinal)
                || spec.Name is "ip6ip6" or "ip4in6";
            Assert.True(ipv6Underlay == e.Underlay.IsIpv6, $"{spec.Name}: Underlay.IsIpv6 = {e.Underlay.IsIpv6}");
        }
        Assert.Contains(VariantCatalog.All, s => s.Create().ChecksumsPayload);
        Assert.Contains(VariantCatalog.All, s => !s.Create().ChecksumsPayload);
    }
}

/// <summary>A spec the engine cannot honour is refused when the encapsulator is built, never on the per-packet path.</summary>
public sealed class TunnelSpecTests
{
    private sealed class Engine(TunnelSpec spec) : TunnelEncapsulator(spec);

    private static TunnelSpec Valid => new()
    {
        Name = "probe-ipv4",
        Family = TunnelFamily.IpIp,
        Mode = PayloadMode.L3,
        Underlay = Underlay.Ipv4(),
        OuterDestination = Underlay.Ipv4().Destination!,
        ForIpv4 = TunnelHeader.None(4),
        ForIpv6 = TunnelHeader.None(41),
    };

    public static TheoryData<string> Mistakes => ["L2 limited to one IP version", "entropy in a UDP port", "unequal L3 headers", "mixed families", "no name"];

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_spec_the_engine_cannot_honour_is_refused(string mistake)
    {
        TunnelSpec spec = mistake switch
        {
            "L2 limited to one IP version" => Valid with { Mode = PayloadMode.L2, ForEthernet = TunnelHeader.None(143), Carries = InnerIpVersions.Ipv4Only },
            "entropy in a UDP port" => Valid with { HeaderEntropy = EntropySource.UdpSourcePort },
            "unequal L3 headers" => Valid with { ForIpv6 = new TunnelHeader(47, [0, 0, 0x86, 0xDD]) },
            "mixed families" => Valid with { OuterDestination = Underlay.Ipv6().Destination! },
            _ => Valid with { Name = "" },
        };
        Assert.ThrowsAny<ArgumentException>(() => new Engine(spec));
    }

    [Fact]
    public void The_encapsulator_reports_what_its_spec_says()
    {
        var e = new Engine(Valid with { Carries = InnerIpVersions.Ipv4Only, HeaderEntropy = EntropySource.GreKey });
        Assert.Equal(("probe-ipv4", TunnelFamily.IpIp, PayloadMode.L3, SegmentEncoding.None), (e.Name, e.Family, e.Mode, e.SegmentEncoding));
        Assert.Equal(EntropySource.GreKey, e.Entropy);
        Assert.Equal(14 + 20, e.HeaderLength);
    }

    /// <summary>
    /// A call that fails reports zero (bytes written, packet offset and length) and leaves the destination as it was, whichever
    /// check refused it: a destination one byte short, headroom one byte short, or a frame shorter than an Ethernet header.
    /// </summary>
    [Fact]
    public void A_refused_packet_reports_zero_and_writes_nothing()
    {
        foreach (VariantSpec spec in VariantCatalog.All)
        {
            IEncapsulator e = spec.Create();
            byte[] frame = Support.TestFrames.Ip(e.Name.StartsWith("ip6", StringComparison.Ordinal) ? 6 : 4, Support.TestFrames.L4.Tcp, 100);
            int length = e.GetEncapsulatedLength(frame);
            Assert.True(length > frame.Length, spec.Name);

            var destination = new byte[length - 1];
            Array.Fill(destination, (byte)0x5A);
            int written = -1;
            Assert.Equal(System.Buffers.OperationStatus.DestinationTooSmall, e.Encapsulate(frame, destination, out written));
            Assert.Equal(0, written);
            Assert.All(destination, b => Assert.Equal(0x5A, b));
            Assert.Equal(System.Buffers.OperationStatus.InvalidData, e.Encapsulate(frame.AsSpan(0, 13), destination, out written));
            Assert.Equal(0, written);

            // In place the payload stays where it is: an L2 frame needs the whole header before it, an L3 packet the header
            // less the inner Ethernet header it replaces; either way the encapsulated length less the frame's.
            int headroom = length - frame.Length - 1;
            var buffer = new byte[headroom + frame.Length];
            frame.CopyTo(buffer, headroom);
            byte[] before = (byte[])buffer.Clone();
            Assert.Equal(System.Buffers.OperationStatus.DestinationTooSmall, e.EncapsulateInPlace(buffer, headroom, frame.Length, out int offset, out int packetLength));
            Assert.Equal((0, 0), (offset, packetLength));
            Assert.Equal(before, buffer);
            Assert.Equal(System.Buffers.OperationStatus.InvalidData, e.EncapsulateInPlace(buffer, headroom, 13, out offset, out packetLength));
            Assert.Equal((0, 0), (offset, packetLength));
        }
    }
}
