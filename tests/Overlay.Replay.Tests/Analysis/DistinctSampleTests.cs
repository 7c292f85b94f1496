using Overlay.Replay.Analysis;

namespace Overlay.Replay.Tests.Analysis;

public class DistinctSampleTests
{
    [Fact]
    public void Up_to_its_capacity_every_key_is_kept_and_counted_exactly()
    {
        var sample = new DistinctSample(1000);
        for (int repeat = 0; repeat < 3; repeat++)
        {
            for (ulong key = 1; key <= 1000; key++)
            {
                sample.Set(key, key * 2);
            }
        }
        Assert.True(sample.IsExact);
        Assert.Equal(1000, sample.EstimatedCount);
        Assert.Equal(Enumerable.Range(1, 1000).Select(k => (ulong)k * 2), sample.Values.Order());
    }

    [Theory]
    [InlineData(40_000)]
    [InlineData(625_000)]
    [InlineData(3_000_000)]
    public void Past_its_capacity_it_keeps_at_most_that_many_and_estimates_the_count_within_3_percent(int distinct)
    {
        var sample = new DistinctSample();
        var random = new Random(distinct);
        for (int i = 0; i < distinct; i++)
        {
            // Every key twice, the repeat later on, as packets of a flow come back.
            ulong key = (ulong)random.NextInt64();
            sample.Set(key, 1);
            sample.Set(key ^ 0x8000_0000_0000_0000, 2);
        }
        Assert.False(sample.IsExact);
        Assert.InRange(sample.Values.Count(), DistinctSample.DefaultCapacity / 2, DistinctSample.DefaultCapacity);
        Assert.InRange(sample.EstimatedCount, 2 * distinct * 0.97, 2 * distinct * 1.03);
        // The sample is unbiased: half its values came from each half of the keys.
        Assert.InRange(sample.Values.Count(v => v == 1) / (double)sample.Values.Count(), 0.47, 0.53);
    }

    [Fact]
    public void Key_zero_is_a_key_like_any_other()
    {
        // The table marks a free slot with key 0, so the key 0 itself (the outer key of a frame that is not IP) is kept
        // beside it: counted once, with its latest value, and through every resampling as any other key.
        var sample = new DistinctSample(4);
        sample.Set(0, 7);
        sample.Set(1, 1);
        sample.Set(0, 8);
        Assert.Equal(2, sample.EstimatedCount);
        Assert.Equal([1UL, 8UL], sample.Values.Order());
        for (ulong key = 2; key < 64; key++)
        {
            sample.Set(key, key + 100);
            sample.Set(0, 8);
        }
        Assert.False(sample.IsExact);
        Assert.Equal(sample.EstimatedCount >> sample.Level, sample.Values.Count());
        // A sample that absorbs this one's tally holds the same keys and values, key 0 included when it was kept.
        var copy = new DistinctSample(4);
        copy.Absorb(sample.ToTally(), "sample");
        Assert.Equal(sample.Values.Order(), copy.Values.Order());
        Assert.Equal(sample.EstimatedCount, copy.EstimatedCount);
    }
}
