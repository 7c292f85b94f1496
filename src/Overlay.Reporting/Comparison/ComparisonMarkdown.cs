using System.Globalization;
using System.Text;

namespace Overlay.Reporting.Comparison;

/// <summary>Renders a <see cref="ComparisonReport"/> as Markdown (a GitHub job summary, a PR comment, a file).</summary>
public static class ComparisonMarkdown
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(ComparisonReport report, string title = "Benchmark comparison")
    {
        ComparisonOptions o = report.Options;
        var md = new StringBuilder();
        md.Append("## ").AppendLine(title).AppendLine();
        md.AppendLine($"Baseline: {Runs(report.BaselineRuns)} · current: {Runs(report.CurrentRuns)}.");
        bool byLaunch = report.Benchmarks.Any(b => b.Timing?.ByLaunch == true);
        md.AppendLine(o.AllocationsOnly
            ? "Allocations only: any increase in bytes allocated per operation is a regression."
            : byLaunch
            ? $"Rule (by launch, at least {o.MinimumLaunches} a side): each launch divided by its run's machine speed; slower when even the fastest current launch, "
              + $"faster when even the slowest, lies beyond the baseline launches' lower quartile by max({Percent(o.Threshold)}, {Time(o.NoiseNanoseconds)}); "
              + "allocations exact (any increase is a regression)."
            : $"Rule: timings divided by the CopyBaseline calibration of their own run, pooled over runs, outliers beyond {Number(o.OutlierFence)}×IQR dropped; "
              + $"slower or faster when a one-sided Mann–Whitney test gives p < {Number(o.Alpha)} for a shift of max({Percent(o.Threshold)}, {Time(o.NoiseNanoseconds)}); "
              + "allocations exact (any increase is a regression).");
        if (report.Noise is { } noise)
        {
            md.AppendLine().Append(noise.Change > noise.RequestedThreshold
                ? $"Threshold raised from {Percent(noise.RequestedThreshold)} to {Percent(o.Threshold)}: "
                : $"Threshold {Percent(o.Threshold)}, above ")
              .AppendLine($"the machine's own noise, the {Percent(noise.Quantile)} quantile ({Signed(noise.Change)}) of the changes that unchanged code showed "
                + $"between halves of {noise.Runs} baseline runs ({noise.Changes} changes in {noise.Comparisons} A/A comparisons)."
                + (noise.GroupChange is double groupChange
                    ? $" A method as a whole (the geometric mean over its cases) is judged with {Percent(noise.GroupThreshold)}: the same quantile of its A/A changes was {Signed(groupChange)} ({noise.GroupChanges} changes)."
                    : ""));
        }
        md.AppendLine();

        BenchmarkComparison[] judged = report.Benchmarks.Where(b => b.Time != TimeVerdict.Calibration).ToArray();
        int slower = judged.Count(b => b.Time == TimeVerdict.Slower);
        int faster = judged.Count(b => b.Time == TimeVerdict.Faster);
        int more = report.Benchmarks.Count(b => b.Allocation == AllocationVerdict.Increased);
        int less = report.Benchmarks.Count(b => b.Allocation == AllocationVerdict.Decreased);
        int unusable = report.Unusable.Count();
        string outcome = report.ExitCode switch
        {
            ComparisonReport.ExitRegression => "REGRESSION",
            ComparisonReport.ExitUnusable => "UNUSABLE INPUT",
            _ => "no regression",
        };
        md.Append($"**Result: {outcome}.** ");
        if (!o.AllocationsOnly)
        {
            md.Append($"{slower} slower, {faster} faster, {judged.Count(b => b.Time == TimeVerdict.Same)} same; ");
        }
        md.Append($"{more} allocating more, {less} allocating less; {report.Missing.Count} missing, {report.New.Count} new");
        md.Append(unusable > 0 ? $"; {unusable} cannot be judged." : ".");
        if (report.GeometricMean is double g)
        {
            md.Append($" Geometric mean of the changes: ×{g.ToString("0.000", Invariant)} ({Signed(g - 1)}).");
        }
        int slowerGroups = report.Groups.Count(g => g.Verdict == TimeVerdict.Slower);
        if (slowerGroups > 0)
        {
            md.Append($" {slowerGroups} method(s) slower as a whole: every case of them counts as a regression.");
        }
        md.AppendLine().AppendLine();

        if (!o.AllocationsOnly && report.Groups.Count > 0)
        {
            md.AppendLine("| verdict | method, as a whole | cases | geometric mean of the changes | threshold |\n| --- | --- | ---: | ---: | ---: |");
            foreach (GroupComparison group in report.Groups)
            {
                string verdict = group.Verdict switch { TimeVerdict.Slower => "**slower**", TimeVerdict.Faster => "faster", _ => "same" };
                md.AppendLine($"| {verdict} | `{Cell(group.Name)}` | {group.Cases} | {Signed(group.GeometricMean - 1)} | {Percent(group.Threshold)} |");
            }
            md.AppendLine();
        }

        if (report.Benchmarks.Count > 0)
        {
            md.AppendLine(o.AllocationsOnly
                ? "| verdict | benchmark | allocated (B/op) |\n| --- | --- | ---: |"
                : "| verdict | benchmark | baseline | current | change | p (slower / faster) | allocated (B/op) |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (BenchmarkComparison b in report.Benchmarks)
            {
                md.Append("| ").Append(Verdict(b)).Append(" | `").Append(Cell(b.Benchmark.DisplayName)).Append('`');
                if (!o.AllocationsOnly)
                {
                    TimingStatistics? t = b.Timing;
                    md.Append(" | ").Append(t is null ? "—" : Time(t.BaselineMedian))
                      .Append(" | ").Append(t is null ? "—" : Time(t.CurrentMedian))
                      .Append(" | ").Append(t?.Ratio is double r ? Signed(r - 1) : "—")
                      .Append(" | ").Append(t is null || double.IsNaN(t.PSlower) ? "—" : $"{P(t.PSlower)} / {P(t.PFaster)}");
                }
                md.Append(" | ").Append(Bytes(b)).AppendLine(" |");
            }
            md.AppendLine();
        }
        if (!o.AllocationsOnly && o.Judge is not null)
        {
            md.AppendLine($"Only the {o.Judge.Count} benchmark(s) asked for are judged on time; the others measured with them (their calibrations, their other parameters) are listed as \"same\" without a test.");
            md.AppendLine();
        }
        if (byLaunch)
        {
            md.AppendLine("Judged by launch (process), the median of its iterations: on a shared machine interference only adds time, so the rule sets the "
                + "fastest current launch (\"current\") against the lower quartile of the baseline's launches (\"baseline\"), each launch divided by its "
                + "run's machine speed (the median ratio of all its calibrations to the baseline's); slower means even the fastest launch is slower.");
            md.AppendLine();
        }
        foreach (BenchmarkComparison b in report.Benchmarks.Where(b => b.Note is not null))
        {
            md.AppendLine($"- `{Cell(b.Benchmark.DisplayName)}`: {b.Note}");
        }
        List(md, "Missing from the current run", report.Missing);
        List(md, "New in the current run", report.New);
        if (!o.AllocationsOnly && report.Benchmarks.Any(b => b.Calibration is CalibrationSource.SameClass or CalibrationSource.RunMedian))
        {
            md.AppendLine().AppendLine("Benchmarks without a CopyBaseline of the same class and parameters were divided by the median calibration of their class, else of their run.");
        }
        return md.ToString();
    }

    private static void List(StringBuilder md, string heading, IReadOnlyList<BenchmarkResult> benchmarks)
    {
        if (benchmarks.Count == 0)
        {
            return;
        }
        md.AppendLine().AppendLine($"### {heading} ({benchmarks.Count})").AppendLine();
        foreach (BenchmarkResult b in benchmarks)
        {
            md.AppendLine($"- `{Cell(b.DisplayName)}`");
        }
    }

    private static string Verdict(BenchmarkComparison b)
    {
        var words = new List<string>();
        switch (b.Time)
        {
            case TimeVerdict.Slower: words.Add("**slower**"); break;
            case TimeVerdict.Faster: words.Add("faster"); break;
            case TimeVerdict.Calibration: words.Add("calibration"); break;
            case TimeVerdict.NoData: words.Add("**no data**"); break;
            case TimeVerdict.TooFewSamples: words.Add("**too few samples**"); break;
            case TimeVerdict.Same when b.Allocation != AllocationVerdict.Increased && b.Allocation != AllocationVerdict.Decreased: words.Add("same"); break;
        }
        if (b.Allocation == AllocationVerdict.Increased)
        {
            words.Add("**allocates more**");
        }
        else if (b.Allocation == AllocationVerdict.Decreased)
        {
            words.Add("allocates less");
        }
        return words.Count == 0 ? "same" : string.Join(", ", words);
    }

    private static string Bytes(BenchmarkComparison b) =>
        b.BaselineBytes is null && b.CurrentBytes is null ? "—"
        : b.BaselineBytes == b.CurrentBytes ? b.CurrentBytes!.Value.ToString(Invariant)
        : $"{b.BaselineBytes?.ToString(Invariant) ?? "?"} → {b.CurrentBytes?.ToString(Invariant) ?? "?"}";

    private static string Runs(IReadOnlyList<string> runs) =>
        runs.Count == 1 ? $"1 run ({runs[0]})" : $"{runs.Count} runs ({string.Join(", ", runs)})";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);

    private static string Number(double value) => value.ToString("0.###", Invariant);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", Invariant) + " %";

    private static string Signed(double fraction) => (fraction >= 0 ? "+" : "−") + Math.Abs(fraction * 100).ToString("0.0", Invariant) + " %";

    private static string P(double p) => p < 0.0001 ? "<0.0001" : p.ToString("0.0000", Invariant);

    /// <summary>Nanoseconds with a readable unit.</summary>
    public static string Time(double nanoseconds)
    {
        double a = Math.Abs(nanoseconds);
        return a >= 1e9 ? (nanoseconds / 1e9).ToString("0.000", Invariant) + " s"
            : a >= 1e6 ? (nanoseconds / 1e6).ToString("0.000", Invariant) + " ms"
            : a >= 1e3 ? (nanoseconds / 1e3).ToString("0.000", Invariant) + " µs"
            : nanoseconds.ToString(a >= 100 ? "0.0" : "0.000", Invariant) + " ns";
    }
}
