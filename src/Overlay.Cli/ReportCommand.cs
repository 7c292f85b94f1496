using System.CommandLine;
using System.Text.Json;
using Overlay.Results;
using Overlay.Reporting.Report;

namespace Overlay.Cli;

/// <summary>`overlay report`: REPORT.md, report-data.json and the charts (PNG and SVG), from result files only.</summary>
public static class ReportCommand
{
    public const string DefaultResultsFolder = "results/";

    /// <summary>The schemas a report reads from the results folder; any other JSON file there is named as ignored.</summary>
    private static readonly string[] ReadSchemas = [.. ResultDocument.ReadableSchemas, ChainDocument.CurrentSchema, RunDescription.Schema, ReportData.CurrentSchema, Overlay.Results.Kernel.KernelDocument.SchemaName];

    public static Command Create()
    {
        var results = PathOptions.InputFolder("--results", "The results folder: analysis and chain JSON files, and BenchmarkDotNet full-JSON reports under benchmarks/", required: false, DefaultResultsFolder);
        var output = PathOptions.OutputFolder("--out", "Where REPORT.md, report-data.json and charts/ go (default: the results folder); created if missing");
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
                throw new ArgumentException($"--results {resultsFolder}: no such folder; `overlay analyze --json {Path.Combine(resultsFolder, "analysis.json")}` makes one");
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
            foreach (string ignored in Ignored(resultsFolder))
            {
                ConsoleUi.Info($"warning: {ignored}");
            }
            Console.WriteLine($"{outcome.ReportPath}: {outcome.Data.Charts.Count} charts ({outcome.ChartFiles.Count} files in {Path.Combine(outFolder, MarkdownReport.ChartFolder)}), {outcome.Data.Findings.Count} findings; data in {outcome.DataPath}");
            if (outcome.Data.Skipped.Count > 0)
            {
                ConsoleUi.Info($"from the results folder {Path.GetFullPath(resultsFolder)}:");
            }
            foreach (SkippedChart skipped in outcome.Data.Skipped)
            {
                ConsoleUi.Info($"skipped {skipped.Id}: {skipped.Reason}");
            }
            return ExitCodes.Ok;
        })));
        return command.WithExamples(
            "overlay report --results results --out out/report",
            "overlay analyze --in captures/http.pcap --variants vxlan-ipv4 --no-throughput --json out/mine/analysis.json",
            "overlay report --results out/mine");
    }

    /// <summary>JSON files of the results folder that the report does not read, each with why.</summary>
    private static IEnumerable<string> Ignored(string folder)
    {
        foreach (string path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            string? schema;
            try
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
                schema = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("schema", out JsonElement s)
                    && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            }
            catch (JsonException)
            {
                schema = null;
            }
            if (schema is null || !ReadSchemas.Contains(schema))
            {
                yield return $"{path}: ignored, not an analysis, chain, kernel or run result ({(schema is null ? "it names no schema" : $"its schema is {schema}")})";
            }
        }
    }
}
