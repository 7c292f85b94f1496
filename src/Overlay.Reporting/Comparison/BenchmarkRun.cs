namespace Overlay.Reporting.Comparison;

/// <summary>
/// One benchmark of one BenchmarkDotNet report: its identity and what was measured.
/// </summary>
/// <param name="FullName">BenchmarkDotNet's full name, <c>Namespace.Type.Method(Param: value, …)</c>: the key benchmarks are matched by.</param>
/// <param name="Namespace">The benchmark class's namespace.</param>
/// <param name="Type">The benchmark class.</param>
/// <param name="Method">The benchmark method.</param>
/// <param name="Parameters">The parameter values as BenchmarkDotNet writes them (<c>Variant=vxlan-ipv4&amp;Size=64</c>), empty when none.</param>
/// <param name="Samples">Nanoseconds per operation of every actual workload iteration, overhead removed (BenchmarkDotNet's
/// <c>Workload/Result</c> measurements); empty when the benchmark failed.</param>
/// <param name="BytesAllocatedPerOperation">Managed bytes allocated per operation, or null when the run had no MemoryDiagnoser.</param>
/// <param name="LaunchMedians">The median of <paramref name="Samples"/> within each launch (process) of the benchmark, in launch
/// order; null when the report does not say which launch a measurement came from.</param>
public sealed record BenchmarkResult(
    string FullName,
    string Namespace,
    string Type,
    string Method,
    string Parameters,
    IReadOnlyList<double> Samples,
    long? BytesAllocatedPerOperation,
    IReadOnlyList<double>? LaunchMedians = null)
{
    /// <summary>How many launches the samples came from (1 when the report does not say).</summary>
    public int LaunchCount => LaunchMedians?.Count ?? (Samples.Count > 0 ? 1 : 0);

    /// <summary>The method name that marks a calibration benchmark: a plain copy of the same bytes, measured in the same run.</summary>
    public const string CalibrationMethod = Overlay.Results.Benchmarks.BenchmarkIds.CopyBaseline;

    /// <summary>True for the run's calibration benchmarks (<see cref="CalibrationMethod"/>).</summary>
    public bool IsCalibration => Method == CalibrationMethod;

    /// <summary><c>Namespace.Type</c>, the class the benchmark belongs to.</summary>
    public string ClassName => Namespace.Length == 0 ? Type : $"{Namespace}.{Type}";

    /// <summary>The name without its namespace, for tables.</summary>
    public string DisplayName => Namespace.Length > 0 && FullName.StartsWith(Namespace + ".", StringComparison.Ordinal)
        ? FullName[(Namespace.Length + 1)..]
        : FullName;
}

/// <summary>
/// The benchmarks of one BenchmarkDotNet run: every full-JSON report found in one folder (BenchmarkDotNet writes one
/// report per benchmark class, all in the run's <c>results/</c> folder).
/// </summary>
/// <param name="Name">The folder, relative to the directory that was searched ("." for the directory itself).</param>
/// <param name="Benchmarks">The run's benchmarks by full name.</param>
public sealed record BenchmarkRun(string Name, IReadOnlyDictionary<string, BenchmarkResult> Benchmarks);
