namespace Overlay.Reporting.Comparison;

/// <summary>What the timing of one benchmark did between the baseline and the current runs.</summary>
public enum TimeVerdict
{
    /// <summary>No change beyond the threshold and the noise floor that the test can tell from noise.</summary>
    Same,
    /// <summary>Significantly slower by more than the threshold and the noise floor: a regression.</summary>
    Slower,
    /// <summary>Significantly faster by more than the threshold and the noise floor.</summary>
    Faster,
    /// <summary>A calibration benchmark: it measures the machine, not the code, so its change is shown and never judged.</summary>
    Calibration,
    /// <summary>Timings were not compared (allocations only).</summary>
    NotCompared,
    /// <summary>One side has no measurement (the benchmark failed): the input is unusable.</summary>
    NoData,
    /// <summary>Too few measurements for the test to reach its significance level: the input is unusable.</summary>
    TooFewSamples,
}

/// <summary>What the bytes allocated per operation did. Exact: any increase is a regression.</summary>
public enum AllocationVerdict
{
    Same,
    Increased,
    Decreased,
    /// <summary>One side ran without MemoryDiagnoser.</summary>
    Unknown,
}

/// <summary>Which calibration a benchmark's timings were divided by (see <see cref="Calibration"/>).</summary>
public enum CalibrationSource
{
    /// <summary>The CopyBaseline of the same class with the same parameters, in the same run.</summary>
    SameClassAndParameters,
    /// <summary>The median of the CopyBaseline medians of the same class, in the same run.</summary>
    SameClass,
    /// <summary>The median of every CopyBaseline median of the run.</summary>
    RunMedian,
    /// <summary>The launch rule: the run's machine speed, the median over all its calibrations of their ratio to the baseline's.</summary>
    MachineSpeed,
}

/// <summary>The statistics behind a timing verdict, in nanoseconds per operation on the baseline's scale.</summary>
/// <param name="BaselineMedian">Median of the baseline samples (pooled over the baseline runs, normalised, outliers dropped);
/// by launch, the lower quartile of the baseline launches.</param>
/// <param name="CurrentMedian">Median of the current samples (normalised to the baseline's scale, outliers dropped); by launch,
/// the fastest current launch.</param>
/// <param name="BaselineCount">Baseline samples tested.</param>
/// <param name="CurrentCount">Current samples tested.</param>
/// <param name="OutliersDropped">Samples dropped on both sides by the 3×IQR fences.</param>
/// <param name="Shift">The smallest change that counts: max(threshold × baseline median, noise floor).</param>
/// <param name="PSlower">One-sided Mann–Whitney p-value of "current is slower than baseline + shift".</param>
/// <param name="PFaster">One-sided Mann–Whitney p-value of "current is faster than baseline − shift".</param>
/// <param name="ByLaunch">True when a sample is one launch's median, false when it is one iteration (see <see cref="ComparisonOptions.MinimumLaunches"/>).</param>
public sealed record TimingStatistics(
    double BaselineMedian,
    double CurrentMedian,
    int BaselineCount,
    int CurrentCount,
    int OutliersDropped,
    double Shift,
    double PSlower,
    double PFaster,
    bool ByLaunch = false)
{
    /// <summary>Current median over baseline median, or null when a median is not positive.</summary>
    public double? Ratio => BaselineMedian > 0 && CurrentMedian > 0 ? CurrentMedian / BaselineMedian : null;
}

/// <summary>One benchmark found in both the baseline and the current runs.</summary>
public sealed record BenchmarkComparison(
    BenchmarkResult Benchmark,
    TimeVerdict Time,
    TimingStatistics? Timing,
    CalibrationSource? Calibration,
    long? BaselineBytes,
    long? CurrentBytes,
    AllocationVerdict Allocation,
    string? Note = null)
{
    public string FullName => Benchmark.FullName;

    /// <summary>Slower, or allocating more.</summary>
    public bool IsRegression => Time == TimeVerdict.Slower || Allocation == AllocationVerdict.Increased;

    /// <summary>The input cannot be judged for this benchmark.</summary>
    public bool IsUnusable => Time is TimeVerdict.NoData or TimeVerdict.TooFewSamples;
}

/// <summary>
/// The A/A noise of a history of runs of unchanged code: every way of splitting its runs into two halves is compared with
/// the launch rule, and <see cref="Change"/> is the <see cref="Quantile"/> of the relative changes found (0.42 = +42 %).
/// </summary>
/// <param name="Change">The <see cref="Quantile"/> of the A/A changes, at least 0.</param>
/// <param name="Quantile">Which quantile (<see cref="ComparisonOptions.NoiseQuantile"/>).</param>
/// <param name="Runs">Runs in the history.</param>
/// <param name="Comparisons">A/A comparisons made (splits of the runs).</param>
/// <param name="Changes">Changes pooled over them (benchmarks judged by launch × comparisons).</param>
/// <param name="RequestedThreshold">The threshold asked for; <see cref="ComparisonOptions.Threshold"/> of the report is max(this, <see cref="Change"/>).</param>
/// <param name="GroupChange">The same quantile of the A/A changes of whole methods (<see cref="GroupComparison"/>), or null when no method qualifies.</param>
/// <param name="GroupChanges">Method changes pooled over the comparisons.</param>
public sealed record HistoryNoise(double Change, double Quantile, int Runs, int Comparisons, int Changes, double RequestedThreshold,
    double? GroupChange = null, int GroupChanges = 0)
{
    /// <summary>The threshold a whole method is judged with: max(the threshold asked for, <see cref="GroupChange"/>).</summary>
    public double GroupThreshold => Math.Max(RequestedThreshold, GroupChange ?? Change);
}

/// <summary>
/// One method judged as a whole: the geometric mean of the changes of its <paramref name="Cases"/> parameter combinations
/// judged by launch (see <see cref="ComparisonOptions.MinimumGroupSize"/>); slower or faster beyond <paramref name="Threshold"/>.
/// </summary>
/// <param name="Name">Class (with its namespace) and method, as <c>Overlay.Benchmarks.EncapsulateBenchmarks.Copy</c>.</param>
/// <param name="Cases">Its cases judged by launch.</param>
/// <param name="GeometricMean">The geometric mean of their current/baseline ratios.</param>
/// <param name="Threshold">The change that counts for a whole method (<see cref="HistoryNoise.GroupThreshold"/>, else the threshold).</param>
/// <param name="Verdict">Slower, faster or the same.</param>
public sealed record GroupComparison(string Name, int Cases, double GeometricMean, double Threshold, TimeVerdict Verdict);

/// <summary>The outcome of comparing current runs with baseline runs.</summary>
public sealed record ComparisonReport(
    ComparisonOptions Options,
    IReadOnlyList<string> BaselineRuns,
    IReadOnlyList<string> CurrentRuns,
    IReadOnlyList<BenchmarkComparison> Benchmarks,
    IReadOnlyList<BenchmarkResult> Missing,
    IReadOnlyList<BenchmarkResult> New,
    HistoryNoise? Noise = null,
    IReadOnlyList<GroupComparison>? Groups = null)
{
    /// <summary>The methods judged as a whole (empty when none has enough cases judged by launch).</summary>
    public IReadOnlyList<GroupComparison> Groups { get; init; } = Groups ?? [];

    /// <summary>The group name of a benchmark: its class and method.</summary>
    public static string GroupOf(BenchmarkResult benchmark) => $"{benchmark.ClassName}.{benchmark.Method}";

    public const int ExitNoRegression = 0;
    public const int ExitRegression = 1;
    public const int ExitUnusable = 2;

    /// <summary>
    /// Slower or allocating more, and every judged case of a method slower as a whole (so a re-run measures them all).
    /// </summary>
    public IEnumerable<BenchmarkComparison> Regressions => Benchmarks.Where(b =>
        b.IsRegression
        || (b.Time is TimeVerdict.Same or TimeVerdict.Faster && Groups.Any(g => g.Verdict == TimeVerdict.Slower && g.Name == GroupOf(b.Benchmark))));

    public IEnumerable<BenchmarkComparison> Unusable => Benchmarks.Where(b => b.IsUnusable);

    /// <summary>
    /// The geometric mean of current/baseline median ratios over every judged (non-calibration) benchmark;
    /// null when none was judged.
    /// </summary>
    public double? GeometricMean
    {
        get
        {
            double[] logs = Benchmarks
                .Where(b => b.Time is TimeVerdict.Same or TimeVerdict.Slower or TimeVerdict.Faster)
                .Select(b => b.Timing?.Ratio)
                .OfType<double>()
                .Select(r => Math.Log(r))
                .ToArray();
            return logs.Length == 0 ? null : Math.Exp(logs.Average());
        }
    }

    /// <summary>0: no regression; 1: a regression (slower, or more bytes allocated); 2: unusable input (nothing matched, or a benchmark that cannot be judged).</summary>
    public int ExitCode =>
        Benchmarks.Count == 0 || Unusable.Any() ? ExitUnusable
        : Regressions.Any() ? ExitRegression
        : ExitNoRegression;

    /// <summary>
    /// BenchmarkDotNet <c>--filter</c> patterns that re-run every regressed benchmark together with its class's
    /// calibration, so that the re-run can be normalised like the first run.
    /// </summary>
    /// <summary>
    /// The parameter values of every regressed benchmark, one <c>Name=v1,v2</c> a parameter (the benchmark project's
    /// <c>--only</c> syntax), so that a re-run measures the suspects' parameter combinations, not every case of their methods.
    /// </summary>
    public IReadOnlyList<string> RerunParameters() => Regressions
        .SelectMany(b => b.Benchmark.Parameters.Split('&', StringSplitOptions.RemoveEmptyEntries))
        .Select(p => p.Split('=', 2))
        .Where(p => p.Length == 2)
        .GroupBy(p => p[0], StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => $"{g.Key}={string.Join(',', g.Select(p => p[1]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))}")
        .ToArray();

    public IReadOnlyList<string> RerunFilters() => Regressions
        .SelectMany(b => new[] { $"{b.Benchmark.ClassName}.{b.Benchmark.Method}", $"{b.Benchmark.ClassName}.{BenchmarkResult.CalibrationMethod}" })
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToArray();
}
