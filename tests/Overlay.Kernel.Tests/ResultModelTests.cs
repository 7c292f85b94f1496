using Overlay.Results.Kernel;

namespace Overlay.Kernel.Tests;

public class ResultModelTests
{
    [Fact]
    public void SpreadIsTheMedianQuartilesAndRange()
    {
        Spread odd = Spread.Of([5, 1, 3, 2, 4])!;
        Assert.Equal((3.0, 1.0, 5.0, 2.0, 4.0, 5), (odd.Median, odd.Min, odd.Max, odd.Q1, odd.Q3, odd.Count));
        Spread even = Spread.Of([10, 40, 20, 30])!;
        Assert.Equal(25, even.Median);
        Assert.Equal(17.5, even.Q1);
        Assert.Equal(32.5, even.Q3);
    }

    [Fact]
    public void SpreadSkipsNaNAndIsNullWithoutValues()
    {
        Assert.Null(Spread.Of([]));
        Assert.Null(Spread.Of([double.NaN]));
        Assert.Equal(7, Spread.Of([double.NaN, 7])!.Median);
    }

    private static KernelUdpTrial Trial(int index, double total, double sender, double receiver, long delivered = 1000) =>
        new(index, delivered, delivered, 1.0, total, sender, receiver, total * 0.9, sender * 0.9, receiver * 0.9, 0.05, 0.1);

    private static readonly KernelVariantStatus Baseline = new("baseline-ipv4", "native", true, null, [], "IPv4", null);
    private static readonly KernelVariantStatus Vxlan = new("vxlan-ipv4", "VXLAN", true, null, ["A: ip link add vx4 …"], "IPv4", "baseline-ipv4");
    private static readonly KernelVariantStatus Gre = new("gre-l3-ipv4", "GRE", false, "not available in this kernel: needs ip_gre (CONFIG_NET_IPGRE)", [], "IPv4", "baseline-ipv4");

    private static Dictionary<(string, string), List<KernelUdpTrial>> Trials() => new()
    {
        [("baseline-ipv4", "64")] = [Trial(1, 1000, 900, 100), Trial(2, 1100, 1000, 100), Trial(3, 900, 800, 100), Trial(4, 1050, 950, 100), Trial(5, 950, 850, 100)],
        [("vxlan-ipv4", "64")] = [Trial(1, 1600, 1500, 100), Trial(2, 1500, 1400, 100), Trial(3, 1700, 1590, 110), Trial(4, 1550, 1450, 100), Trial(5, 1650, 1550, 100)],
    };

    private static readonly KernelOverheadCheck Check = new("vxlan-ipv4", "64", 24, 24, 24, 24, [50], 50, true, null);

    [Fact]
    public void ARowSubtractsTheBaselineMedianOfTheSameSize()
    {
        KernelUdpRow row = KernelSummary.UdpRow(Vxlan, "64", Trials(), [Check]);
        Assert.Equal(1600, row.CpuNsPerPacket);
        Assert.Equal(1000, row.BaselineCpuNsPerPacket);
        Assert.Equal(600, row.IncrementalCpuNsPerPacket);
        Assert.Equal(1500 - 900, row.IncrementalSenderCoreNs);
        Assert.Equal(0, row.IncrementalReceiverCoreNs);
        Assert.Equal((1500.0, 1700.0, 5), (row.CpuNs!.Min, row.CpuNs.Max, row.CpuNs.Count));
        Assert.Equal(1000, row.PacketsPerSecond!.Median);
        Assert.Equal((50, 50), (row.OverheadMeasured, row.OverheadModel));
        Assert.Equal(0.9 * 600, row.IncrementalOwnCpuNs!.Value, 9);
        Assert.Equal(0.9 * 600, row.IncrementalOwnSenderNs!.Value, 9);
        Assert.Equal(0, row.IncrementalOwnReceiverNs!.Value, 9);
    }

    [Fact]
    public void ATrialThatDeliveredNothingIsNotAFigure()
    {
        var trials = Trials();
        trials[("vxlan-ipv4", "64")].Add(Trial(6, double.NaN, double.NaN, double.NaN, delivered: 0));
        Assert.Equal(5, KernelSummary.UdpRow(Vxlan, "64", trials, []).CpuNs!.Count);
    }

    [Fact]
    public void AnUnavailableVariantHasARowWithItsReasonAndNoFigures()
    {
        KernelUdpRow row = KernelSummary.UdpRow(Gre, "64", Trials(), []);
        Assert.False(row.Available);
        Assert.Contains("not available in this kernel", row.Unavailable);
        Assert.Null(row.CpuNsPerPacket);
        Assert.Null(row.IncrementalCpuNsPerPacket);
        Assert.Empty(row.Trials);
    }

    [Fact]
    public void ABaselineRowHasNoBaselineAndNoOverhead()
    {
        KernelUdpRow row = KernelSummary.UdpRow(Baseline, "64", Trials(), []);
        Assert.Equal(1000, row.CpuNsPerPacket);
        Assert.Null(row.BaselineCpuNsPerPacket);
        Assert.Null(row.IncrementalCpuNsPerPacket);
        Assert.Null(row.OverheadMeasured);
    }

    private static KernelDocument Document() => new(KernelDocument.SchemaName,
        new KernelEnvironment("6.18.0", "iproute2-6.1.0", 2, 0, 1, "2026-12-03T12:00:00Z", "overlay kernel 0.1.0", "abc", true),
        new KernelSettings(5, 1, 1, ["64"], 9000, 1500, 64, false),
        [Baseline, Vxlan, Gre],
        [KernelSummary.UdpRow(Baseline, "64", Trials(), []), KernelSummary.UdpRow(Vxlan, "64", Trials(), [Check]), KernelSummary.UdpRow(Gre, "64", Trials(), [])],
        [new KernelTcpRow("vxlan-ipv4", true, null, true, Spread.Of([9.5, 10]), Spread.Of([0.8]), Spread.Of([0.7]), Spread.Of([0.01]), [new KernelTcpTrial(1, 10, 1, 9.5, 0.8, 0.7, 0.01)]),
         new KernelTcpRow("vxlan-ipv4", true, null, false, Spread.Of([3]), Spread.Of([2.5]), Spread.Of([2.4]), Spread.Of([0.02]), [])],
        [Check],
        ["a note"]);

    [Fact]
    public void TheJsonRowsCarryTheFieldsTheReportReads()
    {
        string json = KernelResultFiles.ToJson(Document());
        foreach (string field in new[] { "\"variant\"", "\"available\"", "\"payloadSize\"", "\"cpuNsPerPacket\"", "\"baselineCpuNsPerPacket\"", "\"overheadMeasured\"", "\"overheadModel\"", "\"incrementalCpuNsPerPacket\"", "\"otherCpuShare\"" })
        {
            Assert.Contains(field, json);
        }
        Assert.Contains($"\"schema\": \"{KernelDocument.SchemaName}\"", json);
    }

    [Fact]
    public void TheJsonReadsBackToTheSameDocument()
    {
        KernelDocument document = Document();
        KernelDocument back = KernelResultFiles.Parse(KernelResultFiles.ToJson(document), "kernel.json");
        Assert.Equal(KernelResultFiles.ToJson(document), KernelResultFiles.ToJson(back));
        Assert.Equal(600, back.Rows[1].IncrementalCpuNsPerPacket);
        Assert.False(back.Variants[2].Available);
    }

    [Fact]
    public void AnotherSchemaOrBrokenJsonIsRefusedNamingTheFile()
    {
        string other = KernelResultFiles.ToJson(Document()).Replace(KernelDocument.SchemaName, "overlay-bench/analyze/v1");
        Assert.Contains("results/x.json", Assert.Throws<InvalidDataException>(() => KernelResultFiles.Parse(other, "results/x.json")).Message);
        Assert.Contains("results/x.json", Assert.Throws<InvalidDataException>(() => KernelResultFiles.Parse("{ \"schema\": ", "results/x.json")).Message);
    }

    [Fact]
    public void TheMarkdownShowsTheIncrementTheUnavailableVariantAndTheCheck()
    {
        string md = KernelMarkdown.Render(Document());
        Assert.Contains("| vxlan-ipv4 | 64 | 0.001 [0.001–0.001] | 1600 [1500–1700] | 1000 | 600 | 600 | 0 | 1440 [1350–1530] | 540 (540 / 0) |", md);
        Assert.Contains("| gre-l3-ipv4 | 64 | not available in this kernel |", md);
        Assert.Contains("| vxlan-ipv4 | 64 | 24/24 | 24 | 24 | 50 | 50 | yes |", md);
        Assert.Contains("| vxlan-ipv4 | 9.75 [9.50–10.00] | 0.800 [0.800–0.800] | 0.700 [0.700–0.700] | 3.00 [3.00–3.00] | 2.500 [2.500–2.500] | 2.400 [2.400–2.400] |", md);
    }

    [Fact]
    public void TheNotesSayWhereTheReceivePathRanAndHowBusyTheMachineWas()
    {
        List<string> notes = KernelSummary.Notes(Document());
        Assert.Contains(notes, n => n.Contains("receive path runs on the sending core") && n.Contains("Only the total increment"));
        Assert.Contains(notes, n => n.Contains("other processes used 5 %"));
        Assert.Contains(notes, n => n.Contains("gre-l3-ipv4"));
        List<string> split = KernelSummary.Notes(Document() with { Environment = Document().Environment with { ReceivePathOnSenderCore = false } });
        Assert.Contains(split, n => n.Contains("The receiver peer's share of the tunnels' own increments was 0–0 % (median 0 %)"));
    }
}

public class ReceivePathTests
{
    private static KernelUdpRow Row(double increment, double receiver) =>
        new("vxlan-ipv4", true, null, "64", 1000 + increment, 1000, increment, 0, 0,
            null, null, null, null, increment, increment - receiver, receiver, null, null, 50, 50, []);

    [Fact]
    public void TheReceivePathRunsOnTheSenderWhenTheReceiverDoesUnderAThresholdOfEveryIncrement()
    {
        Assert.True(KernelSummary.ReceivePathOnSenderCore([Row(600, 10), Row(400, -20)]));
        Assert.False(KernelSummary.ReceivePathOnSenderCore([Row(600, 10), Row(400, 100)]));
        Assert.False(KernelSummary.ReceivePathOnSenderCore([]));
    }
}
