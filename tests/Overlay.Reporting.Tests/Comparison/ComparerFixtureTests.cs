using Overlay.Reporting.Comparison;

namespace Overlay.Reporting.Tests.Comparison;

/// <summary>
/// The comparer on real BenchmarkDotNet full-JSON reports (Fixtures/README.md says how each case was made), against a
/// baseline history of two runs, with the CI gate's defaults: 10 %, 0.5 ns, α = 0.01.
/// </summary>
public class ComparerFixtureTests
{
    private const string Vxlan = "Overlay.Benchmarks.EncapsulateBenchmarks.Copy(Variant: \"vxlan-ipv4\")";
    private const string Srv6 = "Overlay.Benchmarks.EncapsulateBenchmarks.Copy(Variant: \"srv6-encaps-3sid\")";
    private const string Decapsulate = "Overlay.Benchmarks.DecapsulateBenchmarks.Decapsulate";
    private const string ToArray = "Overlay.Benchmarks.DecapsulateBenchmarks.DecapsulateToArray";

    private static readonly ComparisonOptions Defaults = new();

    private static ComparisonReport Compare(string current, ComparisonOptions? options = null) =>
        BenchmarkComparer.Compare(Fixture.Baseline, Fixture.Path_(current), options ?? Defaults);

    private static BenchmarkComparison Row(ComparisonReport report, string fullName) => report.Benchmarks.Single(b => b.FullName == fullName);

    [Fact]
    public void The_baseline_is_a_history_of_runs()
    {
        ComparisonReport report = Compare("noise");
        Assert.Equal(["run-1/results", "run-2/results"], report.BaselineRuns.Select(r => r.Replace('\\', '/')));
        Assert.Equal(7, report.Benchmarks.Count);
        // Two runs of 13–15 iterations pooled, less any 3×IQR outlier.
        Assert.All(report.Benchmarks, b => Assert.InRange(b.Timing!.BaselineCount, 24, 30));
    }

    [Fact]
    public void Noise_only_is_no_regression()
    {
        ComparisonReport report = Compare("noise");
        Assert.Equal(ComparisonReport.ExitNoRegression, report.ExitCode);
        Assert.All(report.Benchmarks.Where(b => !b.Benchmark.IsCalibration), b => Assert.Equal(TimeVerdict.Same, b.Time));
        Assert.All(report.Benchmarks, b => Assert.Equal(AllocationVerdict.Same, b.Allocation));
        Assert.Empty(report.Missing);
        Assert.Empty(report.New);
        Assert.Empty(report.RerunFilters());
        // Decapsulate's median moved by more than 10 % here, and still the test cannot tell it from noise.
        Assert.True(Row(report, Decapsulate).Timing!.Ratio > 1.10);
    }

    [Fact]
    public void A_uniformly_slower_machine_is_cancelled_by_the_calibration()
    {
        ComparisonReport noise = Compare("noise");
        ComparisonReport slower = Compare("slower-machine");
        Assert.Equal(ComparisonReport.ExitNoRegression, slower.ExitCode);
        foreach (BenchmarkComparison b in slower.Benchmarks)
        {
            if (b.Benchmark.IsCalibration)
            {
                // The ruler is shown raw: the machine is 60 % slower.
                Assert.Equal(TimeVerdict.Calibration, b.Time);
                Assert.Equal(1.6 * Row(noise, b.FullName).Timing!.CurrentMedian, b.Timing!.CurrentMedian, 1e-3);
            }
            else
            {
                Assert.Equal(TimeVerdict.Same, b.Time);
                Assert.Equal(CalibrationSource.SameClassAndParameters, b.Calibration);
                Assert.Equal(Row(noise, b.FullName).Timing!.CurrentMedian, b.Timing!.CurrentMedian, 1e-6);
            }
        }
        Assert.Equal(noise.GeometricMean!.Value, slower.GeometricMean!.Value, 1e-6);
    }

    [Fact]
    public void A_real_regression_is_slower_and_fails()
    {
        ComparisonReport report = Compare("regression");
        Assert.Equal(ComparisonReport.ExitRegression, report.ExitCode);
        BenchmarkComparison vxlan = Assert.Single(report.Regressions);
        Assert.Equal(Vxlan, vxlan.FullName);
        Assert.Equal(TimeVerdict.Slower, vxlan.Time);
        Assert.InRange(vxlan.Timing!.Ratio!.Value, 1.8, 2.2);
        Assert.True(vxlan.Timing.PSlower < 0.001);
        Assert.All(report.Benchmarks.Where(b => b.FullName != Vxlan && !b.Benchmark.IsCalibration), b => Assert.Equal(TimeVerdict.Same, b.Time));
        // The re-run takes the benchmark with its calibration, so that it can be normalised in its turn.
        Assert.Equal(
            ["Overlay.Benchmarks.EncapsulateBenchmarks.Copy", "Overlay.Benchmarks.EncapsulateBenchmarks.CopyBaseline"],
            report.RerunFilters());
        Assert.True(report.GeometricMean > Compare("noise").GeometricMean);
    }

    [Fact]
    public void An_improvement_is_faster_and_passes()
    {
        ComparisonReport report = Compare("improvement");
        Assert.Equal(ComparisonReport.ExitNoRegression, report.ExitCode);
        BenchmarkComparison srv6 = Row(report, Srv6);
        Assert.Equal(TimeVerdict.Faster, srv6.Time);
        Assert.InRange(srv6.Timing!.Ratio!.Value, 0.4, 0.6);
        Assert.True(srv6.Timing.PFaster < 0.001);
        Assert.Single(report.Benchmarks, b => b.Time == TimeVerdict.Faster);
        Assert.Empty(report.Regressions);
    }

    [Fact]
    public void Any_allocation_increase_is_a_regression_whatever_the_timings()
    {
        ComparisonReport report = Compare("allocation");
        Assert.Equal(ComparisonReport.ExitRegression, report.ExitCode);
        BenchmarkComparison decapsulate = Row(report, Decapsulate);
        Assert.Equal((0L, 24L, AllocationVerdict.Increased, TimeVerdict.Same),
            (decapsulate.BaselineBytes!.Value, decapsulate.CurrentBytes!.Value, decapsulate.Allocation, decapsulate.Time));
        BenchmarkComparison toArray = Row(report, ToArray);
        Assert.Equal((152L, 160L, AllocationVerdict.Increased), (toArray.BaselineBytes!.Value, toArray.CurrentBytes!.Value, toArray.Allocation));
        Assert.Equal([Decapsulate, ToArray], report.Regressions.Select(b => b.FullName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Allocations_only_needs_no_calibration_and_no_timing()
    {
        var options = new ComparisonOptions { AllocationsOnly = true };
        Assert.Equal(ComparisonReport.ExitRegression, Compare("allocation", options).ExitCode);
        Assert.Equal(ComparisonReport.ExitNoRegression, Compare("regression", options).ExitCode);
        ComparisonReport uncalibrated = Compare("unusable-no-calibration", options);
        Assert.Equal(ComparisonReport.ExitNoRegression, uncalibrated.ExitCode);
        Assert.All(uncalibrated.Benchmarks, b => Assert.Equal(TimeVerdict.NotCompared, b.Time));
        // A benchmark without a figure (it failed) cannot pass an allocation gate.
        ComparisonReport failed = Compare("unusable-failed", options);
        Assert.Equal(ComparisonReport.ExitUnusable, failed.ExitCode);
        Assert.Contains("no bytes per operation in the current run", Assert.Single(failed.Unusable).Note);
        // Fewer bytes is no regression: the baseline's own run compared with the one allocating more.
        ComparisonReport less = BenchmarkComparer.Compare(Fixture.Path_("allocation"), Fixture.Path_("noise"), options);
        Assert.Equal(ComparisonReport.ExitNoRegression, less.ExitCode);
        Assert.Equal(2, less.Benchmarks.Count(b => b.Allocation == AllocationVerdict.Decreased));
    }

    [Fact]
    public void Missing_and_new_benchmarks_are_listed_and_do_not_fail()
    {
        ComparisonReport report = Compare("missing");
        Assert.Equal(ComparisonReport.ExitNoRegression, report.ExitCode);
        Assert.Equal([ToArray], report.Missing.Select(b => b.FullName));
        Assert.Equal(["Overlay.Benchmarks.DecapsulateBenchmarks.DecapsulateInPlace"], report.New.Select(b => b.FullName));
        string markdown = ComparisonMarkdown.Render(report);
        Assert.Contains("### Missing from the current run (1)", markdown);
        Assert.Contains("- `DecapsulateBenchmarks.DecapsulateToArray`", markdown);
        Assert.Contains("### New in the current run (1)", markdown);
        Assert.Contains("- `DecapsulateBenchmarks.DecapsulateInPlace`", markdown);
    }

    [Fact]
    public void A_truncated_report_is_unusable_input()
    {
        var e = Assert.Throws<ComparisonInputException>(() => Compare("unusable-truncated"));
        Assert.Contains("EncapsulateBenchmarks-report-full.json: not a BenchmarkDotNet full-JSON report", e.Message);
    }

    [Fact]
    public void A_run_without_calibration_is_unusable_input_for_timings()
    {
        var e = Assert.Throws<ComparisonInputException>(() => Compare("unusable-no-calibration"));
        Assert.Contains("has no CopyBaseline calibration", e.Message);
    }

    [Fact]
    public void A_failed_benchmark_is_unusable_input()
    {
        ComparisonReport report = Compare("unusable-failed");
        Assert.Equal(ComparisonReport.ExitUnusable, report.ExitCode);
        BenchmarkComparison failed = Assert.Single(report.Unusable);
        Assert.Equal((Decapsulate, TimeVerdict.NoData, AllocationVerdict.Unknown), (failed.FullName, failed.Time, failed.Allocation));
        Assert.Contains("no measurement in the current run", failed.Note);
        Assert.Contains("**Result: UNUSABLE INPUT.**", ComparisonMarkdown.Render(report));
    }

    [Fact]
    public void Three_iterations_against_three_cannot_reach_the_significance_level()
    {
        // 1 / C(6, 3) = 0.05: no outcome of a Mann–Whitney test on 3 against 3 values is significant at 0.01.
        string shortJob = Fixture.Path_("short-job");
        ComparisonReport report = BenchmarkComparer.Compare(shortJob, shortJob, Defaults);
        Assert.Equal(ComparisonReport.ExitUnusable, report.ExitCode);
        Assert.All(report.Benchmarks.Where(b => !b.Benchmark.IsCalibration), b => Assert.Equal(TimeVerdict.TooFewSamples, b.Time));
        // Against a history of 2 × 15 iterations, 3 are enough: 1 / C(33, 3) is far below 0.01.
        Assert.NotEqual(ComparisonReport.ExitUnusable, Compare("short-job").ExitCode);
    }

    [Fact]
    public void Folders_without_reports_are_unusable_input()
    {
        string empty = Fixture.TempDirectory();
        try
        {
            Assert.Contains("no BenchmarkDotNet full-JSON report", Assert.Throws<ComparisonInputException>(() => BenchmarkComparer.Compare(Fixture.Baseline, empty, Defaults)).Message);
            Assert.Contains("no such folder", Assert.Throws<ComparisonInputException>(() => BenchmarkComparer.Compare(Path.Combine(empty, "nothing"), Fixture.Baseline, Defaults)).Message);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void Nothing_in_common_is_unusable_input()
    {
        string root = Fixture.TempDirectory();
        try
        {
            // The decapsulation class alone against the encapsulation class alone.
            string decap = Directory.CreateDirectory(Path.Combine(root, "decap")).FullName;
            string encap = Directory.CreateDirectory(Path.Combine(root, "encap")).FullName;
            const string Decap = "Overlay.Benchmarks.DecapsulateBenchmarks-report-full.json", Encap = "Overlay.Benchmarks.EncapsulateBenchmarks-report-full.json";
            File.Copy(Path.Combine(Fixture.Path_("noise"), "results", Decap), Path.Combine(decap, Decap));
            File.Copy(Path.Combine(Fixture.Path_("noise"), "results", Encap), Path.Combine(encap, Encap));
            ComparisonReport report = BenchmarkComparer.Compare(decap, encap, Defaults);
            Assert.Empty(report.Benchmarks);
            Assert.Equal((3, 4), (report.Missing.Count, report.New.Count));
            Assert.Equal(ComparisonReport.ExitUnusable, report.ExitCode);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_threshold_and_the_noise_floor_decide_what_counts()
    {
        // A doubling is not a regression when 150 % is the smallest change that counts…
        Assert.Equal(ComparisonReport.ExitNoRegression, Compare("regression", new ComparisonOptions { Threshold = 1.5 }).ExitCode);
        // …nor when the noise floor (100 ns) is above the 58 ns it added.
        Assert.Equal(ComparisonReport.ExitNoRegression, Compare("regression", new ComparisonOptions { NoiseNanoseconds = 100 }).ExitCode);
        BenchmarkComparison vxlan = Row(Compare("regression", new ComparisonOptions { NoiseNanoseconds = 100 }), Vxlan);
        Assert.Equal(100, vxlan.Timing!.Shift);
        Assert.Equal(TimeVerdict.Same, vxlan.Time);
    }

    [Fact]
    public void A_folder_with_both_json_exports_of_a_class_reads_it_once()
    {
        string dir = Fixture.TempDirectory();
        try
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(Fixture.Path_("noise"), "results")))
            {
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file).Replace("-report-full.json", "-report-full-compressed.json")));
            }
            BenchmarkRun run = Assert.Single(ReportReader.ReadRuns(dir));
            Assert.Equal(7, run.Benchmarks.Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
