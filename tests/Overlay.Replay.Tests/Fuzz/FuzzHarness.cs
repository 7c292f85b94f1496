using Overlay.Fuzz;

namespace Overlay.Replay.Tests.Fuzz;

/// <summary>
/// The fuzz targets (fuzz/Overlay.Fuzz/FuzzTargets.cs, compiled in here) share static buffers, as a fuzzing process does:
/// every test that drives them belongs to this collection, so they never run at once.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzHarness
{
    public const string Name = "fuzz targets";

    static FuzzHarness()
    {
        // The capture-reader target rewrites one file per input: on a RAM disk where there is one.
        if (Directory.Exists("/dev/shm") && Environment.GetEnvironmentVariable("OVERLAY_FUZZ_TMP") is null)
        {
            Environment.SetEnvironmentVariable("OVERLAY_FUZZ_TMP", "/dev/shm");
        }
    }

    /// <summary>Runs <paramref name="target"/> on <paramref name="input"/>; a throw is the failure, with the target's own message.</summary>
    public static void Run(string target, ReadOnlySpan<byte> input) => FuzzTargets.Run(target, input);

    public static string Corpus => Path.Combine(Paths.Repository, "tests", "corpus");
}
