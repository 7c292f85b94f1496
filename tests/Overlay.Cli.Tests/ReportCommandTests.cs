namespace Overlay.Cli.Tests;

/// <summary>`overlay report` through the tool: it reads a results folder, writes the report, and exits 0, 1 or 2 as the other verbs do.</summary>
public class ReportCommandTests
{
    private static string TempFolder()
    {
        string path = Path.Combine(Path.GetTempPath(), $"overlay-report-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public void Report_has_help()
    {
        OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), "report", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--results", result.Stdout);
        Assert.Contains("--out", result.Stdout);
    }

    [Fact]
    public void A_missing_results_folder_is_a_usage_error()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"none-{Guid.NewGuid():N}");
        OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), "report", "--results", missing);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"overlay: error: --results {missing}: no such folder\n", result.Stderr);
    }

    [Fact]
    public void A_broken_result_file_fails_the_run_and_is_named()
    {
        string results = TempFolder();
        try
        {
            File.WriteAllText(Path.Combine(results, "analysis.json"), "{ \"schema\": \"overlay-bench/analyze/v1\",");
            OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), "report", "--results", results);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("analysis.json", result.Stderr);
            Assert.False(File.Exists(Path.Combine(results, "REPORT.md")));
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Fact]
    public void Report_writes_the_report_the_data_and_the_charts_into_out()
    {
        string results = TempFolder(), output = TempFolder();
        try
        {
            OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), "report", "--results", results, "--out", output);
            Assert.Equal(0, result.ExitCode);
            Assert.True(File.Exists(Path.Combine(output, "REPORT.md")));
            Assert.True(File.Exists(Path.Combine(output, "report-data.json")));
            Assert.True(File.Exists(Path.Combine(output, "charts", "header-overhead.png")));
            Assert.True(File.Exists(Path.Combine(output, "charts", "header-overhead.svg")));
            Assert.Contains("skipped capture-overhead", result.Stderr);
            Assert.Empty(Directory.EnumerateFileSystemEntries(results));
        }
        finally
        {
            Directory.Delete(results, recursive: true);
            Directory.Delete(output, recursive: true);
        }
    }
}
