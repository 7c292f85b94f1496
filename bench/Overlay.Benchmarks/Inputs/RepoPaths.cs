namespace Overlay.Benchmarks.Inputs;

/// <summary>
/// Finds the checkout the suite runs from (the folder holding Overlay.Bench.sln), from the working directory or
/// from the binaries' folder: BenchmarkDotNet runs each case from a generated folder under bin/, and the tests
/// from theirs. OVERLAY_BENCH_ROOT overrides.
/// </summary>
public static class RepoPaths
{
    public const string SolutionFile = "Overlay.Bench.sln";
    public const string RootVariable = "OVERLAY_BENCH_ROOT";

    private static readonly Lazy<string?> Found = new(Search);

    /// <summary>The checkout's root folder; throws when none is found.</summary>
    public static string Root => Found.Value
        ?? throw new DirectoryNotFoundException($"No {SolutionFile} above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}: run from the checkout or set {RootVariable}.");

    /// <summary>captures/: the project's own recorded captures.</summary>
    public static string Captures => Path.Combine(Root, "captures");

    /// <summary>results/: where the main job writes.</summary>
    public static string Results => Path.Combine(Root, "results");

    /// <summary>The pcap and pcapng files in captures/, by name, sorted.</summary>
    public static string[] CaptureFiles()
    {
        string? root = Found.Value;
        if (root is null || !Directory.Exists(Path.Combine(root, "captures")))
        {
            return [];
        }
        return Directory.EnumerateFiles(Path.Combine(root, "captures"))
            .Where(f => f.EndsWith(".pcap", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".pcapng", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    private static string? Search()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(RootVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, SolutionFile)))
        {
            return Path.GetFullPath(fromEnvironment);
        }
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                {
                    return dir.FullName;
                }
            }
        }
        return null;
    }
}
