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
}
