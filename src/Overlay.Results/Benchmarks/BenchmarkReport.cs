using System.Text;
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
    /// <summary>Null where BenchmarkDotNet wrote NaN or ±Infinity (a statistic of too few measurements).</summary>
    public double? Mean { get; init; }
    public double? Median { get; init; }
    public double? StandardDeviation { get; init; }
    public double? StandardError { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public BenchmarkConfidenceInterval? ConfidenceInterval { get; init; }
    /// <summary>Nanoseconds per operation of every actual iteration, the values the statistics were computed from.</summary>
    public List<double?>? OriginalValues { get; init; }
}

/// <summary>One iteration as BenchmarkDotNet measured it (its Measurements array).</summary>
public sealed record BenchmarkMeasurement
{
    /// <summary>"Overhead", "Workload", …</summary>
    public string? IterationMode { get; init; }
    /// <summary>"Jitting", "Pilot", "Warmup", "Actual", "Result", …</summary>
    public string? IterationStage { get; init; }
    /// <summary>The launch (process) it ran in, from 1.</summary>
    public int? LaunchIndex { get; init; }
    public int? IterationIndex { get; init; }
    public double? Operations { get; init; }
    public double? Nanoseconds { get; init; }

    /// <summary>True for the iterations BenchmarkDotNet reports: the actual workload with the overhead subtracted.</summary>
    [JsonIgnore]
    public bool IsResult => IterationMode == "Workload" && IterationStage == "Result";
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
    public List<BenchmarkMeasurement>? Measurements { get; init; }

    /// <summary>Managed bytes allocated per operation, rounded to whole bytes; null where the run had no MemoryDiagnoser.</summary>
    [JsonIgnore]
    public long? AllocatedBytes => Memory?.BytesAllocatedPerOperation is double bytes && double.IsFinite(bytes) ? checked((long)Math.Round(bytes)) : null;

    private Dictionary<string, string>? _parameters;

    /// <summary>"Size=64&amp;Variant=vxlan-ipv4" (or "Size=64, Variant=…") as a dictionary; quotes stripped.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, string> ParameterValues => _parameters ??= ParseParameters(Parameters);

    /// <summary>The parameter's value, or null.</summary>
    public string? Parameter(string name) => ParameterValues.TryGetValue(name, out string? value) ? value : null;

    /// <summary>Nanoseconds per packet, when the case ran (the mean).</summary>
    [JsonIgnore]
    public double? Nanoseconds => Statistics is { Mean: double mean } && mean > 0 && double.IsFinite(mean) ? mean : null;

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
    /// <summary>The cases (empty, never null, once read by <see cref="Parse"/>).</summary>
    public List<BenchmarkCase> Benchmarks { get; init; } = null!;

    /// <summary>False where the document has no Benchmarks array at all (then it is not a full-JSON report).</summary>
    [JsonIgnore]
    public bool HasBenchmarks { get; init; } = true;

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
        Converters = { new LenientDoubleConverter() },
    };

    /// <summary>Reads one full-JSON report (indented or compressed); every reader of BenchmarkDotNet's results reads it here.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="JsonException">The file is not a BenchmarkDotNet full-JSON report.</exception>
    public static BenchmarkReport Read(string path) => Parse(System.IO.File.ReadAllText(path), path);

    /// <summary>
    /// Parses the text of one report. BenchmarkDotNet's serializer writes NaN and ±Infinity (a statistic of one
    /// measurement) as bare words, which JSON does not allow; they stand for "no value", so they are read as null.
    /// </summary>
    /// <exception cref="JsonException">The text is not a BenchmarkDotNet full-JSON report.</exception>
    public static BenchmarkReport Parse(string json, string file)
    {
        BenchmarkReport? report;
        try
        {
            report = JsonSerializer.Deserialize<BenchmarkReport>(json, Options);
        }
        catch (JsonException)
        {
            report = JsonSerializer.Deserialize<BenchmarkReport>(ReplaceNonFiniteNumbers(json), Options);
        }
        if (report is null)
        {
            throw new JsonException("empty benchmark report");
        }
        return report with { File = file, Benchmarks = report.Benchmarks ?? [], HasBenchmarks = report.Benchmarks is not null };
    }

    /// <summary>Replaces the bare words NaN, Infinity and -Infinity outside strings with null.</summary>
    public static string ReplaceNonFiniteNumbers(string json)
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

/// <summary>
/// Reads a double as BenchmarkDotNet writes one: a number (one beyond double's range, as a short dry run can write for
/// a confidence margin, is ±Infinity rather than an error), or a string: a number, NaN, ±Infinity or ∞, any other
/// text being no value (NaN).
/// </summary>
internal sealed class LenientDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetDouble(out double value))
            {
                return value;
            }
            return reader.ValueSpan.Length > 0 && reader.ValueSpan[0] == (byte)'-' ? double.NegativeInfinity : double.PositiveInfinity;
        }
        if (reader.TokenType == JsonTokenType.String)
        {
            // .NET writes infinity as "∞"; any other text is a statistic BenchmarkDotNet could not compute.
            string text = reader.GetString()!;
            return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double parsed) ? parsed
                : text == "∞" ? double.PositiveInfinity
                : text == "-∞" ? double.NegativeInfinity
                : double.NaN;
        }
        throw new JsonException($"expected a number, found {reader.TokenType}");
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
