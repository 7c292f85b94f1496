using Overlay.Encapsulation;
using Overlay.Replay.Analysis;

namespace Overlay.Replay.Tests.Analysis;

public class ScalingAnalyzerTests
{
    [Fact]
    public void Sharding_keeps_each_flow_on_one_shard_and_adds_up_to_the_single_core_totals()
    {
        List<byte[]> frames = WiresharkReplayTests.ReadWholeFrames(Path.Combine(Paths.ProjectCaptures, "mixed.pcap"));
        VariantSpec variant = VariantCatalog.Find("vxlan-ipv6")!;
        ScalingAnalyzer.Shard single = ScalingAnalyzer.Distribute(frames, variant, 1).Single();
        single.Pass();
        foreach (int threads in new[] { 2, 3, 4, 16 })
        {
            ScalingAnalyzer.Shard[] shards = ScalingAnalyzer.Distribute(frames, variant, threads);
            Assert.Equal(frames.Count, shards.Sum(s => s.Arena.Count));
            var flowShard = new Dictionary<uint, int>();
            for (int s = 0; s < shards.Length; s++)
            {
                shards[s].Pass();
                for (int i = 0; i < shards[s].Arena.Count; i++)
                {
                    InnerFrame.TryParse(shards[s].Arena.Frame(i), out InnerFrame inner);
                    Assert.Equal(s, flowShard.TryAdd(inner.FlowHash, s) ? s : flowShard[inner.FlowHash]);
                }
            }
            Assert.Equal(single.BytesOut, shards.Sum(s => s.BytesOut));
        }
    }

    [Fact]
    public void Measure_reports_a_speed_up_for_every_thread_count()
    {
        List<Overlay.Results.ScalingResult> results = ScalingAnalyzer.Measure(Path.Combine(Paths.ProjectCaptures, "dns-udp.pcap"),
            VariantCatalog.Find("srv6-csid-3sid")!, [1, 2], passes: 3, minPassTime: TimeSpan.FromMilliseconds(2));
        Assert.Equal([1.0, 2.0], results.Select(r => r.Threads.Value));
        Assert.Equal(1.0, results[0].SpeedUp.Value);
        Assert.All(results, r => Assert.True(r.MedianPps.Value > 0));
        Assert.Equal(results[0].ShardPackets.Sum(), results[1].ShardPackets.Sum());
    }
}
