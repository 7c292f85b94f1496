using Overlay.Encapsulation;
using Overlay.Replay.Analysis;
using Overlay.Replay.Merge;
using Overlay.Results;

namespace Overlay.Replay.Tests.Merge;

/// <summary>
/// Shards of a capture merged, and the threads of one analysis, give every figure of one run over the capture exactly:
/// every count, histogram, table, distinct count and operator figure, and the counted state itself.
/// </summary>
public sealed class ShardMergeTests
{
    private static readonly AnalyzeOptions Options = new() { Variants = VariantCatalog.All, MeasureThroughput = false };

    public static TheoryData<string> Captures() => new(Paths.AllCaptures().Select(p => Path.GetRelativePath(Paths.Repository, p)));

    [Theory]
    [MemberData(nameof(Captures))]
    public void Shards_merged_give_exactly_the_one_run_figures(string capture)
    {
        string path = Path.Combine(Paths.Repository, capture);
        ResultDocument one = Run(path, Options);
        Assert.NotEmpty(one.Results);
        string expected = Figures.Of(one);
        foreach (int n in new[] { 3, 7 })
        {
            MergeInput[] shards = [.. Enumerable.Range(0, n).Select(i => new MergeInput($"shard {i}", Run(path, Options with { Shard = new ShardInfo(i, n) })))];
            Assert.Equal(one.Captures[0].Packets.Value, shards.Sum(s => s.Document.Captures[0].Packets.Value));
            ResultDocument merged = AnalysisMerge.Merge(shards, Resolve, "test");
            Assert.Equal("shards", merged.Merge!.Kind);
            Assert.Equal(expected, Figures.Of(merged));
        }
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Threads_give_exactly_the_one_thread_figures(string capture)
    {
        string path = Path.Combine(Paths.Repository, capture);
        ResultDocument one = Run(path, Options);
        string expected = Figures.Of(one);
        foreach (int n in new[] { 2, 3, 4 })
        {
            ResultDocument threads = Outcome(path, Options, n).Document;
            Assert.Equal(n.ToString(System.Globalization.CultureInfo.InvariantCulture), threads.Settings["threads"]);
            Assert.Equal("threads", threads.Merge!.Kind);
            Assert.Equal(expected, Figures.Of(threads));
        }
    }

    [Fact]
    public void Every_frame_lies_in_exactly_one_shard_and_every_flow_whole_in_one()
    {
        string path = Paths.PublicCapture("traffic/sharppcap_10k_packets.pcap");
        var options = Options with { Variants = [VariantCatalog.Find("vxlan-ipv4")!] };
        ResultDocument[] shards = [.. Enumerable.Range(0, 4).Select(i => Run(path, options with { Shard = new ShardInfo(i, 4) }))];
        ResultDocument one = Run(path, options);
        // Flows are disjoint: the shards' flow counts add up to the whole's, and no shard is empty on a capture of many flows.
        Assert.Equal(one.Results[0].Ecmp.Flows.Value, shards.Sum(s => s.Results[0].Ecmp.Flows.Value));
        Assert.Equal(one.Results[0].Packets.Value, shards.Sum(s => s.Results[0].Packets.Value));
        Assert.All(shards, s => Assert.True(s.Results[0].Packets.Value > 0));
        Assert.All(shards, s => Assert.Equal(one.Captures[0].FramesInFile.Value, s.Captures[0].FramesInFile.Value));
    }

    [Fact]
    public void Two_captures_merge_into_their_sums()
    {
        string a = Paths.PublicCapture("traffic/pcapplusplus_many-protocols.pcap"), b = Path.Combine(Paths.ProjectCaptures, "dns-udp.pcap");
        ResultDocument da = Run(a, Options), db = Run(b, Options);
        ResultDocument merged = AnalysisMerge.Merge([new("a.json", da), new("b.json", db)], Resolve, "test");
        Assert.Equal("captures", merged.Merge!.Kind);
        CaptureSummary sum = Assert.Single(merged.Captures);
        Assert.Equal("pcapplusplus_many-protocols.pcap+dns-udp.pcap", sum.Name);
        Assert.Equal(da.Captures[0].Packets.Value + db.Captures[0].Packets.Value, sum.Packets.Value);
        Assert.Equal(da.Captures[0].FramesInFile.Value + db.Captures[0].FramesInFile.Value, sum.FramesInFile.Value);
        Assert.Equal(da.Captures[0].Bytes.Value + db.Captures[0].Bytes.Value, sum.Bytes.Value);
        Assert.Equal(Math.Min(da.Captures[0].FrameMin.Value, db.Captures[0].FrameMin.Value), sum.FrameMin.Value);
        Assert.Equal(Math.Max(da.Captures[0].FrameMax.Value, db.Captures[0].FrameMax.Value), sum.FrameMax.Value);
        foreach (string bin in sum.SizeBins.Keys)
        {
            Assert.Equal(da.Captures[0].SizeBins[bin] + db.Captures[0].SizeBins[bin], sum.SizeBins[bin]);
        }
        Assert.Equal(Options.Variants.Count, merged.Results.Count);
        for (int v = 0; v < merged.Results.Count; v++)
        {
            VariantResult m = merged.Results[v], x = da.Results[v], y = db.Results[v];
            Assert.Equal(x.Variant, m.Variant);
            Assert.Equal(x.Packets.Value + y.Packets.Value, m.Packets.Value);
            Assert.Equal(x.Carried.Value + y.Carried.Value, m.Carried.Value);
            Assert.Equal(x.BytesIn.Value + y.BytesIn.Value, m.BytesIn.Value);
            Assert.Equal(x.BytesOut.Value + y.BytesOut.Value, m.BytesOut.Value);
            Assert.Equal(x.OverheadBytes.Value + y.OverheadBytes.Value, m.OverheadBytes.Value);
            Assert.Equal(x.WireBytesOut.Value + y.WireBytesOut.Value, m.WireBytesOut.Value);
            Assert.Equal(Math.Max(x.RequiredUnderlayMtu.Value, y.RequiredUnderlayMtu.Value), m.RequiredUnderlayMtu.Value);
            Assert.Equal(x.Mtu.Select(f => f.FramesOver.Value).Zip(y.Mtu.Select(f => f.FramesOver.Value), (p, q) => p + q), m.Mtu.Select(f => f.FramesOver.Value));
            Assert.Equal(x.DecapCheck.Checked.Value + y.DecapCheck.Checked.Value, m.DecapCheck.Checked.Value);
            Assert.Equal(x.DecapCheck.Identical.Value + y.DecapCheck.Identical.Value, m.DecapCheck.Identical.Value);
            // The captures hold no flow in common: their flows add up.
            Assert.Equal(x.Ecmp.Flows.Value + y.Ecmp.Flows.Value, m.Ecmp.Flows.Value);
            Assert.Equal(x.Operator!.BlackHole.Select(h => h.FramesOver.Value).Zip(y.Operator!.BlackHole.Select(h => h.FramesOver.Value), (p, q) => p + q),
                m.Operator!.BlackHole.Select(h => h.FramesOver.Value));
            Assert.Equal(x.Operator.MssClamp.Select(c => c.TcpGoodputBytes.Value).Zip(y.Operator.MssClamp.Select(c => c.TcpGoodputBytes.Value), (p, q) => p + q),
                m.Operator.MssClamp.Select(c => c.TcpGoodputBytes.Value));
        }
        // A merged document merges again, as a whole of its own.
        ResultDocument again = AnalysisMerge.Merge([new("merged.json", ResultDocument.FromJson(merged.ToJson())), new("b.json", db)], Resolve, "test");
        Assert.Equal(da.Results[0].Packets.Value + 2 * db.Results[0].Packets.Value, again.Results[0].Packets.Value);
    }

    [Fact]
    public void Timings_are_kept_per_shard_and_not_merged()
    {
        string path = Paths.PublicCapture("traffic/pcapplusplus_many-protocols.pcap");
        var options = Options with { Variants = [VariantCatalog.Find("vxlan-ipv4")!], MeasureThroughput = true, Passes = 1, MinPassTime = TimeSpan.Zero, WarmUpTime = TimeSpan.Zero };
        MergeInput[] shards = [.. Enumerable.Range(0, 2).Select(i => new MergeInput($"s{i}.json", Run(path, options with { Shard = new ShardInfo(i, 2) })))];
        ResultDocument merged = AnalysisMerge.Merge(shards, Resolve, "test");
        Assert.All(merged.Results, r => Assert.Null(r.EncapCopy));
        Assert.Equal(["s0.json 0/2", "s1.json 1/2"], merged.ShardTimings!.Select(t => $"{t.Source} {t.Shard}"));
        Assert.All(merged.ShardTimings!, t => Assert.NotNull(t.EncapCopy));
    }

    internal static ResultDocument Run(string path, AnalyzeOptions options) => Outcome(path, options, threads: 1).Document;

    internal static AnalysisOutcome Outcome(string path, AnalyzeOptions options, int threads) =>
        new AnalysisRun { Captures = [path], Options = options, Tool = "test", Threads = threads }.Run();

    internal static VariantSpec? Resolve(string name) => VariantCatalog.Find(name);
}
