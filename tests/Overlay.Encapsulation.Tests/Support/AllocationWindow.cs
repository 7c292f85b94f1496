namespace Overlay.Encapsulation.Tests.Support;

/// <summary>
/// Bytes a window of work allocates on this thread, taken as the fewest over a few repeats of the same window.
/// The runtime can allocate on the measuring thread once, after any warm-up: a loop that turns hot is compiled again
/// there (on-stack replacement, tier-1 with profile data), and the JIT's type lookups may allocate while it does.
/// That happens once, in one window; code that allocates per packet, or once every few thousand packets, allocates
/// in every window and still fails.
/// </summary>
public static class AllocationWindow
{
    public const int Repeats = 4;

    /// <summary>Runs <paramref name="window"/> until one run allocates nothing, at most <see cref="Repeats"/> times; returns the fewest bytes seen.</summary>
    public static long Fewest(Func<int> window, int expected)
    {
        long fewest = long.MaxValue;
        for (int attempt = 0; attempt < Repeats && fewest > 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            int done = window();
            // Read before anything else runs: an assertion's message would be built, and counted, first.
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(expected, done);
            fewest = Math.Min(fewest, allocated);
        }
        return fewest;
    }
}
