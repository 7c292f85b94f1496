using System.Text;
using System.Text.Json;

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

    /// <summary>Parses the text of one report.</summary>
    public static IReadOnlyList<BenchmarkResult> Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            // BenchmarkDotNet's serializer writes NaN and ±Infinity (a statistic of one measurement) as bare words,
            // which JSON does not allow; they stand for "no value", so read them as null.
            document = JsonDocument.Parse(ReplaceNonFiniteNumbers(json));
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Benchmarks", out JsonElement benchmarks) || benchmarks.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("no Benchmarks array");
            }
            var results = new List<BenchmarkResult>();
            foreach (JsonElement benchmark in benchmarks.EnumerateArray())
            {
                results.Add(ParseBenchmark(benchmark));
            }
            return results;
        }
    }

    private static BenchmarkResult ParseBenchmark(JsonElement benchmark)
    {
        string fullName = String(benchmark, "FullName") ?? throw new FormatException("a benchmark without FullName");
        string type = String(benchmark, "Type") ?? throw new FormatException($"{fullName}: no Type");
        string method = String(benchmark, "Method") ?? throw new FormatException($"{fullName}: no Method");
        string ns = String(benchmark, "Namespace") ?? "";
        string parameters = String(benchmark, "Parameters") ?? "";
        (double[] samples, double[]? launchMedians) = Samples(benchmark, fullName);
        return new BenchmarkResult(fullName, ns, type, method, parameters, samples, Allocated(benchmark), launchMedians);
    }

    /// <summary>
    /// Nanoseconds per operation of every Workload/Result measurement (the actual iterations with the overhead
    /// subtracted, every launch); BenchmarkDotNet's Statistics.OriginalValues, the same numbers, when the report
    /// carries no measurements; and the median of each launch's measurements (null without measurements).
    /// </summary>
    private static (double[] Samples, double[]? LaunchMedians) Samples(JsonElement benchmark, string fullName)
    {
        var samples = new List<double>();
        var launches = new SortedDictionary<int, List<double>>();
        if (benchmark.TryGetProperty("Measurements", out JsonElement measurements) && measurements.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement m in measurements.EnumerateArray())
            {
                if (String(m, "IterationMode") == "Workload" && String(m, "IterationStage") == "Result")
                {
                    double operations = Number(m, "Operations") ?? 0;
                    double nanoseconds = Number(m, "Nanoseconds") ?? double.NaN;
                    if (operations <= 0 || !double.IsFinite(nanoseconds))
                    {
                        throw new FormatException($"{fullName}: a measurement without operations or nanoseconds");
                    }
                    samples.Add(nanoseconds / operations);
                    int launch = (int)(Number(m, "LaunchIndex") ?? 1);
                    if (!launches.TryGetValue(launch, out List<double>? ofLaunch))
                    {
                        launches[launch] = ofLaunch = [];
                    }
                    ofLaunch.Add(nanoseconds / operations);
                }
            }
        }
        if (samples.Count == 0
            && benchmark.TryGetProperty("Statistics", out JsonElement statistics) && statistics.ValueKind == JsonValueKind.Object
            && statistics.TryGetProperty("OriginalValues", out JsonElement values) && values.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement value in values.EnumerateArray())
            {
                if (value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble()))
                {
                    samples.Add(value.GetDouble());
                }
            }
        }
        return (samples.ToArray(), launches.Count > 0 ? launches.Values.Select(v => Statistics.Median(v)).ToArray() : null);
    }

    private static long? Allocated(JsonElement benchmark)
    {
        if (benchmark.TryGetProperty("Memory", out JsonElement memory) && memory.ValueKind == JsonValueKind.Object
            && memory.TryGetProperty("BytesAllocatedPerOperation", out JsonElement bytes) && bytes.ValueKind == JsonValueKind.Number)
        {
            return bytes.TryGetInt64(out long exact) ? exact : checked((long)Math.Round(bytes.GetDouble()));
        }
        return null;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    /// <summary>Replaces the bare words NaN, Infinity and -Infinity outside strings with null.</summary>
    internal static string ReplaceNonFiniteNumbers(string json)
    {
        var builder = new StringBuilder(json.Length);
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            if (inString)
            {
                builder.Append(c);
                if (c == '\\' && i + 1 < json.Length)
                {
                    builder.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            if (c == '"')
            {
                inString = true;
                builder.Append(c);
                continue;
            }
            int matched = Word(json, i, "NaN") ?? Word(json, i, "-Infinity") ?? Word(json, i, "Infinity") ?? 0;
            if (matched > 0)
            {
                builder.Append("null");
                i += matched - 1;
                continue;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    private static int? Word(string text, int at, string word) =>
        string.CompareOrdinal(text, at, word, 0, word.Length) == 0 ? word.Length : null;
}
