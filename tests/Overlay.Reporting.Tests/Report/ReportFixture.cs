using System.Text.Json;
using Overlay.Results;
using Overlay.Reporting.Report;

namespace Overlay.Reporting.Tests.Report;

/// <summary>Where the fixture results are, and helpers to read them as raw JSON (independently of the report's model).</summary>
public static class Fixture
{
    /// <summary>tests/Overlay.Reporting.Tests/Report/Fixtures/results in the source tree.</summary>
    public static string Results { get; } = Find();

    public static string Benchmarks => Path.Combine(Results, "benchmarks");

    /// <summary>A fixed reporter, so the report does not depend on the machine the test runs on.</summary>
    public static RunEnvironment Reporter { get; } = new()
    {
        Machine = "Test CPU, 2 logical cores, X64",
        Os = "Test OS",
        Runtime = ".NET test",
        ProcessorCount = 2,
        Commit = "0123456789ab",
        Date = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero),
        Tool = "overlay report test",
    };

    public static JsonElement Json(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    public static JsonElement Analysis => Json(Path.Combine(Results, "analysis.json"));

    public static JsonElement Chain => Json(Path.Combine(Results, "chain.json"));

    public static JsonElement Benchmark(string type) => Json(Path.Combine(Benchmarks, $"Overlay.Benchmarks.{type}-report-full.json"));

    /// <summary>A fresh, empty temporary folder.</summary>
    public static string TempFolder()
    {
        string path = Path.Combine(Path.GetTempPath(), $"overlay-report-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Copies the fixture results (or only the files <paramref name="include"/> accepts) into a new folder.</summary>
    public static string CopyResults(Func<string, bool>? include = null)
    {
        string target = TempFolder();
        foreach (string file in Directory.EnumerateFiles(Results, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(Results, file);
            if (include is null || include(relative))
            {
                string destination = Path.Combine(target, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(file, destination);
            }
        }
        return target;
    }

    private static string Find()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "tests", "Overlay.Reporting.Tests", "Report", "Fixtures", "results");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/Overlay.Reporting.Tests/Report/Fixtures/results not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The report rendered once from the fixture results, shared by the tests that read it.</summary>
public sealed class RenderedReport : IDisposable
{
    public RenderedReport()
    {
        Out = Fixture.TempFolder();
        Outcome = ReportGenerator.Generate(Fixture.Results, Out, default, "results/", "results/", Fixture.Reporter);
        Data = ReportData.FromJson(File.ReadAllText(Outcome.DataPath));
        Markdown = File.ReadAllText(Outcome.ReportPath);
    }

    public string Out { get; }
    public ReportOutcome Outcome { get; }

    /// <summary>report-data.json as read back from disk.</summary>
    public ReportData Data { get; }

    public string Markdown { get; }

    public Overlay.Reporting.Charts.ChartSpec Chart(string id) =>
        Data.Charts.SingleOrDefault(c => c.Id == id) ?? throw new Xunit.Sdk.XunitException($"chart {id} was not drawn; drawn: {string.Join(", ", Data.Charts.Select(c => c.Id))}");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Out, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
