using System.Text.Json;
using Overlay.Results.Benchmarks;

namespace Overlay.Results;

/// <summary>The BenchmarkDotNet job a run used, as the benchmark project's run.json records it.</summary>
public sealed record RunJob
{
    public string? Id { get; init; }
    /// <summary>"short" (the main job) or "full" (--full).</summary>
    public string? Kind { get; init; }
    public string? Cases { get; init; }
    public int? LaunchCount { get; init; }
    public int? WarmupCount { get; init; }
    public int? IterationCount { get; init; }
    public int? MinIterationCount { get; init; }
    public int? MaxIterationCount { get; init; }
    public double? IterationTimeMs { get; init; }
    public string? Toolchain { get; init; }

    /// <summary>"1 launch, 1 warm-up and 15 measured iterations of 100 ms", from what the job sets.</summary>
    public string Settings()
    {
        string iterations = IterationCount is int n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : MinIterationCount is int min && MaxIterationCount is int max ? $"{min} to {max}"
            : "BenchmarkDotNet's automatic number of";
        string time = IterationTimeMs is double ms ? $" of {ms:0.##} ms" : "";
        return $"{LaunchCount ?? 1} launch{(LaunchCount is > 1 ? "es" : "")}, {WarmupCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "automatic"} warm-up and {iterations} measured iterations{time}";
    }
}

/// <summary>One benchmark class of a run, as run.json lists it.</summary>
public sealed record RunBenchmark
{
    public string? Title { get; init; }
    public string? Class { get; init; }
    public int Cases { get; init; }
    public int Failed { get; init; }
    public double Seconds { get; init; }
}

/// <summary>
/// results/run.json (schema overlay-bench/run/v1), written by the benchmark project's main job: the commit, command
/// and BenchmarkDotNet job behind the reports in benchmarks/. The report uses it only when its titles name every
/// report it reads, so a run.json left from another run never describes them.
/// </summary>
public sealed record RunDescription
{
    public const string Schema = "overlay-bench/run/v1";
    public const string FileName = "run.json";

    public string? Commit { get; init; }
    public DateTimeOffset? Date { get; init; }
    public double? DurationSeconds { get; init; }
    public string? Command { get; init; }
    public RunJob? Job { get; init; }
    public List<RunBenchmark> Benchmarks { get; init; } = [];

    public static RunDescription FromJson(string json) =>
        JsonSerializer.Deserialize<RunDescription>(json, ResultDocument.JsonOptions) ?? throw new JsonException("empty run description");

    /// <summary>True when this run produced every one of these reports (the titles BenchmarkDotNet stamps on each).</summary>
    public bool Describes(IReadOnlyCollection<BenchmarkReport> reports)
    {
        var titles = Benchmarks.Select(b => b.Title).ToHashSet(StringComparer.Ordinal);
        return reports.Count > 0 && reports.All(r => titles.Contains(r.Title));
    }
}
