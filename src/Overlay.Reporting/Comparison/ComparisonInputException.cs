namespace Overlay.Reporting.Comparison;

/// <summary>
/// The reports cannot be compared at all: a folder without BenchmarkDotNet full-JSON reports, a file that is not one,
/// a run with no calibration, the same benchmark twice in one run. `overlay compare` exits 2 on it.
/// </summary>
public sealed class ComparisonInputException(string message, Exception? inner = null) : Exception(message, inner);
