using System.Buffers;
using System.Text.Json;
using Overlay.Encapsulation;
using Overlay.Replay.Analysis;
using Overlay.Replay.Capture;
using Overlay.Results;

namespace Overlay.Replay.Tests.Analysis;

/// <summary>
/// The once-per-frame work of the analysis (one parse, one TCP flow table shared by the variants that carry the same
/// frames) gives every variant exactly the figures it gets when it is analysed alone.
/// </summary>
public class VariantSetTests
{
    public static TheoryData<string> Captures() => CaptureAnalyzerTests.Captures();

    /// <summary>The project's own captures (captures/*.pcap): each variant is analysed alone once more, so not every public one.</summary>
    public static TheoryData<string> ProjectCaptures() =>
        new(Directory.EnumerateFiles(Paths.ProjectCaptures, "*.pcap").Order(StringComparer.Ordinal).Select(p => Path.GetRelativePath(Paths.Repository, p)));

    [Theory]
    [MemberData(nameof(ProjectCaptures))]
    public void Every_variant_analysed_with_all_the_others_has_the_figures_it_has_alone(string capture)
    {
        string path = Path.Combine(Paths.Repository, capture);
        CaptureAnalysis together = new CaptureAnalyzer(new AnalyzeOptions { Variants = VariantCatalog.All }).Analyze(path);
        foreach (VariantResult result in together.Results)
        {
            VariantSpec spec = VariantCatalog.Find(result.Variant)!;
            VariantResult alone = new CaptureAnalyzer(new AnalyzeOptions { Variants = [spec] }).Analyze(path).Results.Single();
            Assert.Equal(Json(alone), Json(result));
        }
    }

    [Fact]
    public void A_variant_that_leaves_out_the_other_family_keeps_its_own_tcp_flows()
    {
        // ipip-ipv4 carries IPv4 only, gre-l3-ipv6 both: the shared IPv6 flow table must not count for ipip-ipv4.
        string path = Path.Combine(Paths.ProjectCaptures, "ipv6.pcap");
        VariantSpec[] variants = [VariantCatalog.Find("gre-l3-ipv6")!, VariantCatalog.Find("ipip-ipv4")!];
        VariantResult[] together = [.. new CaptureAnalyzer(new AnalyzeOptions { Variants = variants }).Analyze(path).Results];
        VariantResult ipip = new CaptureAnalyzer(new AnalyzeOptions { Variants = [variants[1]] }).Analyze(path).Results.Single();
        Assert.True(together[0].Operator!.MssClamp[0].TcpFlows.Value > ipip.Operator!.MssClamp[0].TcpFlows.Value,
            "the capture must hold TCP flows that only one of the two carries");
        Assert.Equal(Json(ipip), Json(together[1]));
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void A_whole_frame_encapsulates_to_the_length_the_encapsulator_reports(string capture)
    {
        // The analysis takes a whole frame's encapsulated length from the encapsulation itself, not from a second parse.
        List<byte[]> frames = CaptureReader.ReadWholeFrames(Path.Combine(Paths.Repository, capture));
        var buffer = new byte[CaptureReader.MaxFrameLength + 1024];
        foreach (VariantSpec spec in VariantCatalog.All)
        {
            IEncapsulator encapsulator = spec.Create();
            foreach (byte[] frame in frames)
            {
                OperationStatus status = encapsulator.Encapsulate(frame, buffer, out int written);
                Assert.Equal(status == OperationStatus.Done ? written : -1, encapsulator.GetEncapsulatedLength(frame, frame.Length));
            }
        }
    }

    private static string Json(VariantResult result) => JsonSerializer.Serialize(result, ResultDocument.JsonOptions);
}
