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
        var baseline = new Option<string>("--baseline") { Description = "Folder of baseline reports: one run, or a history of runs in sub-folders (*-report-full.json)", Required = true };
        var current = new Option<string>("--current") { Description = "Folder of current reports: one run or several", Required = true };
        var threshold = new Option<string>("--threshold") { Description = "Smallest relative change that counts", DefaultValueFactory = _ => "10%" };
        var noise = new Option<string>("--noise") { Description = "Smallest absolute change that counts, per operation (ps, ns, us, ms)", DefaultValueFactory = _ => "0.5ns" };
        var alpha = new Option<double>("--alpha") { Description = "Significance level of each one-sided Mann–Whitney test", DefaultValueFactory = _ => 0.01 };
        var allocationsOnly = new Option<bool>("--allocations-only") { Description = "Compare bytes allocated per operation only (no timings, no calibration needed)" };
        var markdown = new Option<string?>("--markdown") { Description = "Write the Markdown table here too (it is printed to standard output)" };
        var json = new Option<string?>("--json") { Description = "Write the comparison as JSON here" };
        var chart = new Option<string?>("--chart") { Description = "Write a bar chart of the changes here (.png or .svg)" };
        var rerun = new Option<string?>("--rerun-filters") { Description = "Write BenchmarkDotNet --filter patterns here, one a line, that re-run every regressed benchmark with its calibration" };
        var rerunOnly = new Option<string?>("--rerun-parameters") { Description = "Write the regressed benchmarks' parameter values here, one Name=v1,v2 a line (the benchmark project's --only syntax)" };
        var suspects = new Option<string?>("--suspects") { Description = "Write the full names of the regressed benchmarks here, one a line (for --judge of a re-run)" };
        var judge = new Option<string?>("--judge") { Description = "Judge on time only the benchmarks named in this file (full names, one a line); the others are listed, not judged" };
        var minLaunches = new Option<int>("--min-launches") { Description = "Compare launch medians, not iterations, when both sides hold at least this many launches of a benchmark", DefaultValueFactory = _ => 3 };
        var noiseHistory = new Option<string?>("--noise-history")
        {
            Description = "Raise the threshold to the noise of these runs of unchanged code (at least 4, in sub-folders): the quantile "
                + "(--noise-quantile) of the changes between their halves, an A/A test. The regression job passes its baseline history",
        };
        var noiseQuantile = new Option<double>("--noise-quantile") { Description = "Quantile of the A/A changes of --noise-history that sets the threshold", DefaultValueFactory = _ => 0.95 };
        var command = new Command("compare",
            "Compare BenchmarkDotNet full-JSON reports with a baseline: benchmarks matched by full name, timings normalised by the "
            + "CopyBaseline calibration of their own run and judged by one-sided Mann–Whitney tests with a relative threshold and an "
            + "absolute noise floor; allocations exact. Prints a Markdown table. Exit 0: no regression, 1: regression, 2: unusable input.")
        {
            baseline, current, threshold, noise, alpha, allocationsOnly, markdown, json, chart, rerun, rerunOnly, suspects, judge, minLaunches, noiseHistory, noiseQuantile,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(cancellation, token =>
        {
            double a = parse.GetValue(alpha);
            if (!(a > 0 && a < 0.5))
            {
                throw new ArgumentException("--alpha must lie between 0 and 0.5");
            }
            double q = parse.GetValue(noiseQuantile);
            if (!(q > 0 && q < 1))
            {
                throw new ArgumentException("--noise-quantile must lie between 0 and 1");
            }
            var options = new ComparisonOptions
            {
                Threshold = ComparisonOptions.ParseThreshold(parse.GetValue(threshold)!),
                NoiseNanoseconds = ComparisonOptions.ParseNanoseconds(parse.GetValue(noise)!),
                Alpha = a,
                AllocationsOnly = parse.GetValue(allocationsOnly),
                MinimumLaunches = parse.GetValue(minLaunches) is int launches and >= 1 ? launches : throw new ArgumentException("--min-launches must be at least 1"),
                Judge = parse.GetValue(judge) is string judgePath ? ReadNames(judgePath) : null,
                NoiseQuantile = q,
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
        return command;
    }

    /// <summary>The benchmark names in <paramref name="path"/>, one a line (blank lines skipped).</summary>
    private static HashSet<string> ReadNames(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"--judge {path}: no such file");
        }
        return File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
    }
}
