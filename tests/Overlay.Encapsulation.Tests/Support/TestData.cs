namespace Overlay.Encapsulation.Tests.Support;

/// <summary>
/// tests/data in the checkout: the public captures and Linux-kernel vectors the tests read, committed with their
/// manifest (tests/data/MANIFEST.md), so a bare clone tests offline with nothing beside it.
/// </summary>
public static class TestData
{
    /// <summary>The repository root: the folder above the test's output folder that holds Overlay.Bench.sln.</summary>
    public static string Repository { get; } = FindRepository();

    public static string Root => Path.Combine(Repository, "tests", "data");

    /// <summary>Public captures, byte for byte as their source repositories hold them (traffic/, encapsulated/).</summary>
    public static string Captures => Path.Combine(Root, "captures");

    /// <summary>Frames before and after the Linux kernel encapsulated them, with their JSON sidecars.</summary>
    public static string KernelVectors => Path.Combine(Root, "kernel-vectors");

    /// <summary>A file under tests/data, failing the test with its path and how to restore it when it is missing.</summary>
    public static string File(string folder, string relative)
    {
        string path = Path.Combine(folder, relative);
        Assert.True(System.IO.File.Exists(path),
            $"{path} is missing: tests/data travels with the repository (tests/data/MANIFEST.md; scripts/fetch-shared-captures.sh restores the captures)");
        return path;
    }

    private static string FindRepository()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (System.IO.File.Exists(Path.Combine(dir, "Overlay.Bench.sln")))
            {
                return dir;
            }
        }
        throw new InvalidOperationException($"Overlay.Bench.sln not found above {AppContext.BaseDirectory}");
    }
}
