using Overlay.Replay.Analysis;
using Overlay.Results;

namespace Overlay.Replay.Tests.Merge;

/// <summary>
/// Past its capacity a distinct sample is an estimate; merged from samples of disjoint parts of a stream it is exactly
/// the sample one pass over the whole stream keeps: the same level, keys and values, so the same estimate.
/// </summary>
public sealed class DistinctSampleMergeTests
{
    [Theory]
    [InlineData(100, 2)]
    [InlineData(5_000, 3)]
    [InlineData(40_000, 7)]
    public void Samples_of_shards_merge_into_the_sample_of_the_whole(int keys, int shards)
    {
        const int capacity = 256;
        var whole = new DistinctSample(capacity);
        var parts = Enumerable.Range(0, shards).Select(_ => new DistinctSample(capacity)).ToArray();
        var random = new Random(keys);
        for (int i = 0; i < keys * 3; i++)
        {
            // Keys repeat (as a flow's frames do); each key's value is fixed, as a flow's outer key is.
            uint flow = (uint)random.Next(keys) * 2654435761u;
            whole.Set(flow, flow ^ 0xABCDu);
            parts[ShardInfo.Of(flow, shards)].Set(flow, flow ^ 0xABCDu);
        }
        var merged = new DistinctSample(capacity);
        foreach (DistinctSample part in parts)
        {
            merged.Absorb(part.ToTally(), "part");
        }
        Assert.Equal(whole.ToTally(), merged.ToTally());
        Assert.Equal(whole.EstimatedCount, merged.EstimatedCount);
        Assert.Equal(keys > capacity, !merged.IsExact);
    }

    [Fact]
    public void A_large_sample_merged_with_a_small_one_keeps_the_large_ones_level()
    {
        // One host saw 20,000 flows, another 200: the small sample is exact, the large one sampled at a high level, and
        // the merge must not read the large one's few kept keys as if they were all its keys.
        const int capacity = 256;
        var whole = new DistinctSample(capacity);
        DistinctSample large = new(capacity), small = new(capacity);
        for (uint flow = 1; flow <= 20_200; flow++)
        {
            ulong key = flow * 0x9E3779B97F4A7C15UL;
            whole.Set(key, flow);
            (flow <= 20_000 ? large : small).Set(key, flow);
        }
        Assert.True(small.IsExact);
        Assert.True(large.Level > 4);
        foreach (DistinctSample[] order in new[] { new[] { large, small }, [small, large] })
        {
            var merged = new DistinctSample(capacity);
            foreach (DistinctSample part in order)
            {
                merged.Absorb(part.ToTally(), "part");
            }
            Assert.Equal(whole.ToTally(), merged.ToTally());
        }
    }
}
