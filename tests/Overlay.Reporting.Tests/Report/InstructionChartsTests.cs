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
