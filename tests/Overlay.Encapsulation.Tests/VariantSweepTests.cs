namespace Overlay.Encapsulation.Tests;

/// <summary>
/// The catalogue's sweeps: every point builds, and its header is the RFC arithmetic for that many segments or options
/// (DESIGN.md's table), worked out here independently of the encoders.
/// </summary>
public sealed class VariantSweepTests
{
    private const int Ethernet = 14, Ipv4 = 20, Ipv6 = 40, Udp = 8, Srh = 8, Sid = 16, Geneve = 8, Vxlan = 8;

    /// <summary>The outer header length, outer Ethernet included, at <paramref name="n"/> segments or options.</summary>
    private static int Expected(string id, int n) => id switch
    {
        // H.Encaps and H.Encaps.L2 write the same outer header; only the next header (41/4 or 143) differs.
        "srv6-encaps" or "srv6-encaps-l2" => Ethernet + Ipv6 + Srh + Sid * n,
        // RFC 2473: one outer IPv6 header, whatever the path.
        "ip6ip6-flat" => Ethernet + Ipv6,
        "srv6-encaps-red" => n == 1 ? Ethernet + Ipv6 : Ethernet + Ipv6 + Srh + Sid * (n - 1),
        // NEXT-C-SID 32/16: six C-SIDs per container, the first container in the destination, the rest in an SRH.
        "srv6-csid" or "srv6-csid-l2" => (n + 5) / 6 == 1 ? Ethernet + Ipv6 : Ethernet + Ipv6 + Srh + Sid * ((n + 5) / 6 - 1),
        "geneve-options" => Ethernet + Ipv4 + Udp + Geneve + 8 * n,
        "geneve-ipv6-options-12B" => Ethernet + Ipv6 + Udp + Geneve + 12 * n,
        // One 12-byte service-path option whatever the chain's length.
        "geneve-ipv6-service-path" => Ethernet + Ipv6 + Udp + Geneve + 12,
        "vxlan-ipv6-flat" => Ethernet + Ipv6 + Udp + Vxlan,
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "a sweep this test does not know"),
    };

    [Fact]
    public void Every_point_of_every_sweep_has_the_header_its_RFC_gives()
    {
        foreach (VariantSweep sweep in VariantCatalog.ServiceInsertionSweeps.Concat(VariantCatalog.BenchmarkSweeps).Distinct())
        {
            foreach (int n in sweep.Points)
            {
                IEncapsulator e = sweep.Create(n);
                Assert.True(Expected(sweep.Id, n) == e.HeaderLength, $"{sweep.Id} at {n}: {e.Name} has {e.HeaderLength} B, expected {Expected(sweep.Id, n)}");
            }
            Assert.False(sweep.Has(sweep.From - 1));
            Assert.False(sweep.Has(sweep.To + 1));
        }
    }

    [Fact]
    public void The_sweeps_are_the_agreed_ones()
    {
        Assert.Equal(["srv6-encaps", "srv6-encaps-red", "srv6-csid", "geneve-options"], VariantCatalog.BenchmarkSweeps.Select(s => s.Id));
        Assert.Equal(["srv6-encaps", "srv6-encaps-red", "srv6-csid", "ip6ip6-flat", "srv6-encaps-l2", "srv6-csid-l2", "geneve-ipv6-options-12B", "geneve-ipv6-service-path", "vxlan-ipv6-flat"],
            VariantCatalog.ServiceInsertionSweeps.Select(s => s.Id));
        Assert.All(VariantCatalog.ServiceInsertionSweeps.Concat(VariantCatalog.BenchmarkSweeps), s => Assert.InRange(s.From, 0, 1));
        Assert.All(VariantCatalog.ServiceInsertionSweeps.Concat(VariantCatalog.BenchmarkSweeps),
            s => Assert.Equal(s.Id.Contains("options", StringComparison.Ordinal) ? VariantCatalog.MaxSweepGeneveOptions : VariantCatalog.MaxSweepSids, s.To));
    }
}
