using Overlay.Benchmarks.Inputs;

namespace Overlay.Benchmarks.Tests;

/// <summary>
/// The committed target table is a pure function of the committed BenchmarkDotNet reports: reading
/// results/benchmarks/ again gives results/targets.md and results/targets.json byte for byte, so a change to how the
/// reports are read cannot move a target unnoticed.
/// </summary>
public sealed class CommittedTargetsTests
{
    [Fact]
    public void The_committed_reports_give_the_committed_target_table()
    {
        string results = Path.Combine(RepoPaths.Root, "results");
        TargetTable table = TargetTable.From(Path.Combine(results, "benchmarks"));

        Assert.Equal(File.ReadAllText(Path.Combine(results, "targets.md")), table.ToMarkdown());
        Assert.Equal(File.ReadAllText(Path.Combine(results, "targets.json")), table.ToJson());
    }
}
