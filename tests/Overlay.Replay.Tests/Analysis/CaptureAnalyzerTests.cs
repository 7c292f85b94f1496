using System.Buffers;
using System.Diagnostics;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Analysis;
using Overlay.Replay.Capture;
using Overlay.Results;

namespace Overlay.Replay.Tests.Analysis;

public class CaptureAnalyzerTests
{
    public static TheoryData<string> Captures() => WiresharkReplayTests.Captures();

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_frame_of_every_variant_decapsulates_back_to_itself(string capture)
    {
        var analyzer = new CaptureAnalyzer(new AnalyzeOptions { Variants = VariantCatalog.All, MeasureThroughput = false });
        CaptureAnalysis analysis = analyzer.Analyze(Path.Combine(Paths.Repository, capture));
        Assert.Null(analysis.Error);
        foreach (VariantResult r in analysis.Results)
        {
            // A one-family IP-in-IP variant finds nothing to carry in a capture of the other family alone.
            bool oneFamily = VariantCatalog.Find(r.Variant)!.Create().Family == TunnelFamily.IpIp;
            Assert.True(r.DecapCheck.Checked.Value > 0 || (oneFamily && r.Carried.Value == 0), $"{r.Variant}: nothing checked");
            Assert.True(r.DecapCheck.Identical.Value == r.DecapCheck.Checked.Value,
                $"{r.Variant}: {r.DecapCheck.Failed.Value} of {r.DecapCheck.Checked.Value} differ ({string.Join(", ", r.DecapCheck.Reasons)})");
            // L2 variants carry every frame; L3 variants every IP frame.
            if (r.Mode == "L2")
            {
                Assert.Equal(r.Packets.Value, r.Carried.Value);
            }
        }
    }

    [Theory]
    [InlineData("vxlan-ipv4")]
    [InlineData("gre-l3-ipv6")]
    [InlineData("srv6-encaps-3sid")]
    [InlineData("nvgre-ipv4")]
    public void Overhead_total_equals_the_bytes_tshark_counts_in_the_encapsulated_capture(string variant)
    {
        string capture = Paths.PublicCapture("traffic/pcapplusplus_many-protocols.pcap");
        VariantSpec spec = VariantCatalog.Find(variant)!;
        VariantResult result = new CaptureAnalyzer(new AnalyzeOptions { Variants = [spec], MeasureThroughput = false }).Analyze(capture).Results.Single();

        // Encapsulate the same frames independently, and let tshark add up both captures.
        List<byte[]> frames = WiresharkReplayTests.ReadWholeFrames(capture);
        IEncapsulator encapsulator = spec.Create();
        var outputs = new List<byte[]>();
        var carried = new List<byte[]>();
        var buffer = new byte[70000];
        foreach (byte[] frame in frames)
        {
            if (encapsulator.Encapsulate(frame, buffer, out int written) == OperationStatus.Done)
            {
                outputs.Add(buffer[..written]);
                carried.Add(frame);
            }
        }
        long bytesIn = SumFrameLengths(carried), bytesOut = SumFrameLengths(outputs);
        Assert.Equal(bytesIn, result.BytesIn.Value);
        Assert.Equal(bytesOut, result.BytesOut.Value);
        Assert.Equal(bytesOut - bytesIn, result.OverheadBytes.Value);
    }

    [Fact]
    public void Plain_GRE_between_two_endpoints_puts_everything_on_one_path_and_VXLAN_spreads()
    {
        string path = ManyFlowsCapture(2000);
        try
        {
            var analyzer = new CaptureAnalyzer(new AnalyzeOptions
            {
                Variants = [VariantCatalog.Find("gre-l3-ipv4")!, VariantCatalog.Find("vxlan-ipv4")!, VariantCatalog.Find("srv6-encaps-1sid")!],
                MeasureThroughput = false,
            });
            List<VariantResult> results = analyzer.Analyze(path).Results;
            VariantResult gre = results[0], vxlan = results[1], srv6 = results[2];

            Assert.Equal("none", gre.Ecmp.Entropy);
            Assert.Equal(1, gre.Ecmp.DistinctOuterKeys.Value);
            foreach (EcmpPathsFigure p in gre.Ecmp.Paths)
            {
                Assert.Equal(p.Paths.Value, p.MaxMeanBytes.Value, 6); // all on one path: max/mean = k
            }

            Assert.Equal("udp-source-port", vxlan.Ecmp.Entropy);
            Assert.Equal(2000, vxlan.Ecmp.Flows.Value);
            Assert.True(vxlan.Ecmp.DistinctOuterKeys.Value > 1500, $"{vxlan.Ecmp.DistinctOuterKeys.Value} outer keys");
            EcmpPathsFigure sixteen = vxlan.Ecmp.Paths.Single(p => p.Paths.Value == 16);
            Assert.InRange(sixteen.MaxMeanFlows.Value, 1.0, 1.25);
            Assert.InRange(sixteen.MaxMeanBytes.Value, 1.0, 1.25);

            Assert.Equal("flow-label", srv6.Ecmp.Entropy);
            Assert.InRange(srv6.Ecmp.Paths.Single(p => p.Paths.Value == 16).MaxMeanFlows.Value, 1.0, 1.25);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Streaming_through_small_arenas_gives_the_same_figures_as_one_arena()
    {
        string capture = Paths.PublicCapture("traffic/pcapplusplus_http-packets.pcap");
        var variants = new[] { VariantCatalog.Find("vxlan-ipv6")!, VariantCatalog.Find("srv6-encaps-l2-red-3sid")! };
        VariantResult[] whole = [.. new CaptureAnalyzer(new AnalyzeOptions { Variants = variants, MeasureThroughput = false }).Analyze(capture).Results];
        VariantResult[] streamed = [.. new CaptureAnalyzer(new AnalyzeOptions { Variants = variants, MeasureThroughput = false, ArenaBytes = 1 }).Analyze(capture).Results];
        for (int i = 0; i < whole.Length; i++)
        {
            Assert.Equal(ResultJson(whole[i]), ResultJson(streamed[i]));
        }
    }

    [Fact]
    public void Frames_cut_by_the_snap_length_count_their_overhead_from_the_original_length()
    {
        byte[] frame = TestFrames.Ip(4, TestFrames.L4.Tcp, 1514);
        string path = RawPcap.Write(RawPcap.FileHeader(1, snapLength: 96), RawPcap.Record(frame[..96], originalLength: 1514));
        try
        {
            CaptureAnalysis analysis = new CaptureAnalyzer(new AnalyzeOptions
            {
                Variants = [VariantCatalog.Find("vxlan-ipv4")!, VariantCatalog.Find("gre-l3-ipv4")!],
                MeasureThroughput = false,
            }).Analyze(path);
            Assert.Equal(1, analysis.Summary.Truncated.Value);
            Assert.Equal(1514 + 50, analysis.Results[0].BytesOut.Value);
            Assert.Equal(1514 + 24, analysis.Results[1].BytesOut.Value);
            Assert.Equal(1514 + 50 - 14, analysis.Results[0].RequiredUnderlayMtu.Value);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Frames_before_a_corrupt_record_are_analysed_and_the_error_names_frame_and_offset()
    {
        byte[] a = TestFrames.Ip(4, TestFrames.L4.Udp, 100), b = TestFrames.Ip(6, TestFrames.L4.Tcp, 200);
        string path = RawPcap.Write(RawPcap.FileHeader(1), RawPcap.Record(a), RawPcap.Record(b), RawPcap.Record(new byte[300])[..50]);
        try
        {
            CaptureAnalysis analysis = new CaptureAnalyzer(new AnalyzeOptions { Variants = [VariantCatalog.Find("vxlan-ipv4")!], MeasureThroughput = false }).Analyze(path);
            Assert.NotNull(analysis.Error);
            Assert.Equal(3, analysis.Error!.Frame);
            Assert.Equal(2, analysis.Summary.Packets.Value);
            Assert.Equal(2, analysis.Results[0].Carried.Value);
            Assert.Contains("frame 3", analysis.Summary.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Line_rate_goodput_and_MTU_figures_follow_from_the_frame_sizes()
    {
        // One 1514-byte frame through VXLAN/IPv4: 1564 bytes out; on the wire 1514+24 = 1538 in, 1564+24 = 1588 out.
        byte[] frame = TestFrames.Ip(4, TestFrames.L4.Tcp, 1514);
        string path = RawPcap.Write(RawPcap.FileHeader(1), RawPcap.Record(frame));
        try
        {
            VariantResult r = new CaptureAnalyzer(new AnalyzeOptions { Variants = [VariantCatalog.Find("vxlan-ipv4")!], MeasureThroughput = false })
                .Analyze(path).Results.Single();
            Assert.Equal(1538, r.WireBytesIn.Value);
            Assert.Equal(1588, r.WireBytesOut.Value);
            LineRateFigure hundred = r.LineRates.Single(l => l.LineRate.Value == 100);
            Assert.Equal(100.0 * 1514 / 1538, hundred.GoodputNative.Value, 9);
            Assert.Equal(100.0 * 1514 / 1588, hundred.GoodputTunnel.Value, 9);
            Assert.Equal(100.0 * (1 - 1538.0 / 1588), hundred.GoodputLostPercent.Value, 9);
            Assert.Equal(1550, r.RequiredUnderlayMtu.Value);
            Assert.Equal(1, r.Mtu.Single(m => m.UnderlayMtu.Value == 1500).FramesOver.Value);
            Assert.Equal(0, r.Mtu.Single(m => m.UnderlayMtu.Value == 9000).FramesOver.Value);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string ResultJson(VariantResult r) => System.Text.Json.JsonSerializer.Serialize(r, ResultDocument.JsonOptions);

    private static long SumFrameLengths(IEnumerable<byte[]> frames)
    {
        List<Tshark.Dissection> rows = Tshark.Dissect(frames, "frame.len");
        return rows.Sum(r => long.Parse(r.Fields));
    }

    /// <summary>A capture of <paramref name="flows"/> distinct UDP flows, one 200-byte frame each.</summary>
    internal static string ManyFlowsCapture(int flows)
    {
        var parts = new List<byte[]> { RawPcap.FileHeader(1) };
        for (int i = 0; i < flows; i++)
        {
            parts.Add(RawPcap.Record(TestFrames.Ip(4, TestFrames.L4.Udp, 200, sourcePort: (ushort)(10000 + i), destinationPort: 5000, seed: i)));
        }
        return RawPcap.Write([.. parts]);
    }
}
