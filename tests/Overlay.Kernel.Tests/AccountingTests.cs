using Overlay.Kernel.Accounting;

namespace Overlay.Kernel.Tests;

public class AccountingTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public void ParsesEveryCpuLineAndNotTheAggregate()
    {
        ProcStat stat = ProcStat.Parse(Fixture("proc-stat-before.txt"));
        Assert.Equal([0, 1], stat.Cpus.Order());
        Assert.Equal(new CpuTimes(17202, 0, 2835, 331481, 263, 0, 60, 103), stat[0]);
        Assert.Equal(new CpuTimes(19913, 0, 3356, 326719, 1916, 0, 81, 115), stat[1]);
        Assert.Throws<KeyNotFoundException>(() => stat[2]);
    }

    [Fact]
    public void BusyIsUserNiceSystemIrqSoftirqAndTotalAddsIdleIoWaitSteal()
    {
        var times = new CpuTimes(User: 1, Nice: 2, System: 4, Idle: 8, IoWait: 16, Irq: 32, SoftIrq: 64, Steal: 128);
        Assert.Equal(1 + 2 + 4 + 32 + 64, times.Busy);
        Assert.Equal(255, times.Total);
    }

    [Fact]
    public void DeltaOfTwoReadsIsFieldByField()
    {
        CpuTimes delta = ProcStat.Parse(Fixture("proc-stat-after.txt"))[0] - ProcStat.Parse(Fixture("proc-stat-before.txt"))[0];
        Assert.Equal(new CpuTimes(10, 0, 80, 0, 0, 0, 30, 0), delta);
        Assert.Equal(120, delta.Busy);
    }

    [Theory]
    [InlineData("cpu0 1 2 3 4 5 6 7\n", "7 fields")]
    [InlineData("cpu0 1 2 3 x 5 6 7 8\n", "field 4 'x'")]
    [InlineData("cpuA 1 2 3 4 5 6 7 8\n", "no cpuN line")]
    [InlineData("intr 1 2 3\n", "no cpuN line")]
    public void MalformedProcStatIsAFormatExceptionThatSaysWhy(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ProcStat.Parse(text));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void ProcessTimesCountFromTheLastParenthesisOfTheCommandName()
    {
        Assert.Equal(1500 + 320, ProcessTimes.Parse(Fixture("pid-stat.txt")));
    }

    [Theory]
    [InlineData("4242 overlay S 1 2 3")]
    [InlineData("4242 (overlay) S 1 2 3 4 5 6 7 8 9 10")]
    [InlineData("4242 (overlay) S 1 2 3 4 5 6 7 8 9 10 -1 20")]
    public void MalformedProcessStatIsAFormatException(string line)
    {
        Assert.Throws<FormatException>(() => ProcessTimes.Parse(line));
    }

    [Fact]
    public void ProcessTimesOfAProcessThatIsGoneAreNull()
    {
        Assert.Null(ProcessTimes.Read(int.MaxValue));
        Assert.NotNull(ProcessTimes.Read(Environment.ProcessId));
    }

    [Fact]
    public void TrialCpuSplitsByCoreAndCountsOthersAsBusyTimeTheRunDidNotUse()
    {
        var accounting = new TrialAccounting(senderCore: 0, receiverCore: 1, nanosecondsPerTick: 1e7);
        var before = new CpuSnapshot(ProcStat.Parse(Fixture("proc-stat-before.txt")), SenderTicks: 60, ReceiverTicks: 40);
        var after = new CpuSnapshot(ProcStat.Parse(Fixture("proc-stat-after.txt")), SenderTicks: 210, ReceiverTicks: 90);
        TrialCpu cpu = accounting.Measure(before, after);
        Assert.Equal(120 * 1e7, cpu.SenderCoreNs);
        Assert.Equal(130 * 1e7, cpu.ReceiverCoreNs);
        Assert.Equal(250 * 1e7, cpu.TotalNs);
        Assert.Equal(200 * 1e7, cpu.OwnNs);
        Assert.Equal(150 * 1e7, cpu.OwnSenderNs);
        Assert.Equal(50 * 1e7, cpu.OwnReceiverNs);
        // busy 250 ticks of 270, the run's own processes 200: others 50 of 270
        Assert.Equal(50.0 / 270, cpu.OtherShare, 12);
        Assert.Equal(20.0 / 270, cpu.IdleShare, 12);
    }

    [Fact]
    public void OwnTimeAboveTheBusyTimeLeavesNoOthersRatherThanANegativeShare()
    {
        var accounting = new TrialAccounting(0, 1, 1e7);
        var before = new CpuSnapshot(ProcStat.Parse(Fixture("proc-stat-before.txt")), 0, 0);
        var after = new CpuSnapshot(ProcStat.Parse(Fixture("proc-stat-after.txt")), 300, 100);
        Assert.Equal(0, accounting.Measure(before, after).OtherShare);
    }

    [Fact]
    public void OneCoreForBothSidesIsCountedOnce()
    {
        var accounting = new TrialAccounting(0, 0, 1e7);
        var before = new CpuSnapshot(ProcStat.Parse(Fixture("proc-stat-before.txt")), 0, 0);
        var after = new CpuSnapshot(ProcStat.Parse(Fixture("proc-stat-after.txt")), 0, 0);
        TrialCpu cpu = accounting.Measure(before, after);
        Assert.Equal(120 * 1e7, cpu.TotalNs);
        Assert.Equal(0, cpu.ReceiverCoreNs);
    }

    [Fact]
    public void ThisHostHasAClockTickAndReadableCounters()
    {
        ProcStat stat = ProcStat.Read();
        Assert.Contains(0, stat.Cpus);
        Assert.True(stat[0].Total > 0);
    }
}
