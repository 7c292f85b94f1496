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
}
