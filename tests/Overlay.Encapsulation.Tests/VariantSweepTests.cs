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
        "srv6-encaps" => Ethernet + Ipv6 + Srh + Sid * n,
        "srv6-encaps-red" => n == 1 ? Ethernet + Ipv6 : Ethernet + Ipv6 + Srh + Sid * (n - 1),
        // NEXT-C-SID 32/16: six C-SIDs per container, the first container in the destination, the rest in an SRH.
        "srv6-csid" or "srv6-csid-l2" => (n + 5) / 6 == 1 ? Ethernet + Ipv6 : Ethernet + Ipv6 + Srh + Sid * ((n + 5) / 6 - 1),
        "geneve-options" => Ethernet + Ipv4 + Udp + Geneve + 8 * n,
        "geneve-ipv6-options-12B" => Ethernet + Ipv6 + Udp + Geneve + 12 * n,
        "geneve-ipv4-options-12B" => Ethernet + Ipv4 + Udp + Geneve + 12 * n,
        "vxlan-ipv6-flat" => Ethernet + Ipv6 + Udp + Vxlan,
        "vxlan-ipv4-flat" => Ethernet + Ipv4 + Udp + Vxlan,
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
        Assert.Equal(["srv6-encaps", "srv6-encaps-red", "srv6-csid", "srv6-csid-l2", "geneve-ipv6-options-12B", "geneve-ipv4-options-12B", "vxlan-ipv6-flat", "vxlan-ipv4-flat"],
            VariantCatalog.ServiceInsertionSweeps.Select(s => s.Id));
        Assert.All(VariantCatalog.ServiceInsertionSweeps.Concat(VariantCatalog.BenchmarkSweeps), s => Assert.InRange(s.From, 0, 1));
        Assert.All(VariantCatalog.ServiceInsertionSweeps.Concat(VariantCatalog.BenchmarkSweeps),
            s => Assert.Equal(s.Id.StartsWith("geneve", StringComparison.Ordinal) ? VariantCatalog.MaxSweepGeneveOptions : VariantCatalog.MaxSweepSids, s.To));
    }
}
