using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;

namespace Overlay.Reporting.Comparison;

/// <summary>
/// Compares current BenchmarkDotNet runs with baseline runs, benchmark by benchmark (matched by full name).
/// </summary>
/// <remarks>
/// The rule, for each benchmark found on both sides (see README.md beside this file):
/// <list type="number">
/// <item>Normalise: every sample (ns/op of one actual iteration) is divided by the calibration of its own run
/// (<see cref="Calibration"/>) and multiplied by the median of that calibration over the baseline runs, so both
/// sides are in nanoseconds on the baseline machine's scale.</item>
/// <item>Pool the samples of every run on each side (the baseline is a history of runs, not one) and drop the
/// outliers beyond 3×IQR outside the quartiles (FD.io CSIT). A sample is one launch's median when both sides hold at
/// least <see cref="ComparisonOptions.MinimumLaunches"/> launches of the benchmark, else one iteration: on a shared
/// machine a whole process runs fast or slow, so only launches are independent.</item>
/// <item>Shift = max(threshold × baseline median, noise floor). Slower when a one-sided Mann–Whitney test says the
/// current samples lie above the baseline samples + shift (p &lt; α); faster when the baseline samples lie above
/// the current samples + shift (p &lt; α); otherwise the same. Both medians must also differ by more than the shift.</item>
/// <item>Allocations are exact: current bytes/op (the largest over the current runs) above the baseline's (the
/// smallest over the baseline runs) is a regression, whatever the timings say.</item>
/// </list>
/// Calibration benchmarks are listed with their raw change (the machine's speed) and never judged on time.
/// </remarks>
public static class BenchmarkComparer
{
    /// <summary>Reads both folders and compares them.</summary>
    /// <exception cref="ComparisonInputException">A folder cannot be read, or a run has no calibration.</exception>
    public static ComparisonReport Compare(string baselineDirectory, string currentDirectory, ComparisonOptions options) =>
        Compare(ReportReader.ReadRuns(baselineDirectory), ReportReader.ReadRuns(currentDirectory), options);

    /// <exception cref="ComparisonInputException">A side has no run, or a run has no calibration.</exception>
    public static ComparisonReport Compare(IReadOnlyList<BenchmarkRun> baseline, IReadOnlyList<BenchmarkRun> current, ComparisonOptions options)
    {
        if (baseline.Count == 0 || current.Count == 0)
        {
            throw new ComparisonInputException(baseline.Count == 0 ? "no baseline run" : "no current run");
        }
        HistoryNoise? noise = null;
        if (options.NoiseHistory is { } history && !options.AllocationsOnly)
        {
            noise = MeasureHistoryNoise(history, options);
            options = options with { Threshold = Math.Max(options.Threshold, noise.Change) };
        }
        Calibration[] baselineCalibrations = baseline.Select(r => new Calibration(r)).ToArray();
        Calibration[] currentCalibrations = current.Select(r => new Calibration(r)).ToArray();

        var baselineNames = new SortedSet<string>(baseline.SelectMany(r => r.Benchmarks.Keys), StringComparer.Ordinal);
        var currentNames = new SortedSet<string>(current.SelectMany(r => r.Benchmarks.Keys), StringComparer.Ordinal);

        if (!options.AllocationsOnly)
        {
            // Only runs whose benchmarks are compared on time need a calibration.
            foreach (Calibration c in baselineCalibrations.Concat(currentCalibrations))
            {
                bool compared = c.Run.Benchmarks.Values.Any(b => !b.IsCalibration && baselineNames.Contains(b.FullName) && currentNames.Contains(b.FullName));
                if (compared && !c.HasAny)
                {
                    throw new ComparisonInputException(
                        $"run '{c.Run.Name}' has no {BenchmarkResult.CalibrationMethod} calibration with measurements: timings cannot be compared across runs without one");
                }
            }
        }

        Func<Calibration, double> speed = MachineSpeed(baselineCalibrations, baselineCalibrations.Concat(currentCalibrations));
        var rows = new List<BenchmarkComparison>();
        foreach (string name in baselineNames.Intersect(currentNames))
        {
            var b = baselineCalibrations.Where(c => c.Run.Benchmarks.ContainsKey(name)).ToArray();
            var c = currentCalibrations.Where(c => c.Run.Benchmarks.ContainsKey(name)).ToArray();
            rows.Add(CompareOne(name, b, c, options, speed));
        }
        rows.Sort(RowOrder);

        BenchmarkResult[] missing = baselineNames.Except(currentNames).Select(n => First(baseline, n)).ToArray();
        BenchmarkResult[] added = currentNames.Except(baselineNames).Select(n => First(current, n)).ToArray();
        return new ComparisonReport(options, baseline.Select(r => r.Name).ToArray(), current.Select(r => r.Name).ToArray(), rows, missing, added, noise,
            Groups(rows, options, noise?.GroupThreshold ?? options.Threshold));
    }

    /// <summary>
    /// Every method with at least <see cref="ComparisonOptions.MinimumGroupSize"/> cases judged by launch, judged as a whole:
    /// slower when the geometric mean of its cases' changes exceeds <paramref name="threshold"/>, faster when it lies below
    /// by as much.
    /// </summary>
    private static GroupComparison[] Groups(IEnumerable<BenchmarkComparison> rows, ComparisonOptions options, double threshold) => rows
        .Where(b => b.Timing is { ByLaunch: true } && b.Time is TimeVerdict.Same or TimeVerdict.Slower or TimeVerdict.Faster && b.Timing.Ratio is not null)
        .GroupBy(b => ComparisonReport.GroupOf(b.Benchmark), StringComparer.Ordinal)
        .Where(g => g.Count() >= options.MinimumGroupSize)
        .Select(g =>
        {
            double mean = Math.Exp(g.Average(b => Math.Log(b.Timing!.Ratio!.Value)));
            TimeVerdict verdict = mean - 1 > threshold ? TimeVerdict.Slower : 1 - mean > threshold ? TimeVerdict.Faster : TimeVerdict.Same;
            return new GroupComparison(g.Key, g.Count(), mean, threshold, verdict);
        })
        .OrderBy(g => g.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>
    /// An A/A test of <paramref name="history"/>, runs of one unchanged commit: every split of its runs into a first half
    /// (⌊n/2⌋ runs) and the rest is compared with this comparer's own rule, and the relative changes of every benchmark
    /// judged by launch are pooled. What unchanged code "changes" by on this machine is the smallest change the gate can
    /// tell from noise: on a shared VM whole processes run in a fast or a slow state, so the A/A noise can be far above
    /// the fixed threshold (bench/README.md, "Reading the ratios", has what it was where results/baseline was recorded).
    /// </summary>
    /// <exception cref="ComparisonInputException">Fewer than 4 runs, or no benchmark judged by launch in them.</exception>
    public static HistoryNoise MeasureHistoryNoise(IReadOnlyList<BenchmarkRun> history, ComparisonOptions options)
    {
        if (history.Count < 4)
        {
            throw new ComparisonInputException($"the noise history holds {history.Count} runs: an A/A estimate needs at least 4 (two halves of two)");
        }
        var aa = options with { Threshold = 1e-9, NoiseNanoseconds = 0, NoiseHistory = null, Judge = null };
        var changes = new List<double>();
        var groupChanges = new List<double>();
        int comparisons = 0;
        foreach (int[] half in Halves(history.Count))
        {
            BenchmarkRun[] first = half.Select(i => history[i]).ToArray();
            BenchmarkRun[] rest = Enumerable.Range(0, history.Count).Except(half).Select(i => history[i]).ToArray();
            ComparisonReport report = Compare(first, rest, aa);
            comparisons++;
            changes.AddRange(report.Benchmarks
                .Where(b => b.Timing is { ByLaunch: true } && b.Time is TimeVerdict.Same or TimeVerdict.Slower or TimeVerdict.Faster)
                .Select(b => b.Timing!.Ratio)
                .OfType<double>()
                .Select(r => r - 1));
            groupChanges.AddRange(report.Groups.Select(g => g.GeometricMean - 1));
        }
        if (changes.Count == 0)
        {
            throw new ComparisonInputException(
                $"the noise history's runs hold no benchmark with {options.MinimumLaunches} launches in each half: record more runs or launches");
        }
        double[] sorted = changes.Order().ToArray();
        double[] groups = groupChanges.Order().ToArray();
        return new HistoryNoise(Math.Max(0, Statistics.Quantile(sorted, options.NoiseQuantile)), options.NoiseQuantile, history.Count, comparisons,
            sorted.Length, options.Threshold,
            groups.Length == 0 ? null : Math.Max(0, Statistics.Quantile(groups, options.NoiseQuantile)), groups.Length);
    }

    /// <summary>Every subset of ⌊n/2⌋ of the indices 0..n-1 (with n = 6, 20 subsets: each split in both directions).</summary>
    private static IEnumerable<int[]> Halves(int n)
    {
        int k = n / 2;
        var chosen = new int[k];
        IEnumerable<int[]> From(int start, int depth)
        {
            if (depth == k)
            {
                yield return (int[])chosen.Clone();
                yield break;
            }
            for (int i = start; i <= n - (k - depth); i++)
            {
                chosen[depth] = i;
                foreach (int[] subset in From(i + 1, depth + 1))
                {
                    yield return subset;
                }
            }
        }
        return From(0, 0);
    }

    private static BenchmarkResult First(IReadOnlyList<BenchmarkRun> runs, string name) =>
        runs.First(r => r.Benchmarks.ContainsKey(name)).Benchmarks[name];

    /// <summary>
    /// How slow the machine ran in each run against the baseline history: the median, over every calibration that both
    /// know, of the run's calibration median over the baseline runs' median of it. Dozens of calibrations measured over
    /// the whole run, so one that landed in a slow minute moves it little; 1 for a run that shares none.
    /// </summary>
    private static Func<Calibration, double> MachineSpeed(Calibration[] baseline, IEnumerable<Calibration> runs)
    {
        Dictionary<string, double> reference = baseline.SelectMany(c => c.Medians)
            .GroupBy(m => m.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Statistics.Median(g.Select(m => m.Value).ToArray()), StringComparer.Ordinal);
        var speeds = new Dictionary<Calibration, double>();
        foreach (Calibration run in runs)
        {
            double[] ratios = run.Medians.Where(m => reference.ContainsKey(m.Key)).Select(m => m.Value / reference[m.Key]).ToArray();
            speeds[run] = ratios.Length == 0 ? 1 : Statistics.Median(ratios);
        }
        return run => speeds[run];
    }

    /// <summary>
    /// The launch rule. Interference on a shared machine only ever adds time, so the fastest of several independent
    /// launches estimates what the code costs, and the baseline's lower quartile what it cost (robust to up to three
    /// quarters of its launches landing slow): slower when even the fastest current launch exceeds the baseline's
    /// lower quartile by more than the shift, faster when even the slowest current launch lies below it by more than
    /// the shift (Chen and Revels, "Robust benchmarking in noisy environments", 2016: the minimum is the estimator that
    /// holds under such noise). Each launch is divided by its run's machine speed.
    /// </summary>
    private static BenchmarkComparison CompareLaunches(string name, BenchmarkResult identity, Calibration[] baseline, Calibration[] current,
        ComparisonOptions options, Func<Calibration, double> speed, long? baseBytes, long? currBytes, AllocationVerdict allocation)
    {
        double[] b = baseline.SelectMany(run => run.Run.Benchmarks[name].LaunchMedians!.Select(v => v / speed(run))).Order().ToArray();
        double[] c = current.SelectMany(run => run.Run.Benchmarks[name].LaunchMedians!.Select(v => v / speed(run))).Order().ToArray();
        double reference = Statistics.Quantile(b, 0.25);
        double fastest = c[0], slowest = c[^1];
        double shift = Math.Max(options.Threshold * Math.Abs(reference), options.NoiseNanoseconds);
        TimeVerdict verdict = fastest > reference + shift ? TimeVerdict.Slower
            : slowest < reference - shift ? TimeVerdict.Faster
            : TimeVerdict.Same;
        var timing = new TimingStatistics(reference, fastest, b.Length, c.Length, 0, shift, double.NaN, double.NaN, ByLaunch: true);
        return new BenchmarkComparison(identity, verdict, timing, CalibrationSource.MachineSpeed, baseBytes, currBytes, allocation);
    }

    private static BenchmarkComparison CompareOne(string name, Calibration[] baseline, Calibration[] current, ComparisonOptions options,
        Func<Calibration, double> speed)
    {
        BenchmarkResult identity = current[^1].Run.Benchmarks[name];

        // Allocations: exact.
        long[] baselineBytes = baseline.Select(c => c.Run.Benchmarks[name].BytesAllocatedPerOperation).OfType<long>().ToArray();
        long[] currentBytes = current.Select(c => c.Run.Benchmarks[name].BytesAllocatedPerOperation).OfType<long>().ToArray();
        long? baseBytes = baselineBytes.Length > 0 ? baselineBytes.Min() : null;
        long? currBytes = currentBytes.Length > 0 ? currentBytes.Max() : null;
        AllocationVerdict allocation = baseBytes is null || currBytes is null ? AllocationVerdict.Unknown
            : currBytes > baseBytes ? AllocationVerdict.Increased
            : currBytes < baseBytes ? AllocationVerdict.Decreased
            : AllocationVerdict.Same;

        if (options.AllocationsOnly)
        {
            // Allocations are all this mode gates: a side without a figure cannot pass it.
            return allocation == AllocationVerdict.Unknown
                ? new BenchmarkComparison(identity, TimeVerdict.NoData, null, null, baseBytes, currBytes, allocation,
                    $"no bytes per operation in {(baseBytes is null ? "the baseline" : "the current run")} (MemoryDiagnoser off, or the benchmark failed)")
                : new BenchmarkComparison(identity, TimeVerdict.NotCompared, null, null, baseBytes, currBytes, allocation);
        }
        if (options.Judge is { } judged && !judged.Contains(name) && !identity.IsCalibration)
        {
            return new BenchmarkComparison(identity, TimeVerdict.NotCompared, null, null, baseBytes, currBytes, allocation);
        }
        bool baselineEmpty = baseline.All(c => c.Run.Benchmarks[name].Samples.Count == 0);
        bool currentEmpty = current.All(c => c.Run.Benchmarks[name].Samples.Count == 0);
        if (baselineEmpty || currentEmpty)
        {
            string side = baselineEmpty && currentEmpty ? "either side" : baselineEmpty ? "the baseline" : "the current run";
            return new BenchmarkComparison(identity, TimeVerdict.NoData, null, null, baseBytes, currBytes, allocation,
                $"no measurement in {side} (did the benchmark fail?)");
        }

        bool byLaunch = Launches(baseline, name) >= options.MinimumLaunches && Launches(current, name) >= options.MinimumLaunches;
        if (byLaunch && !identity.IsCalibration)
        {
            return CompareLaunches(name, identity, baseline, current, options, speed, baseBytes, currBytes, allocation);
        }
        Func<BenchmarkResult, IEnumerable<double>> unit = byLaunch ? b => b.LaunchMedians! : b => b.Samples;
        CalibrationSource? source;
        double[] baselineSamples, currentSamples;
        if (identity.IsCalibration)
        {
            // The ruler itself: raw nanoseconds, so the table shows how much faster or slower the machine was.
            source = null;
            baselineSamples = baseline.SelectMany(c => unit(c.Run.Benchmarks[name])).ToArray();
            currentSamples = current.SelectMany(c => unit(c.Run.Benchmarks[name])).ToArray();
        }
        else
        {
            var baselineScales = baseline.Select(c => c.For(c.Run.Benchmarks[name])!.Value).ToArray();
            var currentScales = current.Select(c => c.For(c.Run.Benchmarks[name])!.Value).ToArray();
            double reference = Statistics.Median(baselineScales.Select(s => s.Nanoseconds).ToArray());
            baselineSamples = Normalised(baseline, baselineScales, name, reference, unit);
            currentSamples = Normalised(current, currentScales, name, reference, unit);
            source = currentScales.Concat(baselineScales).Max(s => s.Source);
        }

        double[] b = Statistics.WithoutOutliers(baselineSamples, options.OutlierFence);
        double[] c = Statistics.WithoutOutliers(currentSamples, options.OutlierFence);
        int dropped = baselineSamples.Length - b.Length + currentSamples.Length - c.Length;
        double baselineMedian = Statistics.Median(b);
        double currentMedian = Statistics.Median(c);
        double shift = Math.Max(options.Threshold * Math.Abs(baselineMedian), options.NoiseNanoseconds);

        if (Statistics.SmallestMannWhitneyP(b.Length, c.Length) >= options.Alpha)
        {
            var few = new TimingStatistics(baselineMedian, currentMedian, b.Length, c.Length, dropped, shift, double.NaN, double.NaN, byLaunch);
            return new BenchmarkComparison(identity, identity.IsCalibration ? TimeVerdict.Calibration : TimeVerdict.TooFewSamples, few, source,
                baseBytes, currBytes, allocation,
                identity.IsCalibration ? null : $"{b.Length} baseline and {c.Length} current {(byLaunch ? "launches" : "samples")} cannot reach α = {options.Alpha}: run more {(byLaunch ? "launches" : "iterations")}");
        }

        var mannWhitney = MannWhitneyTest.Instance;
        double pSlower = mannWhitney.GetPValue(new Sample(c), new Sample(b.Select(v => v + shift).ToArray()), AlternativeHypothesis.Greater, Threshold.Zero);
        double pFaster = mannWhitney.GetPValue(new Sample(b), new Sample(c.Select(v => v + shift).ToArray()), AlternativeHypothesis.Greater, Threshold.Zero);
        var timing = new TimingStatistics(baselineMedian, currentMedian, b.Length, c.Length, dropped, shift, pSlower, pFaster, byLaunch);

        TimeVerdict verdict = identity.IsCalibration ? TimeVerdict.Calibration
            : pSlower < options.Alpha && currentMedian - baselineMedian > shift ? TimeVerdict.Slower
            : pFaster < options.Alpha && baselineMedian - currentMedian > shift ? TimeVerdict.Faster
            : TimeVerdict.Same;
        return new BenchmarkComparison(identity, verdict, timing, source, baseBytes, currBytes, allocation);
    }

    private static double[] Normalised(Calibration[] runs, (double Nanoseconds, CalibrationSource Source)[] scales, string name, double reference,
        Func<BenchmarkResult, IEnumerable<double>> unit)
    {
        var samples = new List<double>();
        for (int i = 0; i < runs.Length; i++)
        {
            double factor = reference / scales[i].Nanoseconds;
            samples.AddRange(unit(runs[i].Run.Benchmarks[name]).Select(v => v * factor));
        }
        return samples.ToArray();
    }

    /// <summary>Launches of <paramref name="name"/> over the runs of one side; 0 when any run does not say which launch its samples came from.</summary>
    private static int Launches(Calibration[] runs, string name) =>
        runs.All(c => c.Run.Benchmarks[name].LaunchMedians is not null) ? runs.Sum(c => c.Run.Benchmarks[name].LaunchCount) : 0;

    private static int RowOrder(BenchmarkComparison x, BenchmarkComparison y)
    {
        int rank = Rank(x).CompareTo(Rank(y));
        return rank != 0 ? rank : StringComparer.Ordinal.Compare(x.FullName, y.FullName);

        static int Rank(BenchmarkComparison row) =>
            row.IsUnusable ? 0
            : row.IsRegression ? 1
            : row.Time == TimeVerdict.Faster || row.Allocation == AllocationVerdict.Decreased ? 2
            : row.Time == TimeVerdict.Calibration ? 4
            : 3;
    }
}
