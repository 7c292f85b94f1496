using System.Diagnostics;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Overlay.Results.Benchmarks;
using Overlay.Benchmarks.Config;
using Overlay.Benchmarks.Inputs;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Profiles;
using Overlay.Replay.Analysis;
using Overlay.Results;
using Overlay.Reporting.Report;

namespace Overlay.Benchmarks;

/// <summary>
/// The suite's main job, what `dotnet run -c Release --project bench/Overlay.Benchmarks` runs: the capture
/// analysis over captures/ (results/analysis.json and .md, as `overlay analyze --json --markdown`), the benchmarks
/// (BenchmarkDotNet's JSON/CSV/markdown in results/benchmarks/), the performance-target table (results/targets.md and
/// .json), a description of the run (results/run.json), and the report drawn from them.
/// </summary>
public static class MainJob
{
    public enum Kind
    {
        /// <summary>The default: the short job over <see cref="MainCases"/> (bench/README.md says how long it takes).</summary>
        Short,
        /// <summary>--full: the publication-grade job over every case.</summary>
        Full,
    }

    /// <summary>run.json's schema, as the report reads it (<see cref="RunDescription"/>).</summary>
    public const string RunSchema = RunDescription.Schema;

    public static readonly Type[] BenchmarkClasses =
    [
        typeof(EncapsulateBenchmarks),
        typeof(DecapsulateBenchmarks),
        typeof(Srv6EndBenchmarks),
        typeof(CaptureReplayBenchmarks),
        typeof(PacketDotNetBenchmarks),
        typeof(SweepBenchmarks),
        typeof(ServiceHopBenchmarks),
    ];

    public static int Run(Kind kind, string[] benchmarkArgs)
    {
        var clock = Stopwatch.StartNew();
        string root = RepoPaths.Root;
        string results = RepoPaths.Results;
        string benchmarks = Path.Combine(results, "benchmarks");
        Directory.CreateDirectory(results);
        Job job = kind == Kind.Full ? BenchConfig.FullJob : BenchConfig.ShortJob;
        DateTimeOffset started = DateTimeOffset.UtcNow;
        Stage(1, $"capture analysis over {Path.GetRelativePath(root, RepoPaths.Captures)}/ ({RepoPaths.CaptureFiles().Length} captures, {AnalysedVariants().Count} variants and profile tunnels)");
        bool analysisOk = RunAnalysis(results);
        analysisOk &= RunChains(results);

        Stage(2, $"benchmarks, job '{job.Id}'{(kind == Kind.Short ? " over the main cases" : " over every case")}; BenchmarkDotNet prints its own progress and estimate");
        string artifacts = Path.Combine(root, "BenchmarkDotNet.Artifacts", "main-job");
        if (Directory.Exists(artifacts))
        {
            Directory.Delete(artifacts, recursive: true);
        }
        ManualConfig config = BenchConfig.Create(job).WithArtifactsPath(artifacts);
        if (kind == Kind.Short)
        {
            config.AddFilter(new SimpleFilter(MainCases.Includes));
        }
        Summary[] summaries = BenchmarkRunner.Run(BenchmarkClasses, config, Program.TakeOnly(benchmarkArgs, config));
        bool benchmarksOk = summaries.Length > 0 && summaries.All(s => !s.HasCriticalValidationErrors && s.Reports.All(r => r.Success));

        Stage(3, $"results in {Path.GetRelativePath(Environment.CurrentDirectory, results)}/");
        CopyExports(artifacts, benchmarks);
        TargetTable targets = WriteTargets(results);
        WriteRunDescription(results, kind, job, started, clock.Elapsed, summaries, benchmarkArgs);
        Console.WriteLine(targets.ToMarkdown());

        Stage(4, "report");
        bool reportOk = RenderReportIfAvailable(results);

        Console.WriteLine($"Main job finished in {clock.Elapsed:hh\\:mm\\:ss}: analysis {(analysisOk ? "ok" : "FAILED")}, benchmarks {(benchmarksOk ? "ok" : "FAILED")}, report {(reportOk ? "ok" : "FAILED")}.");
        return analysisOk && benchmarksOk && reportOk ? 0 : 1;
    }

    /// <summary>results/targets.md and .json from the reports in results/benchmarks/ (also `-- targets` on its own).</summary>
    public static TargetTable WriteTargets(string results)
    {
        TargetTable targets = TargetTable.From(Path.Combine(results, "benchmarks"));
        File.WriteAllText(Path.Combine(results, "targets.md"), targets.ToMarkdown());
        File.WriteAllText(Path.Combine(results, "targets.json"), targets.ToJson());
        return targets;
    }

    /// <summary>
    /// The report (results/REPORT.md, report-data.json and charts/) from the files the main job has just
    /// written under <paramref name="results"/> (analysis.json, benchmarks/*-report-full.json; chain.json when present),
    /// as `overlay report --results results/ --out results/` renders it. False when a result file does not parse.
    /// </summary>
    public static bool RenderReportIfAvailable(string results)
    {
        try
        {
            // Named as the documented command names it (results/), so the committed report is what that command renders.
            string shown = Path.TrimEndingDirectorySeparator(Path.GetRelativePath(RepoPaths.Root, results)) + "/";
            ReportOutcome outcome = ReportGenerator.Generate(results, results, default, shown, shown);
            Console.WriteLine($"    {Path.GetRelativePath(RepoPaths.Root, outcome.ReportPath)}: {outcome.Data.Charts.Count} charts, {outcome.Data.Findings.Count} findings");
            foreach (SkippedChart skipped in outcome.Data.Skipped)
            {
                Console.WriteLine($"    skipped {skipped.Id}: {skipped.Reason}");
            }
            return true;
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"    report: {e.Message}");
            return false;
        }
    }

    private static void Stage(int number, string text)
    {
        Console.WriteLine();
        Console.WriteLine($"==> [{number}/4] {text}");
    }

    /// <summary>The service-insertion walk over every capture, with the chain profiles as service hops (as `overlay chain --profile … --json results/chain.json`).</summary>
    private static bool RunChains(string results)
    {
        var clock = Stopwatch.StartNew();
        Console.Write("    service chains (k = 0..8, metadata 0/8/16/32 B) ... ");
        var chainResults = new List<ChainResult>();
        foreach (string capture in RepoPaths.CaptureFiles())
        {
            chainResults.AddRange(ServiceChainAnalyzer.Analyze(capture, Enumerable.Range(0, 9).ToArray(), [0, 8, 16, 32]));
            foreach (string profile in ChainProfiles)
            {
                chainResults.AddRange(Overlay.Replay.Profiles.ProfileChain.Analyze(capture, DeployedProfiles.Find(profile)!, Enumerable.Range(0, 9).ToArray()));
            }
        }
        var document = new ChainDocument
        {
            Environment = RunEnvironment.Current($"overlay-benchmarks {typeof(MainJob).Assembly.GetName().Version}"),
            Results = chainResults,
        };
        File.WriteAllText(Path.Combine(results, "chain.json"), document.ToJson());
        long lost = chainResults.Sum(r => (long)(r.Packets.Value - r.Arrived.Value));
        Console.WriteLine($"{chainResults.Count} paths, {clock.Elapsed.TotalSeconds:F1} s{(lost == 0 ? "" : $", {lost} packets did NOT arrive intact")}");
        return lost == 0;
    }

    /// <summary>
    /// Every catalogue variant, the two-SID SRv6 forms (H.Encaps.Red and NEXT-C-SID) that carry one service and the egress,
    /// and every deployed profile's tunnels: the report's "as deployed" section sets the profiles against those SRv6 forms.
    /// </summary>
    internal static IReadOnlyList<VariantSpec> AnalysedVariants() =>
        [.. VariantCatalog.All
            .Concat(new[] { "srv6-encaps-red-2sid", "srv6-csid-2sid" }.Select(n => VariantNames.Resolve(n)
                ?? throw new InvalidOperationException($"{n} is not a variant name")))
            .Concat(DeployedProfiles.All.SelectMany(p => p.Legs))
            .DistinctBy(v => v.Name)];

    /// <summary>The profiles walked as a service hop in the chain study: the service insertion that ships, and the SRv6 headends.</summary>
    internal static readonly string[] ChainProfiles = ["aws-gwlb", "azure-gwlb-pair", "nsx-geneve", "srv6-usid", "linux-seg6"];

    /// <summary>`overlay analyze --variants all,srv6-encaps-red-2sid,srv6-csid-2sid --profile all --throughput --json results/analysis.json --markdown results/analysis.md` over captures/.</summary>
    private static bool RunAnalysis(string results)
    {
        var run = new AnalysisRun
        {
            Captures = RepoPaths.CaptureFiles(),
            // The report's encap/decap speed figures come from these timed passes: ask for them (an analysis is untimed by default).
            Options = new AnalyzeOptions { Variants = AnalysedVariants(), MeasureThroughput = true },
            Profiles = [.. DeployedProfiles.Names],
            Tool = $"overlay-benchmarks {typeof(MainJob).Assembly.GetName().Version}",
            // Paths relative to the checkout, so the result file and the report's commands name no machine's folders.
            DisplayPath = path => Path.GetRelativePath(RepoPaths.Root, path),
        };
        AnalysisOutcome outcome = run.Run(new LineProgress());
        File.WriteAllText(Path.Combine(results, "analysis.json"), outcome.Document.ToJson());
        File.WriteAllText(Path.Combine(results, "analysis.md"), outcome.Markdown);
        return run.Captures.Count > 0 && outcome.Errors.Count == 0;
    }

    /// <summary>A line per capture: its frames, the time it took, and its error if it has one.</summary>
    private sealed class LineProgress : IAnalysisProgress
    {
        public CaptureAnalysis Capture(string title, Func<IProgress<AnalyzeProgress>?, CaptureAnalysis> analyze)
        {
            var clock = Stopwatch.StartNew();
            Console.Write($"    {title} ... ");
            CaptureAnalysis analysis = analyze(null);
            Console.WriteLine($"{analysis.Summary.Packets.Value:N0} frames, {clock.Elapsed.TotalSeconds:F1} s{(analysis.Error is null ? "" : $", ERROR: {analysis.Error.Message}")}");
            return analysis;
        }

        public List<ScalingResult> Scaling(string title, Func<IProgress<AnalyzeProgress>?, List<ScalingResult>> measure) => measure(null);
    }

    /// <summary>Copies BenchmarkDotNet's exported reports (artifacts/results/*) into results/benchmarks/, replacing the last run's.</summary>
    private static void CopyExports(string artifacts, string destination)
    {
        if (Directory.Exists(destination))
        {
            Directory.Delete(destination, recursive: true);
        }
        Directory.CreateDirectory(destination);
        string exported = Path.Combine(artifacts, "results");
        if (!Directory.Exists(exported))
        {
            return;
        }
        foreach (string file in Directory.EnumerateFiles(exported))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
        }
    }

    private static void WriteRunDescription(string results, Kind kind, Job job, DateTimeOffset started, TimeSpan elapsed, Summary[] summaries, string[] benchmarkArgs)
    {
        RunEnvironment environment = RunEnvironment.Current($"overlay-benchmarks {typeof(MainJob).Assembly.GetName().Version}");
        var run = new Dictionary<string, object?>
        {
            ["schema"] = RunSchema,
            ["machine"] = environment.Machine,
            ["os"] = environment.Os,
            ["runtime"] = environment.Runtime,
            ["processorCount"] = environment.ProcessorCount,
            ["commit"] = environment.Commit,
            ["date"] = started,
            ["durationSeconds"] = Math.Round(elapsed.TotalSeconds, 1),
            ["command"] = kind == Kind.Full
                ? "dotnet run -c Release --project bench/Overlay.Benchmarks -- --full" + (benchmarkArgs.Length == 0 ? "" : " " + string.Join(' ', benchmarkArgs))
                : "dotnet run -c Release --project bench/Overlay.Benchmarks",
            ["job"] = new Dictionary<string, object?>
            {
                ["id"] = job.Id,
                ["kind"] = kind == Kind.Full ? "full" : "short",
                ["cases"] = kind == Kind.Full ? "every case" : MainCases.Description,
                ["launchCount"] = job.Run.LaunchCount,
                ["warmupCount"] = job.Run.WarmupCount,
                ["iterationCount"] = job.Run.HasValue(RunMode.IterationCountCharacteristic) ? job.Run.IterationCount : null,
                ["minIterationCount"] = job.Run.HasValue(RunMode.MinIterationCountCharacteristic) ? job.Run.MinIterationCount : null,
                ["maxIterationCount"] = job.Run.HasValue(RunMode.MaxIterationCountCharacteristic) ? job.Run.MaxIterationCount : null,
                ["iterationTimeMs"] = job.Run.IterationTime.ToMilliseconds(),
                ["toolchain"] = "BenchmarkDotNet default (one process per case)",
                ["benchmarkDotNet"] = typeof(BenchmarkRunner).Assembly.GetName().Version?.ToString(),
            },
            ["benchmarks"] = summaries.Select(s => new Dictionary<string, object?>
            {
                ["title"] = s.Title,
                ["class"] = s.BenchmarksCases.FirstOrDefault()?.Descriptor.Type.Name,
                ["cases"] = s.BenchmarksCases.Length,
                ["failed"] = s.Reports.Count(r => !r.Success),
                ["seconds"] = Math.Round(s.TotalTime.TotalSeconds, 1),
            }).ToList(),
            ["files"] = new Dictionary<string, string>
            {
                ["analysis"] = "analysis.json",
                ["analysisMarkdown"] = "analysis.md",
                ["benchmarks"] = "benchmarks/",
                ["targets"] = "targets.json",
                ["targetsMarkdown"] = "targets.md",
            },
        };
        File.WriteAllText(Path.Combine(results, RunDescription.FileName), JsonSerializer.Serialize(run, ResultDocument.JsonOptions));
    }
}
