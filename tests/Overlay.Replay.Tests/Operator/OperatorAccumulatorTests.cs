using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Operator;
using Overlay.Results;
using static Overlay.Encapsulation.Tests.Support.TestFrames;

namespace Overlay.Replay.Tests.Operator;

/// <summary>The MSS-clamp and black-hole figures on frames whose answer is worked out by hand.</summary>
public class OperatorAccumulatorTests
{
    private static readonly IEncapsulator Vxlan = VariantCatalog.Find("vxlan-ipv4")!.Create();   // 50 bytes inside the MTU
    private static readonly IEncapsulator Gwlb = Encapsulation.Profiles.DeployedProfiles.Find("aws-gwlb")!.Create(); // 68

    private static void Feed(OperatorAccumulator accumulator, IEncapsulator e, byte[] frame) =>
        accumulator.Add(frame, frame.Length, e.GetEncapsulatedLength(frame));

    [Fact]
    public void A_thousand_1000_byte_segments_of_one_flow_cost_25_extra_packets_under_vxlan_at_1500()
    {
        var accumulator = new OperatorAccumulator([1500, 9000], [10, 100, 400]);
        // 1000 frames of one TCP flow, each with 1000 bytes of payload: 14 + 20 + 20 + 1000.
        for (int i = 0; i < 1000; i++)
        {
            Feed(accumulator, Vxlan, Ip(4, L4.Tcp, 1054, seed: i + 1));
        }
        OperatorFigures figures = accumulator.ToFigures();
        Assert.Equal(50, figures.TunnelBytesInMtu["4"].Value);
        MssClampFigure m = figures.MssClamp.Single(f => f.UnderlayMtu.Value == 1500);
        Assert.Equal(1, m.TcpFlows.Value);
        Assert.Equal(1_000_000, m.TcpGoodputBytes.Value);
        Assert.Equal(1460, m.NativeMssIpv4.Value);
        Assert.Equal(1410, m.TunnelMssIpv4.Value);
        // ceil(1e6 / 1460) = 685, ceil(1e6 / 1410) = 710: 25 more per 10^6 bytes, 25,000 per GB.
        Assert.Equal(685, m.NativeSegments.Value);
        Assert.Equal(710, m.TunnelSegments.Value);
        Assert.Equal(25_000, m.ExtraPacketsPerGB.Value, 6);
        // At 100 Gbit/s of goodput, 12.5 GB/s: 312,500 extra packets per second; a 1500-byte packet's frame is
        // 1514 + FCS 4 + preamble 8 + gap 12 = 1538 bytes = 123.04 ns at 100 Gbit/s.
        PacketCostFigure at100 = m.Cost.Single(c => c.LineRate.Value == 100);
        Assert.Equal(312_500, at100.ExtraPacketsPerSecond.Value, 6);
        Assert.Equal(123.04, at100.BudgetPerPacket.Value, 6);
        // Each extra packet's headers: 8 + 14 + 4 + 12 + 40 + 50 = 128 bytes; 312,500 × 1024 bits / 1e11 = 0.32 %.
        Assert.Equal(0.32, at100.ExtraHeaderShare.Value, 6);
        // At 9000: ceil(1e6 / 8960) = 112, ceil(1e6 / 8910) = 113: one more per 10^6 bytes.
        Assert.Equal(1_000, figures.MssClamp.Single(f => f.UnderlayMtu.Value == 9000).ExtraPacketsPerGB.Value, 6);
    }

    [Fact]
    public void Only_frames_that_may_not_be_fragmented_and_no_longer_fit_fall_into_the_black_hole()
    {
        var accumulator = new OperatorAccumulator([1500], [100]);
        byte[] df = Ip(4, L4.Udp, 14 + 1460);          // DF set, 1460 + 68 > 1500: pushed over
        byte[] noDf = Ip(4, L4.Udp, 14 + 1460);
        noDf[Ethernet.HeaderLength + 6] &= 0xBF;       // DF clear: the tunnel may fragment it
        byte[] v6 = Ip(6, L4.Udp, 14 + 1440);          // IPv6 is never fragmented on the way: pushed over
        byte[] small = Ip(4, L4.Udp, 14 + 1432);       // 1432 + 68 = 1500 fits exactly
        byte[] arp = Arp();
        foreach (byte[] frame in new[] { df, noDf, v6, small })
        {
            Feed(accumulator, Gwlb, frame);
        }
        accumulator.Add(arp, arp.Length, arp.Length + 50);
        BlackHoleFigure hole = Assert.Single(accumulator.ToFigures().BlackHole);
        Assert.Equal(3, hole.NotFragmentable.Value);
        Assert.Equal(2, hole.FramesOver.Value);
        Assert.Equal(2, hole.FramesPushedOver.Value);
        Assert.Equal(100.0 * 2 / 5, hole.PercentOfCarried.Value, 9);
        double bytes = df.Length + noDf.Length + v6.Length + small.Length + arp.Length;
        Assert.Equal(100.0 * (df.Length + v6.Length) / bytes, hole.PercentOfBytes.Value, 9);
    }

    [Fact]
    public void A_frame_already_over_the_mtu_is_over_but_not_pushed_over()
    {
        var accumulator = new OperatorAccumulator([1500], [100]);
        Feed(accumulator, Gwlb, Ip(4, L4.Udp, 14 + 1600));
        BlackHoleFigure hole = Assert.Single(accumulator.ToFigures().BlackHole);
        Assert.Equal(1, hole.FramesOver.Value);
        Assert.Equal(0, hole.FramesPushedOver.Value);
    }

    [Theory]
    [InlineData(4, 1054, 1000)]
    [InlineData(6, 1074, 1000)]
    [InlineData(4, 54, 0)]
    public void Tcp_payload_is_read_from_the_packets_own_headers(int version, int frameLength, int payload)
    {
        byte[] frame = Ip(version, L4.Tcp, frameLength);
        Assert.True(InnerFrame.TryParse(frame, out InnerFrame inner));
        Assert.Equal(payload, OperatorAccumulator.TcpPayload(frame, inner));
        byte[] udp = Ip(version, L4.Udp, frameLength);
        Assert.True(InnerFrame.TryParse(udp, out inner));
        Assert.Equal(-1, OperatorAccumulator.TcpPayload(udp, inner));
    }

    [Fact]
    public void A_tally_of_shared_flow_bytes_follows_every_frame_added_after_it()
    {
        // The variants sharing one table share its tally string too: a frame added after a tally must not leave the
        // next tally as it was.
        var shared = new TcpFlowBytes();
        var first = new OperatorAccumulator([1500], [10]);
        var second = new OperatorAccumulator([1500], [10]);
        first.ShareTcpFlows(0, shared);
        second.ShareTcpFlows(0, shared);
        shared.Add(1, 1000);
        string before = first.ToTally().FlowBytes[0];
        Assert.Same(before, second.ToTally().FlowBytes[0]);
        shared.Add(2, 500);
        string after = second.ToTally().FlowBytes[0];
        Assert.NotEqual(before, after);
        Assert.Equal(after, first.ToTally().FlowBytes[0]);
        // The same flows counted into a table of their own give the same tally.
        var own = new TcpFlowBytes();
        own.Add(2, 500);
        own.Add(1, 1000);
        var alone = new OperatorAccumulator([1500], [10]);
        alone.ShareTcpFlows(0, own);
        Assert.Equal(after, alone.ToTally().FlowBytes[0]);
        shared.AddBulk(7);
        Assert.Equal(7, first.ToTally().BulkBytes[0]);
    }
}
