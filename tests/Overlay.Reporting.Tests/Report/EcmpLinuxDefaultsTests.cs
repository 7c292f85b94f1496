using Overlay.Reporting.Charts;
using Overlay.Reporting.Report;
using Overlay.Results;

namespace Overlay.Reporting.Tests.Report;

/// <summary>
/// Linux's seg6 headend on its defaults (the linux-seg6 profile) is drawn beside the hash policies and said apart in the
/// ECMP finding, with its own measured ratio against the band for its flows; it never decides the hash policies' verdict.
/// </summary>
public class EcmpLinuxDefaultsTests
{
    private const int Flows = 2000;

    private static Measure M(double v) => new(v, "x");

    private static VariantResult Row(string variant, string entropy, double ratioAt16) => new()
    {
        Capture = "many.pcap", Variant = variant, Description = variant, Mode = "L3", Underlay = "IPv6",
        HeaderLength = M(54), Packets = M(Flows), Carried = M(Flows), NotCarried = M(0), BytesIn = M(1e5), BytesOut = M(1e5),
        OverheadBytes = M(0), OverheadPerPacketMin = M(0), OverheadPerPacketMean = M(0), OverheadPerPacketMax = M(0), OverheadPercent = M(1),
        WireBytesIn = M(0), WireBytesOut = M(0), OverheadPercentWire = M(1), LineRates = [], Mtu = [], RequiredUnderlayMtu = M(1540),
        Ecmp = new EcmpFigure
        {
            Entropy = entropy, DistinctOuterKeys = M(Flows), Flows = M(Flows),
            Paths = [new EcmpPathsFigure(M(2), M(1.02), M(1.02)), new EcmpPathsFigure(M(16), M(ratioAt16), M(ratioAt16))],
        },
        DecapCheck = new DecapCheckFigure { Checked = M(1), Identical = M(1), Failed = M(0) },
    };

    private static ReportModel Model(params VariantResult[] rows)
    {
        var env = new RunEnvironment { Machine = "m", Os = "o", Runtime = "r", ProcessorCount = 2, Commit = "0123456789ab", Date = DateTimeOffset.UnixEpoch, Tool = "t" };
        var doc = new ResultDocument { Environment = env, Settings = [], Captures = [], Results = [.. rows] };
        var inputs = new ReportInputs("results", [new AnalysisFile("results/analysis.json", doc)], []);
        return new ReportModel(new ReportContext(inputs, env, "results/"));
    }

    private static string EcmpText(ReportModel model) => Findings.Build(model).Single(f => f.Topic == "Flow-label entropy and ECMP").Text;

    [Fact]
    public void The_linux_default_headend_is_its_own_line_and_sentence_and_does_not_change_the_hash_verdict()
    {
        // Every IPv4 flow on one path: the busiest of 16 paths holds about 16× the mean.
        ReportModel model = Model(Row("vxlan-ipv6", "udp-source-port", 1.1), Row("srv6-encaps-red-1sid", "flow-label", 1.1), Row("linux-seg6", "none", 15.5));
        ChartSpec chart = EcmpCharts.Ecmp(model, byFlows: true)!;
        ChartSeries linux = chart.Series.Single(s => s.Name == EcmpCharts.LinuxSeries);
        Assert.Equal(15.5, linux.Points.Single(p => p.X == 16).Y);

        Finding withLinux = Findings.Build(model).Single(f => f.Topic == "Flow-label entropy and ECMP");
        Finding without = Findings.Build(Model(Row("vxlan-ipv6", "udp-source-port", 1.1), Row("srv6-encaps-red-1sid", "flow-label", 1.1))).Single(f => f.Topic == "Flow-label entropy and ECMP");
        Assert.Equal(without.Verdict, withLinux.Verdict);
        Assert.Equal(Findings.EcmpVerdict(EcmpOutcome.BothLikeRandom), withLinux.Verdict);
        (double p5, double p95) = RandomHashBand.Of(Flows, 16);
        Assert.Contains($"15.50 at 16 paths, against {p5:N2}–{p95:N2} for its 2,000 flows, so an operator on defaults does not get the flow label's entropy on this traffic", withLinux.Text, StringComparison.Ordinal);
        Assert.Contains("SRv6 flow label 1.10", withLinux.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_linux_headend_within_the_band_is_said_so_and_without_it_the_finding_says_how_to_measure_it()
    {
        Assert.Contains("so this capture's flows still spread like a random hash",
            EcmpText(Model(Row("vxlan-ipv6", "udp-source-port", 1.1), Row("srv6-encaps-red-1sid", "flow-label", 1.1), Row("linux-seg6", "flow-label", 1.1))), StringComparison.Ordinal);
        string without = EcmpText(Model(Row("vxlan-ipv6", "udp-source-port", 1.1), Row("srv6-encaps-red-1sid", "flow-label", 1.1)));
        Assert.Contains("not measured here: analyse with `--profile linux-seg6`", without, StringComparison.Ordinal);
        Assert.DoesNotContain(EcmpCharts.LinuxSeries, EcmpCharts.Ecmp(Model(Row("vxlan-ipv6", "udp-source-port", 1.1)), byFlows: true)!.Series.Select(s => s.Name));
    }
}
