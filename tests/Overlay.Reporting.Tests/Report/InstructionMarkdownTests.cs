using Overlay.Results.Instructions;

namespace Overlay.Reporting.Tests.Report;

/// <summary>results/instructions.md as bench/instructions.sh writes it, from the hand-written instruction fixture.</summary>
public class InstructionMarkdownTests
{
    private static InstructionDocument Baseline => InstructionResultFiles.Read(Comparison.Fixture.Path_("instructions/baseline"));

    [Fact]
    public void One_table_per_operation_a_column_per_size_and_no_spread_over_one_run()
    {
        string md = InstructionMarkdown.Render(Baseline);
        Assert.Contains("Runtime: .NET 10.0.12 (NativeAOT, x86-64-v3). valgrind-3.19.0. Commit fixture", md);
        Assert.Contains("N = 9600 packets, one pair of runs.", md);
        Assert.Contains("## copy\n\n| variant | 64 B | 1500 B |\n| --- | ---: | ---: |\n| vxlan-ipv4 | 500.0 | 700.0 |\n| gre-l3-ipv4 | 400.0 | — |\n", md.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("spread", md);
    }

    [Fact]
    public void Over_several_runs_the_largest_spread_of_a_variant_is_shown()
    {
        InstructionDocument doc = Baseline with
        {
            Repeats = 10,
            Cases = [new InstructionCase("copy", "vxlan-ipv4", "64", 500, 499.5, 500.25), new InstructionCase("copy", "vxlan-ipv4", "1500", 700, 700, 700)],
        };
        string md = InstructionMarkdown.Render(doc).ReplaceLineEndings("\n");
        // (500.25 − 499.5) / 500 = 0.150 %.
        Assert.Contains("| vxlan-ipv4 | 500.0 | 700.0 | 0.150 % |", md);
        Assert.Contains("the median of 10 pairs of runs", md);
    }
}
