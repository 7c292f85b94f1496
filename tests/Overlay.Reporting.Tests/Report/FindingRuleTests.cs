using Overlay.Reporting.Report;

namespace Overlay.Reporting.Tests.Report;

/// <summary>Every outcome of every verdict rule, on small hand-made tables.</summary>
public sealed class FindingRuleTests
{
    [Fact]
    public void Header_rule_has_three_outcomes()
    {
        // SRv6's smallest form above every other overlay for both payloads.
        Assert.Equal(HeaderOutcome.AlwaysLarger, Findings.HeaderRule([(60, 40, 56), (90, 58, 82)]));
        // No larger than the smallest for both payloads (ties count: reduced SRv6 is ip6ip6 on the wire).
        Assert.Equal(HeaderOutcome.ReducedSmallest, Findings.HeaderRule([(40, 40, 56), (54, 58, 82)]));
        // Between the smallest and the largest for one payload.
        Assert.Equal(HeaderOutcome.Among, Findings.HeaderRule([(40, 40, 56), (60, 58, 82)]));
        Assert.Equal(HeaderOutcome.Among, Findings.HeaderRule([(60, 40, 56), (54, 58, 82)]));
        Assert.Equal(Findings.Supports, Findings.HeaderVerdict(HeaderOutcome.AlwaysLarger));
        Assert.StartsWith(Findings.Partly + " (the size depends on the SRv6 form", Findings.HeaderVerdict(HeaderOutcome.ReducedSmallest), StringComparison.Ordinal);
        Assert.StartsWith(Findings.Partly + " (SRv6's forms sit among", Findings.HeaderVerdict(HeaderOutcome.Among), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6, 0, Findings.DoesNotSupport)]
    [InlineData(2, 1, Findings.DoesNotSupport)]
    [InlineData(1, 1, Findings.Supports)]
    [InlineData(0, 0, Findings.Supports)]
    public void Compression_counts_against_the_claim_only_where_it_carries_more_sids_within_vxlan(int compressed, int uncompressed, string verdict) =>
        Assert.Equal(verdict, Findings.CompressionVerdict(compressed, uncompressed));

    [Fact]
    public void Ecmp_rule_has_five_outcomes()
    {
        (double, double)[] inBand = [(1.20, 1.34)], above = [(1.60, 1.34)];
        Assert.Equal(EcmpOutcome.TooFewFlows, Findings.EcmpRule(45, inBand, inBand));
        Assert.Equal(EcmpOutcome.TooFewFlows, Findings.EcmpRule(1000, [], inBand));
        Assert.Equal(EcmpOutcome.BothLikeRandom, Findings.EcmpRule(1000, inBand, inBand));
        Assert.Equal(EcmpOutcome.Srv6Worse, Findings.EcmpRule(1000, above, inBand));
        Assert.Equal(EcmpOutcome.Srv6Better, Findings.EcmpRule(1000, inBand, above));
        Assert.Equal(EcmpOutcome.NeitherLikeRandom, Findings.EcmpRule(1000, above, above));
        // At the band's edge a hash still counts as even.
        Assert.Equal(EcmpOutcome.BothLikeRandom, Findings.EcmpRule(1000, [(1.34, 1.34)], [(1.34, 1.34)]));
        Assert.Equal(Findings.DoesNotSupport + " (the flow label spreads flows as the UDP port does: no difference measurable here)", Findings.EcmpVerdict(EcmpOutcome.BothLikeRandom));
        Assert.StartsWith(Findings.Supports, Findings.EcmpVerdict(EcmpOutcome.Srv6Worse), StringComparison.Ordinal);
        Assert.StartsWith(Findings.DoesNotSupport + " (the flow label spreads flows better", Findings.EcmpVerdict(EcmpOutcome.Srv6Better), StringComparison.Ordinal);
        Assert.StartsWith(Findings.Partly, Findings.EcmpVerdict(EcmpOutcome.NeitherLikeRandom), StringComparison.Ordinal);
        Assert.StartsWith(Findings.NotMeasured, Findings.EcmpVerdict(EcmpOutcome.TooFewFlows), StringComparison.Ordinal);
    }

    [Fact]
    public void A_measured_figure_follows_header_bytes_where_no_larger_header_measures_less()
    {
        Assert.True(Findings.FollowsHeaderBytes([(40, 5.3), (54, 7.2), (70, 9.3)]));
        // Equal bytes may measure differently (different frames carried).
        Assert.True(Findings.FollowsHeaderBytes([(40, 5.3), (40, 4.9), (70, 9.3)]));
        Assert.False(Findings.FollowsHeaderBytes([(40, 5.3), (54, 5.2), (70, 9.3)]));
        // One variant alone says nothing.
        Assert.False(Findings.FollowsHeaderBytes([(40, 5.3)]));
    }

    [Theory]
    [InlineData(9.3, 53.7, PerHopOutcome.Lighter)]
    [InlineData(10, 18, PerHopOutcome.NoDifference)]
    [InlineData(18, 10, PerHopOutcome.NoDifference)]
    [InlineData(10, 15, PerHopOutcome.NoDifference)]
    [InlineData(54, 10, PerHopOutcome.Heavier)]
    public void Per_hop_rule_counts_a_difference_only_beyond_the_process_spread(double srv6, double other, PerHopOutcome outcome) =>
        Assert.Equal(outcome, Findings.PerHopRule(srv6, other));

    [Fact]
    public void Per_hop_verdicts_follow_the_outcome()
    {
        Assert.Equal(Findings.DoesNotSupport + " (the per-hop work is real, and the lightest for service chains)", Findings.PerHopVerdict(PerHopOutcome.Lighter));
        Assert.StartsWith(Findings.Partly, Findings.PerHopVerdict(PerHopOutcome.NoDifference), StringComparison.Ordinal);
        Assert.Contains(Findings.NoDifference, Findings.PerHopVerdict(PerHopOutcome.NoDifference), StringComparison.Ordinal);
        Assert.StartsWith(Findings.Supports, Findings.PerHopVerdict(PerHopOutcome.Heavier), StringComparison.Ordinal);
    }

    [Theory]
    // Independently measured 5th–95th percentiles of an ideal random hash's busiest/mean ratio.
    [InlineData(45, 16, 1.78, 2.84)]
    [InlineData(1000, 16, 1.14, 1.34)]
    [InlineData(1000, 64, 1.47, 1.86)]
    public void The_random_hash_band_matches_an_independent_simulation(int flows, int paths, double p5, double p95)
    {
        (double low, double high) = RandomHashBand.Of(flows, paths);
        Assert.InRange(low, p5 - 0.04, p5 + 0.04);
        Assert.InRange(high, p95 - 0.04, p95 + 0.04);
        Assert.Equal((low, high), RandomHashBand.Of(flows, paths));
    }

    [Fact]
    public void One_path_is_always_even()
    {
        Assert.Equal((1.0, 1.0), RandomHashBand.Of(1000, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomHashBand.Of(0, 16));
    }
}
