using Overlay.Encapsulation.Tests.Support;

namespace Overlay.Replay.Tests;

/// <summary>Where the repository, its captures and the public test captures (tests/data/captures) are.</summary>
public static class Paths
{
    public static string Repository => TestData.Repository;

    /// <summary>The public captures the tests read, committed under tests/data with their manifest.</summary>
    public static string PublicCaptures => TestData.Captures;

    /// <summary>The project's own recorded captures.</summary>
    public static string ProjectCaptures => Path.Combine(Repository, "captures");

    /// <summary>Every public capture and every project capture, as theory data.</summary>
    public static IEnumerable<string> AllCaptures()
    {
        Assert.True(Directory.Exists(PublicCaptures), $"{PublicCaptures} is missing: the public captures travel with the repository (tests/data/MANIFEST.md)");
        IEnumerable<string> published = Directory.EnumerateFiles(PublicCaptures, "*.pcap*", SearchOption.AllDirectories);
        IEnumerable<string> own = Directory.Exists(ProjectCaptures) ? Directory.EnumerateFiles(ProjectCaptures, "*.pcap*") : [];
        return published.Concat(own).Order(StringComparer.Ordinal);
    }

    /// <summary>A public capture by its path under tests/data/captures (traffic/NAME or encapsulated/NAME).</summary>
    public static string PublicCapture(string relative) => TestData.File(PublicCaptures, relative);

    public static string TempFile(string extension = ".pcap") => Path.Combine(Path.GetTempPath(), $"overlay-test-{Guid.NewGuid():N}{extension}");
}
