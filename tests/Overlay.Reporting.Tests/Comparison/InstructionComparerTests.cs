using Overlay.Reporting.Comparison;
using Overlay.Results.Instructions;

namespace Overlay.Reporting.Tests.Comparison;

/// <summary>
/// `overlay compare --instructions` on the hand-written documents in Fixtures/instructions (Fixtures/README.md gives each
/// figure and the verdict it must get): 1 % on a case or an operation's geometric mean, another runtime unusable.
/// </summary>
public class InstructionComparerTests
{
    private static InstructionComparison Compare(string current, double threshold = InstructionComparison.DefaultThreshold) =>
        InstructionComparer.Compare(Fixture.Path_("instructions/baseline"), Fixture.Path_($"instructions/{current}"), threshold);

    [Fact]
    public void Unchanged_counts_pass()
    {
        InstructionComparison c = Compare("unchanged");
        Assert.Equal(ComparisonReport.ExitNoRegression, c.ExitCode);
        Assert.Equal(6, c.Cases.Count);
        Assert.All(c.Cases, x => Assert.Equal(InstructionVerdict.Same, x.Verdict));
        Assert.Equal(["copy", "in-place"], c.Methods.Select(m => m.Operation));
        Assert.All(c.Methods, m => Assert.Equal(1.0, m.GeometricMean, 12));
        Assert.Null(c.Unusable);
    }

    [Fact]
    public void One_case_above_one_percent_is_a_regression_and_one_below_is_not()
    {
        InstructionComparison c = Compare("one-case");
        Assert.Equal(ComparisonReport.ExitRegression, c.ExitCode);
        InstructionCaseComparison gre = c.Cases.Single(x => x.Key == "copy gre-l3-ipv4 64");
        Assert.Equal(InstructionVerdict.More, gre.Verdict);
        Assert.Equal(1.012, gre.Ratio, 12);
        Assert.Equal(InstructionVerdict.Same, c.Cases.Single(x => x.Key == "copy vxlan-ipv4 64").Verdict);
        Assert.Equal(["copy gre-l3-ipv4 64"], c.Regressions.Select(x => x.Key));
        // (1.009 × 1 × 1.012)^(1/3) = 1.006987: the operation as a whole is within 1 %.
        InstructionMethodComparison copy = c.Methods.Single(m => m.Operation == "copy");
        Assert.Equal(1.006987, copy.GeometricMean, 6);
        Assert.Equal(InstructionVerdict.Same, copy.Verdict);
    }

    [Fact]
    public void An_operation_whose_geometric_mean_rises_above_one_percent_regresses_in_every_case()
    {
        InstructionComparison c = Compare("operation");
        Assert.Equal(ComparisonReport.ExitRegression, c.ExitCode);
        InstructionMethodComparison inPlace = c.Methods.Single(m => m.Operation == "in-place");
        Assert.Equal(1.010996, inPlace.GeometricMean, 6);
        Assert.Equal(InstructionVerdict.More, inPlace.Verdict);
        // Only one case is above 1 % on its own; the operation's verdict makes all three regressions.
        Assert.Single(c.Cases, x => x.Verdict == InstructionVerdict.More);
        Assert.Equal(["in-place gre-l3-ipv4 64", "in-place vxlan-ipv4 1500", "in-place vxlan-ipv4 64"], c.Regressions.Select(x => x.Key).Order(StringComparer.Ordinal));
        Assert.Equal(InstructionVerdict.Same, c.Methods.Single(m => m.Operation == "copy").Verdict);
    }

    [Fact]
    public void Fewer_instructions_pass()
    {
        InstructionComparison c = Compare("fewer");
        Assert.Equal(ComparisonReport.ExitNoRegression, c.ExitCode);
        Assert.Equal(3, c.Cases.Count(x => x.Verdict == InstructionVerdict.Fewer));
        Assert.Equal(0.95, c.Methods.Single(m => m.Operation == "copy").GeometricMean, 12);
        Assert.Equal(InstructionVerdict.Fewer, c.Methods.Single(m => m.Operation == "copy").Verdict);
    }

    [Fact]
    public void A_baseline_of_another_runtime_is_unusable_input_with_the_reason()
    {
        InstructionComparison c = Compare("other-runtime");
        Assert.Equal(ComparisonReport.ExitUnusable, c.ExitCode);
        Assert.Contains(".NET 10.0.12", c.Unusable);
        Assert.Contains(".NET 10.0.13", c.Unusable);
        Assert.Contains("Unusable input", InstructionComparisonMarkdown.Render(c));
    }

    [Fact]
    public void The_threshold_is_the_one_asked_for()
    {
        // +1.2 % passes at 2 %. At 0.5 % +0.9 % counts too, and copy's geometric mean (+0.70 %) makes all three copy cases regressions.
        Assert.Equal(ComparisonReport.ExitNoRegression, Compare("one-case", 0.02).ExitCode);
        InstructionComparison strict = Compare("one-case", 0.005);
        Assert.Equal(2, strict.Cases.Count(x => x.Verdict == InstructionVerdict.More));
        Assert.Equal(["copy gre-l3-ipv4 64", "copy vxlan-ipv4 1500", "copy vxlan-ipv4 64"], strict.Regressions.Select(x => x.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Missing_and_new_cases_are_listed_and_nothing_in_common_is_unusable()
    {
        InstructionDocument baseline = InstructionResultFiles.Read(Fixture.Path_("instructions/baseline"));
        InstructionDocument fewer = baseline with { Cases = baseline.Cases.Skip(1).Append(baseline.Cases[0] with { Size = "imix" }).ToArray() };
        InstructionComparison c = InstructionComparer.Compare(baseline, fewer);
        Assert.Equal(["copy vxlan-ipv4 64"], c.Missing);
        Assert.Equal(["copy vxlan-ipv4 imix"], c.New);
        Assert.Equal(ComparisonReport.ExitNoRegression, c.ExitCode);

        InstructionComparison none = InstructionComparer.Compare(baseline, baseline with { Cases = [baseline.Cases[0] with { Variant = "other" }] });
        Assert.Equal(ComparisonReport.ExitUnusable, none.ExitCode);
        Assert.Contains("no case", none.Unusable);
    }

    [Fact]
    public void A_file_that_is_not_an_instruction_document_is_unusable_input_naming_it()
    {
        string dir = Fixture.TempDirectory();
        File.WriteAllText(Path.Combine(dir, InstructionResultFiles.JsonFile), """{"schema":"overlay-kernel/1"}""");
        var e = Assert.Throws<ComparisonInputException>(() => InstructionComparer.Compare(Fixture.Path_("instructions/baseline"), dir));
        Assert.Contains(Path.Combine(dir, InstructionResultFiles.JsonFile), e.Message);
        Directory.Delete(dir, recursive: true);
        Assert.Throws<ComparisonInputException>(() => InstructionComparer.Compare(Fixture.Path_("instructions/baseline"), dir));
    }
}
