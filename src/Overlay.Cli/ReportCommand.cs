using System.CommandLine;
using Overlay.Reporting.Report;

namespace Overlay.Cli;

/// <summary>`overlay report`: REPORT.md, report-data.json and the charts (PNG and SVG), from result files only.</summary>
public static class ReportCommand
{
    public const string DefaultResultsFolder = "results/";

    public static Command Create()
    {
        var results = new Option<string>("--results") { Description = "The results folder: analysis and chain JSON files, and BenchmarkDotNet full-JSON reports under benchmarks/", DefaultValueFactory = _ => DefaultResultsFolder };
        var output = new Option<string?>("--out") { Description = "Where REPORT.md, report-data.json and charts/ go (default: the results folder)" };
        var command = new Command("report", "Render the report from result files only: charts (PNG and SVG) with the tables behind them, the machine and versions, the commands that reproduce each figure, and the findings.")
        {
            results, output,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(cancellation, token =>
        {
            string resultsFolder = parse.GetValue(results)!;
            string outFolder = parse.GetValue(output) ?? resultsFolder;
            if (!Directory.Exists(resultsFolder))
            {
                throw new ArgumentException($"{resultsFolder}: no such results folder (run `overlay analyze --json {Path.Combine(resultsFolder, "analysis.json")}` first)");
            }
            ReportOutcome outcome;
            try
            {
                outcome = ReportGenerator.Generate(resultsFolder, outFolder, token, resultsFolder, outFolder);
            }
            catch (InvalidDataException e)
            {
                // A result file that does not parse: name it and fail the run, as an unreadable capture does.
                ConsoleUi.Fail(e.Message);
                return ExitCodes.Failed;
            }
            Console.WriteLine($"{outcome.ReportPath}: {outcome.Data.Charts.Count} charts ({outcome.ChartFiles.Count} files in {Path.Combine(outFolder, MarkdownReport.ChartFolder)}), {outcome.Data.Findings.Count} findings; data in {outcome.DataPath}");
            foreach (SkippedChart skipped in outcome.Data.Skipped)
            {
                ConsoleUi.Info($"skipped {skipped.Id}: {skipped.Reason}");
            }
            return ExitCodes.Ok;
        })));
        return command;
    }
}
