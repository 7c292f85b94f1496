using Overlay.Reporting.Comparison;

namespace Overlay.Reporting.Tests.Comparison;

/// <summary>The comparer's rule on hand-made runs: calibration choice, outliers, the test, option parsing, report parsing.</summary>
public class ComparerRuleTests
{
    private static readonly ComparisonOptions Defaults = new();

    private static BenchmarkResult Bench(string type, string method, string parameters, IEnumerable<double> samples, long? bytes = 0) =>
        new($"Ns.{type}.{method}{(parameters.Length > 0 ? $"({parameters})" : "")}", "Ns", type, method, parameters, samples.ToArray(), bytes);

    private static BenchmarkRun Run(string name, params BenchmarkResult[] benchmarks) => new(name, benchmarks.ToDictionary(b => b.FullName));

    /// <summary>Values spread evenly ±2 % around <paramref name="center"/>.</summary>
    private static double[] Around(double center, int count = 15) => Enumerable.Range(0, count).Select(i => center * (0.98 + 0.04 * i / (count - 1))).ToArray();

    [Fact]
    public void Calibration_prefers_same_class_and_parameters_then_the_class_then_the_run()
    {
        var run = Run("r",
            Bench("A", "CopyBaseline", "Size=64", Around(10)),
            Bench("A", "CopyBaseline", "Size=1500", Around(30)),
            Bench("B", "CopyBaseline", "", Around(100)),
            Bench("A", "Encap", "Size=64", Around(50)),
            Bench("A", "Encap", "Size=9000", Around(50)),
            Bench("C", "Encap", "", Around(50)));
        var calibration = new Calibration(run);
        Assert.Equal((10, CalibrationSource.SameClassAndParameters), calibration.For(run.Benchmarks["Ns.A.Encap(Size=64)"]));
        Assert.Equal((20, CalibrationSource.SameClass), calibration.For(run.Benchmarks["Ns.A.Encap(Size=9000)"]));
        Assert.Equal((30, CalibrationSource.RunMedian), calibration.For(run.Benchmarks["Ns.C.Encap"]));
        Assert.Null(new Calibration(Run("none", Bench("C", "Encap", "", Around(50)))).For(run.Benchmarks["Ns.C.Encap"]));
    }

    [Fact]
    public void Timings_are_put_on_the_baseline_scale_by_their_own_runs_calibration()
    {
        BenchmarkRun baseline = Run("b", Bench("A", "CopyBaseline", "", Around(10)), Bench("A", "Encap", "", Around(40)));
        // The whole machine is 3× slower and the code 25 % slower: 40 → 150 ns raw, 50 ns on the baseline's scale.
        BenchmarkRun current = Run("c", Bench("A", "CopyBaseline", "", Around(30)), Bench("A", "Encap", "", Around(150)));
        ComparisonReport report = BenchmarkComparer.Compare([baseline], [current], Defaults);
        BenchmarkComparison encap = report.Benchmarks.Single(b => b.Benchmark.Method == "Encap");
        Assert.Equal(TimeVerdict.Slower, encap.Time);
        Assert.Equal(50, encap.Timing!.CurrentMedian, 1e-9);
        Assert.Equal(1.25, encap.Timing.Ratio!.Value, 1e-9);
        Assert.Equal(1.25, report.GeometricMean!.Value, 1e-9);
        BenchmarkComparison copy = report.Benchmarks.Single(b => b.Benchmark.IsCalibration);
        Assert.Equal((TimeVerdict.Calibration, 3.0), (copy.Time, Math.Round(copy.Timing!.Ratio!.Value, 9)));
        Assert.Equal(ComparisonReport.ExitRegression, report.ExitCode);
    }

    [Fact]
    public void Gross_outliers_beyond_three_interquartile_ranges_are_dropped()
    {
        // One descheduled iteration, 20× slower, among fifteen.
        double[] current = [.. Around(40, 14), 800];
        BenchmarkRun baseline = Run("b", Bench("A", "CopyBaseline", "", Around(10)), Bench("A", "Encap", "", Around(40)));
        BenchmarkRun now = Run("c", Bench("A", "CopyBaseline", "", Around(10)), Bench("A", "Encap", "", current));
        BenchmarkComparison encap = BenchmarkComparer.Compare([baseline], [now], Defaults).Benchmarks.Single(b => b.Benchmark.Method == "Encap");
        Assert.Equal((TimeVerdict.Same, 1, 14), (encap.Time, encap.Timing!.OutliersDropped, encap.Timing.CurrentCount));
    }

    [Theory]
    [InlineData(1.05, TimeVerdict.Same)]     // inside the 10 % threshold, however significant
    [InlineData(1.15, TimeVerdict.Slower)]
    [InlineData(0.85, TimeVerdict.Faster)]
    [InlineData(0.95, TimeVerdict.Same)]
    public void The_test_needs_a_change_beyond_the_threshold(double factor, TimeVerdict expected)
    {
        BenchmarkRun baseline = Run("b", Bench("A", "CopyBaseline", "", Around(10)), Bench("A", "Encap", "", Around(40)));
        BenchmarkRun current = Run("c", Bench("A", "CopyBaseline", "", Around(10)), Bench("A", "Encap", "", Around(40 * factor)));
        Assert.Equal(expected, BenchmarkComparer.Compare([baseline], [current], Defaults).Benchmarks.Single(b => b.Benchmark.Method == "Encap").Time);
    }

    [Fact]
    public void A_change_below_the_noise_floor_is_the_same_whatever_its_ratio()
    {
        // 1.0 → 1.4 ns is +40 %, but only 0.4 ns: below the 0.5 ns floor.
        BenchmarkRun baseline = Run("b", Bench("A", "CopyBaseline", "", Around(10)), Bench("A", "Encap", "", Around(1.0)));
        BenchmarkRun current = Run("c", Bench("A", "CopyBaseline", "", Around(10)), Bench("A", "Encap", "", Around(1.4)));
        BenchmarkComparison encap = BenchmarkComparer.Compare([baseline], [current], Defaults).Benchmarks.Single(b => b.Benchmark.Method == "Encap");
        Assert.Equal((TimeVerdict.Same, 0.5), (encap.Time, encap.Timing!.Shift));
    }

    [Fact]
    public void Allocation_compares_the_smallest_baseline_with_the_largest_current()
    {
        BenchmarkRun b1 = Run("b1", Bench("A", "CopyBaseline", "", Around(10)), Bench("A", "Encap", "", Around(40), bytes: 0));
        BenchmarkRun b2 = Run("b2", Bench("A", "CopyBaseline", "", Around(10)), Bench("A", "Encap", "", Around(40), bytes: 32));
        BenchmarkRun c1 = Run("c1", Bench("A", "CopyBaseline", "", Around(10)), Bench("A", "Encap", "", Around(40), bytes: 0));
        BenchmarkRun c2 = Run("c2", Bench("A", "CopyBaseline", "", Around(10)), Bench("A", "Encap", "", Around(40), bytes: 1));
        BenchmarkComparison encap = BenchmarkComparer.Compare([b1, b2], [c1, c2], Defaults).Benchmarks.Single(b => b.Benchmark.Method == "Encap");
        Assert.Equal((0L, 1L, AllocationVerdict.Increased), (encap.BaselineBytes!.Value, encap.CurrentBytes!.Value, encap.Allocation));
        BenchmarkRun noDiagnoser = Run("c", Bench("A", "CopyBaseline", "", Around(10), null), Bench("A", "Encap", "", Around(40), bytes: null));
        Assert.Equal(AllocationVerdict.Unknown, BenchmarkComparer.Compare([b1], [noDiagnoser], Defaults).Benchmarks.Single(b => b.Benchmark.Method == "Encap").Allocation);
    }

    [Fact]
    public void The_same_benchmark_twice_in_one_run_is_unusable_input()
    {
        string dir = Fixture.TempDirectory();
        try
        {
            string source = Path.Combine(Fixture.Path_("noise"), "results", "Overlay.Benchmarks.DecapsulateBenchmarks-report-full.json");
            File.Copy(source, Path.Combine(dir, "A-report-full.json"));
            File.Copy(source, Path.Combine(dir, "B-report-full.json"));
            Assert.Contains("appears twice in one run", Assert.Throws<ComparisonInputException>(() => ReportReader.ReadRuns(dir)).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A benchmark measured in several launches (processes): each launch's iterations spread ±2 % around its own level.</summary>
    private static BenchmarkResult Launched(string type, string method, params double[] launchLevels) => LaunchedCase(type, method, "", launchLevels);

    private static BenchmarkResult LaunchedCase(string type, string method, string parameters, params double[] launchLevels)
    {
        double[][] launches = launchLevels.Select(level => Around(level, 5)).ToArray();
        return Bench(type, method, parameters, launches.SelectMany(l => l)) with { LaunchMedians = launchLevels };
    }

    /// <summary>A baseline history of three runs of three launches, one launch of the nine in a slow process (2×).</summary>
    private static BenchmarkRun[] LaunchedBaseline() =>
    [
        Run("b1", Launched("A", "CopyBaseline", 10, 10, 10), Launched("A", "Encap", 40, 40.5, 39.5)),
        Run("b2", Launched("A", "CopyBaseline", 10, 10, 10), Launched("A", "Encap", 40, 80, 40.2)),
        Run("b3", Launched("A", "CopyBaseline", 10, 10, 10), Launched("A", "Encap", 39.8, 40.1, 40.3)),
    ];

    [Fact]
    public void Slow_launches_neither_hide_a_regression_nor_make_one()
    {
        // Launch medians of one unchanged benchmark on the 2-core VM (ns): a third of the processes ran about 2× slow.
        BenchmarkRun[] history =
        [
            Run("b1", Launched("A", "CopyBaseline", 10, 10, 10), Launched("A", "Encap", 22.2, 24.1, 23.7)),
            Run("b2", Launched("A", "CopyBaseline", 10, 10, 10), Launched("A", "Encap", 39.9, 24.4, 45.5)),
            Run("b3", Launched("A", "CopyBaseline", 10, 10, 10), Launched("A", "Encap", 50.1, 29.8, 31.2)),
        ];
        // Unchanged code, two of three current processes slow: the fastest is as fast as the history.
        BenchmarkRun noisy = Run("c", Launched("A", "CopyBaseline", 10, 10, 10), Launched("A", "Encap", 48.3, 24.9, 49.2));
        BenchmarkComparison same = BenchmarkComparer.Compare(history, [noisy], Defaults).Benchmarks.Single(b => b.Benchmark.Method == "Encap");
        Assert.Equal((TimeVerdict.Same, true, 24.1, 24.9), (same.Time, same.Timing!.ByLaunch, Math.Round(same.Timing.BaselineMedian, 1), same.Timing.CurrentMedian));

        // Code twice as slow: every current process is slow, and the slow processes of the history do not hide it
        // (a Mann–Whitney test against the history's launches would, with a third of them as slow as the regression).
        BenchmarkRun twice = Run("c", Launched("A", "CopyBaseline", 10, 10, 10), Launched("A", "Encap", 48.0, 52.7, 49.2));
        BenchmarkComparison slower = BenchmarkComparer.Compare(history, [twice], Defaults).Benchmarks.Single(b => b.Benchmark.Method == "Encap");
        Assert.Equal(TimeVerdict.Slower, slower.Time);
        Assert.Equal(2.0, slower.Timing!.Ratio!.Value, 0.05);
    }

    [Fact]
    public void Each_launch_is_divided_by_its_runs_machine_speed()
    {
        // The current machine is uniformly 1.5× slower (every calibration 15 ns instead of 10), the code unchanged.
        BenchmarkRun current = Run("c", Launched("A", "CopyBaseline", 15, 15, 15), Launched("A", "Encap", 60, 60.3, 59.9));
        BenchmarkComparison encap = BenchmarkComparer.Compare(LaunchedBaseline(), [current], Defaults).Benchmarks.Single(b => b.Benchmark.Method == "Encap");
        Assert.Equal((TimeVerdict.Same, CalibrationSource.MachineSpeed), (encap.Time, encap.Calibration));
        Assert.Equal(59.9 / 1.5, encap.Timing!.CurrentMedian, 1e-9);
    }

    [Fact]
    public void One_slow_process_of_three_is_noise()
    {
        BenchmarkRun current = Run("c", Launched("A", "CopyBaseline", 10, 10, 10), Launched("A", "Encap", 40.1, 64, 39.9));
        BenchmarkComparison encap = BenchmarkComparer.Compare(LaunchedBaseline(), [current], Defaults).Benchmarks.Single(b => b.Benchmark.Method == "Encap");
        Assert.Equal((TimeVerdict.Same, true), (encap.Time, encap.Timing!.ByLaunch));
    }

    [Theory]
    [InlineData(2.0, TimeVerdict.Slower)]
    [InlineData(1.25, TimeVerdict.Slower)]
    [InlineData(1.05, TimeVerdict.Same)]
    [InlineData(0.5, TimeVerdict.Faster)]
    public void A_change_in_every_launch_is_found_by_launch(double factor, TimeVerdict expected)
    {
        BenchmarkRun current = Run("c", Launched("A", "CopyBaseline", 10, 10, 10), Launched("A", "Encap", 40 * factor, 40.4 * factor, 39.7 * factor));
        BenchmarkComparison encap = BenchmarkComparer.Compare(LaunchedBaseline(), [current], Defaults).Benchmarks.Single(b => b.Benchmark.Method == "Encap");
        Assert.Equal(expected, encap.Time);
        Assert.True(encap.Timing!.ByLaunch);
    }

    /// <summary>
    /// Six runs of one launch of unchanged code whose processes run in a fast (20 ns) or a slow (30 ns) state, as on the
    /// 2-core VM. Split into halves of three in all 20 ways, the launch rule sees: the three fast against the three slow,
    /// +50 % (1 split); the reverse, −33 % (1); two fast and one slow as the baseline (lower quartile 20) against one fast,
    /// 0 % (9); one fast and two slow (lower quartile 25) against two fast, −20 % (9).
    /// </summary>
    private static BenchmarkRun[] BimodalHistory() =>
        new[] { 20.0, 30, 20, 30, 20, 30 }.Select((level, i) => Run($"h{i}", Launched("A", "CopyBaseline", 10), Launched("A", "Encap", level))).ToArray();

    [Theory]
    [InlineData(1.0, 0.5)]
    [InlineData(0.95, 0.025)] // between the 19th (0 %) and the 20th (+50 %) of the 20 sorted changes
    [InlineData(0.5, 0.0)]
    public void The_history_noise_is_a_quantile_of_the_changes_between_its_halves(double quantile, double expected)
    {
        HistoryNoise noise = BenchmarkComparer.MeasureHistoryNoise(BimodalHistory(), Defaults with { NoiseQuantile = quantile });
        Assert.Equal((20, 20, 6), (noise.Comparisons, noise.Changes, noise.Runs));
        Assert.Equal(expected, noise.Change, 1e-9);
    }

    [Fact]
    public void A_quiet_history_leaves_the_threshold_as_asked()
    {
        BenchmarkRun[] quiet = Enumerable.Range(0, 6).Select(i => Run($"q{i}", Launched("A", "CopyBaseline", 10), Launched("A", "Encap", 40 + 0.1 * i))).ToArray();
        BenchmarkRun current = Run("c", Launched("A", "CopyBaseline", 10, 10, 10), Launched("A", "Encap", 46, 46.5, 47));
        ComparisonReport report = BenchmarkComparer.Compare(quiet, [current], Defaults with { NoiseHistory = quiet });
        Assert.Equal(0.10, report.Options.Threshold);
        Assert.Equal(TimeVerdict.Slower, report.Benchmarks.Single(b => b.Benchmark.Method == "Encap").Time);
    }

    [Theory]
    [InlineData(1.5, TimeVerdict.Same)]   // +50 %: what unchanged code showed between the halves of the history
    [InlineData(2.0, TimeVerdict.Slower)] // the regression gate's deliberate 2× slowdown
    public void A_noisy_history_raises_the_threshold_to_its_own_noise(double factor, TimeVerdict expected)
    {
        BenchmarkRun[] history = BimodalHistory();
        BenchmarkRun current = Run("c", Launched("A", "CopyBaseline", 10, 10, 10), Launched("A", "Encap", 20 * factor, 20.2 * factor, 20.4 * factor));
        ComparisonReport report = BenchmarkComparer.Compare(history, [current], Defaults with { NoiseHistory = history, NoiseQuantile = 1 });
        Assert.Equal((0.5, 0.10), (report.Options.Threshold, report.Noise!.RequestedThreshold));
        Assert.Equal(expected, report.Benchmarks.Single(b => b.Benchmark.Method == "Encap").Time);
        Assert.Equal(TimeVerdict.Slower, BenchmarkComparer.Compare(history, [current], Defaults).Benchmarks.Single(b => b.Benchmark.Method == "Encap").Time);
        Assert.Contains("Threshold raised from 10 % to 50 %", ComparisonMarkdown.Render(report));
    }

    /// <summary>
    /// Four cases of one method in six runs of one launch, each case's processes fast (20 ns) or slow (30 ns) in a
    /// pattern of its own (slow in runs 0-2, 3-5, the even runs, the odd runs), as independent processes are.
    /// </summary>
    private static BenchmarkRun[] FourCaseHistory()
    {
        int[][] slowIn = [[0, 1, 2], [3, 4, 5], [0, 2, 4], [1, 3, 5]];
        return Enumerable.Range(0, 6).Select(run => Run($"h{run}",
            [Launched("A", "CopyBaseline", 10), .. Enumerable.Range(0, 4).Select(k => LaunchedCase("A", "Encap", $"Size={k}", slowIn[k].Contains(run) ? 30 : 20))]))
            .ToArray();
    }

    [Theory]
    [InlineData(1.05, TimeVerdict.Same, TimeVerdict.Same)]
    [InlineData(1.3, TimeVerdict.Same, TimeVerdict.Slower)]   // below one case's noise, above the method's
    [InlineData(2.0, TimeVerdict.Slower, TimeVerdict.Slower)]
    public void A_method_slower_as_a_whole_is_found_below_one_cases_noise(double factor, TimeVerdict eachCase, TimeVerdict method)
    {
        BenchmarkRun[] history = FourCaseHistory();
        BenchmarkRun current = Run("c",
            [Launched("A", "CopyBaseline", 10, 10, 10), .. Enumerable.Range(0, 4).Select(k => LaunchedCase("A", "Encap", $"Size={k}", 20 * factor, 20.2 * factor, 20.4 * factor))]);
        ComparisonReport report = BenchmarkComparer.Compare(history, [current], Defaults with { NoiseHistory = history, NoiseQuantile = 1 });

        // Hand-checked over the 20 splits: one case's changes reach +50 % (its three slow runs against its three fast
        // ones), while the geometric mean of the four never exceeds −5.4 % (the patterns cancel), so the method keeps 10 %.
        Assert.Equal(0.5, report.Noise!.Change, 1e-9);
        Assert.Equal((0.0, 20, 0.10), (report.Noise.GroupChange!.Value, report.Noise.GroupChanges, report.Noise.GroupThreshold));
        Assert.All(report.Benchmarks.Where(b => b.Benchmark.Method == "Encap"), b => Assert.Equal(eachCase, b.Time));
        GroupComparison group = Assert.Single(report.Groups);
        Assert.Equal(("Ns.A.Encap", 4, method), (group.Name, group.Cases, group.Verdict));
        // Every case: fastest current launch 20 × factor against the lower quartile of its six launches, 20.
        Assert.Equal(factor, group.GeometricMean, 1e-9);
        Assert.Equal(method == TimeVerdict.Slower ? 4 : 0, report.Regressions.Count());
        Assert.Equal(method == TimeVerdict.Slower ? ComparisonReport.ExitRegression : ComparisonReport.ExitNoRegression, report.ExitCode);
        Assert.Contains("| `Ns.A.Encap` | 4 |", ComparisonMarkdown.Render(report));
    }

    [Fact]
    public void A_noise_history_of_fewer_than_four_runs_is_unusable()
    {
        var e = Assert.Throws<ComparisonInputException>(() => BenchmarkComparer.MeasureHistoryNoise(BimodalHistory()[..3], Defaults));
        Assert.Contains("at least 4", e.Message);
    }

    [Fact]
    public void Too_few_launches_on_a_side_fall_back_to_iterations()
    {
        BenchmarkRun current = Run("c", Launched("A", "CopyBaseline", 10), Launched("A", "Encap", 80));
        BenchmarkComparison encap = BenchmarkComparer.Compare(LaunchedBaseline(), [current], Defaults).Benchmarks.Single(b => b.Benchmark.Method == "Encap");
        Assert.False(encap.Timing!.ByLaunch);
        Assert.Equal(TimeVerdict.Slower, encap.Time);
    }

    [Fact]
    public void A_rerun_is_narrowed_to_the_suspects_parameter_values()
    {
        BenchmarkRun baseline = Run("b", Bench("A", "CopyBaseline", "Variant=x&Size=64", Around(10)), Bench("A", "Copy", "Variant=x&Size=64", Around(40)),
            Bench("A", "Copy", "Variant=y&Size=1500", Around(40)), Bench("A", "Copy", "Variant=z&Size=64", Around(40)));
        BenchmarkRun current = Run("c", Bench("A", "CopyBaseline", "Variant=x&Size=64", Around(10)), Bench("A", "Copy", "Variant=x&Size=64", Around(80)),
            Bench("A", "Copy", "Variant=y&Size=1500", Around(80)), Bench("A", "Copy", "Variant=z&Size=64", Around(40)));
        ComparisonReport report = BenchmarkComparer.Compare([baseline], [current], Defaults);
        Assert.Equal(["Size=1500,64", "Variant=x,y"], report.RerunParameters());
    }

    [Fact]
    public void Only_the_benchmarks_asked_for_are_judged()
    {
        BenchmarkRun baseline = Run("b", Bench("A", "CopyBaseline", "", Around(10)), Bench("A", "Encap", "", Around(40)), Bench("A", "Decap", "", Around(40)));
        BenchmarkRun current = Run("c", Bench("A", "CopyBaseline", "", Around(10)), Bench("A", "Encap", "", Around(80)), Bench("A", "Decap", "", Around(80)));
        var options = new ComparisonOptions { Judge = new HashSet<string> { "Ns.A.Decap" } };
        ComparisonReport report = BenchmarkComparer.Compare([baseline], [current], options);
        Assert.Equal(TimeVerdict.NotCompared, report.Benchmarks.Single(b => b.Benchmark.Method == "Encap").Time);
        Assert.Equal("Ns.A.Decap", Assert.Single(report.Regressions).FullName);
        Assert.Contains("Only the 1 benchmark(s) asked for are judged", ComparisonMarkdown.Render(report));
    }

    [Fact]
    public void Each_launch_of_a_report_gives_the_median_of_its_own_iterations()
    {
        static string M(int launch, long ns) =>
            "{\"IterationMode\":\"Workload\",\"IterationStage\":\"Result\",\"LaunchIndex\":" + launch + ",\"IterationIndex\":1,\"Operations\":10,\"Nanoseconds\":" + ns + "}";
        string json = $$$"""
            {"Title":"t","Benchmarks":[{"FullName":"N.T.M","Namespace":"N","Type":"T","Method":"M","Parameters":"",
             "Measurements":[{{{M(1, 100)}}},{{{M(1, 120)}}},{{{M(1, 110)}}},{{{M(2, 300)}}},{{{M(2, 310)}}},{{{M(3, 90)}}}],
             "Memory":{"BytesAllocatedPerOperation":0}}]}
            """;
        BenchmarkResult result = Assert.Single(ReportReader.Parse(json));
        Assert.Equal([10, 12, 11, 30, 31, 9], result.Samples);
        Assert.Equal([11, 30.5, 9], result.LaunchMedians!);
        Assert.Equal(3, result.LaunchCount);
    }

    [Fact]
    public void Bare_NaN_and_Infinity_from_BenchmarkDotNet_are_read_as_no_value()
    {
        const string json = """
            {"Title":"t","Benchmarks":[{"FullName":"N.T.M","Namespace":"N","Type":"T","Method":"M","Parameters":"",
             "Statistics":{"OriginalValues":[1.5,2.5],"Skewness":NaN,"Kurtosis":-Infinity,"Note":"NaN stays text"},
             "Memory":{"BytesAllocatedPerOperation":0}}]}
            """;
        BenchmarkResult result = Assert.Single(ReportReader.Parse(json));
        Assert.Equal([1.5, 2.5], result.Samples);
        Assert.Equal(0, result.BytesAllocatedPerOperation);
        Assert.Contains("\"NaN stays text\"", Overlay.Results.Benchmarks.BenchmarkReport.ReplaceNonFiniteNumbers(json));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"Benchmarks\":[{\"Type\":\"T\",\"Method\":\"M\"}]}")]
    public void A_document_that_is_not_a_report_is_refused(string json)
    {
        string dir = Fixture.TempDirectory();
        try
        {
            File.WriteAllText(Path.Combine(dir, "X-report-full.json"), json);
            Assert.Throws<ComparisonInputException>(() => ReportReader.ReadRuns(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("10%", 0.10)]
    [InlineData("2.5 %", 0.025)]
    [InlineData("0.1", 0.1)]
    public void Thresholds_parse(string text, double expected) => Assert.Equal(expected, ComparisonOptions.ParseThreshold(text), 1e-12);

    [Theory]
    [InlineData("")]
    [InlineData("ten")]
    [InlineData("0%")]
    [InlineData("-5%")]
    public void Bad_thresholds_are_refused(string text) => Assert.Throws<ArgumentException>(() => ComparisonOptions.ParseThreshold(text));

    [Theory]
    [InlineData("0.5ns", 0.5)]
    [InlineData("500ps", 0.5)]
    [InlineData("1us", 1000)]
    [InlineData("1µs", 1000)]
    [InlineData("2ms", 2e6)]
    [InlineData("3", 3)]
    [InlineData("0", 0)]
    public void Noise_floors_parse(string text, double expected) => Assert.Equal(expected, ComparisonOptions.ParseNanoseconds(text), 1e-9);

    [Theory]
    [InlineData("fast")]
    [InlineData("-1ns")]
    [InlineData("1 parsec")]
    public void Bad_noise_floors_are_refused(string text) => Assert.Throws<ArgumentException>(() => ComparisonOptions.ParseNanoseconds(text));

    [Fact]
    public void The_markdown_table_carries_every_benchmark_the_rule_and_the_geometric_mean()
    {
        ComparisonReport report = BenchmarkComparer.Compare(Fixture.Baseline, Fixture.Path_("regression"), Defaults);
        string markdown = ComparisonMarkdown.Render(report);
        Assert.Contains("**Result: REGRESSION.** 1 slower, 0 faster, 3 same", markdown);
        Assert.Contains("Geometric mean of the changes: ×", markdown);
        Assert.Contains("| verdict | benchmark | baseline | current | change | p (slower / faster) | allocated (B/op) |", markdown);
        Assert.Contains("| **slower** | `EncapsulateBenchmarks.Copy(Variant: \"vxlan-ipv4\")` |", markdown);
        Assert.Contains("one-sided Mann–Whitney test gives p < 0.01 for a shift of max(10 %, 0.500 ns)", markdown);
        Assert.Equal(7, markdown.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| verdict", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal)));
        string json = ComparisonJson.Serialize(report);
        Assert.Contains("\"exitCode\": 1", json);
        Assert.Contains("\"time\": \"slower\"", json);
    }

    [Theory]
    [InlineData(3, 3, 0.05)]
    [InlineData(5, 5, 1.0 / 252)]
    [InlineData(30, 3, 1.0 / 5456)]
    public void The_smallest_reachable_p_value(int n, int m, double expected) =>
        Assert.Equal(expected, Overlay.Reporting.Comparison.Statistics.SmallestMannWhitneyP(n, m), 1e-12);
}

public sealed class BenchmarkReportReaderTests
{
    [Fact]
    public void Statistics_a_short_run_cannot_compute_are_read_as_no_value_or_infinity_not_refused()
    {
        const string json = """
            {"Title":"t","Benchmarks":[{"FullName":"N.T.M","Namespace":"N","Type":"T","Method":"M","Parameters":"",
             "Statistics":{"Mean":NaN,"Median":"∞","StandardError":"-∞","ConfidenceInterval":{"Margin":1.7976931348623157E+309,"Lower":"n/a"},"OriginalValues":[2.5,NaN]},
             "Memory":{"BytesAllocatedPerOperation":24.0}}]}
            """;
        Overlay.Results.Benchmarks.BenchmarkCase c = Assert.Single(Overlay.Results.Benchmarks.BenchmarkReport.Parse(json, "x").Benchmarks);
        Assert.Null(c.Statistics!.Mean);
        Assert.Null(c.Nanoseconds);
        Assert.Equal(double.PositiveInfinity, c.Statistics.Median);
        Assert.Equal(double.NegativeInfinity, c.Statistics.StandardError);
        Assert.Equal(double.PositiveInfinity, c.Statistics.ConfidenceInterval!.Margin);
        Assert.True(double.IsNaN(c.Statistics.ConfidenceInterval.Lower!.Value));
        Assert.Equal(24, c.AllocatedBytes);
        Assert.Equal([2.5], Assert.Single(ReportReader.Parse(json)).Samples);
    }
}
