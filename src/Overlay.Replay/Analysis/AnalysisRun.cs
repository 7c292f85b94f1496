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
    /// Workers that analyse each capture together (`--threads N`): one reader hands every frame to the worker owning
    /// its inner flow (<see cref="FlowWorkers"/>), and their shards are merged by <see cref="AnalysisMerge"/> as
    /// `overlay merge` merges shards: every figure is the one-thread figure; each worker's timings stay its own.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>Analyses every capture (and measures scaling, if asked) and assembles the result document.</summary>
    public AnalysisOutcome Run(IAnalysisProgress? progress = null, CancellationToken cancellation = default)
    {
        progress ??= IAnalysisProgress.Silent;
        int workers = ScalingOnly ? 1 : Threads;
        if (workers > 1 && Options.Shard.Count > 1)
        {
            throw new ArgumentException($"--threads {Threads} splits a whole capture: it cannot split shard {Options.Shard} again");
        }
        var analyzer = new CaptureAnalyzer(Options);
        // Per worker, what it found in each capture; one thread is a single worker.
        var parts = new CaptureParts[workers];
        for (int w = 0; w < workers; w++)
        {
            parts[w] = new CaptureParts();
        }
        var errors = new List<CaptureException>();
        for (int i = 0; i < Captures.Count && !ScalingOnly; i++)
        {
            string capture = Captures[i];
            CaptureAnalysis[] analyses = [];
            // The progress stage shows the first worker's analysis; the others are kept here beside it.
            progress.Capture($"[{i + 1}/{Captures.Count}] {Path.GetFileName(capture)}", report => (analyses = workers == 1
                ? [analyzer.Analyze(capture, report, cancellation)]
                : FlowWorkers.Analyze(Options, capture, workers, report, cancellation))[0]);
            for (int w = 0; w < workers; w++)
            {
                parts[w].Add(analyses[w], DisplayPath(capture));
            }
            // The capture was read once: its error, if any, is named once.
            if (analyses[0].Error is CaptureException error)
            {
                errors.Add(error);
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

        if (workers == 1)
        {
            return new AnalysisOutcome(Document(parts[0], Options.Shard, scaling), errors);
        }
        ResultDocument merged = AnalysisMerge.Merge(
            [.. parts.Select((p, w) => new MergeInput($"thread {w + 1} of {workers}", Document(p, new ShardInfo(w, workers), scaling: null)))],
            name => Options.Variants.FirstOrDefault(v => v.Name == name),
            Tool);
        merged.Settings["threads"] = workers.ToString(CultureInfo.InvariantCulture);
        if (ScalingThreads is int scalingThreads)
        {
            merged.Settings["scaling"] = scalingThreads.ToString(CultureInfo.InvariantCulture);
        }
        return new AnalysisOutcome(merged with { Scaling = scaling, Merge = merged.Merge! with { Kind = "threads" } }, errors);
    }

    /// <summary>The result document of one shard's (or of the whole run's) analyses.</summary>
    private ResultDocument Document(CaptureParts parts, ShardInfo shard, List<ScalingResult>? scaling)
    {
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
        return new ResultDocument
        {
            Environment = RunEnvironment.Current(Tool),
            Settings = settings,
            Shard = shard.Count > 1 ? shard : null,
            Captures = parts.Summaries,
            Results = parts.Results,
            Scaling = scaling,
            State = ScalingOnly ? null : new AnalysisState
            {
                UnderlayMtus = [.. Options.UnderlayMtus],
                EcmpPaths = [.. Options.EcmpPaths],
                LineRatesGbps = [.. Options.LineRatesGbps],
                DistinctCapacity = DistinctSample.DefaultCapacity,
                Captures = parts.States,
            },
        };
    }

    /// <summary>What one worker (or the one thread) found in each capture, in order.</summary>
    private sealed class CaptureParts
    {
        public List<CaptureSummary> Summaries { get; } = [];
        public List<VariantResult> Results { get; } = [];
        public List<CaptureState> States { get; } = [];

        public void Add(CaptureAnalysis analysis, string displayPath)
        {
            Summaries.Add(analysis.Summary with { File = displayPath });
            Results.AddRange(analysis.Results);
            States.Add(analysis.State!);
        }
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
