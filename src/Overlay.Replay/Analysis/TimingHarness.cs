namespace Overlay.Replay.Analysis;

/// <summary>
/// How every timed figure of the capture analysis is taken: the modes are warmed up together, the repeat count is
/// chosen so that one pass of the first mode lasts at least the minimum pass time, then every pass runs each mode in
/// turn, and the bytes the passes allocate are counted.
/// </summary>
internal static class TimingHarness
{
    /// <summary>One mode: runs its loop <c>repeats</c> times and returns the seconds its timed part took.</summary>
    public delegate double Mode(int repeats);

    /// <summary>What the passes measured: seconds per mode and pass, the repeat count, and the bytes allocated meanwhile.</summary>
    public sealed record Outcome(double[][] Seconds, int Repeats, long AllocatedBytes);

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
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int pass = 0; pass < passes; pass++)
        {
            cancellation.ThrowIfCancellationRequested();
            for (int m = 0; m < modes.Length; m++)
            {
                seconds[m][pass] = modes[m](repeats);
            }
        }
        // Read before the result is built: in one expression the JIT may allocate the result first, and count it.
        long allocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return new Outcome(seconds, repeats, allocatedBytes);
    }
}
