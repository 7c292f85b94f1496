using Overlay.Replay.Tests;

namespace Overlay.Cli.Tests;

/// <summary>`overlay compare` through the tool, on the comparer's fixture reports: the exit code is the CI gate.</summary>
public class CompareCommandTests
{
    private static string Fixtures(string name) => Path.Combine(Paths.Repository, "tests", "Overlay.Reporting.Tests", "Comparison", "Fixtures", name);

    private static OverlayProcess.Result Compare(string current, params string[] extra) =>
        OverlayProcess.Run(Path.GetTempPath(), ["compare", "--baseline", Fixtures("baseline"), "--current", Fixtures(current), .. extra]);

    [Theory]
    [InlineData("noise", 0)]
    [InlineData("slower-machine", 0)]
    [InlineData("improvement", 0)]
    [InlineData("missing", 0)]
    [InlineData("regression", 1)]
    [InlineData("allocation", 1)]
    [InlineData("unusable-failed", 2)]
    [InlineData("unusable-truncated", 2)]
    [InlineData("unusable-no-calibration", 2)]
    public void Exit_code_says_no_regression_regression_or_unusable_input(string current, int expected)
    {
        OverlayProcess.Result result = Compare(current);
        Assert.True(expected == result.ExitCode, $"{current}: exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        if (expected < 2 || current == "unusable-failed")
        {
            Assert.Contains("| verdict | benchmark |", result.Stdout);
        }
        else
        {
            Assert.StartsWith("overlay: error: ", result.Stderr);
        }
    }

    [Theory]
    [InlineData("unchanged", 0, "**No regression** in 6 cases.")]
    [InlineData("one-case", 1, "| copy gre-l3-ipv4 64 | 400.0 | 404.8 | +1.200% | **more: regression** |")]
    [InlineData("operation", 1, "| in-place | 3 | +1.100% | **more: regression** |")]
    [InlineData("other-runtime", 2, "**Unusable input:** the baseline was counted on .NET 10.0.12 and the current run on .NET 10.0.13")]
    public void Instruction_counts_are_judged_to_one_percent(string current, int expected, string line)
    {
        OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(),
            ["compare", "--instructions", "--baseline", Fixtures("instructions/baseline"), "--current", Fixtures($"instructions/{current}")]);
        Assert.True(expected == result.ExitCode, $"{current}: exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains(line, result.Stdout);
        Assert.Equal(expected == 2, result.Stderr.Contains("overlay: error: unusable input", StringComparison.Ordinal));
    }

    [Fact]
    public void Writes_the_table_the_json_and_the_rerun_filters()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"overlay-compare-{Guid.NewGuid():N}");
        try
        {
            OverlayProcess.Result result = Compare("regression",
                "--markdown", Path.Combine(dir, "compare.md"), "--json", Path.Combine(dir, "compare.json"), "--rerun-filters", Path.Combine(dir, "rerun.txt"));
            Assert.Equal(1, result.ExitCode);
            Assert.Equal(result.Stdout, File.ReadAllText(Path.Combine(dir, "compare.md")));
            Assert.Contains("\"exitCode\": 1", File.ReadAllText(Path.Combine(dir, "compare.json")));
            Assert.Equal(
                "Overlay.Benchmarks.EncapsulateBenchmarks.Copy\nOverlay.Benchmarks.EncapsulateBenchmarks.CopyBaseline\n",
                File.ReadAllText(Path.Combine(dir, "rerun.txt")));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("--threshold", "ten")]
    [InlineData("--noise", "fast")]
    [InlineData("--alpha", "0.9")]
    [InlineData("--noise-quantile", "1.5")]
    public void Bad_options_are_usage_errors(string option, string value) => Assert.Equal(2, Compare("noise", option, value).ExitCode);

    [Fact]
    public void Options_change_the_verdict_and_allocations_only_ignores_timings()
    {
        Assert.Equal(0, Compare("regression", "--threshold", "150%").ExitCode);
        Assert.Equal(0, Compare("regression", "--noise", "1us").ExitCode);
        Assert.Equal(0, Compare("regression", "--allocations-only").ExitCode);
        Assert.Equal(1, Compare("allocation", "--allocations-only").ExitCode);
    }

    [Fact]
    public void A_noise_history_too_short_for_an_A_A_test_is_a_usage_error()
    {
        OverlayProcess.Result result = Compare("noise", "--noise-history", Fixtures("baseline"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("the noise history holds 2 runs: an A/A estimate needs at least 4", result.Stderr);
    }

    [Fact]
    public void Missing_folders_and_options_are_usage_errors()
    {
        Assert.Equal(2, OverlayProcess.Run(Path.GetTempPath(), "compare", "--baseline", Fixtures("baseline")).ExitCode);
        OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), "compare", "--baseline", Fixtures("baseline"), "--current", Fixtures("no-such-run"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no such folder", result.Stderr);
    }
}
