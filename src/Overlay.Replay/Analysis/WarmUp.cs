using System.Diagnostics;

namespace Overlay.Replay.Analysis;

/// <summary>
/// Runs a timed loop untimed until the code it runs is the code a long run would run, before a pass is timed.
/// </summary>
/// <remarks>
/// The CLI runs with tiered compilation on, because with it off the runtime never re-compiles its own ReadyToRun
/// code: <c>Buffer.Memmove</c> (every <c>Span.CopyTo</c>) then stays legacy-SSE code, and calling it between AVX code
/// costs an AVX–SSE transition each time (bench/README.md, "Reading the ratios", has what that cost where it was
/// measured). Hot code reaches tier 1 once it has been called 30 times and then 100 ms have
/// passed without new tier-0 code, so the first warm-up in a process runs long enough for that; later ones only
/// need the caches and branch predictors warm.
/// </remarks>
public static class WarmUp
{
    /// <summary>The first warm-up in a process: room for the background tier-1 compilations of the hot methods.</summary>
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(600);

    private static int s_done;

    /// <summary>Runs <paramref name="pass"/> at least twice and until <paramref name="minimum"/> (the first time in the process, <see cref="First"/>) has passed.</summary>
    public static void Run(Action pass, TimeSpan minimum)
    {
        ArgumentNullException.ThrowIfNull(pass);
        if (Interlocked.Exchange(ref s_done, 1) == 0 && minimum < First)
        {
            minimum = First;
        }
        long start = Stopwatch.GetTimestamp();
        for (int round = 0; round < 2 || Stopwatch.GetElapsedTime(start) < minimum; round++)
        {
            pass();
        }
    }
}
