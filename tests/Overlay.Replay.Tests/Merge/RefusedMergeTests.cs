using Overlay.Encapsulation;
using Overlay.Replay.Analysis;
using Overlay.Replay.Merge;
using Overlay.Results;

namespace Overlay.Replay.Tests.Merge;

/// <summary>Inputs that would not give one analysis' figures are refused, with the input named and the reason.</summary>
public sealed class RefusedMergeTests
{
    private static readonly AnalyzeOptions Options = new() { Variants = [VariantCatalog.Find("vxlan-ipv4")!, VariantCatalog.Find("gre-l3-ipv4")!], MeasureThroughput = false };
    private static readonly string Capture = Paths.PublicCapture("traffic/pcapplusplus_many-protocols.pcap");

    private static ResultDocument Shard(int i, int n, AnalyzeOptions? options = null) =>
        ShardMergeTests.Run(Capture, (options ?? Options) with { Shard = new ShardInfo(i, n) });

    private static string Refused(params MergeInput[] inputs) =>
        Assert.Throws<MergeRefusedException>(() => AnalysisMerge.Merge(inputs, ShardMergeTests.Resolve, "test")).Message;

    [Fact]
    public void A_version_1_document_is_refused()
    {
        ResultDocument v1 = Shard(0, 1) with { Schema = ResultDocument.SchemaV1, State = null };
        Assert.StartsWith("old.json: schema 'overlay-bench/analyze/v1' cannot be merged", Refused(new("new.json", Shard(0, 2)), new("old.json", v1)));
    }

    [Fact]
    public void A_document_without_state_is_refused()
    {
        Assert.StartsWith("bare.json: no counted state", Refused(new MergeInput("bare.json", Shard(0, 1) with { State = null })));
    }

    [Fact]
    public void Different_variant_sets_are_refused()
    {
        ResultDocument other = Shard(1, 2, Options with { Variants = [VariantCatalog.Find("vxlan-ipv4")!] });
        Assert.Equal("b.json: variants vxlan-ipv4 differ from a.json's vxlan-ipv4,gre-l3-ipv4", Refused(new("a.json", Shard(0, 2)), new("b.json", other)));
    }

    [Fact]
    public void Different_settings_are_refused()
    {
        ResultDocument other = Shard(1, 2, Options with { InterfaceMtu = 9000 });
        Assert.Equal("b.json: setting interfaceMtu is 9000, but 1500 in a.json", Refused(new("a.json", Shard(0, 2)), new("b.json", other)));
    }

    [Fact]
    public void The_same_shard_twice_is_refused()
    {
        ResultDocument s0 = Shard(0, 2);
        Assert.Equal("again.json: shard 0/2 again (also a.json)", Refused(new("a.json", s0), new("again.json", s0), new("b.json", Shard(1, 2))));
        ResultDocument whole = Shard(0, 1);
        Assert.StartsWith("copy.json: the same analysis of the same captures as whole.json", Refused(new("whole.json", whole), new("copy.json", whole)));
    }

    [Fact]
    public void An_incomplete_shard_set_is_refused()
    {
        Assert.Equal("a.json: shards 1/3 of the same captures are missing", Refused(new("a.json", Shard(0, 3)), new("c.json", Shard(2, 3))));
    }

    [Fact]
    public void Shards_of_different_splits_are_refused()
    {
        Assert.Equal("b.json: shard 1/3 of the same captures as a.json, which is shard 0/2", Refused(new("a.json", Shard(0, 2)), new("b.json", Shard(1, 3))));
    }

    [Fact]
    public void Different_exact_set_limits_are_refused()
    {
        ResultDocument b = Shard(1, 2);
        ResultDocument other = b with { State = b.State! with { DistinctCapacity = 1024 } };
        Assert.StartsWith("b.json: its underlay MTUs, ECMP paths, line rates or distinct-set limit differ", Refused(new("a.json", Shard(0, 2)), new("b.json", other)));
    }
}
