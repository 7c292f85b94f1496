using System.CommandLine;
using Overlay.Reporting.Comparison;
using Overlay.Reporting.Report;

namespace Overlay.Cli;

/// <summary>
/// `overlay compare`: BenchmarkDotNet full-JSON reports of a baseline against the current ones. Exit 0: no regression;
/// 1: a regression (slower, or more bytes allocated per operation); 2: unusable input.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var baseline = PathOptions.InputFolder("--baseline", "Folder of baseline reports: one run, or a history of runs in sub-folders (*-report-full.json)");
        var current = PathOptions.InputFolder("--current", "Folder of current reports: one run or several");
        var threshold = OptionValues.Parsed("--threshold", "Smallest relative change that counts, such as 10% or 0.1", "10%", ComparisonOptions.ParseThreshold,
            "a threshold is a percentage above 0 and below 1000, such as 10% or 0.1");
        var noise = OptionValues.Parsed("--noise", "Smallest absolute change that counts, per operation (ps, ns, us, ms, s; a bare number is ns)", "0.5ns", ComparisonOptions.ParseNanoseconds,
            "a noise floor is a time such as 0.5ns, 500ps or 1us");
        var alpha = OptionValues.Real("--alpha", "Significance level of each one-sided Mann–Whitney test, between 0 and 0.5", "the significance level", 0, 0.5, inclusive: false, 0.01);
        var allocationsOnly = new Option<bool>("--allocations-only") { Description = "Compare bytes allocated per operation only (no timings, no calibration needed)" };
        var instructions = new Option<bool>("--instructions")
        {
            Description = "Compare instructions per packet (instructions.json of bench/instructions.sh in each folder) instead of reports: "
                + "more than --threshold (default here 1%) on a case or an operation's geometric mean is a regression; another runtime is unusable input",
        };
        var markdown = PathOptions.OptionalOutputFile("--markdown", "Write the Markdown table here too (it is printed to standard output)");
        var json = PathOptions.OptionalOutputFile("--json", "Write the comparison as JSON here");
        var chart = PathOptions.OptionalOutputFile("--chart", "Write a bar chart of the changes here (.png or .svg)");
        var rerun = PathOptions.OptionalOutputFile("--rerun-filters", "Write BenchmarkDotNet --filter patterns here, one a line, that re-run every regressed benchmark with its calibration");
        var rerunOnly = PathOptions.OptionalOutputFile("--rerun-parameters", "Write the regressed benchmarks' parameter values here, one Name=v1,v2 a line (the benchmark project's --only syntax)");
        var suspects = PathOptions.OptionalOutputFile("--suspects", "Write the full names of the regressed benchmarks here, one a line (for --judge of a re-run)");
        var judge = PathOptions.InputFile("--judge", "Judge on time only the benchmarks named in this file (full names, one a line); the others are listed, not judged", required: false);
        var minLaunches = OptionValues.Number("--min-launches", "Compare launch medians, not iterations, when both sides hold at least this many launches of a benchmark (1 or more)", "a launch count", 1, 1_000_000, 3);
        var noiseHistory = PathOptions.InputFolder("--noise-history",
            "Raise the threshold to the noise of these runs of unchanged code (at least 4, in sub-folders): the quantile "
                + "(--noise-quantile) of the changes between their halves, an A/A test. The regression job passes its baseline history", required: false);
        var noiseQuantile = OptionValues.Real("--noise-quantile", "With --noise-history: the quantile of its A/A changes that sets the threshold, between 0 and 1", "the quantile", 0, 1, inclusive: false, 0.95);
        var command = new Command("compare",
            "Compare BenchmarkDotNet full-JSON reports with a baseline: benchmarks matched by full name, timings normalised by the "
            + "CopyBaseline calibration of their own run and judged by one-sided Mann–Whitney tests with a relative threshold and an "
            + "absolute noise floor; allocations exact. Prints a Markdown table. Exit 0: no regression, 1: regression, 2: unusable input.")
        {
            baseline, current, threshold, noise, alpha, allocationsOnly, instructions, markdown, json, chart, rerun, rerunOnly, suspects, judge, minLaunches, noiseHistory, noiseQuantile,
        };
        command.AddCheck(result =>
        {
            if (result.GetResult(noiseQuantile) is { Implicit: false } && result.GetResult(noiseHistory) is null)
            {
                OptionValues.Report(result, "--noise-quantile applies with --noise-history");
                return;
            }
            if (result.GetResult(allocationsOnly) is { Implicit: false }
                && new Option[] { threshold, noise, alpha, judge, minLaunches, noiseHistory, noiseQuantile }.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is Option timing)
            {
                OptionValues.Report(result, $"{timing.Name} applies to timings, and --allocations-only compares allocations alone");
                return;
            }
            if (result.GetResult(instructions) is { Implicit: false }
                && new Option[] { noise, alpha, allocationsOnly, chart, rerun, rerunOnly, suspects, judge, minLaunches, noiseHistory, noiseQuantile }.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is Option other)
            {
                OptionValues.Report(result, $"{other.Name} applies to benchmark reports, and --instructions compares instruction counts (--threshold, --markdown and --json apply)");
                return;
            }
            PathOptions.RequireDistinct(result, [judge], [markdown, json, chart, rerun, rerunOnly, suspects],
                r => new[] { baseline, current, noiseHistory }.Select(o => r.GetResult(o) is { Implicit: false } ? r.GetValue(o) : null)
                    .Where(Directory.Exists).SelectMany(folder => Directory.EnumerateFiles(folder!, "*.json", SearchOption.AllDirectories)));
        });
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(cancellation, token =>
        {
            if (parse.GetValue(instructions))
            {
                double instructionThreshold = parse.GetResult(threshold) is { Implicit: false } ? parse.GetValue(threshold) : InstructionComparison.DefaultThreshold;
                return CompareInstructions(parse.GetValue(baseline)!, parse.GetValue(current)!, instructionThreshold, parse.GetValue(markdown), parse.GetValue(json));
            }
            var options = new ComparisonOptions
            {
                Threshold = parse.GetValue(threshold),
                NoiseNanoseconds = parse.GetValue(noise),
                Alpha = parse.GetValue(alpha),
                AllocationsOnly = parse.GetValue(allocationsOnly),
                MinimumLaunches = parse.GetValue(minLaunches),
                Judge = parse.GetValue(judge) is string judgePath ? ReadNames(judgePath) : null,
                NoiseQuantile = parse.GetValue(noiseQuantile),
            };
            ComparisonReport report;
            try
            {
                if (parse.GetValue(noiseHistory) is string historyPath)
                {
                    options = options with { NoiseHistory = ReportReader.ReadRuns(historyPath) };
                }
                report = BenchmarkComparer.Compare(parse.GetValue(baseline)!, parse.GetValue(current)!, options);
            }
            catch (ComparisonInputException e)
            {
                ConsoleUi.Fail(e.Message);
                return ExitCodes.Usage;
            }
            token.ThrowIfCancellationRequested();
            string table = ComparisonMarkdown.Render(report);
            if (parse.GetValue(markdown) is string markdownPath)
            {
                OutputFile.WriteAllText(markdownPath, table);
            }
            if (parse.GetValue(json) is string jsonPath)
            {
                OutputFile.WriteAllText(jsonPath, ComparisonJson.Serialize(report));
            }
            if (parse.GetValue(chart) is string chartPath && !ComparisonChart.Save(report, chartPath))
            {
                ConsoleUi.Info($"no chart written to {chartPath}: no benchmark was compared on time");
            }
            if (parse.GetValue(rerun) is string rerunPath)
            {
                IReadOnlyList<string> filters = report.RerunFilters();
                OutputFile.WriteAllText(rerunPath, filters.Count == 0 ? "" : string.Join('\n', filters) + "\n");
            }
            if (parse.GetValue(rerunOnly) is string rerunOnlyPath)
            {
                IReadOnlyList<string> parameters = report.RerunParameters();
                OutputFile.WriteAllText(rerunOnlyPath, parameters.Count == 0 ? "" : string.Join('\n', parameters) + "\n");
            }
            if (parse.GetValue(suspects) is string suspectsPath)
            {
                string[] names = report.Regressions.Select(b => b.FullName).ToArray();
                OutputFile.WriteAllText(suspectsPath, names.Length == 0 ? "" : string.Join('\n', names) + "\n");
            }
            Console.Write(table);
            foreach (BenchmarkComparison unusable in report.Unusable)
            {
                ConsoleUi.Fail($"{unusable.FullName}: {unusable.Note}");
            }
            if (report.Benchmarks.Count == 0)
            {
                ConsoleUi.Fail("no benchmark is in both the baseline and the current reports");
            }
            return report.ExitCode;
        })));
        return command.WithExamples(
            "overlay compare --baseline results/baseline --current results/baseline --allocations-only",
            "overlay compare --baseline results/baseline --current results/baseline --threshold 5% --noise 1ns --markdown out/compare.md",
            "overlay compare --instructions --baseline results/baseline --current results/baseline --threshold 0.5%");
    }

    /// <summary>The instruction mode: instructions.json of two folders, 1 % on a case or an operation's geometric mean.</summary>
    private static int CompareInstructions(string baseline, string current, double threshold, string? markdownPath, string? jsonPath)
    {
        InstructionComparison comparison;
        try
        {
            comparison = InstructionComparer.Compare(baseline, current, threshold);
        }
        catch (ComparisonInputException e)
        {
            ConsoleUi.Fail(e.Message);
            return ExitCodes.Usage;
        }
        string table = InstructionComparisonMarkdown.Render(comparison);
        if (markdownPath is not null)
        {
            OutputFile.WriteAllText(markdownPath, table);
        }
        if (jsonPath is not null)
        {
            OutputFile.WriteAllText(jsonPath, InstructionComparisonMarkdown.Serialize(comparison));
        }
        Console.Write(table);
        if (comparison.Unusable is string reason)
        {
            ConsoleUi.Fail($"unusable input: {reason}");
        }
        return comparison.ExitCode;
    }

    /// <summary>The benchmark names in <paramref name="path"/>, one a line (blank lines skipped).</summary>
    private static HashSet<string> ReadNames(string path) =>
         File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
}
