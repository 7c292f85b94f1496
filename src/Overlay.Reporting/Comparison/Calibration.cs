namespace Overlay.Reporting.Comparison;

/// <summary>
/// The calibrations of one run, and the rule that picks the one a benchmark's timings are divided by.
/// </summary>
/// <remarks>
/// A calibration is a benchmark method named <c>CopyBaseline</c> (category "calibration"): a plain copy of the same
/// bytes that the class's other benchmarks work on, measured in the same run, so that a slower or faster machine,
/// or a noisy neighbour during that run, moves it as it moves them. Its value is the median of its samples. A
/// benchmark is divided by, in this order:
/// <list type="number">
/// <item>the CopyBaseline of the same class with the same parameters in the same run;</item>
/// <item>else the median of the CopyBaseline medians of the same class in the same run (a method with its own [Arguments]);</item>
/// <item>else the median of every CopyBaseline median of the run (a class without a calibration).</item>
/// </list>
/// A run without any calibration cannot be compared with another run on time.
/// </remarks>
public sealed class Calibration
{
    private readonly Dictionary<(string Class, string Parameters), double> _exact = new();
    private readonly Dictionary<string, double> _byClass = new(StringComparer.Ordinal);
    private readonly double? _runMedian;
    private readonly Dictionary<string, double> _medians = new(StringComparer.Ordinal);

    public Calibration(BenchmarkRun run)
    {
        var classValues = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (BenchmarkResult b in run.Benchmarks.Values.Where(b => b.IsCalibration && b.Samples.Count > 0))
        {
            double median = Statistics.Median(b.Samples);
            if (median <= 0)
            {
                continue;
            }
            _exact[(b.ClassName, b.Parameters)] = median;
            _medians[b.FullName] = median;
            if (!classValues.TryGetValue(b.ClassName, out List<double>? list))
            {
                classValues[b.ClassName] = list = [];
            }
            list.Add(median);
        }
        foreach ((string cls, List<double> values) in classValues)
        {
            _byClass[cls] = Statistics.Median(values);
        }
        _runMedian = _exact.Count > 0 ? Statistics.Median(_exact.Values.ToArray()) : null;
        Run = run;
    }

    public BenchmarkRun Run { get; }

    /// <summary>The median (ns/op) of each calibration benchmark of the run, by full name.</summary>
    public IReadOnlyDictionary<string, double> Medians => _medians;

    /// <summary>True when the run has at least one usable calibration.</summary>
    public bool HasAny => _runMedian is not null;

    /// <summary>The calibration median (ns/op) for <paramref name="benchmark"/> and where it came from; null when the run has none.</summary>
    public (double Nanoseconds, CalibrationSource Source)? For(BenchmarkResult benchmark)
    {
        if (_exact.TryGetValue((benchmark.ClassName, benchmark.Parameters), out double exact))
        {
            return (exact, CalibrationSource.SameClassAndParameters);
        }
        if (_byClass.TryGetValue(benchmark.ClassName, out double cls))
        {
            return (cls, CalibrationSource.SameClass);
        }
        return _runMedian is double run ? (run, CalibrationSource.RunMedian) : null;
    }
}
