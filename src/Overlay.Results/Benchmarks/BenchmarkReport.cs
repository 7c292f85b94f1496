using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overlay.Results.Benchmarks;

/// <summary>The host section of a BenchmarkDotNet full-JSON report (only what the report shows).</summary>
public sealed record BenchmarkHost
{
    public string? BenchmarkDotNetVersion { get; init; }
    public string? OsVersion { get; init; }
    public string? ProcessorName { get; init; }
    public int? PhysicalCoreCount { get; init; }
    public int? LogicalCoreCount { get; init; }
    public string? RuntimeVersion { get; init; }
    public string? Architecture { get; init; }
    public string? Configuration { get; init; }
    public string? DotNetCliVersion { get; init; }
    public string? JitInfo { get; init; }
}

public sealed record BenchmarkConfidenceInterval
{
    public double? Lower { get; init; }
    public double? Upper { get; init; }
    public double? Margin { get; init; }
    public int? Level { get; init; }
}

/// <summary>BenchmarkDotNet statistics, in nanoseconds per operation (per packet here: OperationsPerInvoke).</summary>
public sealed record BenchmarkStatistics
{
    public int? N { get; init; }
    public double Mean { get; init; }
    public double? Median { get; init; }
    public double? StandardDeviation { get; init; }
    public double? StandardError { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public BenchmarkConfidenceInterval? ConfidenceInterval { get; init; }
}

public sealed record BenchmarkMemory
{
    public double? Gen0Collections { get; init; }
    public long? TotalOperations { get; init; }
    public double? BytesAllocatedPerOperation { get; init; }
}

/// <summary>One benchmark case of a full-JSON report.</summary>
public sealed record BenchmarkCase
{
    public string? FullName { get; init; }
    public string? Namespace { get; init; }
    public string? Type { get; init; }
    public string? Method { get; init; }
    public string? Parameters { get; init; }
    /// <summary>"Class.Method: job(characteristics) [parameters]", as BenchmarkDotNet names the case.</summary>
    public string? DisplayInfo { get; init; }
    public BenchmarkStatistics? Statistics { get; init; }
    public BenchmarkMemory? Memory { get; init; }

    private Dictionary<string, string>? _parameters;

    /// <summary>"Size=64&amp;Variant=vxlan-ipv4" (or "Size=64, Variant=…") as a dictionary; quotes stripped.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, string> ParameterValues => _parameters ??= ParseParameters(Parameters);

    /// <summary>The parameter's value, or null.</summary>
    public string? Parameter(string name) => ParameterValues.TryGetValue(name, out string? value) ? value : null;

    /// <summary>Nanoseconds per packet, when the case ran (the mean).</summary>
    [JsonIgnore]
    public double? Nanoseconds => Statistics is { Mean: > 0 } s && double.IsFinite(s.Mean) ? s.Mean : null;

    /// <summary>Million packets per second on one core: 1000 / ns.</summary>
    [JsonIgnore]
    public double? Mpps => Nanoseconds is double ns ? 1000 / ns : null;

    /// <summary>
    /// The Mpps error bar: from the confidence interval of the mean (1000/upper … 1000/lower), or the mean ± one
    /// standard error where the report has no interval.
    /// </summary>
    public (double Low, double High)? MppsInterval()
    {
        if (Nanoseconds is not double ns)
        {
            return null;
        }
        if (Statistics!.ConfidenceInterval is { Lower: double lower, Upper: double upper } && lower > 0 && upper >= lower)
        {
            return (1000 / upper, 1000 / lower);
        }
        if (Statistics.StandardError is double se && se >= 0 && ns - se > 0)
        {
            return (1000 / (ns + se), 1000 / (ns - se));
        }
        return null;
    }

    public static Dictionary<string, string> ParseParameters(string? text)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(text))
        {
            return values;
        }
        string[] parts = text.Contains('&', StringComparison.Ordinal)
            ? text.Split('&', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : text.Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string part in parts)
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }
            values[part[..equals].Trim()] = part[(equals + 1)..].Trim().Trim('"');
        }
        return values;
    }
}

/// <summary>One BenchmarkDotNet full-JSON report (*-report-full.json), with the file it came from.</summary>
public sealed record BenchmarkReport
{
    public string? Title { get; init; }
    public BenchmarkHost? HostEnvironmentInfo { get; init; }
    public List<BenchmarkCase> Benchmarks { get; init; } = [];

    [JsonIgnore]
    public string File { get; init; } = "";

    /// <summary>The BenchmarkDotNet job its cases ran under ("main-short", "full"), from the first case's display name.</summary>
    [JsonIgnore]
    public string? JobId => Benchmarks.Select(b => JobOf(b.DisplayInfo)).FirstOrDefault(j => j is not null);

    /// <summary>"EncapsulateBenchmarks.Copy: full(IterationCount=15, …) [Variant=…]" → "full".</summary>
    public static string? JobOf(string? displayInfo)
    {
        int colon = displayInfo?.IndexOf(": ", StringComparison.Ordinal) ?? -1;
        if (colon < 0)
        {
            return null;
        }
        string rest = displayInfo![(colon + 2)..];
        int end = rest.IndexOfAny(['(', ' ', '[']);
        string job = (end < 0 ? rest : rest[..end]).Trim();
        return job.Length == 0 ? null : job;
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static BenchmarkReport Parse(string json, string file)
    {
        BenchmarkReport report = JsonSerializer.Deserialize<BenchmarkReport>(json, Options) ?? throw new JsonException("empty benchmark report");
        return report with { File = file, Benchmarks = report.Benchmarks ?? [] };
    }
}

/// <summary>Every benchmark case of every report in results/benchmarks, found by class, method and parameters.</summary>
public sealed class BenchmarkSet
{
    public BenchmarkSet(IReadOnlyList<BenchmarkReport> reports)
    {
        Reports = reports;
        Cases = reports.SelectMany(r => r.Benchmarks).Where(c => c.Nanoseconds is not null).ToList();
    }

    public IReadOnlyList<BenchmarkReport> Reports { get; }

    /// <summary>The cases that ran (a mean above zero).</summary>
    public IReadOnlyList<BenchmarkCase> Cases { get; }

    public bool IsEmpty => Cases.Count == 0;

    /// <summary>The cases of one class, matched on the type name with or without its namespace.</summary>
    public IEnumerable<BenchmarkCase> OfType(string type) => Cases.Where(c => TypeIs(c, type));

    /// <summary>The first case of <paramref name="type"/>.<paramref name="method"/> whose parameters include every pair given.</summary>
    public BenchmarkCase? Find(string type, string method, params (string Name, string Value)[] parameters) =>
        OfType(type).FirstOrDefault(c => string.Equals(c.Method, method, StringComparison.Ordinal)
            && parameters.All(p => string.Equals(c.Parameter(p.Name), p.Value, StringComparison.OrdinalIgnoreCase)));

    private static bool TypeIs(BenchmarkCase c, string type)
    {
        if (string.Equals(c.Type, type, StringComparison.Ordinal))
        {
            return true;
        }
        string? full = c.FullName;
        return c.Type is null && full is not null && full.Contains($".{type}.", StringComparison.Ordinal);
    }
}
