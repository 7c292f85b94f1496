using System.Text;
using Overlay.Reporting.Charts;
using Overlay.Reporting.Report;

namespace Overlay.Reporting.Tests.Report;

/// <summary>The instructions-per-packet chart and section, from the comparer's hand-written instruction fixture.</summary>
public class InstructionChartsTests
{
    private static InstructionFile Baseline => InstructionFile.Find(Comparison.Fixture.Path_("instructions/baseline"))!;

    [Fact]
    public void The_chart_has_a_bar_per_variant_and_operation_with_the_counts()
    {
        ChartSpec chart = InstructionCharts.Chart(Baseline)!;
        // No IMIX in the fixture: the smallest size, 64 B.
        Assert.Contains("at 64 B", chart.Description);
        Assert.Equal(["vxlan-ipv4", "gre-l3-ipv4"], chart.Categories);
        Assert.Equal(["encapsulation by copy", "encapsulation in place"], chart.Series.Select(s => s.Name));
        Assert.Equal([500.0, 400.0], chart.Series[0].Points.Select(p => p.Y));
        Assert.Equal([450.0, 300.0], chart.Series[1].Points.Select(p => p.Y));
        Assert.Contains("Instructions are not time", chart.Description);
        Assert.Contains(".NET 10.0.12", chart.Caption);
    }

    [Fact]
    public void Without_counts_the_chart_is_skipped_and_the_section_says_how_to_count()
    {
        ChartEntry entry = Assert.Single(ChartRegistry.Entries, e => e.Id == InstructionCharts.Id);
        Assert.Equal(ChartOrigin.Instructions, entry.Origin);
        Assert.Contains("bench/instructions.sh", InstructionCharts.Absent);
        var md = new StringBuilder();
        InstructionCharts.Section(md, null, null);
        Assert.Contains("bench/instructions.sh", md.ToString());
        md.Clear();
        InstructionCharts.Section(md, Baseline, 7);
        Assert.Contains("chart [7](#instructions-per-packet)", md.ToString());
    }

    [Fact]
    public void A_results_folder_with_counts_gives_the_report_its_instructions()
    {
        string folder = Directory.CreateTempSubdirectory("overlay-instructions-").FullName;
        try
        {
            File.Copy(Baseline.Path, Path.Combine(folder, "instructions.json"));
            ReportInputs inputs = ReportInputs.Load(folder);
            Assert.NotNull(inputs.Instructions);
            Assert.Equal(Baseline.Document.Cases.Count, inputs.Instructions!.Document.Cases.Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>The host-cost finding's instruction sentence: the like-for-like pairs' counts, as shares, by hand.</summary>
public class HostCostInstructionTests
{
    private static InstructionFile With(params Overlay.Results.Instructions.InstructionCase[] cases)
    {
        InstructionFile baseline = InstructionFile.Find(Comparison.Fixture.Path_("instructions/baseline"))!;
        return baseline with { Document = baseline.Document with { Cases = cases } };
    }

    private static Overlay.Results.Instructions.InstructionCase Case(string operation, string variant, string size, double count) =>
        new(operation, variant, size, count, count, count);

    [Fact]
    public void Each_pair_is_its_srv6_count_over_the_others_geometric_mean_over_the_sizes()
    {
        // IP payload: copy 400/500 at 64 B and 800/500 at 1500 B: geometric mean sqrt(0.8 * 1.6) = 1.1314 -> 113 %.
        // Ethernet payload: in place 300/600 = 50 %; a size only one side has is left out.
        string text = Findings.InstructionComparison(With(
            Case("copy", "srv6-encaps-red-1sid", "64", 400), Case("copy", "gre-l3-ipv6", "64", 500),
            Case("copy", "srv6-encaps-red-1sid", "1500", 800), Case("copy", "gre-l3-ipv6", "1500", 500),
            Case("in-place", "srv6-encaps-l2-red-1sid", "64", 300), Case("in-place", "vxlan-ipv6", "64", 600),
            Case("in-place", "srv6-encaps-l2-red-1sid", "1500", 999)));
        Assert.Contains("IP payload, srv6-encaps-red-1sid against gre-l3-ipv6: copy 113 %.", text);
        Assert.Contains("Ethernet payload, srv6-encaps-l2-red-1sid against vxlan-ipv6: in place 50 %.", text);
        Assert.Contains("Cachegrind", text);
    }

    [Fact]
    public void Without_counts_or_pairs_it_says_nothing()
    {
        Assert.Equal("", Findings.InstructionComparison(null));
        Assert.Equal("", Findings.InstructionComparison(With(Case("copy", "vxlan-ipv4", "64", 500))));
    }
}
