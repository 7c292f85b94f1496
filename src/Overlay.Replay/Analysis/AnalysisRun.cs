using System.Globalization;
using Overlay.Encapsulation;
using Overlay.Replay.Capture;
using Overlay.Replay.Merge;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>
/// One run of the capture analysis: which captures, how they are analysed, and what the result document says about
/// the run. `overlay analyze` and the benchmark project's main job both run it through <see cref="Run"/>, so the
/// analysis document is assembled in one place.
/// </summary>
public sealed record AnalysisRun
{
    /// <summary>The capture files, in the order they are analysed and reported.</summary>
    public required IReadOnlyList<string> Captures { get; init; }

    public required AnalyzeOptions Options { get; init; }

    /// <summary>The tool and version the document names as its producer.</summary>
    public required string Tool { get; init; }

    /// <summary>Multi-core scaling up to this many threads (0: none); null leaves the setting out of the document.</summary>
    public int? ScalingThreads { get; init; }

    /// <summary>The deployed profiles whose tunnels are among the variants, named in the settings; null names none.</summary>
    public IReadOnlyList<string>? Profiles { get; init; }

    /// <summary>Measure only the scaling: the document then holds no per-variant figures.</summary>
    public bool ScalingOnly { get; init; }

    /// <summary>How the document names a capture file (the path as given, by default).</summary>
    public Func<string, string> DisplayPath { get; init; } = path => path;

    /// <summary>
    /// Flow shards analysed in parallel, one per thread, and merged by <see cref="AnalysisMerge"/> as `overlay merge`
    /// merges shards: every figure is the one-thread figure; each shard's timings stay its own.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>Analyses every capture (and measures scaling, if asked) and assembles the result document.</summary>
    public AnalysisOutcome Run(IAnalysisProgress? progress = null, CancellationToken cancellation = default)
    {
        progress ??= IAnalysisProgress.Silent;
        if (Threads > 1 && !ScalingOnly)
        {
            return RunThreads(progress, cancellation);
        }
        var analyzer = new CaptureAnalyzer(Options);
        var summaries = new List<CaptureSummary>();
        var results = new List<VariantResult>();
        var states = new List<CaptureState>();
        var errors = new List<CaptureException>();
        for (int i = 0; i < Captures.Count && !ScalingOnly; i++)
        {
            string capture = Captures[i];
            CaptureAnalysis analysis = progress.Capture($"[{i + 1}/{Captures.Count}] {Path.GetFileName(capture)}",
                report => analyzer.Analyze(capture, report, cancellation));
            summaries.Add(analysis.Summary with { File = DisplayPath(capture) });
            results.AddRange(analysis.Results);
            states.Add(analysis.State!);
            if (analysis.Error is not null)
            {
                errors.Add(analysis.Error);
            }
        }

        List<ScalingResult>? scaling = null;
        if (ScalingThreads is int maxThreads && maxThreads > 0)
        {
            scaling = [];
            int[] counts = ScalingAnalyzer.ThreadCounts(maxThreads);
            foreach (string capture in Captures)
            {
                for (int v = 0; v < Options.Variants.Count; v++)
                {
                    VariantSpec variant = Options.Variants[v];
                    double fraction = (double)v / Options.Variants.Count;
                    scaling.AddRange(progress.Scaling($"scaling {Path.GetFileName(capture)} {variant.Name}", report =>
                    {
                        report?.Report(new AnalyzeProgress(Path.GetFileName(capture), $"1..{maxThreads} threads", fraction));
                        return ScalingAnalyzer.Measure(capture, variant, counts, Options.Passes, Options.MinPassTime, cancellation);
                    }));
                }
            }
        }

        var settings = new Dictionary<string, string>
        {
            ["variants"] = string.Join(",", Options.Variants.Select(v => v.Name)),
            ["interfaceMtu"] = Options.InterfaceMtu.ToString(CultureInfo.InvariantCulture),
            ["segmentSuperFrames"] = Options.SegmentSuperFrames.ToString(),
            ["passes"] = Options.Passes.ToString(CultureInfo.InvariantCulture),
            ["minPassMs"] = Options.MinPassTime.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
            ["throughput"] = Options.MeasureThroughput.ToString(),
            ["arenaMiB"] = (Options.ArenaBytes >> 20).ToString(CultureInfo.InvariantCulture),
        };
        if (Profiles is not null)
        {
            settings["profiles"] = string.Join(",", Profiles);
        }
        if (ScalingThreads is int threads)
        {
            settings["scaling"] = threads.ToString(CultureInfo.InvariantCulture);
        }
        var document = new ResultDocument
        {
            Environment = RunEnvironment.Current(Tool),
            Settings = settings,
            Shard = Options.Shard.Count > 1 ? Options.Shard : null,
            Captures = summaries,
            Results = results,
            Scaling = scaling,
            State = ScalingOnly ? null : new AnalysisState
            {
                UnderlayMtus = [.. Options.UnderlayMtus],
                EcmpPaths = [.. Options.EcmpPaths],
                LineRatesGbps = [.. Options.LineRatesGbps],
                DistinctCapacity = DistinctSample.DefaultCapacity,
                Captures = states,
            },
        };
        return new AnalysisOutcome(document, errors);
    }

    /// <summary>
    /// <see cref="Threads"/> flow shards of every capture at once (the first shows its progress), merged; scaling,
    /// if asked, is measured after, alone on the machine.
    /// </summary>
    private AnalysisOutcome RunThreads(IAnalysisProgress progress, CancellationToken cancellation)
    {
        if (Options.Shard.Count > 1)
        {
            throw new ArgumentException($"--threads {Threads} splits a whole capture: it cannot split shard {Options.Shard} again");
        }
        AnalysisRun Shard(int i) => this with { Threads = 1, ScalingThreads = null, Options = Options with { Shard = new ShardInfo(i, Threads) } };
        Task<AnalysisOutcome>[] others = [.. Enumerable.Range(1, Threads - 1).Select(i =>
            Task.Factory.StartNew(() => Shard(i).Run(IAnalysisProgress.Silent, cancellation), cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default))];
        AnalysisOutcome firstShard = Shard(0).Run(progress, cancellation);
        Task.WaitAll(others, cancellation);
        AnalysisOutcome[] shards = [firstShard, .. others.Select(t => t.Result)];
        ResultDocument merged = AnalysisMerge.Merge(
            [.. shards.Select((s, i) => new MergeInput($"thread {i + 1} of {Threads}", s.Document))],
            name => Options.Variants.FirstOrDefault(v => v.Name == name),
            Tool);
        merged.Settings["threads"] = Threads.ToString(CultureInfo.InvariantCulture);
        List<ScalingResult>? scaling = null;
        if (ScalingThreads is int scalingThreads)
        {
            merged.Settings["scaling"] = scalingThreads.ToString(CultureInfo.InvariantCulture);
            scaling = (this with { Threads = 1, ScalingOnly = true }).Run(progress, cancellation).Document.Scaling;
        }
        // Every shard reads every frame, so each meets a bad record: name it once.
        List<CaptureException> errors = [.. shards.SelectMany(s => s.Errors).DistinctBy(e => e.Message)];
        return new AnalysisOutcome(merged with { Scaling = scaling, Merge = merged.Merge! with { Kind = "threads" } }, errors);
    }
}

/// <summary>The analysis document, and the capture errors that stopped a capture part-way (its earlier frames are in it).</summary>
public sealed record AnalysisOutcome(ResultDocument Document, IReadOnlyList<CaptureException> Errors)
{
    /// <summary>The document as Markdown (analysis.md).</summary>
    public string Markdown => Results.MarkdownSummary.Render(Document);
}

/// <summary>How a caller shows a long analysis: each capture and each scaling measurement runs inside its own stage.</summary>
public interface IAnalysisProgress
{
    /// <summary>Runs the analysis of one capture; <paramref name="analyze"/> takes where to report its progress, or null.</summary>
    CaptureAnalysis Capture(string title, Func<IProgress<AnalyzeProgress>?, CaptureAnalysis> analyze);

    /// <summary>Runs the scaling measurement of one capture and variant.</summary>
    List<ScalingResult> Scaling(string title, Func<IProgress<AnalyzeProgress>?, List<ScalingResult>> measure);

    /// <summary>Shows nothing.</summary>
    public static IAnalysisProgress Silent { get; } = new SilentProgress();

    private sealed class SilentProgress : IAnalysisProgress
    {
        public CaptureAnalysis Capture(string title, Func<IProgress<AnalyzeProgress>?, CaptureAnalysis> analyze) => analyze(null);
        public List<ScalingResult> Scaling(string title, Func<IProgress<AnalyzeProgress>?, List<ScalingResult>> measure) => measure(null);
    }
}
