using System.Text.Json;
using System.Text.Json.Serialization;
using Overlay.Results.Benchmarks;
using Overlay.Results;
using Overlay.Reporting.Charts;

namespace Overlay.Reporting.Report;

/// <summary>A chart the report could not draw, and why (its inputs are absent, or it would show nothing but zeros).</summary>
public sealed record SkippedChart(string Id, string Title, string Reason);

/// <summary>Where `overlay report` ran (the exact charts are computed there).</summary>
public sealed record ReporterInfo(string Machine, string Os, string Runtime, string Commit, string Tool);

public sealed record AnalysisInput(string File, RunEnvironment Environment, Dictionary<string, string> Settings, List<string> Captures);

public sealed record BenchmarkInput(string File, string? Title, BenchmarkHost? Host, int Cases, string? Job = null, DateTimeOffset? Date = null);

/// <summary>
/// results/report-data.json: every figure every chart plots (the charts are drawn from this, and the tests compare the
/// drawn series with it), the exact header costs, what was skipped and why, and the findings.
/// </summary>
public sealed record ReportData
{
    public const string CurrentSchema = "overlay-bench/report/v1";
    public string Schema { get; init; } = CurrentSchema;
    /// <summary>The date the report speaks for: its newest analysis (else benchmark) run.</summary>
    public required DateTimeOffset AsOf { get; init; }
    public required ReporterInfo Reporter { get; init; }
    public required List<AnalysisInput> Analyses { get; init; }
    public required List<BenchmarkInput> Benchmarks { get; init; }
    /// <summary>The run that made the benchmark reports (results/run.json), when it describes them.</summary>
    public RunDescription? Run { get; init; }
    public required List<HeaderCost> HeaderCosts { get; init; }
    public required List<ChartSpec> Charts { get; init; }
    public required List<SkippedChart> Skipped { get; init; }
    public required List<Finding> Findings { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ReportData FromJson(string json) =>
        JsonSerializer.Deserialize<ReportData>(json, JsonOptions) ?? throw new JsonException("empty report data");
}
