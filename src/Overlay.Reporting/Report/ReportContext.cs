using System.Globalization;
using System.Text.RegularExpressions;
using Overlay.Results.Benchmarks;
using Overlay.Encapsulation;
using Overlay.Results;

namespace Overlay.Reporting.Report;

/// <summary>What every chart's caption and reproduce-command is made of: where the report ran, and how to rerun its inputs.</summary>
public sealed partial class ReportContext
{
    /// <summary>The report verb, as REPORT.md tells a reader to run it (the folder the results were read from fills in).</summary>
    public const string CliPrefix = "dotnet run -c Release --project src/Overlay.Cli --";

    /// <summary>
    /// The benchmark project's main job, which reruns every benchmark into results/benchmarks/ and renders results/REPORT.md
    /// itself; a benchmark chart's command when no run.json says which job made the reports.
    /// </summary>
    public const string MainJobCommand = "dotnet run -c Release --project bench/Overlay.Benchmarks";

    public ReportContext(ReportInputs inputs, RunEnvironment reporter, string resultsArgument)
    {
        Inputs = inputs;
        Reporter = reporter;
        ResultsArgument = resultsArgument;
        AnalysisEnvironment = inputs.Analyses.Count == 0 ? null : inputs.Analyses.MaxBy(a => a.Document.Environment.Date)!.Document.Environment;
        AsOf = AnalysisEnvironment?.Date ?? BenchmarkDate() ?? reporter.Date;
    }

    public ReportInputs Inputs { get; }

    /// <summary>Where `overlay report` itself runs (the exact charts are computed here).</summary>
    public RunEnvironment Reporter { get; }

    /// <summary>The results folder as the user named it, for the reproduce-commands.</summary>
    public string ResultsArgument { get; }

    /// <summary>The environment of the newest analysis file, or null without one.</summary>
    public RunEnvironment? AnalysisEnvironment { get; }

    /// <summary>The date the report speaks for: its newest analysis, else its newest benchmark, else now.</summary>
    public DateTimeOffset AsOf { get; }

    public string ReportCommand => $"{CliPrefix} report --results {ResultsArgument} --out {OutArgument}";

    /// <summary>The output folder as the user named it (defaults to the results folder).</summary>
    public string OutArgument { get; init; } = "results/";

    public string ExactCaption =>
        $"exact: encapsulator header lengths · computed on {Reporter.Machine} · {Reporter.Runtime} · commit {Reporter.Commit} · {AsOf:yyyy-MM-dd}";

    public static string AnalysisCaption(RunEnvironment env, string file) =>
        string.Create(CultureInfo.InvariantCulture, $"{env.Machine} · {env.Runtime} · {env.Os} · commit {env.Commit} · {env.Date:yyyy-MM-dd HH:mm} UTC · {Path.GetFileName(file)}");

    public string BenchmarkCaption(IEnumerable<BenchmarkReport> reports)
    {
        BenchmarkReport? first = reports.FirstOrDefault();
        BenchmarkHost? host = first?.HostEnvironmentInfo;
        if (first is null || host is null)
        {
            return "BenchmarkDotNet";
        }
        string cores = host.LogicalCoreCount is int n ? $", {n} logical cores" : "";
        DateTimeOffset? date = DateOf(first);
        string? job = first.JobId;
        return string.Create(CultureInfo.InvariantCulture,
            $"{host.ProcessorName}{cores}, {host.Architecture} · {host.RuntimeVersion} · {host.OsVersion} · BenchmarkDotNet {host.BenchmarkDotNetVersion}{(job is null ? "" : $", job {job}")}{(Inputs.Run?.Commit is string commit ? $" · commit {commit}" : "")}{(date is DateTimeOffset d ? $" · {d:yyyy-MM-dd HH:mm}" : "")}");
    }

    /// <summary>The command that reproduces an analysis file, from the settings and captures it records, then the report.</summary>
    public string AnalysisCommand(AnalysisFile file) => AnalysisCommands([file]);

    /// <summary>One command line that reproduces every file of <paramref name="files"/> (an analyze run each), then the report.</summary>
    public string AnalysisCommands(IEnumerable<AnalysisFile> files) =>
        string.Join(" && ", files.Select(AnalyzeArguments).Append(ReportCommand));

    private string AnalyzeArguments(AnalysisFile file)
    {
        ResultDocument doc = file.Document;
        var args = new List<string> { CliPrefix, "analyze" };
        bool scalingOnly = doc.Results.Count == 0 && doc.Scaling is { Count: > 0 };
        // A scaling-only file records no capture summaries: its captures are the ones its scaling runs name, found by name
        // among the captures the other files read; one none of them read is not in the repository, so the command leaves
        // it out (the chart says so) rather than name a file a fresh clone lacks.
        string[] captures = scalingOnly
            ? doc.Scaling!.Select(s => s.Capture).Distinct()
                .Select(name => Inputs.Captures.FirstOrDefault(c => c.Name == name)?.File).OfType<string>().ToArray()
            : doc.Captures.Select(c => c.File).ToArray();
        if (captures.Length > 0)
        {
            args.Add("--in");
            args.AddRange(captures.Select(Quote));
        }
        if (doc.Settings.TryGetValue("variants", out string? variants)
            && variants != string.Join(",", VariantCatalog.All.Select(v => v.Name)))
        {
            args.Add($"--variants {variants}");
        }
        if (doc.Settings.TryGetValue("interfaceMtu", out string? mtu) && mtu != "1500")
        {
            args.Add($"--mtu {mtu}");
        }
        if (doc.Settings.TryGetValue("segmentSuperFrames", out string? segment) && segment.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            args.Add("--segment");
        }
        if (doc.Settings.TryGetValue("throughput", out string? throughput) && throughput.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            args.Add("--no-throughput");
        }
        else if (doc.Settings.TryGetValue("passes", out string? passes))
        {
            args.Add($"--passes {passes}");
        }
        // Before analyze/v2, "threads" was the scaling run's thread count; since, it is the analysis' own threads.
        bool v1 = doc.Schema == ResultDocument.SchemaV1;
        if (!v1 && doc.Settings.TryGetValue("threads", out string? threads) && threads is not ("0" or "1"))
        {
            args.Add($"--threads {threads}");
        }
        if (doc.Settings.TryGetValue(v1 ? "threads" : "scaling", out string? scaling) && scaling != "0")
        {
            args.Add($"--scaling {scaling}");
            if (scalingOnly)
            {
                args.Add("--scaling-only");
            }
        }
        args.Add($"--quiet --json {Quote(Path.Combine(ResultsArgument, Path.GetFileName(file.Path)))}");
        return string.Join(' ', args);
    }

    /// <summary>
    /// The command that reproduces the benchmark figures: the run that made the reports, as run.json records it (the main
    /// job, short or --full, which writes results/benchmarks/ and renders the report itself), else the main job.
    /// </summary>
    public string BenchmarkCommand => Inputs.Run?.Command ?? MainJobCommand;

    private static string Quote(string s) =>
        s.All(c => char.IsLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or '+' or ',' or ':' or '=') ? s : $"'{s.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private DateTimeOffset? BenchmarkDate() =>
        Inputs.Benchmarks.Reports.Select(DateOf).Where(d => d is not null).Max();

    /// <summary>The run time BenchmarkDotNet puts in a report's title ("Type-20251126-074200"), else the file's time.</summary>
    public static DateTimeOffset? DateOf(BenchmarkReport report)
    {
        Match m = TitleDate().Match(report.Title ?? "");
        if (m.Success && DateTime.TryParseExact(m.Groups[1].Value + m.Groups[2].Value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                DateTimeStyles.None, out DateTime stamp))
        {
            return new DateTimeOffset(DateTime.SpecifyKind(stamp, DateTimeKind.Unspecified), TimeSpan.Zero);
        }
        return File.Exists(report.File) ? new DateTimeOffset(File.GetLastWriteTimeUtc(report.File), TimeSpan.Zero) : null;
    }

    [GeneratedRegex(@"-(\d{8})-(\d{6})$")]
    private static partial Regex TitleDate();
}
