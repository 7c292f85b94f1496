using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overlay.Reporting.Comparison;

/// <summary>The comparison as a JSON document, for charts and for tools that read results files only.</summary>
public static class ComparisonJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(ComparisonReport report) => JsonSerializer.Serialize(new
    {
        exitCode = report.ExitCode,
        threshold = report.Options.Threshold,
        historyNoise = report.Noise is { } n
            ? new
            {
                change = n.Change, quantile = n.Quantile, runs = n.Runs, comparisons = n.Comparisons, changes = n.Changes, requestedThreshold = n.RequestedThreshold,
                groupChange = n.GroupChange, groupChanges = n.GroupChanges, groupThreshold = n.GroupThreshold,
            }
            : null,
        noiseNanoseconds = report.Options.NoiseNanoseconds,
        alpha = report.Options.Alpha,
        outlierFence = report.Options.OutlierFence,
        allocationsOnly = report.Options.AllocationsOnly,
        baselineRuns = report.BaselineRuns,
        currentRuns = report.CurrentRuns,
        geometricMean = report.GeometricMean,
        benchmarks = report.Benchmarks.Select(b => new
        {
            fullName = b.FullName,
            time = b.Time,
            allocation = b.Allocation,
            regression = report.Regressions.Contains(b),
            baselineNanoseconds = b.Timing?.BaselineMedian,
            currentNanoseconds = b.Timing?.CurrentMedian,
            ratio = b.Timing?.Ratio,
            pSlower = b.Timing is { PSlower: var p } && !double.IsNaN(p) ? p : (double?)null,
            pFaster = b.Timing is { PFaster: var q } && !double.IsNaN(q) ? q : (double?)null,
            baselineSamples = b.Timing?.BaselineCount,
            currentSamples = b.Timing?.CurrentCount,
            sampleUnit = b.Timing is null ? null : b.Timing.ByLaunch ? "launch" : "iteration",
            outliersDropped = b.Timing?.OutliersDropped,
            calibration = b.Calibration,
            baselineBytesPerOperation = b.BaselineBytes,
            currentBytesPerOperation = b.CurrentBytes,
            note = b.Note,
        }),
        groups = report.Groups.Select(g => new { name = g.Name, cases = g.Cases, geometricMean = g.GeometricMean, threshold = g.Threshold, time = g.Verdict }),
        missing = report.Missing.Select(b => b.FullName),
        @new = report.New.Select(b => b.FullName),
        rerunFilters = report.RerunFilters(),
    }, Options);
}
