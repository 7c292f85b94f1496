using System.Buffers.Binary;
using System.Net;
using CsCheck;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Tests.Support;

namespace Overlay.Encapsulation.Tests.Srv6;

/// <summary>
/// SRv6 hop by hop: the headend's packet walked through End (RFC 8986 §4.1) and End with NEXT-CSID (RFC 9800
/// §4.1.1) at every segment, checking what each hop may change (destination, Segments Left, Hop Limit) and that
/// nothing else moves; then every typed refusal, which must leave the packet untouched.
/// </summary>
public class Srv6EndpointTests
{
    private const int Ip = Ethernet.HeaderLength;
    private const int Srh = Ip + Ipv6.HeaderLength;
    private const byte HeadendHopLimit = 64;

    private static readonly byte[] Inner = TestFrames.Ip(6, TestFrames.L4.Udp, 300, vlanTags: 1, flowLabel: 0xABCDE);

    private static IPAddress[] RandomSids(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new IPAddress(bytes);
        }).ToArray();
    }

    private static byte[] Headend(IReadOnlyList<IPAddress> sids, bool reduced = false, PayloadMode mode = PayloadMode.L3,
        CompressedSidFormat? csid = null, byte hopLimit = HeadendHopLimit) =>
        OuterFrames.Encapsulate(new Srv6Encapsulator(Underlay.Ipv6(destination: null) with { HopLimit = HopLimitPolicy.Fixed(hopLimit) },
            new Srv6Options { Segments = sids, Reduced = reduced, Mode = mode, CompressedSids = csid }), Inner);

    private static IPAddress Destination(byte[] frame) => new(frame.AsSpan(Ip + Ipv6.DestinationOffset, Ipv6.AddressLength));
    private static byte HopLimit(byte[] frame) => frame[Ip + Ipv6.HopLimitOffset];

    /// <summary>The frame with the fields an endpoint may change blanked: everything else must stay put.</summary>
    private static string Fixed(byte[] frame, bool hasSrh)
    {
        byte[] copy = frame.ToArray();
        copy.AsSpan(Ip + Ipv6.DestinationOffset, Ipv6.AddressLength).Clear();
        copy[Ip + Ipv6.HopLimitOffset] = 0;
        if (hasSrh)
        {
            copy[Srh + SegmentRoutingHeader.SegmentsLeftOffset] = 0;
        }
        return Hex.Format(copy);
    }

    /// <summary>At the egress: the packet decapsulates to the headend's payload.</summary>
    private static void AssertInnerIntact(byte[] frame, PayloadMode mode)
    {
        DecapResult result = Decapsulator.TryDecapsulate(frame, out TunnelPacket packet);
        Assert.True(result.IsSuccess, result.ToString());
        // Without an SRH an IP payload is RFC 2473 IP in IPv6 on the wire; the decoder names it so and finds the same inner packet.
        Assert.Equal(packet.SrhOffset < 0 && mode == PayloadMode.L3 ? TunnelProtocol.IpIp : TunnelProtocol.Srv6, packet.Protocol);
        byte[] expected = mode == PayloadMode.L2 ? Inner : Inner[(Ethernet.HeaderLength + Ethernet.VlanTagLength)..];
        Assert.Equal(Hex.Format(expected), Hex.Format(packet.InnerOf(frame)));
    }

    public static TheoryData<int, bool> PathLengths()
    {
        var data = new TheoryData<int, bool>();
        for (int k = 1; k <= Srv6Encapsulator.MaxSegments; k++)
        {
            data.Add(k, false);
            data.Add(k, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PathLengths))]
    public void End_walks_the_segment_list_hop_by_hop(int k, bool l2)
    {
        IPAddress[] sids = RandomSids(k, seed: k);
        PayloadMode mode = l2 ? PayloadMode.L2 : PayloadMode.L3;
        byte[] frame = Headend(sids, mode: mode);
        string invariant = Fixed(frame, hasSrh: true);
        Assert.Equal(sids[0], Destination(frame));
        Assert.Equal(k - 1, frame[Srh + SegmentRoutingHeader.SegmentsLeftOffset]);

        for (int hop = 1; hop < k; hop++)
        {
            EndResult result = Srv6Endpoint.End(frame);
            Assert.Equal(new EndResult(EndStatus.Forwarded, Srh + SegmentRoutingHeader.SegmentsLeftOffset), result);
            Assert.Equal(k - 1 - hop, frame[Srh + SegmentRoutingHeader.SegmentsLeftOffset]);
            Assert.Equal(sids[hop], Destination(frame));
            Assert.Equal(HeadendHopLimit - hop, HopLimit(frame));
            Assert.Equal(invariant, Fixed(frame, hasSrh: true));
        }

        // The last segment: Segments Left 0, the packet is for this node (decapsulation), not forwarded.
        Assert.Equal(0, frame[Srh + SegmentRoutingHeader.SegmentsLeftOffset]);
        Assert.Equal(sids[^1], Destination(frame));
        AssertRefused(frame, End, EndStatus.SegmentsLeftZero, Srh + SegmentRoutingHeader.SegmentsLeftOffset);
        AssertInnerIntact(frame, mode);
    }

    [Theory]
    [MemberData(nameof(PathLengths))]
    public void End_walks_the_reduced_segment_list_hop_by_hop(int k, bool l2)
    {
        // H.Encaps.Red: the first SID only in the destination, the SRH holds the other k-1 with Segments Left = Last Entry + 1.
        IPAddress[] sids = RandomSids(k, seed: 100 + k);
        PayloadMode mode = l2 ? PayloadMode.L2 : PayloadMode.L3;
        byte[] frame = Headend(sids, reduced: true, mode: mode);
        bool hasSrh = k > 1;
        string invariant = Fixed(frame, hasSrh);
        Assert.Equal(sids[0], Destination(frame));
        if (!hasSrh)
        {
            Assert.NotEqual(Ipv6.NextHeaderRouting, frame[Ip + Ipv6.NextHeaderOffset]);
            AssertRefused(frame, End, EndStatus.NoSrh, Ip + Ipv6.NextHeaderOffset);
            AssertInnerIntact(frame, mode);
            return;
        }
        Assert.Equal(k - 2, frame[Srh + SegmentRoutingHeader.LastEntryOffset]);
        Assert.Equal(k - 1, frame[Srh + SegmentRoutingHeader.SegmentsLeftOffset]);

        for (int hop = 1; hop < k; hop++)
        {
            Assert.True(Srv6Endpoint.End(frame).IsForwarded);
            Assert.Equal(k - 1 - hop, frame[Srh + SegmentRoutingHeader.SegmentsLeftOffset]);
            Assert.Equal(sids[hop], Destination(frame));
            Assert.Equal(HeadendHopLimit - hop, HopLimit(frame));
            Assert.Equal(invariant, Fixed(frame, hasSrh));
        }
        AssertRefused(frame, End, EndStatus.SegmentsLeftZero, Srh + SegmentRoutingHeader.SegmentsLeftOffset);
        AssertInnerIntact(frame, mode);
    }

    [Fact]
    public void Next_csid_shifts_and_forwards_through_eight_sids_in_two_containers()
    {
        // fc00:0:1:: … fc00:0:8:: in the 32/16 layout: six C-SIDs in the destination, two in the SRH's one container.
        IPAddress[] sids = VariantCatalog.Segments(8);
        byte[] frame = Headend(sids, csid: CompressedSidFormat.Default);
        Assert.Equal(0, frame[Srh + SegmentRoutingHeader.LastEntryOffset]);
        Assert.Equal(1, frame[Srh + SegmentRoutingHeader.SegmentsLeftOffset]);
        string invariant = Fixed(frame, hasSrh: true);

        string[] destinations =
        [
            "fc00:0:1:2:3:4:5:6",
            "fc00:0:2:3:4:5:6:0",
            "fc00:0:3:4:5:6::",
            "fc00:0:4:5:6::",
            "fc00:0:5:6::",
            "fc00:0:6::",
            "fc00:0:7:8::", // the container exhausted: End proper takes the next one from the SRH
            "fc00:0:8::",
        ];
        Assert.Equal(IPAddress.Parse(destinations[0]), Destination(frame));
        for (int hop = 1; hop < destinations.Length; hop++)
        {
            EndResult result = Srv6Endpoint.EndNextCsid(frame, CompressedSidFormat.Default);
            Assert.True(result.IsForwarded, $"hop {hop}: {result}");
            Assert.Equal(IPAddress.Parse(destinations[hop]), Destination(frame));
            Assert.Equal(hop < 6 ? 1 : 0, frame[Srh + SegmentRoutingHeader.SegmentsLeftOffset]);
            Assert.Equal(HeadendHopLimit - hop, HopLimit(frame));
            Assert.Equal(invariant, Fixed(frame, hasSrh: true));
            // The active SID, block and C-SID, is the hop's segment.
            Assert.Equal(sids[hop], ActiveSid(Destination(frame), CompressedSidFormat.Default));
        }
        AssertRefused(frame, f => Srv6Endpoint.EndNextCsid(f, CompressedSidFormat.Default), EndStatus.SegmentsLeftZero, Srh + SegmentRoutingHeader.SegmentsLeftOffset);
        AssertInnerIntact(frame, PayloadMode.L3);
    }

    [Theory]
    [InlineData(96, 32, "2001:db8::1:1", "2001:db8::2:2", "2001:db8::3:3")]
    [InlineData(112, 16, "2001:db8::1", "2001:db8::2", "2001:db8::3")]
    public void Next_csid_with_one_csid_per_container_takes_every_segment_from_the_srh(int blockBits, int csidBits, string first, string second, string third)
    {
        // The C-SID fills the container (block + C-SID = 128 bits): there is never an argument to shift.
        var format = new CompressedSidFormat(blockBits, csidBits);
        IPAddress[] sids = [IPAddress.Parse(first), IPAddress.Parse(second), IPAddress.Parse(third)];
        byte[] frame = Headend(sids, csid: format);
        Assert.Equal(2, frame[Srh + SegmentRoutingHeader.SegmentsLeftOffset]);
        for (int hop = 1; hop < 3; hop++)
        {
            Assert.Equal(new EndResult(EndStatus.Forwarded, Srh + SegmentRoutingHeader.SegmentsLeftOffset), Srv6Endpoint.EndNextCsid(frame, format));
            Assert.Equal(sids[hop], Destination(frame));
            Assert.Equal(2 - hop, frame[Srh + SegmentRoutingHeader.SegmentsLeftOffset]);
        }
        AssertRefused(frame, f => Srv6Endpoint.EndNextCsid(f, format), EndStatus.SegmentsLeftZero, Srh + SegmentRoutingHeader.SegmentsLeftOffset);
    }

    private static IPAddress ActiveSid(IPAddress destination, CompressedSidFormat format)
    {
        UInt128 address = BinaryPrimitives.ReadUInt128BigEndian(destination.GetAddressBytes());
        int kept = format.LocatorBlockBits + format.CsidBits;
        return SegmentRoutingHeader.ToAddress(address >> (128 - kept) << (128 - kept));
    }

    [Fact]
    public void Next_csid_walks_any_layout_and_path_length() =>
        Gen.Select(Gen.Int[1, 14], Gen.Bool, Gen.Int[1, Srv6Encapsulator.MaxSegments], Gen.Int).Sample((blockBytes, wide, n, seed) =>
        {
            var format = new CompressedSidFormat(wide ? Math.Min(8 * blockBytes, 96) : 8 * blockBytes, wide ? 32 : 16);
            int b = format.LocatorBlockBits / 8, c = format.CsidBits / 8;
            var random = new Random(seed);
            var block = new byte[b];
            random.NextBytes(block);
            var sids = new IPAddress[n];
            for (int i = 0; i < n; i++)
            {
                var bytes = new byte[16];
                block.CopyTo(bytes, 0);
                do
                {
                    random.NextBytes(bytes.AsSpan(b, c));
                }
                while (!bytes.AsSpan(b, c).ContainsAnyExcept((byte)0));
                sids[i] = new IPAddress(bytes);
            }
            byte[] frame = Headend(sids, csid: format, hopLimit: 255);
            for (int hop = 0; hop < n; hop++)
            {
                Assert.Equal(sids[hop], ActiveSid(Destination(frame), format));
                EndResult result = Srv6Endpoint.EndNextCsid(frame, format);
                Assert.Equal(hop < n - 1 ? EndStatus.Forwarded : EndStatus.SegmentsLeftZero, result.Status);
            }
            Assert.Equal(255 - (n - 1), HopLimit(frame));
            AssertInnerIntact(frame, PayloadMode.L3);
        }, iter: 300);

    // ───────────────────────────── typed refusals ─────────────────────────────

    /// <summary>The step is refused with this status and offset, and the frame is left exactly as it was.</summary>
    private static void AssertRefused(byte[] frame, Func<byte[], EndResult> step, EndStatus status, int offset)
    {
        string before = Hex.Format(frame);
        Assert.Equal(new EndResult(status, offset), step(frame));
        Assert.Equal(before, Hex.Format(frame));
    }

    private static EndResult End(byte[] frame) => Srv6Endpoint.End(frame);
    private static EndResult NextCsid(byte[] frame) => Srv6Endpoint.EndNextCsid(frame, CompressedSidFormat.Default);

    [Fact]
    public void Segments_left_zero_is_refused()
    {
        byte[] frame = Headend(RandomSids(1, 7));
        AssertRefused(frame, End, EndStatus.SegmentsLeftZero, Srh + SegmentRoutingHeader.SegmentsLeftOffset);
        // NEXT-C-SID with an exhausted destination and an exhausted SRH, and with no SRH at all.
        byte[] csid = Headend(VariantCatalog.Segments(1), csid: CompressedSidFormat.Default);
        AssertRefused(csid, NextCsid, EndStatus.SegmentsLeftZero, Ip + Ipv6.DestinationOffset);
    }

    [Fact]
    public void No_srh_is_refused_by_end()
    {
        AssertRefused(Headend(RandomSids(1, 8), reduced: true), End, EndStatus.NoSrh, Ip + Ipv6.NextHeaderOffset);
        AssertRefused(Headend(VariantCatalog.Segments(3), csid: CompressedSidFormat.Default), End, EndStatus.NoSrh, Ip + Ipv6.NextHeaderOffset);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void Hop_limit_of_one_or_less_is_refused(byte hopLimit)
    {
        byte[] frame = Headend(RandomSids(3, 9));
        frame[Ip + Ipv6.HopLimitOffset] = hopLimit;
        AssertRefused(frame, End, EndStatus.HopLimitExceeded, Ip + Ipv6.HopLimitOffset);

        byte[] csid = Headend(VariantCatalog.Segments(3), csid: CompressedSidFormat.Default);
        csid[Ip + Ipv6.HopLimitOffset] = hopLimit;
        AssertRefused(csid, NextCsid, EndStatus.HopLimitExceeded, Ip + Ipv6.HopLimitOffset);

        byte[] next = Headend(VariantCatalog.Segments(8), csid: CompressedSidFormat.Default);
        for (int i = 0; i < 5; i++)
        {
            Assert.True(NextCsid(next).IsForwarded);
        }
        next[Ip + Ipv6.HopLimitOffset] = hopLimit;
        AssertRefused(next, NextCsid, EndStatus.HopLimitExceeded, Ip + Ipv6.HopLimitOffset);
    }

    [Fact]
    public void Hop_limit_of_two_is_forwarded_with_one()
    {
        byte[] frame = Headend(RandomSids(2, 10), hopLimit: 2);
        Assert.True(End(frame).IsForwarded);
        Assert.Equal(1, HopLimit(frame));
        byte[] headend = Headend(RandomSids(3, 10), hopLimit: 2);
        Assert.True(End(headend).IsForwarded);
        AssertRefused(headend, End, EndStatus.HopLimitExceeded, Ip + Ipv6.HopLimitOffset);
    }

    [Fact]
    public void Last_entry_beyond_hdr_ext_len_is_refused()
    {
        byte[] frame = Headend(RandomSids(3, 11));
        frame[Srh + SegmentRoutingHeader.LastEntryOffset] = 3; // Hdr Ext Len 6 allows Last Entry 2 at most
        AssertRefused(frame, End, EndStatus.SrhInvalid, Srh + SegmentRoutingHeader.LastEntryOffset);
        byte[] csid = Headend(VariantCatalog.Segments(8), csid: CompressedSidFormat.Default);
        csid[Srh + SegmentRoutingHeader.LastEntryOffset] = 1;
        csid.AsSpan(Ip + Ipv6.DestinationOffset + 6, 10).Clear(); // the destination's C-SIDs used up: End proper runs
        AssertRefused(csid, NextCsid, EndStatus.SrhInvalid, Srh + SegmentRoutingHeader.LastEntryOffset);
    }

    [Fact]
    public void Segments_left_beyond_last_entry_plus_one_is_refused()
    {
        byte[] frame = Headend(RandomSids(3, 12));
        frame[Srh + SegmentRoutingHeader.SegmentsLeftOffset] = 4; // Last Entry 2
        AssertRefused(frame, End, EndStatus.SrhInvalid, Srh + SegmentRoutingHeader.SegmentsLeftOffset);
        byte[] reduced = Headend(RandomSids(3, 12), reduced: true);
        reduced[Srh + SegmentRoutingHeader.SegmentsLeftOffset] = 3; // Last Entry 1: 2 is the most
        AssertRefused(reduced, End, EndStatus.SrhInvalid, Srh + SegmentRoutingHeader.SegmentsLeftOffset);
    }

    [Fact]
    public void Malformed_packets_are_refused()
    {
        AssertRefused(OuterFrames.Encapsulate("vxlan-ipv4", Inner), End, EndStatus.Malformed, Ip);
        byte[] frame = Headend(RandomSids(3, 13));
        AssertRefused(frame[..10], End, EndStatus.Malformed, 0);
        AssertRefused(frame[..(Ip + 39)], End, EndStatus.Malformed, Ip);
        AssertRefused(frame[..^1], End, EndStatus.Malformed, Ip + Ipv6.PayloadLengthOffset);
        byte[] wrongVersion = frame.ToArray();
        wrongVersion[Ip] = 0x45;
        AssertRefused(wrongVersion, End, EndStatus.Malformed, Ip);
        byte[] longSrh = frame.ToArray();
        longSrh[Srh + SegmentRoutingHeader.HdrExtLenOffset] = 255;
        AssertRefused(longSrh, End, EndStatus.Malformed, Srh + SegmentRoutingHeader.HdrExtLenOffset);
    }
}
