namespace Overlay.Reporting.Tests.Comparison;

/// <summary>Where the comparer's fixture reports are (found from the test's output folder, like the other test projects).</summary>
internal static class Fixture
{
    private static readonly string Root = Path.Combine(FindRepository(), "tests", "Overlay.Reporting.Tests", "Comparison", "Fixtures");

    public static string Path_(string name) => Path.Combine(Root, name);

    public static string Baseline => Path_("baseline");

    public static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"overlay-compare-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

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
