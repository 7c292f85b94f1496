using System.Globalization;

namespace Overlay.Kernel.Accounting;

/// <summary>
/// One CPU's line of /proc/stat, in clock ticks (USER_HZ): user nice system idle iowait irq softirq steal [guest guest_nice].
/// Guest time is already inside user and nice, so it is not added again.
/// </summary>
public readonly record struct CpuTimes(long User, long Nice, long System, long Idle, long IoWait, long Irq, long SoftIrq, long Steal)
{
    /// <summary>The work a packet costs: user + nice + system + irq + softirq.</summary>
    public long Busy => User + Nice + System + Irq + SoftIrq;

    /// <summary>Every tick the CPU spent, idle and stolen ones included: the capacity of the interval.</summary>
    public long Total => Busy + Idle + IoWait + Steal;

    public static CpuTimes operator -(CpuTimes after, CpuTimes before) => new(
        after.User - before.User, after.Nice - before.Nice, after.System - before.System, after.Idle - before.Idle,
        after.IoWait - before.IoWait, after.Irq - before.Irq, after.SoftIrq - before.SoftIrq, after.Steal - before.Steal);
}

/// <summary>The per-CPU lines of one read of /proc/stat.</summary>
public sealed class ProcStat
{
    private readonly Dictionary<int, CpuTimes> _cpus;

    private ProcStat(Dictionary<int, CpuTimes> cpus) => _cpus = cpus;

    public IReadOnlyCollection<int> Cpus => _cpus.Keys;

    public CpuTimes this[int cpu] => _cpus.TryGetValue(cpu, out CpuTimes times)
        ? times
        : throw new KeyNotFoundException($"/proc/stat has no line for cpu{cpu}");

    public static ProcStat Read() => Parse(File.ReadAllText("/proc/stat"));

    /// <summary>Parses the text of /proc/stat: every "cpuN" line (the aggregate "cpu" line is not needed). A line with
    /// fewer than the eight fields every kernel since 2.6.11 writes is a <see cref="FormatException"/>.</summary>
    public static ProcStat Parse(string text)
    {
        var cpus = new Dictionary<int, CpuTimes>();
        foreach (string line in text.Split('\n'))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.Length < 4 || !char.IsAsciiDigit(line[3]))
            {
                continue;
            }
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!int.TryParse(fields[0].AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out int cpu))
            {
                throw new FormatException($"/proc/stat: '{fields[0]}' is not a cpu number");
            }
            if (fields.Length < 9)
            {
                throw new FormatException($"/proc/stat: cpu{cpu} has {fields.Length - 1} fields, expected at least 8 (user … steal)");
            }
            long F(int i) => long.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out long value)
                ? value
                : throw new FormatException($"/proc/stat: cpu{cpu} field {i} '{fields[i]}' is not a tick count");
            cpus[cpu] = new CpuTimes(F(1), F(2), F(3), F(4), F(5), F(6), F(7), F(8));
        }
        if (cpus.Count == 0)
        {
            throw new FormatException("/proc/stat: no cpuN line");
        }
        return new ProcStat(cpus);
    }
}

/// <summary>A process's CPU time from /proc/PID/stat: utime + stime (fields 14 and 15), in clock ticks.</summary>
public static class ProcessTimes
{
    /// <summary>The process's utime + stime, or null when it no longer exists.</summary>
    public static long? Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    /// <summary>Parses one /proc/PID/stat line. The command name (field 2) is in parentheses and may itself hold spaces
    /// and parentheses, so the fields are counted from the last ')'.</summary>
    public static long Parse(string line)
    {
        int close = line.LastIndexOf(')');
        if (close < 0)
        {
            throw new FormatException("/proc/PID/stat: no ')' after the command name");
        }
        string[] rest = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // rest[0] is field 3 (state); utime is field 14, stime field 15.
        if (rest.Length < 13)
        {
            throw new FormatException($"/proc/PID/stat: {rest.Length + 2} fields, expected at least 15");
        }
        long Field(int number) => long.TryParse(rest[number - 3], NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new FormatException($"/proc/PID/stat: field {number} '{rest[number - 3]}' is not a tick count");
        return Field(14) + Field(15);
    }
}
