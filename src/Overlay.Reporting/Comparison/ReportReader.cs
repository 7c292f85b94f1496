using System.Text.Json;
using Overlay.Results.Benchmarks;

namespace Overlay.Reporting.Comparison;

/// <summary>
/// Reads BenchmarkDotNet full-JSON reports (<c>*-report-full.json</c>, or <c>*-report-full-compressed.json</c>, the same
/// document without indentation). Every folder that holds reports is one run; a folder given to
/// <see cref="ReadRuns"/> may hold one run or a history of runs in sub-folders.
/// </summary>
public static class ReportReader
{
    private const string FullSuffix = "-report-full.json";
    private const string CompressedSuffix = "-report-full-compressed.json";

    /// <summary>Every run under <paramref name="directory"/> (itself included), in ordinal order of their folders.</summary>
    /// <exception cref="ComparisonInputException">No such folder, no report in it, or a report that cannot be read.</exception>
    public static IReadOnlyList<BenchmarkRun> ReadRuns(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new ComparisonInputException($"{directory}: no such folder");
        }
        List<string> files;
        try
        {
            files = Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(FullSuffix, StringComparison.Ordinal) || f.EndsWith(CompressedSuffix, StringComparison.Ordinal))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ComparisonInputException($"{directory}: {e.Message}", e);
        }
        if (files.Count == 0)
        {
            throw new ComparisonInputException(
                $"{directory}: no BenchmarkDotNet full-JSON report (*{FullSuffix}); run the benchmarks with the full JSON exporter");
        }
        var runs = new List<BenchmarkRun>();
        foreach (IGrouping<string, string> folder in files
                     .GroupBy(f => Path.GetDirectoryName(f) ?? ".", StringComparer.Ordinal)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // A class exported both indented and compressed is one report, read once.
            var byClass = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (string file in folder.Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(file);
                bool compressed = name.EndsWith(CompressedSuffix, StringComparison.Ordinal);
                string key = name[..^(compressed ? CompressedSuffix.Length : FullSuffix.Length)];
                if (!compressed || !byClass.ContainsKey(key))
                {
                    byClass[key] = file;
                }
            }
            var benchmarks = new Dictionary<string, BenchmarkResult>(StringComparer.Ordinal);
            foreach (string file in byClass.Values)
            {
                foreach (BenchmarkResult result in ReadReport(file))
                {
                    if (!benchmarks.TryAdd(result.FullName, result))
                    {
                        throw new ComparisonInputException(
                            $"{file}: {result.FullName} appears twice in one run ({folder.Key}); a benchmark run with two jobs cannot be matched by full name: run it with one job");
                    }
                }
            }
            string relative = Path.GetRelativePath(directory, folder.Key);
            runs.Add(new BenchmarkRun(relative, benchmarks));
        }
        return runs;
    }

    /// <summary>The benchmarks of one report file.</summary>
    /// <exception cref="ComparisonInputException">The file cannot be read or is not a BenchmarkDotNet full-JSON report.</exception>
    public static IReadOnlyList<BenchmarkResult> ReadReport(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ComparisonInputException($"{path}: {e.Message}", e);
        }
        try
        {
            return Parse(text);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new ComparisonInputException($"{path}: not a BenchmarkDotNet full-JSON report ({e.Message})", e);
        }
    }

    /// <summary>Parses the text of one report (with <see cref="BenchmarkReport.Parse"/>, the one reader of the format).</summary>
    public static IReadOnlyList<BenchmarkResult> Parse(string json)
    {
        BenchmarkReport report = BenchmarkReport.Parse(json, "");
        if (!report.HasBenchmarks)
        {
            throw new FormatException("no Benchmarks array");
        }
        return report.Benchmarks.Select(ToResult).ToList();
    }

    private static BenchmarkResult ToResult(BenchmarkCase benchmark)
    {
        string fullName = benchmark.FullName ?? throw new FormatException("a benchmark without FullName");
        string type = benchmark.Type ?? throw new FormatException($"{fullName}: no Type");
        string method = benchmark.Method ?? throw new FormatException($"{fullName}: no Method");
        (double[] samples, double[]? launchMedians) = Samples(benchmark, fullName);
        return new BenchmarkResult(fullName, benchmark.Namespace ?? "", type, method, benchmark.Parameters ?? "", samples, benchmark.AllocatedBytes, launchMedians);
    }

    /// <summary>
    /// Nanoseconds per operation of every Workload/Result measurement (the actual iterations with the overhead
    /// subtracted, every launch); BenchmarkDotNet's Statistics.OriginalValues, the same numbers, when the report
    /// carries no measurements; and the median of each launch's measurements (null without measurements).
    /// </summary>
    private static (double[] Samples, double[]? LaunchMedians) Samples(BenchmarkCase benchmark, string fullName)
    {
        var samples = new List<double>();
        var launches = new SortedDictionary<int, List<double>>();
        foreach (BenchmarkMeasurement m in benchmark.Measurements ?? [])
        {
            if (m.IsResult)
            {
                double operations = m.Operations ?? 0;
                double nanoseconds = m.Nanoseconds ?? double.NaN;
                if (operations <= 0 || !double.IsFinite(nanoseconds))
                {
                    throw new FormatException($"{fullName}: a measurement without operations or nanoseconds");
                }
                samples.Add(nanoseconds / operations);
                int launch = m.LaunchIndex ?? 1;
                if (!launches.TryGetValue(launch, out List<double>? ofLaunch))
                {
                    launches[launch] = ofLaunch = [];
                }
                ofLaunch.Add(nanoseconds / operations);
            }
        }
        if (samples.Count == 0)
        {
            samples.AddRange((benchmark.Statistics?.OriginalValues ?? []).OfType<double>().Where(double.IsFinite));
        }
        return (samples.ToArray(), launches.Count > 0 ? launches.Values.Select(v => Statistics.Median(v)).ToArray() : null);
    }
}
