using Overlay.Reporting.Charts;
using Overlay.Reporting.Report;
using Overlay.Results.Kernel;

namespace Overlay.Reporting.Tests.Report;

/// <summary>
/// "The kernel's own cost" and the host-cost finding that rests on it. The fixture's kernel.json is hand-made: at 64 B
/// srv6-encaps-red-1sid costs 3,800 ns over native routing against vxlan-ipv4's 3,000, beyond both variants' interquartile
/// range (200 ns); at IMIX 3,300 against 3,000, within vxlan-ipv4's (1,000 ns).
/// </summary>
public sealed class KernelReportTests(RenderedReport report) : IClassFixture<RenderedReport>
{
    [Theory]
    [InlineData(3300, 3000, 1000, KernelDifference.NotMeasurable)]
    [InlineData(3000, 3300, 300, KernelDifference.NotMeasurable)]
    [InlineData(3800, 3000, 200, KernelDifference.Srv6CostsMore)]
    [InlineData(2000, 3000, 999, KernelDifference.Srv6CostsLess)]
    public void A_difference_counts_only_beyond_the_runs_own_spread(double srv6, double vxlan, double spread, KernelDifference expected)
    {
        Assert.Equal(expected, KernelHostCost.Compare(srv6, vxlan, spread));
    }

    [Theory]
    [InlineData(new[] { KernelDifference.NotMeasurable, KernelDifference.NotMeasurable }, Findings.Supports + " (no difference measurable here in the kernel)")]
    [InlineData(new[] { KernelDifference.NotMeasurable, KernelDifference.Srv6CostsMore }, Findings.Supports + " (SRv6 costs the kernel more here)")]
    [InlineData(new[] { KernelDifference.Srv6CostsLess, KernelDifference.NotMeasurable }, Findings.DoesNotSupport + " (SRv6 costs the kernel less here)")]
    [InlineData(new[] { KernelDifference.Srv6CostsLess, KernelDifference.Srv6CostsMore }, Findings.Partly + " (in the kernel SRv6 costs more at one size, less at another)")]
    public void The_kernel_verdict_follows_the_sizes_outcomes(KernelDifference[] sizes, string verdict)
    {
        Assert.Equal(verdict, KernelHostCost.Verdict(sizes));
    }

    private static KernelDocument FixtureDocument() => KernelResultFiles.Read(Path.Combine(Fixture.Results, "kernel.json"));

    [Fact]
    public void The_finding_states_each_size_and_the_verdict_from_the_fixture()
    {
        (string text, string verdict) = KernelHostCost.Build(FixtureDocument())!.Value;
        Assert.Contains("srv6-encaps-red-1sid costs 3,300 ns per packet over native routing against vxlan-ipv4's 3,000 (IMIX UDP payloads; a difference of 300 ns against the run's own spread of 1,000 ns", text, StringComparison.Ordinal);
        Assert.Contains("): no difference measurable here.", text, StringComparison.Ordinal);
        Assert.Contains("64 B 3,800 against 3,000 ns (spread 200): SRv6 costs more.", text, StringComparison.Ordinal);
        Assert.Equal(Findings.Supports + " (SRv6 costs the kernel more here)", verdict);
    }

    [Fact]
    public void Within_the_spread_at_every_size_the_finding_says_no_difference_is_measurable()
    {
        KernelDocument doc = FixtureDocument();
        // Widen the 64-byte SRv6 cell's trials so its interquartile range (2,000 ns) covers the 800 ns difference.
        var rows = doc.Rows.Select(r => r.Variant == "srv6-encaps-red-1sid" && r.PayloadSize == "64"
            ? r with { CpuNs = r.CpuNs! with { Q1 = 8800, Q3 = 10800 } } : r).ToList();
        (string text, string verdict) = KernelHostCost.Build(doc with { Rows = rows })!.Value;
        Assert.Contains("64 B 3,800 against 3,000 ns (spread 2,000): no difference measurable here.", text, StringComparison.Ordinal);
        Assert.Equal(Findings.Supports + " (no difference measurable here in the kernel)", verdict);
    }

    [Fact]
    public void Without_srv6_and_vxlan_increments_there_is_no_kernel_sentence()
    {
        KernelDocument doc = FixtureDocument();
        Assert.Null(KernelHostCost.Build(doc with { Rows = doc.Rows.Where(r => r.Variant != "vxlan-ipv4").ToList() }));
    }

    [Fact]
    public void The_report_finding_rests_on_the_kernel_first_and_the_suite_second()
    {
        Finding host = report.Data.Findings.Single(f => f.Topic.StartsWith("Host cost", StringComparison.Ordinal));
        Assert.StartsWith("In the Linux kernel on this host", host.Text, StringComparison.Ordinal);
        Assert.Contains("The second measure, the suite's own encoders", host.Text, StringComparison.Ordinal);
        Assert.Contains("Like for like over IPv6 (BenchmarkDotNet means, Mpps per core;", host.Text, StringComparison.Ordinal);
        Assert.Contains("IP payload, srv6-encaps-red-1sid against gre-l3-ipv6: encap copy", host.Text, StringComparison.Ordinal);
        Assert.Contains("Ethernet payload, srv6-encaps-l2-red-1sid against vxlan-ipv6: encap copy", host.Text, StringComparison.Ordinal);
        Assert.Equal(Findings.Supports + " (SRv6 costs the kernel more here)", host.Verdict);
    }

    [Fact]
    public void The_increment_chart_has_the_kernel_figures_beside_the_suites_encoder()
    {
        ChartSpec chart = report.Chart(KernelCharts.IncrementId);
        Assert.Equal(["vxlan-ipv4", "srv6-encaps-red-1sid"], chart.Categories);
        ChartSeries kernel = chart.Series.Single(s => s.Name == KernelCharts.KernelSeries);
        ChartPoint srv6 = kernel.Points.Single(p => p.Category == "srv6-encaps-red-1sid");
        Assert.Equal(3300, srv6.Y);
        Assert.Equal(3000, srv6.Low);
        Assert.Equal(3800, srv6.High);
        ChartSeries suite = chart.Series.Single(s => s.Name == KernelCharts.SuiteSeries);
        Assert.NotEmpty(suite.Points);
        // The suite's figure: the fixture's benchmark means of the copy encapsulation and the decapsulation, IMIX frames.
        foreach (ChartPoint p in suite.Points)
        {
            double Mean(string type, string method) => Fixture.Benchmark(type).GetProperty("Benchmarks").EnumerateArray()
                .Single(b => b.GetProperty("Method").GetString() == method && b.GetProperty("Parameters").GetString() == $"Variant={p.Category}&Size=imix")
                .GetProperty("Statistics").GetProperty("Mean").GetDouble();
            Assert.Equal(Mean("EncapsulateBenchmarks", "Copy") + Mean("DecapsulateBenchmarks", "Decapsulate"), p.Y, 6);
        }
        Assert.Contains("gre-l3-ipv4", chart.Description, StringComparison.Ordinal);
        Assert.Contains("lower is better", chart.YLabel, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tcp_charts_have_offloads_on_and_off_with_one_direction_of_better_each()
    {
        ChartSpec goodput = report.Chart(KernelCharts.GoodputId), cpu = report.Chart(KernelCharts.TcpCpuId);
        Assert.Contains("higher is better", goodput.YLabel, StringComparison.Ordinal);
        Assert.Contains("lower is better", cpu.YLabel, StringComparison.Ordinal);
        Assert.Equal(19.0, goodput.Series[0].Points.Single(p => p.Category == "srv6-encaps-red-1sid").Y);
        Assert.Equal(3.7, cpu.Series[1].Points.Single(p => p.Category == "srv6-encaps-red-1sid").Y);
        Assert.DoesNotContain(goodput.Categories, c => c == "gre-l3-ipv4");
    }

    [Fact]
    public void Without_kernel_json_the_section_says_so_and_the_charts_are_skipped()
    {
        string results = Fixture.CopyResults(relative => relative != "kernel.json");
        try
        {
            ReportOutcome outcome = ReportGenerator.Generate(results, results, reporter: Fixture.Reporter);
            foreach ((string id, _) in KernelCharts.Ids())
            {
                Assert.Contains(outcome.Data.Skipped, s => s.Id == id && s.Reason.Contains("no kernel result", StringComparison.Ordinal));
            }
            string md = File.ReadAllText(outcome.ReportPath);
            Assert.Contains("## The kernel's own cost\n\nNot measured in this run: no kernel result", md.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.StartsWith("Like for like over IPv6 (BenchmarkDotNet means", outcome.Data.Findings.Single(f => f.Topic.StartsWith("Host cost", StringComparison.Ordinal)).Text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }
}
