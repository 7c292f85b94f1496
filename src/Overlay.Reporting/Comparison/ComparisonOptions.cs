using System.Globalization;

namespace Overlay.Reporting.Comparison;

/// <summary>How <see cref="BenchmarkComparer"/> decides; the defaults are the CI gate's.</summary>
public sealed record ComparisonOptions
{
    /// <summary>The smallest relative change that counts (0.10 = 10 %).</summary>
    public double Threshold { get; init; } = 0.10;

    /// <summary>The smallest absolute change that counts, in nanoseconds per operation: below it a change is noise whatever its ratio.</summary>
    public double NoiseNanoseconds { get; init; } = 0.5;

    /// <summary>The significance level of each one-sided Mann–Whitney test.</summary>
    public double Alpha { get; init; } = 0.01;

    /// <summary>Tukey's fence factor: samples beyond <c>k</c> interquartile ranges outside the quartiles are dropped (FD.io CSIT uses 3).</summary>
    public double OutlierFence { get; init; } = 3.0;

    /// <summary>
    /// When both sides hold at least this many launches (processes) of a benchmark, the unit compared is the launch (the
    /// median of its iterations), not the iteration: on a shared machine a whole process runs fast or slow (code and
    /// stack placement, a neighbour), so the iterations of one launch are not independent samples and a test over them
    /// finds "significant" changes that are only which process was measured.
    /// </summary>
    public int MinimumLaunches { get; init; } = 3;

    /// <summary>
    /// When set, only these benchmarks (full names) are judged on time; the rest are listed as not compared. The
    /// regression job's re-run judges only the suspects of the first run, so a regression must show in both runs.
    /// </summary>
    public IReadOnlySet<string>? Judge { get; init; }

    /// <summary>
    /// When set, the threshold is raised to the machine's own noise: the <see cref="NoiseQuantile"/> of the launch rule's
    /// changes between halves of these runs (an A/A test of unchanged code, see <see cref="HistoryNoise"/>). The regression
    /// job passes its committed baseline history, so the gate is as strict as the runner that recorded it allows.
    /// </summary>
    public IReadOnlyList<BenchmarkRun>? NoiseHistory { get; init; }

    /// <summary>
    /// A method measured at this many parameter combinations or more (each judged by launch) is also judged as a whole, by
    /// the geometric mean of its changes: a process's fast or slow state is its own, so over ten cases it mostly cancels,
    /// and a change that slows the whole method by less than one case's noise is still found.
    /// </summary>
    public int MinimumGroupSize { get; init; } = 3;

    /// <summary>Which quantile of the A/A changes of <see cref="NoiseHistory"/> sets the threshold (0.95).</summary>
    public double NoiseQuantile { get; init; } = 0.95;

    /// <summary>Compare allocations only; timings (and so calibrations) are not needed.</summary>
    public bool AllocationsOnly { get; init; }

    /// <summary>Parses a relative threshold: <c>10%</c>, <c>2.5 %</c> or a plain fraction such as <c>0.1</c>.</summary>
    /// <exception cref="ArgumentException">Not a number, or not in (0, 10).</exception>
    public static double ParseThreshold(string text)
    {
        string s = text.Trim();
        bool percent = s.EndsWith('%');
        if (percent)
        {
            s = s[..^1].TrimEnd();
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new ArgumentException($"threshold '{text}' is not a number: write it as 10% or 0.1");
        }
        value = percent ? value / 100 : value;
        if (value <= 0 || value >= 10)
        {
            throw new ArgumentException($"threshold '{text}' must be above 0 % and below 1000 %");
        }
        return value;
    }

    /// <summary>Parses an absolute time: <c>0.5ns</c>, <c>500ps</c>, <c>1us</c>, <c>1µs</c>, <c>2ms</c>, <c>1s</c>; a bare number is nanoseconds.</summary>
    /// <exception cref="ArgumentException">Not a time, or negative.</exception>
    public static double ParseNanoseconds(string text)
    {
        string s = text.Trim();
        (string unit, double scale)[] units = [("ps", 1e-3), ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9)];
        double factor = 1;
        foreach ((string unit, double scale) in units)
        {
            if (s.EndsWith(unit, StringComparison.Ordinal))
            {
                s = s[..^unit.Length].TrimEnd();
                factor = scale;
                break;
            }
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < 0)
        {
            throw new ArgumentException($"noise floor '{text}' is not a time: write it as 0.5ns, 500ps or 1us");
        }
        return value * factor;
    }
}
