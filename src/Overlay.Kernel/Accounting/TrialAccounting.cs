using System.Runtime.InteropServices;

namespace Overlay.Kernel.Accounting;

/// <summary>What one trial cost the two pinned cores, in ns, and how much of their time others used.</summary>
/// <param name="SenderCoreNs">The sender core's busy time (/proc/stat).</param>
/// <param name="ReceiverCoreNs">The receiver core's busy time.</param>
/// <param name="OwnSenderNs">The sender peer's CPU time and its core's ksoftirqd's.</param>
/// <param name="OwnReceiverNs">The receiver peer's and its core's ksoftirqd's.</param>
/// <param name="OtherShare">The share of the two cores' time that other processes used.</param>
/// <param name="IdleShare">The share they were idle.</param>
public readonly record struct TrialCpu(double SenderCoreNs, double ReceiverCoreNs, double OwnSenderNs, double OwnReceiverNs, double OtherShare, double IdleShare)
{
    /// <summary>The run's own processes together.</summary>
    public double OwnNs => OwnSenderNs + OwnReceiverNs;

    /// <summary>Both pinned cores: user + nice + system + irq + softirq.</summary>
    public double TotalNs => SenderCoreNs + ReceiverCoreNs;
}

/// <summary>The counters read just before and just after a trial.</summary>
/// <param name="Stat">/proc/stat.</param>
/// <param name="SenderTicks">utime + stime of the sender peer and the sender core's ksoftirqd thread (softirq work the
/// kernel defers to it is still the trial's).</param>
/// <param name="ReceiverTicks">The same for the receiver peer and its core.</param>
public sealed record CpuSnapshot(ProcStat Stat, long SenderTicks, long ReceiverTicks)
{
    public long OwnTicks => SenderTicks + ReceiverTicks;
}

/// <summary>Turns two <see cref="CpuSnapshot"/>s into a <see cref="TrialCpu"/>.</summary>
/// <remarks>
/// The kernel's tick-based accounting (no CONFIG_IRQ_TIME_ACCOUNTING) charges softirq work done in a process's context
/// both to that process and to /proc/stat's softirq column, so "others" is the pinned cores' busy time minus the run's
/// own processes' time: what is left ran in processes this run did not start. Ticks are USER_HZ (10 ms on most
/// kernels): a trial of a second or more keeps that error near 1 %.
/// </remarks>
public sealed class TrialAccounting(int senderCore, int receiverCore, double nanosecondsPerTick)
{
    public int SenderCore { get; } = senderCore;
    public int ReceiverCore { get; } = receiverCore;

    /// <summary>The accounting of this machine's clock tick (sysconf(_SC_CLK_TCK)).</summary>
    public static TrialAccounting ForHost(int senderCore, int receiverCore) => new(senderCore, receiverCore, 1e9 / ClockTicksPerSecond());

    public TrialCpu Measure(CpuSnapshot before, CpuSnapshot after)
    {
        CpuTimes sender = after.Stat[SenderCore] - before.Stat[SenderCore];
        CpuTimes receiver = SenderCore == ReceiverCore ? default : after.Stat[ReceiverCore] - before.Stat[ReceiverCore];
        long busy = sender.Busy + receiver.Busy;
        long total = sender.Total + receiver.Total;
        long own = after.OwnTicks - before.OwnTicks;
        double other = total > 0 ? Math.Max(0, busy - own) / (double)total : 0;
        double idle = total > 0 ? (sender.Idle + sender.IoWait + receiver.Idle + receiver.IoWait) / (double)total : 0;
        return new TrialCpu(sender.Busy * nanosecondsPerTick, receiver.Busy * nanosecondsPerTick,
            (after.SenderTicks - before.SenderTicks) * nanosecondsPerTick, (after.ReceiverTicks - before.ReceiverTicks) * nanosecondsPerTick, other, idle);
    }

    /// <summary>The pid of ksoftirqd/N for <paramref name="cpu"/> (scanned from /proc/*/comm), or null.</summary>
    public static int? SoftIrqThread(int cpu)
    {
        string name = $"ksoftirqd/{cpu}";
        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out int pid))
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(folder, "comm")).Trim() == name)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // the process ended while the folder was read
            }
        }
        return null;
    }

    private static long ClockTicksPerSecond()
    {
        const int ScClkTck = 2;
        long ticks = NativeMethods.sysconf(ScClkTck);
        return ticks > 0 ? ticks : 100;
    }
}

internal static partial class NativeMethods
{
    [LibraryImport("libc", SetLastError = true)]
    internal static partial long sysconf(int name);
}
