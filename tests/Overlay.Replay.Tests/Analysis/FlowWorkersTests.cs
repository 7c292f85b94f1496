using System.Text.Json;
using Overlay.Encapsulation;
using Overlay.Replay.Analysis;
using Overlay.Replay.Capture;
using Overlay.Replay.Tests.Merge;
using Overlay.Results;

namespace Overlay.Replay.Tests.Analysis;

/// <summary>
/// `--threads N`: one reader hands each frame to the worker owning its flow. Each worker analyses exactly what
/// `--shard i/N` analyses; a bad record stops the run as it stops one thread; cancellation stops every thread.
/// </summary>
public sealed class FlowWorkersTests
{
    private static readonly AnalyzeOptions Options = new()
    {
        Variants = [VariantCatalog.Find("vxlan-ipv4")!, VariantCatalog.Find("gre-l3-ipv6")!, VariantCatalog.Find("srv6-encaps-3sid")!],
        MeasureThroughput = false,
    };

    [Theory]
    [InlineData("traffic/sharppcap_10k_packets.pcap", 3)]
    [InlineData("traffic/ndpi_1kxun.pcap", 2)]
    [InlineData("traffic/pcapplusplus_many-protocols.pcap", 4)]
    public void Worker_i_analyses_what_shard_i_of_n_analyses(string capture, int workers)
    {
        string path = Paths.PublicCapture(capture);
        CaptureAnalysis[] analyses = FlowWorkers.Analyze(Options, path, workers, null, default);
        Assert.Equal(workers, analyses.Length);
        for (int i = 0; i < workers; i++)
        {
            CaptureAnalysis shard = new CaptureAnalyzer(Options with { Shard = new ShardInfo(i, workers) }).Analyze(path);
            Assert.Equal(Json(shard.Summary), Json(analyses[i].Summary));
            Assert.Equal(Json(shard.Results), Json(analyses[i].Results));
            Assert.Equal(Json(shard.State), Json(analyses[i].State));
        }
        Assert.All(analyses, a => Assert.True(a.Summary.Packets.Value > 0, "a worker with no frame: the test shows nothing"));
    }

    [Fact]
    public void A_capture_cut_mid_record_stops_every_thread_count_at_the_same_frame_with_the_same_error()
    {
        byte[] whole = File.ReadAllBytes(Paths.PublicCapture("traffic/sharppcap_10k_packets.pcap"));
        string cut = Paths.TempFile();
        try
        {
            // Past half the file by a record header and a few bytes: the last record's data ends past the end of the file.
            File.WriteAllBytes(cut, whole[..(whole.Length / 2 + 30)]);
            AnalysisOutcome one = ShardMergeTests.Outcome(cut, Options, threads: 1);
            CaptureException error = Assert.Single(one.Errors);
            Assert.Contains(cut, error.Message, StringComparison.Ordinal);
            Assert.Contains("frame 5001", error.Message, StringComparison.Ordinal);
            Assert.True(one.Document.Captures[0].Packets.Value > 1000, "the frames before the bad record are analysed");
            foreach (int n in new[] { 2, 3 })
            {
                AnalysisOutcome threads = ShardMergeTests.Outcome(cut, Options, n);
                Assert.Equal(error.Message, Assert.Single(threads.Errors).Message);
                Assert.Equal(Figures.Of(one.Document), Figures.Of(threads.Document));
            }
        }
        finally
        {
            File.Delete(cut);
        }
    }

    [Fact]
    public void A_capture_that_cannot_be_opened_is_one_error_whatever_the_thread_count()
    {
        string missing = Paths.TempFile();
        AnalysisOutcome one = ShardMergeTests.Outcome(missing, Options, threads: 1), two = ShardMergeTests.Outcome(missing, Options, threads: 2);
        Assert.Equal(Assert.Single(one.Errors).Message, Assert.Single(two.Errors).Message);
        Assert.Equal(Figures.Of(one.Document), Figures.Of(two.Document));
    }

    [Fact]
    public void Cancelling_stops_the_reader_and_every_worker()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new CancelOnReport(cancel);
        string path = Paths.PublicCapture("traffic/sharppcap_10k_packets.pcap");
        Task<CaptureAnalysis[]> run = Task.Run(() => FlowWorkers.Analyze(Options, path, 3, progress, cancel.Token));
        Assert.True(((IAsyncResult)run).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)), "the run did not stop");
        Assert.True(progress.Reports > 0);
        AggregateException thrown = Assert.Throws<AggregateException>(() => run.Wait());
        Assert.IsAssignableFrom<OperationCanceledException>(thrown.InnerException);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ResultDocument.JsonOptions);

    /// <summary>Cancels the run at the reader's first progress report (after its first frame).</summary>
    private sealed class CancelOnReport(CancellationTokenSource cancel) : IProgress<AnalyzeProgress>
    {
        public int Reports;

        public void Report(AnalyzeProgress value)
        {
            Interlocked.Increment(ref Reports);
            cancel.Cancel();
        }
    }
}
