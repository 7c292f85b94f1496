using Overlay.Encapsulation;
using Overlay.Encapsulation.Chain;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Analysis;

namespace Overlay.Replay.Tests.Analysis;

public class ServiceChainTests
{
    private static readonly byte[] Frame = TestFrames.Ip(6, TestFrames.L4.Tcp, 700, sourcePort: 41001, destinationPort: 5006);

    [Theory]
    [InlineData(ChainApproach.Srv6)]
    [InlineData(ChainApproach.Srv6Csid)]
    public void SRv6_traversal_ends_with_segments_left_zero_and_the_inner_frame_intact(ChainApproach approach)
    {
        for (int services = 0; services <= 8; services++)
        {
            var chain = new ServiceChain(approach, services, 0);
            var buffer = new byte[ServiceChain.Headroom + Frame.Length];
            var segmentsLeft = new List<int>();
            ServiceChain.Walk walk = chain.Run(Frame, buffer, (packet, link) =>
            {
                Assert.True(Decapsulator.TryDecapsulate(packet, out TunnelPacket tunnel).IsSuccess);
                segmentsLeft.Add(tunnel.SrhOffset < 0 ? -1 : tunnel.SegmentsLeft);
            });
            Assert.True(walk.Arrived, walk.Failure);
            Assert.Equal(services + 1, walk.Links);
            if (approach == ChainApproach.Srv6)
            {
                // H.Encaps with k+1 SIDs: Segments Left k on the first link, down to 0 at the egress.
                Assert.Equal(Enumerable.Range(0, services + 1).Reverse(), segmentsLeft);
            }
            else if (services + 1 <= CompressedSidFormat.Default.CsidsPerContainer)
            {
                Assert.All(segmentsLeft, sl => Assert.Equal(-1, sl)); // no SRH at all
            }
            else
            {
                Assert.Equal(0, segmentsLeft[^1]);
            }
        }
    }

    [Fact]
    public void GENEVE_service_index_decrements_at_every_hop()
    {
        const int services = 6;
        var chain = new ServiceChain(ChainApproach.GeneveServicePath, services, 16);
        var indexes = new List<int>();
        ServiceChain.Walk walk = chain.Run(Frame, new byte[ServiceChain.Headroom + Frame.Length], (packet, _) => indexes.Add(GeneveServicePath.ServiceIndex(packet)));
        Assert.True(walk.Arrived, walk.Failure);
        Assert.Equal(Enumerable.Range(0, services + 1).Reverse(), indexes);
    }

    [Fact]
    public void VXLAN_stitching_carries_the_inner_frame_intact_over_every_link()
    {
        var chain = new ServiceChain(ChainApproach.VxlanStitching, 5, 0);
        int links = 0;
        ServiceChain.Walk walk = chain.Run(Frame, new byte[ServiceChain.Headroom + Frame.Length], (packet, _) =>
        {
            Assert.True(Decapsulator.TryDecapsulate(packet, out TunnelPacket tunnel).IsSuccess);
            Assert.Equal(Frame, tunnel.InnerOf(packet).ToArray());
            links++;
        });
        Assert.True(walk.Arrived, walk.Failure);
        Assert.Equal(6, links);
    }

    [Fact]
    public void Bytes_on_the_wire_add_up_over_every_link()
    {
        // SRv6 H.Encaps.L2 with k+1 SIDs: 14 + 40 + 8 + 16(k+1) bytes of header on each of the k+1 links.
        const int services = 3;
        var chain = new ServiceChain(ChainApproach.Srv6, services, 0);
        ServiceChain.Walk walk = chain.Run(Frame, new byte[ServiceChain.Headroom + Frame.Length]);
        int header = 14 + 40 + 8 + 16 * (services + 1);
        Assert.Equal(header, chain.IngressHeaderLength);
        Assert.Equal((services + 1) * Overlay.Encapsulation.Headers.Ethernet.WireLength(Frame.Length + header), walk.WireBytes);
    }

    [Fact]
    public void Analyzer_walks_every_frame_of_a_capture_through_every_approach()
    {
        var results = ServiceChainAnalyzer.Analyze(Path.Combine(Paths.ProjectCaptures, "icmp.pcap"), [0, 2, 7], [0, 8]);
        Assert.Equal(3 * (4 + 2), results.Count); // 4 approaches without metadata, 2 with
        Assert.All(results, r => Assert.Equal(r.Packets.Value, r.Arrived.Value));
        var geneve = results.Where(r => r.Approach == "geneve-service-path" && r.MetadataBytes.Value == 0).ToList();
        Assert.All(geneve, r => Assert.Equal(geneve[0].OverheadPercentWire.Value, r.OverheadPercentWire.Value, 9)); // constant in k
        var srv6 = results.Where(r => r.Approach == "srv6-end" && r.MetadataBytes.Value == 0).OrderBy(r => r.Services.Value).ToList();
        Assert.True(srv6[0].OverheadPercentWire.Value < srv6[1].OverheadPercentWire.Value && srv6[1].OverheadPercentWire.Value < srv6[2].OverheadPercentWire.Value);
    }
}
