using Overlay.Results;
using Overlay.Reporting.Charts;

namespace Overlay.Reporting.Report;

/// <summary>What a report run wrote.</summary>
public sealed record ReportOutcome(ReportData Data, string ReportPath, string DataPath, IReadOnlyList<string> ChartFiles);

/// <summary>
/// `overlay report`: reads the result files of a results folder, builds every chart as data, renders each as PNG
/// and SVG, and writes report-data.json and REPORT.md into the output folder (every file written atomically).
/// </summary>
public static class ReportGenerator
{
    public const string ReportFile = "REPORT.md";
    public const string DataFile = "report-data.json";

    /// <param name="resultsFolder">Where the result files are.</param>
    /// <param name="outFolder">Where REPORT.md, report-data.json and charts/ go.</param>
    /// <param name="cancellation">Checked between charts.</param>
    /// <param name="resultsArgument">The results folder as the user named it, for the reproduce-commands.</param>
    /// <param name="outArgument">The output folder as the user named it.</param>
    /// <param name="reporter">Where the report runs (defaults to this machine).</param>
    public static ReportOutcome Generate(string resultsFolder, string outFolder, CancellationToken cancellation = default,
        string? resultsArgument = null, string? outArgument = null, RunEnvironment? reporter = null)
    {
        ReportInputs inputs = ReportInputs.Load(resultsFolder);
        reporter ??= RunEnvironment.Current($"overlay report {typeof(ReportGenerator).Assembly.GetName().Version}");
        var context = new ReportContext(inputs, reporter, resultsArgument ?? resultsFolder)
        {
            OutArgument = outArgument ?? outFolder,
        };
        var model = new ReportModel(context);
        (List<ChartSpec> charts, List<SkippedChart> skipped) = ChartRegistry.Build(model);
        var data = new ReportData
        {
            AsOf = context.AsOf,
            Reporter = new ReporterInfo(reporter.Machine, reporter.Os, reporter.Runtime, reporter.Commit, reporter.Tool),
            Analyses = inputs.Analyses.Select(a => new AnalysisInput(Path.GetFileName(a.Path), a.Document.Environment, a.Document.Settings,
                a.Document.Captures.Select(c => c.Name).ToList())).ToList(),
            Benchmarks = inputs.Benchmarks.Reports.Select(r => new BenchmarkInput(Path.GetFileName(r.File), r.Title, r.HostEnvironmentInfo,
                r.Benchmarks.Count, r.JobId, ReportContext.DateOf(r))).ToList(),
            Run = inputs.Run,
            HeaderCosts = model.Headers,
            Charts = charts,
            Skipped = skipped,
            Findings = Findings.Build(model),
        };

        string chartFolder = Path.Combine(outFolder, MarkdownReport.ChartFolder);
        Directory.CreateDirectory(chartFolder);
        var files = new List<string>();
        foreach (ChartSpec chart in charts)
        {
            cancellation.ThrowIfCancellationRequested();
            (string png, string svg) = ChartRenderer.Save(chart, chartFolder);
            files.Add(png);
            files.Add(svg);
        }
        // A chart drawn by an earlier run and skipped now must not linger beside the new report.
        foreach (SkippedChart s in skipped)
        {
            File.Delete(Path.Combine(chartFolder, s.Id + ".png"));
            File.Delete(Path.Combine(chartFolder, s.Id + ".svg"));
        }
        cancellation.ThrowIfCancellationRequested();
        string dataPath = Path.Combine(outFolder, DataFile);
        OutputFile.WriteAllText(dataPath, data.ToJson());
        string reportPath = Path.Combine(outFolder, ReportFile);
        OutputFile.WriteAllText(reportPath, MarkdownReport.Render(data, context));
        return new ReportOutcome(data, reportPath, dataPath, files);
    }
}
