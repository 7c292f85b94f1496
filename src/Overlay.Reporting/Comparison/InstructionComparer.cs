using Overlay.Results.Instructions;

namespace Overlay.Reporting.Comparison;

/// <summary>What a case's instructions per packet did between the baseline and the current count.</summary>
public enum InstructionVerdict
{
    Same,
    /// <summary>More instructions per packet than the baseline by more than the threshold: a regression.</summary>
    More,
    /// <summary>Fewer by more than the threshold.</summary>
    Fewer,
}

/// <summary>One case in both documents.</summary>
/// <param name="Operation">copy, in-place, decap, end or end-csid.</param>
/// <param name="Variant">The variant's name.</param>
/// <param name="Size">The inner frame size.</param>
/// <param name="Baseline">The baseline's instructions per packet.</param>
/// <param name="Current">The current instructions per packet.</param>
/// <param name="Verdict">More or fewer beyond the threshold, or the same.</param>
public sealed record InstructionCaseComparison(string Operation, string Variant, string Size, double Baseline, double Current, InstructionVerdict Verdict)
{
    public string Key => $"{Operation} {Variant} {Size}";

    /// <summary>Current over baseline.</summary>
    public double Ratio => Current / Baseline;
}

/// <summary>One operation (copy, in place, …) as a whole: the geometric mean of its cases' ratios, judged with the same threshold.</summary>
public sealed record InstructionMethodComparison(string Operation, int Cases, double GeometricMean, InstructionVerdict Verdict);

/// <summary>
/// The instruction mode of <c>overlay compare</c>: instructions per packet (results/instructions.json) against a committed
/// baseline. The counts are deterministic, so there is no statistics: a case, or an operation's geometric mean over its
/// cases, that needs more than the threshold (1 %) more instructions is a regression. Counts of different runtimes or code
/// generation are of different machine code, so a baseline of another runtime is unusable input, not a regression.
/// </summary>
/// <param name="Threshold">The relative change that counts (0.01 = 1 %).</param>
/// <param name="Baseline">The baseline's counts.</param>
/// <param name="Current">The current counts.</param>
/// <param name="Cases">Every case in both, judged.</param>
/// <param name="Methods">Every operation judged as a whole.</param>
/// <param name="Missing">Cases of the baseline that the current counts lack (listed, not judged).</param>
/// <param name="New">Cases only in the current counts.</param>
/// <param name="Unusable">Why the two cannot be compared, or null.</param>
public sealed record InstructionComparison(
    double Threshold,
    InstructionDocument Baseline,
    InstructionDocument Current,
    IReadOnlyList<InstructionCaseComparison> Cases,
    IReadOnlyList<InstructionMethodComparison> Methods,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> New,
    string? Unusable)
{
    /// <summary>The default threshold: 1 %, well above the counts' own spread (under 0.1 % between runs of one tree).</summary>
    public const double DefaultThreshold = 0.01;

    /// <summary>Cases with more instructions, and every case of an operation that has more as a whole.</summary>
    public IEnumerable<InstructionCaseComparison> Regressions => Cases.Where(c =>
        c.Verdict == InstructionVerdict.More
        || Methods.Any(m => m.Verdict == InstructionVerdict.More && m.Operation == c.Operation));

    /// <summary>0: no regression; 1: a regression; 2: unusable input (another runtime, nothing in common, a count that is not positive).</summary>
    public int ExitCode =>
        Unusable is not null ? ComparisonReport.ExitUnusable
        : Regressions.Any() ? ComparisonReport.ExitRegression
        : ComparisonReport.ExitNoRegression;
}

public static class InstructionComparer
{
    /// <summary>Reads both documents (a file, or a folder holding instructions.json) and compares them.</summary>
    /// <exception cref="ComparisonInputException">A document is missing or is not an instruction count document.</exception>
    public static InstructionComparison Compare(string baselinePath, string currentPath, double threshold = InstructionComparison.DefaultThreshold)
    {
        InstructionDocument Read(string path)
        {
            try
            {
                return InstructionResultFiles.Read(path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                throw new ComparisonInputException(e.Message, e);
            }
        }
        return Compare(Read(baselinePath), Read(currentPath), threshold);
    }

    public static InstructionComparison Compare(InstructionDocument baseline, InstructionDocument current, double threshold = InstructionComparison.DefaultThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        Dictionary<string, InstructionCase> before = baseline.Cases.ToDictionary(c => c.Key, StringComparer.Ordinal);
        Dictionary<string, InstructionCase> after = current.Cases.ToDictionary(c => c.Key, StringComparer.Ordinal);
        string[] missing = before.Keys.Where(k => !after.ContainsKey(k)).Order(StringComparer.Ordinal).ToArray();
        string[] added = after.Keys.Where(k => !before.ContainsKey(k)).Order(StringComparer.Ordinal).ToArray();

        string? unusable = Unusable(baseline, current);
        var cases = new List<InstructionCaseComparison>();
        foreach (InstructionCase now in current.Cases)
        {
            if (!before.TryGetValue(now.Key, out InstructionCase? then))
            {
                continue;
            }
            if (!(then.Instructions > 0) || !(now.Instructions > 0))
            {
                unusable ??= $"{now.Key}: a count that is not positive (baseline {then.Instructions}, current {now.Instructions}): the run that produced it is broken";
                continue;
            }
            cases.Add(new InstructionCaseComparison(now.Operation, now.Variant, now.Size, then.Instructions, now.Instructions, Judge(now.Instructions / then.Instructions, threshold)));
        }
        if (cases.Count == 0)
        {
            unusable ??= "no case is in both the baseline and the current counts";
        }
        InstructionMethodComparison[] methods = cases
            .GroupBy(c => c.Operation, StringComparer.Ordinal)
            .OrderBy(g => InstructionOperations.Order(g.Key))
            .Select(g =>
            {
                double mean = Math.Exp(g.Average(c => Math.Log(c.Ratio)));
                return new InstructionMethodComparison(g.Key, g.Count(), mean, Judge(mean, threshold));
            })
            .ToArray();
        return new InstructionComparison(threshold, baseline, current, cases, methods, missing, added, unusable);
    }

    private static InstructionVerdict Judge(double ratio, double threshold) =>
        ratio > 1 + threshold ? InstructionVerdict.More
        : ratio < 1 - threshold ? InstructionVerdict.Fewer
        : InstructionVerdict.Same;

    /// <summary>Why two documents count different machine code (another runtime or code generation), or null.</summary>
    private static string? Unusable(InstructionDocument baseline, InstructionDocument current)
    {
        if (!string.Equals(baseline.Environment.Runtime, current.Environment.Runtime, StringComparison.Ordinal))
        {
            return $"the baseline was counted on {baseline.Environment.Runtime} and the current run on {current.Environment.Runtime}: "
                + "another runtime compiles other machine code, so its counts are not comparable; record the baseline again on this runtime "
                + "(bench/instructions.sh --out results/baseline with the gate's options)";
        }
        if (!string.Equals(baseline.CodeGeneration, current.CodeGeneration, StringComparison.Ordinal))
        {
            return $"the baseline's code was compiled as {baseline.CodeGeneration} and the current as {current.CodeGeneration}: not the same machine code";
        }
        return null;
    }
}
