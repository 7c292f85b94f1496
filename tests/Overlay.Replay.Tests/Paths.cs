namespace Overlay.Replay.Tests;

/// <summary>Where the repository, its captures and the shared public captures are, from the test's output folder.</summary>
public static class Paths
{
    public static string Repository { get; } = FindRepository();

    /// <summary>../shared/captures beside the checkout (CI lays it there).</summary>
    public static string SharedCaptures => Path.GetFullPath(Path.Combine(Repository, "..", "shared", "captures"));

    /// <summary>The project's own recorded captures.</summary>
    public static string ProjectCaptures => Path.Combine(Repository, "captures");

    /// <summary>Every public capture and every project capture, as theory data.</summary>
    public static IEnumerable<string> AllCaptures()
    {
        Assert.True(Directory.Exists(SharedCaptures), $"{SharedCaptures} is missing: the public captures lie in ../shared beside the checkout");
        IEnumerable<string> shared = Directory.EnumerateFiles(SharedCaptures, "*.pcap*", SearchOption.AllDirectories);
        IEnumerable<string> own = Directory.Exists(ProjectCaptures) ? Directory.EnumerateFiles(ProjectCaptures, "*.pcap*") : [];
        return shared.Concat(own).Order(StringComparer.Ordinal);
    }

    public static string Shared(string relative) => Path.Combine(SharedCaptures, relative);

    public static string TempFile(string extension = ".pcap") => Path.Combine(Path.GetTempPath(), $"overlay-test-{Guid.NewGuid():N}{extension}");

    private static string FindRepository()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Overlay.Bench.sln")))
            {
                return dir;
            }
        }
        throw new InvalidOperationException("Overlay.Bench.sln not found above the test's folder");
    }
}
