using Overlay.Reporting.Charts;
using Overlay.Reporting.Deployed;
using Overlay.Results;

namespace Overlay.Reporting.Tests.Deployed;

/// <summary>The "as deployed" section, its finding's verdict and its charts, on results whose numbers are set by hand.</summary>
public class AsDeployedSectionTests
{
    private static Measure M(double v) => new(v, "x");

    private static VariantResult Result(string variant, double wirePercent, int header, string mode = "L3", int inMtu = 0, double extraPerGb = 0, double holePercent = 0, string capture = "mixed.pcap") => new()
    {
        Capture = capture, Variant = variant, Description = variant, Mode = mode, Underlay = "IPv4",
        HeaderLength = M(header), Packets = M(100), Carried = M(100), NotCarried = M(0), BytesIn = M(1e5), BytesOut = M(1e5),
        OverheadBytes = M(0), OverheadPerPacketMin = M(0), OverheadPerPacketMean = M(0), OverheadPerPacketMax = M(0), OverheadPercent = M(wirePercent),
        WireBytesIn = M(0), WireBytesOut = M(0), OverheadPercentWire = M(wirePercent), LineRates = [], Mtu = [], RequiredUnderlayMtu = M(1500 + header),
        Ecmp = new EcmpFigure { Entropy = "none", DistinctOuterKeys = M(1), Flows = M(1), Paths = [] },
        DecapCheck = new DecapCheckFigure { Checked = M(1), Identical = M(1), Failed = M(0) },
        Operator = inMtu == 0 ? null : new OperatorFigures
        {
            TunnelBytesInMtu = new() { ["4"] = M(inMtu) },
            MssClamp = [new MssClampFigure
            {
                UnderlayMtu = M(1500), TcpFlows = M(3), TcpGoodputBytes = M(1e6), NativeMssIpv4 = M(1460), TunnelMssIpv4 = M(1460 - inMtu),
                NativeMssIpv6 = M(1440), TunnelMssIpv6 = M(1440 - inMtu), NativeSegments = M(685), TunnelSegments = M(700),
                ExtraPacketsPerGB = M(extraPerGb), ExtraPacketsPercent = M(1), Cost = [new PacketCostFigure(M(100), M(extraPerGb * 12.5), M(123), M(0.1))],
            }],
            BlackHole = [new BlackHoleFigure { UnderlayMtu = M(1500), NotFragmentable = M(50), FramesOver = M(holePercent), FramesPushedOver = M(holePercent), PercentOfCarried = M(holePercent), PercentOfBytes = M(holePercent) }],
        },
    };

    private static List<VariantResult> Deployed(double usid = 5.0, double red = 7.5) =>
    [
        Result("vxlan-ipv4", 6.0, 50, "L2"),
        Result("aws-gwlb", 8.0, 82, inMtu: 68, extraPerGb: 34063, holePercent: 44.79),
        Result("azure-gwlb-internal", 6.0, 50, "L2"),
        Result("nsx-geneve", 7.0, 58, "L2"),
        Result("srv6-encaps-red-1sid", 4.9, 54),
        Result("srv6-encaps-red-2sid", red, 78),
        Result("srv6-usid", usid, 54, inMtu: 40, extraPerGb: 19465, holePercent: 44.75),
    ];

    [Fact]
    public void Without_a_profile_the_section_and_its_charts_are_absent_so_the_report_is_unchanged()
    {
        List<VariantResult> generic = [Result("vxlan-ipv4", 6, 50, "L2"), Result("srv6-usid-like-but-not", 5, 54), Result("srv6-encaps-red-1sid", 4.9, 54, inMtu: 40)];
        Assert.Equal("", AsDeployedSection.Render(generic, []));
        Assert.Empty(AsDeployedCharts.Build(generic, "c", "cmd", "src"));
    }

    [Fact]
    public void The_table_has_every_profile_and_srv6_form_with_its_bytes_and_the_finding_compares_them_with_numbers()
    {
        string md = AsDeployedSection.Render(Deployed(), []);
        Assert.Contains("## As deployed", md);
        Assert.Contains("| **aws-gwlb** | 82 | 68 | 8.00 | 1582 | – |", md);
        Assert.Contains("| **azure-gwlb-internal** | 50 | 50 | 6.00 |", md);
        Assert.Contains("| srv6-encaps-red-2sid | 78 | 64 | 7.50 |", md);
        Assert.Contains("*SRv6 carries the same chain in fewer bytes than every deployed encapsulation on every capture.*", md);
        // 8.00 % against NEXT-C-SID's 5.00 %: 1.6×; the two-SID H.Encaps.Red is chosen over the one-SID form (a service needs a SID).
        Assert.Contains("AWS GWLB 68 B per packet, 8.00 % on the wire (1.6× srv6-usid)", md);
        Assert.Contains("srv6-encaps-red-2sid 64 B, 7.50 %", md);
        Assert.Contains("aws-gwlb MSS 1392 (IPv4), 34063 extra packets/GB, 44.79 % of frames in a black hole", md);
        Assert.Contains("| mixed.pcap | **aws-gwlb** | 34063 | – | 0.426 | 44.79 | – |", md);
    }

    [Fact]
    public void The_mss_named_is_that_of_the_inner_families_the_capture_carried()
    {
        List<VariantResult> rows = Deployed();
        // A capture of IPv6 traffic only: the tunnel bytes were measured for IPv6 alone, so only the IPv6 MSS is named.
        VariantResult aws = rows[1];
        rows[1] = aws with { Operator = aws.Operator! with { TunnelBytesInMtu = new() { ["6"] = M(68) } } };
        string md = AsDeployedSection.Render(rows, []);
        Assert.Contains("aws-gwlb MSS 1372 (IPv6), 34063 extra packets/GB", md);
        Assert.Contains("srv6-usid MSS 1420 (IPv4),", md);

        // A capture without TCP has nothing to clamp: no MSS is named, the black hole still is.
        VariantResult usid = rows[^1];
        rows[^1] = usid with { Operator = usid.Operator! with { MssClamp = [usid.Operator.MssClamp[0] with { TcpGoodputBytes = M(0) }] } };
        Assert.Contains("srv6-usid no TCP to clamp, 44.75 % of frames in a black hole", AsDeployedSection.Render(rows, []));
    }

    [Theory]
    [InlineData(9.0, 9.5, "no SRv6 form carries the chain in fewer bytes than the deployed encapsulations")]
    [InlineData(6.5, 9.5, "SRv6 carries the chain in fewer bytes in 2 of 3 comparisons")]
    public void The_verdict_follows_the_numbers(double usid, double red, string verdict)
    {
        Assert.Contains($"*{verdict}.*", AsDeployedSection.Render(Deployed(usid, red), []));
    }

    [Fact]
    public void The_charts_plot_the_mss_and_black_hole_figures_at_1500_for_each_row_with_them()
    {
        List<ChartSpec> charts = AsDeployedCharts.Build(Deployed(), "caption", "command", "analysis.json");
        Assert.Equal([AsDeployedCharts.MssId, AsDeployedCharts.BlackHoleId], charts.Select(c => c.Id));
        ChartSpec mss = charts[0];
        Assert.Equal(["aws-gwlb", "srv6-usid"], mss.Series.Select(s => s.Name));
        Assert.Equal(34063, mss.Series[0].Points.Single().Y);
        Assert.Equal(44.75, charts[1].Series[1].Points.Single().Y);
    }

    [Fact]
    public void One_service_hop_rows_come_from_the_chain_results_of_the_profiles()
    {
        ChainResult Row(string approach, double percent) => new()
        {
            Capture = "http.pcap", Approach = approach, Services = M(1), MetadataBytes = M(0), IngressHeaderLength = M(82), Packets = M(10),
            Arrived = M(10), WireBytes = M(0), NativeWireBytes = M(0), OverheadPercentWire = M(percent),
        };
        string md = AsDeployedSection.Render(Deployed(), [Row("aws-gwlb", 7.9), Row("srv6-csid-end", 6.3), Row("vxlan-stitching", 8.1)]);
        Assert.Contains("| http.pcap | aws-gwlb | 82 | 7.90 | 10/10 |", md);
        Assert.Contains("| http.pcap | srv6-csid-end |", md);
        Assert.DoesNotContain("vxlan-stitching", md);
    }
}
