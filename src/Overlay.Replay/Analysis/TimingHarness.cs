namespace Overlay.Replay.Analysis;

/// <summary>
/// How every timed figure of the capture analysis is taken: the modes are warmed up together, the repeat count is
/// chosen so that one pass of the first mode lasts at least the minimum pass time, then every pass runs each mode in
/// turn, and the bytes each pass allocates are counted. The figure kept is the fewest bytes of any pass: the runtime
/// may allocate on this thread once after the warm-up (a hot loop compiled again, with its profile data), which
/// lands in one pass, while code that allocates per packet allocates in every pass.
/// </summary>
internal static class TimingHarness
{
    /// <summary>One mode: runs its loop <c>repeats</c> times and returns the seconds its timed part took.</summary>
    public delegate double Mode(int repeats);

    /// <summary>What the passes measured: seconds per mode and pass, the repeat count, and the fewest bytes one pass (every mode, <c>repeats</c> times) allocated.</summary>
    public sealed record Outcome(double[][] Seconds, int Repeats, long AllocatedBytesPerPass);

    public static Outcome Run(Mode[] modes, int passes, TimeSpan warmUp, TimeSpan minPassTime, CancellationToken cancellation)
    {
        // Warm-up (tier-1 code, caches), then the repeat count that makes one pass long enough to time.
        WarmUp.Run(() =>
        {
            foreach (Mode mode in modes)
            {
                mode(1);
            }
        }, warmUp);
        double loopSeconds = Math.Max(modes[0](1), 1e-7);
        int repeats = (int)Math.Clamp(Math.Ceiling(minPassTime.TotalSeconds / loopSeconds), 1, 100_000);

        var seconds = new double[modes.Length][];
        for (int m = 0; m < modes.Length; m++)
        {
            seconds[m] = new double[passes];
        }
        long fewest = long.MaxValue;
        for (int pass = 0; pass < passes; pass++)
        {
            cancellation.ThrowIfCancellationRequested();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int m = 0; m < modes.Length; m++)
            {
                seconds[m][pass] = modes[m](repeats);
            }
            // Read before anything else runs: the counter would also count what the next statement allocates.
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            fewest = Math.Min(fewest, allocated);
        }
        return new Outcome(seconds, repeats, fewest);
    }
}
