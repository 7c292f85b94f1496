using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace Overlay.Benchmarks.Config;

/// <summary>Benchmark categories: one per class, plus what a method measures.</summary>
public static class Categories
{
    public const string Encapsulate = "encapsulate";
    public const string Decapsulate = "decapsulate";
    public const string Srv6End = "srv6-end";
    public const string Replay = "replay";
    public const string PacketDotNet = "packetdotnet";
    public const string Sweep = "sweep";
    public const string ServiceHop = "service-hop";

    public const string Copy = "copy";
    public const string InPlace = "in-place";
    /// <summary>The calibration baseline of every class: a plain copy of the same bytes, the physical bound.</summary>
    public const string Calibration = "calibration";
    /// <summary>A peer library's build of the same packet.</summary>
    public const string Peer = "peer";
    /// <summary>This suite's own encoder, beside a peer.</summary>
    public const string Overlay = "overlay";
}

/// <summary>
/// The suite's one recommended BenchmarkDotNet configuration (as dotnet/performance keeps one): the memory
/// diagnoser, full JSON + CSV + GitHub-markdown exporters, median/min/max columns, categories, and the filter
/// that drops parameter combinations that do not exist (a 0-SID SRv6 path, a GENEVE header with 10 options).
/// Every entry point uses it: the main job, <c>BenchmarkSwitcher</c> with any command-line flags, and the tests.
/// </summary>
public static class BenchConfig
{
    /// <summary>The recommended configuration.</summary>
    /// <param name="job">The job, or null for BenchmarkDotNet's default or the one --job names.</param>
    /// <param name="loggers">Where progress goes: the console unless given (the tests pass their own).</param>
    public static ManualConfig Create(Job? job = null, ILogger[]? loggers = null)
    {
        ManualConfig config = ManualConfig.CreateEmpty()
            .AddLogger(loggers ?? DefaultConfig.Instance.GetLoggers().ToArray())
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddAnalyser(DefaultConfig.Instance.GetAnalysers().ToArray())
            .AddValidator(DefaultConfig.Instance.GetValidators().ToArray())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(JsonExporter.Full, CsvExporter.Default, MarkdownExporter.GitHub)
            .AddColumn(CategoriesColumn.Default, StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max)
            .AddFilter(new SimpleFilter(ValidCase))
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48))
            // The generated project builds the whole solution once (about a minute on 2 idle cores); the default 2-minute
            // limit fails on a busy machine.
            .WithBuildTimeout(TimeSpan.FromMinutes(15));
        if (job is not null)
        {
            config.AddJob(job);
        }
        return config;
    }

    /// <summary>
    /// The main job's short job: enough for ratios on a quiet machine within the 20-minute budget on 2 cores
    /// (one process per case, 3 warm-up and 7 measured iterations of 100 ms).
    /// </summary>
    public static Job ShortJob { get; } = Job.Default
        .WithId("main-short")
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(7)
        .WithIterationTime(TimeInterval.FromMilliseconds(100));

    /// <summary>
    /// The publication-grade job (`--full`) over every case: one process per case, 1 warm-up and 15 measured iterations
    /// of 100 ms, shorter than dotnet/performance's 250 ms (bench/README.md, "Reading the ratios", says what each cost and
    /// how well each agreed where it was measured): what a case's figure is off by on a shared machine is the machine's speed, which drifts between processes
    /// and within one over seconds (bench/README.md), and longer iterations only average over that drift. More launches,
    /// spread in time (`--launchCount 3`), are what reduce it.
    /// </summary>
    public static Job FullJob { get; } = Job.Default
        .WithId("full")
        .WithLaunchCount(1)
        .WithWarmupCount(1)
        .WithIterationTime(TimeInterval.FromMilliseconds(100))
        .WithIterationCount(15);

    /// <summary>False for parameter combinations that do not exist; every config applies it.</summary>
    public static bool ValidCase(BenchmarkCase benchmark)
    {
        if (benchmark.Descriptor.Type == typeof(SweepBenchmarks))
        {
            string sweep = (string)benchmark.Parameters[nameof(SweepBenchmarks.Sweep)];
            int count = (int)benchmark.Parameters[nameof(SweepBenchmarks.Count)];
            return SweepBenchmarks.IsValid(sweep, count);
        }
        return true;
    }
}
