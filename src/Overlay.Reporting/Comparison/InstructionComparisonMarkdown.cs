using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overlay.Reporting.Comparison;

/// <summary>Renders an <see cref="InstructionComparison"/> as Markdown (a job summary) and as JSON.</summary>
public static class InstructionComparisonMarkdown
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(InstructionComparison comparison, string title = "Instructions per packet")
    {
        var md = new StringBuilder();
        md.Append("## ").AppendLine(title).AppendLine();
        md.AppendLine(Line($"Baseline: commit {comparison.Baseline.Environment.Commit}, {comparison.Baseline.Environment.Runtime} ({comparison.Baseline.CodeGeneration}), {comparison.Baseline.Valgrind} · current: commit {comparison.Current.Environment.Commit}, {comparison.Current.Environment.Runtime} ({comparison.Current.CodeGeneration}), {comparison.Current.Valgrind}."));
        md.AppendLine(Line($"Rule: counts under Cachegrind are deterministic, so no statistics: a case, or an operation's geometric mean over its cases, with more than {comparison.Threshold:0.##%} more instructions per packet is a regression."));
        md.AppendLine();
        if (comparison.Unusable is string reason)
        {
            md.AppendLine($"**Unusable input:** {reason}.").AppendLine();
        }
        int regressions = comparison.Regressions.Count();
        md.AppendLine(comparison.ExitCode switch
        {
            ComparisonReport.ExitNoRegression => Line($"**No regression** in {comparison.Cases.Count} cases."),
            ComparisonReport.ExitRegression => Line($"**Regression:** {regressions} of {comparison.Cases.Count} cases."),
            _ => "**Not judged.**",
        }).AppendLine();
        if (comparison.Methods.Count > 0)
        {
            md.AppendLine("| operation | cases | geometric mean | verdict |");
            md.AppendLine("| --- | ---: | ---: | --- |");
            foreach (InstructionMethodComparison m in comparison.Methods)
            {
                md.AppendLine(Line($"| {m.Operation} | {m.Cases} | {Signed(m.GeometricMean - 1)} | {Verdict(m.Verdict)} |"));
            }
            md.AppendLine();
        }
        InstructionCaseComparison[] changed = comparison.Cases.Where(c => c.Verdict != InstructionVerdict.Same || comparison.Regressions.Contains(c)).ToArray();
        md.AppendLine(changed.Length == 0
            ? Line($"Every case within ±{comparison.Threshold:0.##%}; the largest change: {Largest(comparison)}.")
            : "| case | baseline | current | change | verdict |\n| --- | ---: | ---: | ---: | --- |");
        foreach (InstructionCaseComparison c in changed.OrderByDescending(c => c.Ratio))
        {
            md.AppendLine(Line($"| {c.Key} | {c.Baseline:0.0} | {c.Current:0.0} | {Signed(c.Ratio - 1)} | {Verdict(c.Verdict)} |"));
        }
        md.AppendLine();
        if (comparison.Missing.Count > 0)
        {
            md.AppendLine($"Not in the current counts ({comparison.Missing.Count}): {string.Join(", ", comparison.Missing)}.").AppendLine();
        }
        if (comparison.New.Count > 0)
        {
            md.AppendLine($"New, not in the baseline ({comparison.New.Count}): {string.Join(", ", comparison.New)}.").AppendLine();
        }
        return md.ToString();
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(InstructionComparison comparison) => JsonSerializer.Serialize(new
    {
        exitCode = comparison.ExitCode,
        threshold = comparison.Threshold,
        unusable = comparison.Unusable,
        baseline = new { commit = comparison.Baseline.Environment.Commit, runtime = comparison.Baseline.Environment.Runtime, codeGeneration = comparison.Baseline.CodeGeneration, valgrind = comparison.Baseline.Valgrind },
        current = new { commit = comparison.Current.Environment.Commit, runtime = comparison.Current.Environment.Runtime, codeGeneration = comparison.Current.CodeGeneration, valgrind = comparison.Current.Valgrind },
        methods = comparison.Methods,
        cases = comparison.Cases.Select(c => new { c.Operation, c.Variant, c.Size, c.Baseline, c.Current, c.Ratio, c.Verdict, regression = comparison.Regressions.Contains(c) }),
        missing = comparison.Missing,
        @new = comparison.New,
    }, Options);

    private static string Largest(InstructionComparison comparison) =>
        comparison.Cases.Count == 0 ? "none" : comparison.Cases.MaxBy(c => Math.Abs(c.Ratio - 1)) is { } c ? Line($"{Signed(c.Ratio - 1)} ({c.Key})") : "none";

    private static string Verdict(InstructionVerdict verdict) => verdict switch
    {
        InstructionVerdict.More => "**more: regression**",
        InstructionVerdict.Fewer => "fewer",
        _ => "same",
    };

    private static string Signed(double change) => change.ToString("+0.000%;-0.000%;0.000%", Invariant);

    private static string Line(FormattableString text) => text.ToString(Invariant);
}
