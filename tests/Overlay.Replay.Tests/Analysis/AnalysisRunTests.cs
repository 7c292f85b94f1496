using Overlay.Encapsulation;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Analysis;
using Overlay.Replay.Capture;
using Overlay.Replay.Results;
using Overlay.Results;

namespace Overlay.Replay.Tests.Analysis;

/// <summary>
/// The one entry point `overlay analyze` and the main job share: the document it assembles holds exactly what the
/// analyzer measured, names the captures as the caller asks, and says what ran.
/// </summary>
public sealed class AnalysisRunTests
{
    private static readonly AnalyzeOptions Options = new() { Variants = [VariantCatalog.Find("vxlan-ipv4")!, VariantCatalog.Find("srv6-encaps-3sid")!], MeasureThroughput = false };

    [Fact]
    public void The_document_holds_what_the_analyzer_measured_for_every_capture_in_order()
    {
        string good = Paths.PublicCapture("traffic/pcapplusplus_many-protocols.pcap");
        byte[] a = TestFrames.Ip(4, TestFrames.L4.Udp, 100);
        string corrupt = RawPcap.Write(RawPcap.FileHeader(1), RawPcap.Record(a), RawPcap.Record(new byte[300])[..50]);
        try
        {
            var titles = new List<string>();
            var run = new AnalysisRun { Captures = [good, corrupt], Options = Options, Tool = "test 1.0", DisplayPath = p => "shown/" + Path.GetFileName(p) };
            AnalysisOutcome outcome = run.Run(new Recording(titles));

            var analyzer = new CaptureAnalyzer(Options);
            CaptureAnalysis first = analyzer.Analyze(good), second = analyzer.Analyze(corrupt);
            Assert.Equal(first.Results.Concat(second.Results).Select(Json), outcome.Document.Results.Select(Json));
            Assert.Equal(["shown/" + Path.GetFileName(good), "shown/" + Path.GetFileName(corrupt)], outcome.Document.Captures.Select(c => c.File));
            Assert.Equal(Json(first.Summary with { File = "shown/" + Path.GetFileName(good) }), Json(outcome.Document.Captures[0]));
            Assert.Equal(Json(second.Summary with { File = "shown/" + Path.GetFileName(corrupt) }), Json(outcome.Document.Captures[1]));
            Assert.Contains("frame 2", outcome.Errors.Single().Message, StringComparison.Ordinal);
            Assert.Equal([$"[1/2] {Path.GetFileName(good)}", $"[2/2] {Path.GetFileName(corrupt)}"], titles);
            Assert.Equal(MarkdownSummary.Render(outcome.Document), outcome.Markdown);
            Assert.Equal("test 1.0", outcome.Document.Environment.Tool);
            Assert.Null(outcome.Document.Scaling);
        }
        finally
        {
            File.Delete(corrupt);
        }
    }

    [Fact]
    public void The_settings_name_the_scaling_threads_only_where_the_caller_offers_scaling()
    {
        string good = Paths.PublicCapture("traffic/pcapplusplus_many-protocols.pcap");
        string[] common = ["variants", "interfaceMtu", "segmentSuperFrames", "passes", "minPassMs", "throughput", "arenaMiB"];

        AnalysisOutcome withoutScaling = new AnalysisRun { Captures = [good], Options = Options, Tool = "t" }.Run();
        Assert.Equal(common, withoutScaling.Document.Settings.Keys);
        Assert.Equal("vxlan-ipv4,srv6-encaps-3sid", withoutScaling.Document.Settings["variants"]);
        Assert.Equal("False", withoutScaling.Document.Settings["throughput"]);

        AnalysisOutcome noThreads = new AnalysisRun { Captures = [good], Options = Options, Tool = "t", ScalingThreads = 0 }.Run();
        Assert.Equal([.. common, "scaling"], noThreads.Document.Settings.Keys);
        Assert.Equal("0", noThreads.Document.Settings["scaling"]);
        Assert.Null(noThreads.Document.Scaling);
    }

    [Fact]
    public void Scaling_only_measures_no_variant_and_reports_every_thread_count()
    {
        string good = Paths.PublicCapture("traffic/pcapplusplus_many-protocols.pcap");
        var options = Options with { Variants = [VariantCatalog.Find("vxlan-ipv4")!], Passes = 1, MinPassTime = TimeSpan.Zero, WarmUpTime = TimeSpan.Zero };
        AnalysisOutcome outcome = new AnalysisRun { Captures = [good], Options = options, Tool = "t", ScalingThreads = 2, ScalingOnly = true }.Run();
        Assert.Empty(outcome.Document.Results);
        Assert.Empty(outcome.Document.Captures);
        Assert.Equal([1.0, 2.0], outcome.Document.Scaling!.Select(s => s.Threads.Value));
        Assert.Equal("2", outcome.Document.Settings["scaling"]);
    }

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, ResultDocument.JsonOptions);

    private sealed class Recording(List<string> titles) : IAnalysisProgress
    {
        public CaptureAnalysis Capture(string title, Func<IProgress<AnalyzeProgress>?, CaptureAnalysis> analyze)
        {
            titles.Add(title);
            return analyze(null);
        }

        public List<ScalingResult> Scaling(string title, Func<IProgress<AnalyzeProgress>?, List<ScalingResult>> measure)
        {
            titles.Add(title);
            return measure(null);
        }
    }
}
