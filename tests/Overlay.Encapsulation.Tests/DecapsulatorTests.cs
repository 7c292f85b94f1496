using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using CsCheck;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Gre;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.IpIp;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Encapsulation.Tests;

/// <summary>
/// The decoder against the encoders: random inner frames through random valid configurations of every variant
/// must come back byte for byte with every tunnel field, and every typed error must name its field's offset.
/// </summary>
public class DecapsulatorTests
{
    private const int RoundTripIterations = 2000;

    // ───────────────────────────── generated inputs ─────────────────────────────

    /// <summary>An inner frame as <see cref="TestFrames.Ip"/> builds it, or an ARP request.</summary>
    public sealed record FrameSpec(bool Arp, int IpVersion, TestFrames.L4 Protocol, int Length, int VlanTags, int Padding,
        ushort SourcePort, ushort DestinationPort, byte HopLimit, byte TrafficClass, uint FlowLabel, int Seed, byte LastAddressByte)
    {
        public int L2Length => Arp ? Ethernet.HeaderLength : Ethernet.HeaderLength + Ethernet.VlanTagLength * VlanTags;

        /// <summary>The frame's length: as asked, or the least that holds the headers and the padding.</summary>
        public int FrameLength => Arp ? 60 : Math.Max(Length, L2Length + (IpVersion == 4 ? 20 : 40) + (Protocol == TestFrames.L4.Tcp ? 20 : 8) + Padding);

        public int IpLength => FrameLength - L2Length - Padding;

        public byte[] Build() => Arp
            ? TestFrames.Arp()
            : TestFrames.Ip(IpVersion, Protocol, FrameLength, SourcePort, DestinationPort, VlanTags, HopLimit, TrafficClass,
                IpVersion == 6 ? FlowLabel : 0, Seed, Padding, LastAddressByte);
    }

    public sealed record UnderlaySpec(bool Ipv6, HopLimitPolicy HopLimit, DscpPolicy Dscp, bool DontFragment,
        UdpChecksumPolicy UdpChecksum, PortRange SourcePorts, FlowLabelPolicy FlowLabel)
    {
        public Underlay Build(bool srv6) => (Ipv6 ? Underlay.Ipv6(destination: srv6 ? null : "2001:db8::2") : Underlay.Ipv4()) with
        {
            HopLimit = HopLimit,
            Dscp = Dscp,
            DontFragment = DontFragment,
            UdpChecksum = UdpChecksum,
            SourcePorts = SourcePorts,
            FlowLabel = FlowLabel,
        };
    }

    /// <summary>A GENEVE option: data of <paramref name="Words"/> 4-byte words counting up from <paramref name="Fill"/>.</summary>
    public sealed record OptionSpec(ushort Class, byte Type, int Words, byte Fill)
    {
        public byte[] Data => Enumerable.Range(0, 4 * Words).Select(i => (byte)(Fill + i)).ToArray();
        public GeneveOption Build() => new(Class, Type, Data);
    }

    public abstract record TunnelSpec(UnderlaySpec Outer)
    {
        public abstract IEncapsulator Create();
        public abstract PayloadMode Payload { get; }
        public abstract TunnelProtocol Expected { get; }
        /// <summary>Whether the tunnel carries this frame: everything in L2 mode, IP packets in L3 mode.</summary>
        public virtual bool Carries(FrameSpec frame) => !(frame.Arp && Payload == PayloadMode.L3);
    }

    public sealed record IpIpSpec(UnderlaySpec Outer, int InnerIpVersion) : TunnelSpec(Outer)
    {
        public override IEncapsulator Create() => new IpIpEncapsulator(Outer.Build(false), InnerIpVersion);
        public override PayloadMode Payload => PayloadMode.L3;
        public override TunnelProtocol Expected => TunnelProtocol.IpIp;
        public override bool Carries(FrameSpec frame) => !frame.Arp && frame.IpVersion == InnerIpVersion;
    }

    public sealed record GreSpec(UnderlaySpec Outer, PayloadMode Mode, bool Checksum, uint? Key, bool Sequence) : TunnelSpec(Outer)
    {
        public override IEncapsulator Create() => new GreEncapsulator(Outer.Build(false), new GreOptions { Mode = Mode, Checksum = Checksum, Key = Key, Sequence = Sequence });
        public override PayloadMode Payload => Mode;
        public override TunnelProtocol Expected => TunnelProtocol.Gre;
    }

    public sealed record NvgreSpec(UnderlaySpec Outer, uint Vsid) : TunnelSpec(Outer)
    {
        public override IEncapsulator Create() => new NvgreEncapsulator(Outer.Build(false), Vsid);
        public override PayloadMode Payload => PayloadMode.L2;
        public override TunnelProtocol Expected => TunnelProtocol.Gre;
    }

    public sealed record VxlanSpec(UnderlaySpec Outer, uint Vni) : TunnelSpec(Outer)
    {
        public override IEncapsulator Create() => new VxlanEncapsulator(Outer.Build(false), Vni);
        public override PayloadMode Payload => PayloadMode.L2;
        public override TunnelProtocol Expected => TunnelProtocol.Vxlan;
    }

    public sealed record GeneveSpec(UnderlaySpec Outer, PayloadMode Mode, uint Vni, bool Oam, OptionSpec[] Options) : TunnelSpec(Outer)
    {
        public override IEncapsulator Create() => new GeneveEncapsulator(Outer.Build(false),
            new GeneveOptions { Mode = Mode, Vni = Vni, Oam = Oam, Options = Options.Select(o => o.Build()).ToArray() });
        public override PayloadMode Payload => Mode;
        public override TunnelProtocol Expected => TunnelProtocol.Geneve;

        /// <summary>The options region as RFC 8926 §3.5 lays it out, written here independently of the encoder.</summary>
        public byte[] OptionBytes() => Options.SelectMany(o =>
            new byte[] { (byte)(o.Class >> 8), (byte)o.Class, o.Type, (byte)o.Words }.Concat(o.Data)).ToArray();

        public override string ToString() => $"GeneveSpec {{ Outer = {Outer}, Mode = {Mode}, Vni = {Vni}, Oam = {Oam}, Options = [{string.Join(", ", Options.AsEnumerable())}] }}";
    }

    /// <summary>SRv6: the SIDs are drawn from <paramref name="SidSeed"/>; with <paramref name="Csid"/> they are NEXT-C-SIDs of that layout.</summary>
    public sealed record Srv6Spec(UnderlaySpec Outer, PayloadMode Mode, int SidCount, bool Reduced, CompressedSidFormat? Csid, ushort Tag, int SidSeed)
        : TunnelSpec(Outer)
    {
        public override IEncapsulator Create() => new Srv6Encapsulator(Outer.Build(true), new Srv6Options
        {
            Segments = Sids().Select(s => new IPAddress(s)).ToArray(),
            Mode = Mode,
            Reduced = Reduced,
            CompressedSids = Csid,
            Tag = Tag,
        });

        public override PayloadMode Payload => Mode;

        /// <summary>
        /// SRv6 with an SRH or an Ethernet payload; an IP payload with no SRH (.Red with one SID, NEXT-C-SID in one
        /// container) is RFC 2473 IP in IPv6 on the wire, and the decoder names it so.
        /// </summary>
        public override TunnelProtocol Expected =>
            Mode == PayloadMode.L3 && (Csid is CompressedSidFormat f ? SidCount <= f.CsidsPerContainer : Reduced && SidCount == 1)
                ? TunnelProtocol.IpIp
                : TunnelProtocol.Srv6;

        /// <summary>The segments in visit order.</summary>
        public byte[][] Sids()
        {
            var random = new Random(SidSeed);
            var sids = new byte[SidCount][];
            if (Csid is not CompressedSidFormat format)
            {
                for (int i = 0; i < SidCount; i++)
                {
                    sids[i] = new byte[16];
                    random.NextBytes(sids[i]);
                }
                return sids;
            }
            int blockBytes = format.LocatorBlockBits / 8, csidBytes = format.CsidBits / 8;
            var block = new byte[blockBytes];
            random.NextBytes(block);
            for (int i = 0; i < SidCount; i++)
            {
                sids[i] = new byte[16];
                block.CopyTo(sids[i], 0);
                Span<byte> csid = sids[i].AsSpan(blockBytes, csidBytes);
                do
                {
                    random.NextBytes(csid);
                }
                while (!csid.ContainsAnyExcept((byte)0));
            }
            return sids;
        }

        /// <summary>What travels: the destination address and the SRH's segments in visit order (RFC 8986 §5, RFC 9800 §4).</summary>
        public (byte[] Destination, byte[][] InSrh, int SegmentsLeft) Path()
        {
            byte[][] sids = Sids();
            if (Csid is CompressedSidFormat format)
            {
                // Containers by hand, bytewise: the block, then C-SIDs in order, zeros after the last.
                int blockBytes = format.LocatorBlockBits / 8, csidBytes = format.CsidBits / 8, per = (16 - blockBytes) / csidBytes;
                var containers = new byte[(sids.Length + per - 1) / per][];
                for (int i = 0; i < sids.Length; i++)
                {
                    containers[i / per] ??= sids[0][..blockBytes].Concat(new byte[16 - blockBytes]).ToArray();
                    sids[i].AsSpan(blockBytes, csidBytes).CopyTo(containers[i / per].AsSpan(blockBytes + i % per * csidBytes));
                }
                return (containers[0], containers[1..], containers.Length - 1);
            }
            return Reduced ? (sids[0], sids[1..], sids.Length - 1) : (sids[0], sids, sids.Length - 1);
        }
    }

    private static Gen<T> Either<T>(params Gen<T>[] gens) => Gen.OneOf(gens.Select(g => (IGen<T>)g).ToArray());

    private static readonly Gen<FrameSpec> FrameGen = Gen.Select(
        Gen.Int[0, 19].Select(i => i == 0),
        Gen.Bool.Select(b => b ? 6 : 4),
        Gen.Int[0, 2].Select(i => new[] { TestFrames.L4.Tcp, TestFrames.L4.Udp, TestFrames.L4.Icmp }[i]),
        Gen.Frequency((4, (IGen<int>)Gen.Int[60, 200]), (3, Gen.Int[60, 1600]), (2, Gen.Int[60, 9000]), (1, Gen.Int[8900, 9000])),
        Gen.Int[0, 2],
        Gen.Frequency((1, (IGen<int>)Gen.Const(0)), (1, Gen.Int[1, 46])),
        Gen.UShort, Gen.UShort, Gen.Byte, Gen.Byte, Gen.UInt[0, 0xF_FFFF], Gen.Int[1, int.MaxValue], Gen.Byte,
        (arp, v, l4, length, tags, pad, sp, dp, hop, tc, fl, seed, last) => new FrameSpec(arp, v, l4, length, tags, pad, sp, dp, hop, tc, fl, seed, last));

    private static readonly Gen<HopLimitPolicy> HopLimitGen = Either(
        Gen.Byte[1, 255].Select(HopLimitPolicy.Fixed),
        Gen.Byte[1, 255].Select(b => HopLimitPolicy.FromInner(b)),
        Gen.Byte[1, 255].Select(b => HopLimitPolicy.FromInnerIpv6(b)));

    private static readonly Gen<DscpPolicy> DscpGen = Either(
        Gen.Byte[0, 63].Select(DscpPolicy.Fixed),
        Gen.Const(DscpPolicy.FromInner()),
        Gen.Const(DscpPolicy.FromInnerIpv6()));

    private static readonly Gen<PortRange> PortsGen = Either(
        Gen.Const(PortRange.Rfc7348),
        Gen.Const(PortRange.Linux),
        Gen.Select(Gen.UShort[1, ushort.MaxValue], Gen.UShort[1, ushort.MaxValue], (a, b) => new PortRange(Math.Min(a, b), Math.Max(a, b))));

    private static readonly Gen<FlowLabelPolicy> FlowLabelGen = Either(
        Gen.Const(FlowLabelPolicy.Hash),
        Gen.Const(FlowLabelPolicy.Zero),
        Gen.Const(FlowLabelPolicy.FromInner),
        Gen.UInt[0, Ipv6.FlowLabelMask].Select(FlowLabelPolicy.Fixed));

    private static Gen<UnderlaySpec> UnderlayGen(bool ipv6Only) => Gen.Select(
        ipv6Only ? Gen.Const(true) : Gen.Bool, HopLimitGen, DscpGen, Gen.Bool, Gen.Enum<UdpChecksumPolicy>(), PortsGen, FlowLabelGen,
        (v6, hop, dscp, df, udp, ports, label) => new UnderlaySpec(v6, hop, dscp, df, udp, ports, label));

    private static readonly Gen<PayloadMode> ModeGen = Gen.Bool.Select(b => b ? PayloadMode.L2 : PayloadMode.L3);

    private static readonly Gen<OptionSpec> OptionGen = Gen.Select(Gen.UShort, Gen.Byte, Gen.Frequency((3, (IGen<int>)Gen.Int[0, 4]), (1, Gen.Int[0, 31])), Gen.Byte,
        (c, t, w, f) => new OptionSpec(c, t, w, f));

    /// <summary>Options in order, cut where they would pass Opt Len's 252 bytes.</summary>
    private static OptionSpec[] Fit(OptionSpec[] options)
    {
        int total = 0;
        return options.TakeWhile(o => (total += 4 + 4 * o.Words) <= GeneveHeader.MaxOptionsLength).ToArray();
    }

    private static readonly Gen<CompressedSidFormat?> CsidFormatGen = Gen.Frequency(
        (2, (IGen<CompressedSidFormat?>)Gen.Const((CompressedSidFormat?)null)),
        (1, Gen.Const<CompressedSidFormat?>(CompressedSidFormat.Default)),
        (1, Gen.Select(Gen.Int[1, 14], Gen.Bool, (b, wide) => (CompressedSidFormat?)new CompressedSidFormat(wide ? Math.Min(8 * b, 96) : 8 * b, wide ? 32 : 16))));

    private static readonly Gen<TunnelSpec> TunnelGen = Either(
        Gen.Select(UnderlayGen(false), ModeGen, Gen.Bool, Gen.Nullable(Gen.UInt, 0.5), Gen.Bool,
            (u, m, c, k, s) => (TunnelSpec)new GreSpec(u, m, c, k, s)),
        Gen.Select(UnderlayGen(false), Gen.UInt[NvgreEncapsulator.MinVsid, NvgreEncapsulator.MaxVsid],
            (u, vsid) => (TunnelSpec)new NvgreSpec(u, vsid)),
        Gen.Select(UnderlayGen(false), Gen.UInt[0, VxlanHeader.MaxVni],
            (u, vni) => (TunnelSpec)new VxlanSpec(u, vni)),
        Gen.Select(UnderlayGen(false), Gen.Bool, (u, v6) => (TunnelSpec)new IpIpSpec(u, v6 ? 6 : 4)),
        Gen.Select(UnderlayGen(false), ModeGen, Gen.UInt[0, GeneveHeader.MaxVniValue], Gen.Bool, OptionGen.Array[0, 8],
            (u, m, vni, oam, options) => (TunnelSpec)new GeneveSpec(u, m, vni, oam, Fit(options))),
        Gen.Select(UnderlayGen(true), ModeGen, Gen.Int[1, Srv6Encapsulator.MaxSegments], Gen.Bool, CsidFormatGen, Gen.UShort, Gen.Int,
            // A tag needs an SRH to travel in (RFC 8986 §5.2): paths that send none get tag 0.
            (u, m, n, red, csid, tag, seed) => (TunnelSpec)new Srv6Spec(u, m, n, red && csid is null, csid,
                (csid is CompressedSidFormat f ? n > f.CsidsPerContainer : !(red && n == 1)) ? tag : (ushort)0, seed)));

    // ───────────────────────────── the round trip ─────────────────────────────

    [Fact]
    public void Every_variant_round_trips_random_frames_and_configurations() =>
        Gen.Select(FrameGen, TunnelGen, Gen.Int).Sample(RoundTrip, iter: RoundTripIterations);

    private static void RoundTrip(FrameSpec frameSpec, TunnelSpec tunnel, int seed)
    {
        var random = new Random(seed);
        byte[] frame = frameSpec.Build();
        Assert.Equal(frameSpec.FrameLength, frame.Length);
        Assert.True(InnerFrame.TryParse(frame, out InnerFrame inner));
        IEncapsulator copy = tunnel.Create(), inPlace = tunnel.Create();
        Assert.Equal(tunnel.Payload, copy.Mode);

        if (!tunnel.Carries(frameSpec))
        {
            Assert.Equal(-1, copy.GetEncapsulatedLength(frame));
            Assert.Equal(OperationStatus.InvalidData, copy.Encapsulate(frame, new byte[frame.Length + 512], out int none));
            Assert.Equal(0, none);
            return;
        }

        // Copy form, into a destination of garbage with garbage after the frame.
        int length = copy.GetEncapsulatedLength(frame);
        Assert.True(length > copy.HeaderLength, $"{copy.Name}: length {length}");
        byte[] destination = OuterFrames.Garbage(length + random.Next(0, 16), random);
        Assert.Equal(OperationStatus.Done, copy.Encapsulate(frame, destination, out int written));
        Assert.Equal(length, written);

        // In-place form, with garbage headroom: the same bytes.
        int frameOffset = inPlace.HeaderLength + random.Next(0, 16);
        byte[] buffer = OuterFrames.Garbage(frameOffset + frame.Length + random.Next(0, 16), random);
        frame.CopyTo(buffer, frameOffset);
        Assert.Equal(OperationStatus.Done, inPlace.EncapsulateInPlace(buffer, frameOffset, frame.Length, out int packetOffset, out int packetLength));
        Assert.Equal(length, packetLength);
        Assert.Equal(Hex.Format(destination.AsSpan(0, written)), Hex.Format(buffer.AsSpan(packetOffset, packetLength)));

        // Decapsulated exactly, and with the garbage after it (a capture's trailer or Ethernet padding).
        byte[] outer = destination[..written];
        Check(outer, frameSpec, frame, inner, tunnel, 0);
        Check(destination, frameSpec, frame, inner, tunnel, 0);

        // A second packet: per-packet state moves on (GRE sequence, IPv4 identification), the rest stays.
        Assert.Equal(OperationStatus.Done, copy.Encapsulate(frame, destination, out written));
        Check(destination.AsSpan(0, written).ToArray(), frameSpec, frame, inner, tunnel, 1);
    }

    private static void Check(byte[] outer, FrameSpec frameSpec, byte[] frame, InnerFrame inner, TunnelSpec tunnel, int packetIndex)
    {
        DecapResult result = Decapsulator.TryDecapsulate(outer, out TunnelPacket packet);
        Assert.True(result.IsSuccess, $"{tunnel}: {result}");
        UnderlaySpec u = tunnel.Outer;
        int ip = Ethernet.HeaderLength;
        Assert.Equal(tunnel.Expected, packet.Protocol);
        Assert.Equal(u.Ipv6 ? 6 : 4, packet.OuterIpVersion);
        Assert.Equal(ip, packet.OuterIpOffset);

        // The inner frame, byte for byte.
        byte[] expectedInner;
        InnerKind expectedKind;
        if (tunnel.Payload == PayloadMode.L2)
        {
            expectedKind = InnerKind.Ethernet;
            expectedInner = tunnel is NvgreSpec
                ? [.. frame.AsSpan(0, 12), .. frame.AsSpan(12 + Ethernet.VlanTagLength * (frameSpec.Arp ? 0 : frameSpec.VlanTags))]
                : frame;
        }
        else
        {
            expectedKind = frameSpec.IpVersion == 4 ? InnerKind.Ipv4 : InnerKind.Ipv6;
            expectedInner = frame.AsSpan(frameSpec.L2Length, frameSpec.IpLength).ToArray();
        }
        Assert.Equal(expectedKind, packet.Inner);
        Assert.Equal(Hex.Format(expectedInner), Hex.Format(packet.InnerOf(outer)));

        // Outer IP: hop limit, DSCP + ECN (RFC 6040 normal mode), flow label, DF, identification.
        static bool Inherits(InheritFrom from, InnerFrame inner) => from == InheritFrom.Ip ? inner.IsIp : from == InheritFrom.Ipv6 && inner.IpVersion == 6;
        byte hopLimit = Inherits(u.HopLimit.Inherit, inner) ? inner.HopLimit : u.HopLimit.Value;
        int dscp = Inherits(u.Dscp.Inherit, inner) ? inner.TrafficClass >> 2 : u.Dscp.Value;
        byte trafficClass = (byte)((dscp << 2) | (inner.IsIp ? inner.TrafficClass & 3 : 0));
        ReadOnlySpan<byte> ipHeader = outer.AsSpan(ip);
        if (u.Ipv6)
        {
            uint label = u.FlowLabel.Kind switch
            {
                FlowLabelKind.Hash => FlowHash.ToFlowLabel(inner.FlowHash),
                FlowLabelKind.Fixed => u.FlowLabel.Value,
                FlowLabelKind.Inherit => inner.IpVersion == 6 ? inner.FlowLabel : 0,
                _ => 0,
            };
            Assert.Equal(label, packet.FlowLabel);
            Assert.Equal(hopLimit, ipHeader[Ipv6.HopLimitOffset]);
            Assert.Equal(trafficClass, Ipv6.TrafficClass(ipHeader));
        }
        else
        {
            Assert.Equal(0u, packet.FlowLabel);
            Assert.Equal(hopLimit, ipHeader[Ipv4.TtlOffset]);
            Assert.Equal(trafficClass, ipHeader[Ipv4.TosOffset]);
            // RFC 2003 §3.1: IPv4 in IPv4 also sets DF whenever the inner packet has it.
            bool innerDontFragment = inner.IpVersion == 4 && (Ipv4.FlagsAndFragment(frame.AsSpan(inner.L2HeaderLength)) & Ipv4.DontFragmentFlag) != 0;
            bool dontFragment = u.DontFragment || (tunnel is IpIpSpec && innerDontFragment);
            Assert.Equal(dontFragment, (Ipv4.FlagsAndFragment(ipHeader) & Ipv4.DontFragmentFlag) != 0);
            Assert.Equal(packetIndex, BinaryPrimitives.ReadUInt16BigEndian(ipHeader.Slice(Ipv4.IdentificationOffset)));
        }

        int l4 = ip + (u.Ipv6 ? Ipv6.HeaderLength : Ipv4.MinHeaderLength);
        if (tunnel is VxlanSpec or GeneveSpec)
        {
            Assert.Equal(FlowHash.ToPort(inner.FlowHash, u.SourcePorts.Min, u.SourcePorts.Max), packet.UdpSourcePort);
            Assert.InRange(packet.UdpSourcePort, u.SourcePorts.Min, u.SourcePorts.Max);
            bool checksummed = u.UdpChecksum == UdpChecksumPolicy.On || (u.UdpChecksum == UdpChecksumPolicy.Default && u.Ipv6);
            Assert.Equal(checksummed, BinaryPrimitives.ReadUInt16BigEndian(outer.AsSpan(l4 + Udp.ChecksumOffset)) != 0);
        }

        switch (tunnel)
        {
            case GreSpec gre:
                Assert.Equal(gre.Checksum, packet.HasGreChecksum);
                Assert.Equal(gre.Key.HasValue, packet.HasKey);
                Assert.Equal(gre.Key ?? 0, packet.Key);
                Assert.Equal(gre.Sequence, packet.HasSequence);
                Assert.Equal(gre.Sequence ? (uint)packetIndex : 0, packet.Sequence);
                break;
            case NvgreSpec nvgre:
                Assert.True(packet.IsNvgreShaped);
                Assert.Equal(nvgre.Vsid, packet.Vsid);
                uint h = inner.FlowHash;
                Assert.Equal((byte)(h ^ h >> 8 ^ h >> 16 ^ h >> 24), packet.FlowId);
                break;
            case VxlanSpec vxlan:
                Assert.Equal(vxlan.Vni, packet.Vni);
                break;
            case GeneveSpec geneve:
                Assert.Equal(geneve.Vni, packet.Vni);
                Assert.Equal(geneve.Oam, packet.GeneveOam);
                Assert.Equal(geneve.Options.Any(o => o.Type >= 0x80), packet.GeneveCritical);
                Assert.Equal(l4 + Udp.HeaderLength + GeneveHeader.BaseLength, packet.GeneveOptionsOffset);
                Assert.Equal(Hex.Format(geneve.OptionBytes()), Hex.Format(outer.AsSpan(packet.GeneveOptionsOffset, packet.GeneveOptionsLength)));
                break;
            case Srv6Spec srv6:
                CheckSrv6(outer, packet, srv6, expectedKind);
                break;
        }
    }

    private static void CheckSrv6(byte[] outer, TunnelPacket packet, Srv6Spec srv6, InnerKind kind)
    {
        (byte[] destination, byte[][] inSrh, int segmentsLeft) = srv6.Path();
        int ip = packet.OuterIpOffset;
        byte payloadProtocol = kind switch { InnerKind.Ipv4 => 4, InnerKind.Ipv6 => 41, _ => 143 };
        Assert.Equal(Hex.Format(destination), Hex.Format(outer.AsSpan(ip + Ipv6.DestinationOffset, Ipv6.AddressLength)));
        if (inSrh.Length == 0)
        {
            Assert.Equal(-1, packet.SrhOffset);
            Assert.Equal(0, packet.SrhSegmentCount);
            Assert.Equal(payloadProtocol, outer[ip + Ipv6.NextHeaderOffset]);
            return;
        }
        Assert.Equal(Ipv6.NextHeaderRouting, outer[ip + Ipv6.NextHeaderOffset]);
        Assert.Equal(ip + Ipv6.HeaderLength, packet.SrhOffset);
        Assert.Equal(segmentsLeft, packet.SegmentsLeft);
        Assert.Equal(inSrh.Length - 1, packet.LastEntry);
        Assert.Equal(inSrh.Length, packet.SrhSegmentCount);
        ReadOnlySpan<byte> srh = outer.AsSpan(packet.SrhOffset);
        Assert.Equal(payloadProtocol, SegmentRoutingHeader.NextHeader(srh));
        Assert.Equal(2 * inSrh.Length, srh[SegmentRoutingHeader.HdrExtLenOffset]);
        Assert.Equal(srv6.Tag, SegmentRoutingHeader.Tag(srh));
        for (int i = 0; i < inSrh.Length; i++)
        {
            // Segment List[0] is the last segment to visit: the list is stored reversed.
            Assert.Equal(Hex.Format(inSrh[inSrh.Length - 1 - i]), Hex.Format(packet.Segment(outer, i)));
        }
    }

    [Fact]
    public void An_outer_vlan_tag_is_walked()
    {
        byte[] inner = TestFrames.Ip(4, TestFrames.L4.Udp, 200);
        byte[] plain = OuterFrames.Encapsulate("vxlan-ipv6", inner);
        byte[] tagged = [.. plain.AsSpan(0, 12), 0x81, 0x00, 0x00, 0x64, .. plain.AsSpan(12)];
        Assert.True(Decapsulator.TryDecapsulate(tagged, out TunnelPacket packet).IsSuccess);
        Assert.Equal(18, packet.OuterIpOffset);
        Assert.Equal(TunnelProtocol.Vxlan, packet.Protocol);
        Assert.Equal(Hex.Format(inner), Hex.Format(packet.InnerOf(tagged)));
    }

    // ───────────────────────────── typed errors ─────────────────────────────

    private static readonly byte[] Tcp4 = TestFrames.Ip(4, TestFrames.L4.Tcp, 128, seed: 5);
    private static readonly byte[] Small = TestFrames.Ip(4, TestFrames.L4.Udp, 60, padding: 14);

    // Offsets in an untagged outer frame.
    private const int Ip = 14, L4v4 = 34, L4v6 = 54, UdpPayloadV4 = 42, UdpPayloadV6 = 62, Srh = 54;

    /// <summary>A corruption: the frame it makes, the error and the offset the decoder must report.</summary>
    public sealed record Corruption(Func<byte[]> Build, DecapError Error, int Offset);

    private static Corruption Corrupt(string variant, byte[] inner, Action<byte[]> corrupt, bool reseal, DecapError error, int offset) =>
        new(() =>
        {
            byte[] frame = OuterFrames.Encapsulate(variant, inner);
            corrupt(frame);
            if (reseal)
            {
                OuterFrames.Reseal(frame);
            }
            return frame;
        }, error, offset);

    private static Corruption Corrupt(IEncapsulator encapsulator, byte[] inner, Action<byte[]> corrupt, bool reseal, DecapError error, int offset) =>
        new(() =>
        {
            byte[] frame = OuterFrames.Encapsulate(encapsulator, inner);
            corrupt(frame);
            if (reseal)
            {
                OuterFrames.Reseal(frame);
            }
            return frame;
        }, error, offset);

    private static Corruption Cut(string variant, Func<int, int> keep, DecapError error, int offset) =>
        new(() =>
        {
            byte[] frame = OuterFrames.Encapsulate(variant, Tcp4);
            return frame[..keep(frame.Length)];
        }, error, offset);

    private static void Set16(byte[] frame, int offset, int value) => BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(offset), (ushort)value);
    private static int Get16(byte[] frame, int offset) => BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(offset));

    /// <summary>Cuts the outer IP packet to <paramref name="ipPayload"/> bytes by its length field (and the UDP length, if any), leaving the frame long.</summary>
    private static void ShrinkIp(byte[] frame, int ipPayload, bool udp = false)
    {
        if (frame[Ip] >> 4 == 4)
        {
            Set16(frame, Ip + Ipv4.TotalLengthOffset, Ipv4.MinHeaderLength + ipPayload);
        }
        else
        {
            Set16(frame, Ip + Ipv6.PayloadLengthOffset, ipPayload);
        }
        if (udp)
        {
            Set16(frame, (frame[Ip] >> 4 == 4 ? L4v4 : L4v6) + Udp.LengthOffset, ipPayload);
        }
    }

    private static IEncapsulator TwoOptionGeneve() => new GeneveEncapsulator(Underlay.Ipv4(), new GeneveOptions
    {
        Vni = 7,
        Options = [VariantCatalog.ExperimentalOption(1, 8), VariantCatalog.ExperimentalOption(2, 4)],
    });

    public static readonly Dictionary<string, Corruption> Corruptions = new()
    {
        // Truncated: a header, or the packet a length field describes, runs past the frame.
        ["ethernet-cut-short"] = Cut("vxlan-ipv4", _ => 10, DecapError.Truncated, 10),
        ["ipv4-header-cut-short"] = Cut("vxlan-ipv4", _ => Ip + 19, DecapError.Truncated, Ip),
        ["ipv6-header-cut-short"] = Cut("vxlan-ipv6", _ => Ip + 39, DecapError.Truncated, Ip),
        ["ipv4-total-length-past-frame"] = Cut("vxlan-ipv4", n => n - 1, DecapError.Truncated, Ip + Ipv4.TotalLengthOffset),
        ["ipv6-payload-length-past-frame"] = Cut("vxlan-ipv6", n => n - 1, DecapError.Truncated, Ip + Ipv6.PayloadLengthOffset),
        ["udp-header-truncated"] = Corrupt("geneve-ipv4", Tcp4, f => ShrinkIp(f, 7), true, DecapError.Truncated, L4v4),
        ["vxlan-header-truncated"] = Corrupt("vxlan-ipv4", Tcp4, f => ShrinkIp(f, 8 + 7, udp: true), true, DecapError.Truncated, UdpPayloadV4),
        ["geneve-header-truncated"] = Corrupt("geneve-ipv6", Tcp4, f => ShrinkIp(f, 8 + 7, udp: true), true, DecapError.Truncated, UdpPayloadV6),
        ["gre-header-truncated"] = Corrupt("gre-l3-ipv4", Tcp4, f => ShrinkIp(f, 3), true, DecapError.Truncated, L4v4),
        ["gre-optional-fields-truncated"] = Corrupt("gre-l3-ipv4-csum-key-seq", Tcp4, f => ShrinkIp(f, 12), true, DecapError.Truncated, L4v4),
        ["gre-inner-ethernet-truncated"] = Corrupt("gre-teb-ipv6", Tcp4, f => ShrinkIp(f, 4 + 13), true, DecapError.Truncated, L4v6 + 4),
        ["gre-inner-ip-empty"] = Corrupt("gre-l3-ipv4", Tcp4, f => ShrinkIp(f, 4), true, DecapError.Truncated, L4v4 + 4),

        ["wrong-ip-version-ipv4"] = Corrupt("vxlan-ipv4", Tcp4, f => f[Ip] = 0x65, false, DecapError.WrongIpVersion, Ip),
        ["wrong-ip-version-ipv6"] = Corrupt("vxlan-ipv6", Tcp4, f => f[Ip] = (byte)(0x40 | f[Ip] & 0x0F), false, DecapError.WrongIpVersion, Ip),
        ["ihl-4"] = Corrupt("vxlan-ipv4", Tcp4, f => f[Ip] = 0x44, false, DecapError.BadIpv4HeaderLength, Ip),
        ["ihl-0"] = Corrupt("gre-l3-ipv4", Tcp4, f => f[Ip] = 0x40, false, DecapError.BadIpv4HeaderLength, Ip),
        ["total-length-below-header"] = Corrupt("vxlan-ipv4", Tcp4, f => Set16(f, Ip + Ipv4.TotalLengthOffset, 19), true, DecapError.BadIpv4HeaderLength, Ip + Ipv4.TotalLengthOffset),
        ["bad-ipv4-checksum"] = Corrupt("gre-l3-ipv4", Tcp4, f => f[Ip + Ipv4.ChecksumOffset + 1] ^= 0x01, false, DecapError.BadIpv4Checksum, Ip + Ipv4.ChecksumOffset),
        ["bad-ipv4-checksum-ttl-changed"] = Corrupt("vxlan-ipv4", Tcp4, f => f[Ip + Ipv4.TtlOffset]--, false, DecapError.BadIpv4Checksum, Ip + Ipv4.ChecksumOffset),

        ["outer-ipv4-more-fragments"] = Corrupt("vxlan-ipv4", Tcp4, f => Set16(f, Ip + Ipv4.FlagsFragmentOffset, Ipv4.MoreFragmentsFlag), true, DecapError.OuterFragment, Ip + Ipv4.FlagsFragmentOffset),
        ["outer-ipv4-fragment-offset"] = Corrupt("gre-l3-ipv4", Tcp4, f => Set16(f, Ip + Ipv4.FlagsFragmentOffset, 185), true, DecapError.OuterFragment, Ip + Ipv4.FlagsFragmentOffset),
        ["outer-ipv6-fragment-header"] = Corrupt("srv6-encaps-3sid", Tcp4, f => f[Ip + Ipv6.NextHeaderOffset] = Ipv6.NextHeaderFragment, false, DecapError.OuterFragment, L4v6),
        ["outer-ipv6-fragment-header-after-srh"] = Corrupt("srv6-encaps-3sid", Tcp4, f => f[Srh] = Ipv6.NextHeaderFragment, false, DecapError.OuterFragment, Srh + 8 + 3 * 16),

        ["unsupported-ethertype"] = Corrupt("vxlan-ipv4", Tcp4, f => Set16(f, 12, Ethernet.EtherTypeArp), false, DecapError.UnsupportedEtherType, 12),
        ["unsupported-ethertype-behind-vlan-tag"] = new(() =>
        {
            byte[] plain = OuterFrames.Encapsulate("vxlan-ipv4", Tcp4);
            return [.. plain.AsSpan(0, 12), 0x81, 0x00, 0x00, 0x64, 0x88, 0xB5, .. plain.AsSpan(14)];
        }, DecapError.UnsupportedEtherType, 16),
        ["too-many-outer-vlan-tags"] = new(() =>
        {
            byte[] plain = OuterFrames.Encapsulate("vxlan-ipv4", Tcp4);
            return [.. plain.AsSpan(0, 12), 0x88, 0xA8, 0, 1, 0x81, 0, 0, 2, 0x91, 0, 0, 3, 0x81, 0, 0, 4, .. plain.AsSpan(12)];
        }, DecapError.UnsupportedEtherType, 12 + 3 * Ethernet.VlanTagLength),
        ["outer-vlan-tag-cut-short"] = new(() =>
        {
            byte[] plain = OuterFrames.Encapsulate("vxlan-ipv4", Tcp4);
            return [.. plain.AsSpan(0, 12), 0x81, 0, 0, 1, 0x81, 0, 0];
        }, DecapError.Truncated, 18),

        ["not-a-tunnel-ipv4"] = Corrupt("vxlan-ipv4", Tcp4, f => f[Ip + Ipv4.ProtocolOffset] = Ipv4.ProtocolTcp, true, DecapError.NotATunnel, Ip + Ipv4.ProtocolOffset),
        ["not-a-tunnel-ipv6"] = Corrupt("vxlan-ipv6", Tcp4, f => f[Ip + Ipv6.NextHeaderOffset] = Ipv4.ProtocolTcp, false, DecapError.NotATunnel, Ip + Ipv6.NextHeaderOffset),
        // An SRH in front of the transport is segment routing of the packet itself (insert mode): not a tunnel, not damaged.
        ["srh-inserted-before-tcp"] = Corrupt("srv6-encaps-3sid", Tcp4, f => f[Srh] = Ipv4.ProtocolTcp, false, DecapError.SrhInsertedNotATunnel, Srh + SegmentRoutingHeader.NextHeaderOffset),
        ["srh-inserted-before-icmpv6"] = Corrupt("srv6-encaps-3sid", Tcp4, f => f[Srh] = Ipv6.NextHeaderIcmpv6, false, DecapError.SrhInsertedNotATunnel, Srh + SegmentRoutingHeader.NextHeaderOffset),
        // Next header 143 (Ethernet) is SRv6's (RFC 8986 §10.1) and means nothing over IPv4; 4 and 41 there are IP in IP.
        ["srv6-ethernet-over-ipv4-is-not-a-tunnel"] = Corrupt("gre-l3-ipv4", Tcp4, f => f[Ip + Ipv4.ProtocolOffset] = Ipv4.ProtocolEthernet, true, DecapError.NotATunnel, Ip + Ipv4.ProtocolOffset),
        ["ip6in4-announcing-what-is-not-ipv6"] = Corrupt("gre-l3-ipv4", Tcp4, f => f[Ip + Ipv4.ProtocolOffset] = Ipv4.ProtocolIpv6, true, DecapError.InnerVersionMismatch, L4v4),

        ["unknown-udp-port-ipv4"] = Corrupt("vxlan-ipv4", Tcp4, f => Set16(f, L4v4 + Udp.DestinationPortOffset, 4790), true, DecapError.UnknownUdpPort, L4v4 + Udp.DestinationPortOffset),
        ["unknown-udp-port-ipv6"] = Corrupt("geneve-ipv6", Tcp4, f => Set16(f, L4v6 + Udp.DestinationPortOffset, 6082), true, DecapError.UnknownUdpPort, L4v6 + Udp.DestinationPortOffset),
        ["unknown-udp-port-with-a-bad-checksum-is-not-damaged"] = Corrupt("vxlan-ipv6", Tcp4, f => { Set16(f, L4v6 + Udp.DestinationPortOffset, 5001); f[^1] ^= 0x20; }, false, DecapError.UnknownUdpPort, L4v6 + Udp.DestinationPortOffset),
        ["bad-udp-length"] = Corrupt("vxlan-ipv4", Tcp4, f => Set16(f, L4v4 + Udp.LengthOffset, Get16(f, L4v4 + Udp.LengthOffset) - 1), true, DecapError.BadUdpLength, L4v4 + Udp.LengthOffset),
        ["bad-udp-checksum-ipv6"] = Corrupt("vxlan-ipv6", Tcp4, f => f[^1] ^= 0x20, false, DecapError.BadUdpChecksum, L4v6 + Udp.ChecksumOffset),
        ["bad-udp-checksum-ipv4"] = Corrupt(new VxlanEncapsulator(Underlay.Ipv4() with { UdpChecksum = UdpChecksumPolicy.On }, 9), Tcp4,
            f => f[UdpPayloadV4 + 4] ^= 0x01, false, DecapError.BadUdpChecksum, L4v4 + Udp.ChecksumOffset),

        ["vxlan-i-flag-missing-ipv4"] = Corrupt("vxlan-ipv4", Tcp4, f => f[UdpPayloadV4] = 0, false, DecapError.VxlanFlagMissing, UdpPayloadV4),
        ["vxlan-i-flag-missing-ipv6"] = Corrupt("vxlan-ipv6", Tcp4, f => f[UdpPayloadV6] = 0xF7, true, DecapError.VxlanFlagMissing, UdpPayloadV6),

        ["geneve-version-1"] = Corrupt("geneve-ipv4", Tcp4, f => f[UdpPayloadV4] |= 0x40, false, DecapError.GeneveVersion, UdpPayloadV4),
        ["geneve-version-3"] = Corrupt("geneve-ipv6", Tcp4, f => f[UdpPayloadV6] |= 0xC0, true, DecapError.GeneveVersion, UdpPayloadV6),
        ["geneve-opt-len-past-packet"] = Corrupt("geneve-ipv4", Small, f => f[UdpPayloadV4] |= GeneveHeader.OptLenMask, false, DecapError.GeneveOptionLengthBeyondPacket, UdpPayloadV4),
        ["geneve-option-past-opt-len"] = Corrupt("geneve-ipv4-opt1x12B", Tcp4, f => f[UdpPayloadV4 + 8 + 3] = 3, false, DecapError.GeneveOptionMalformed, UdpPayloadV4 + 8),
        ["geneve-option-longest-past-opt-len"] = Corrupt("geneve-ipv6-opt1x12B", Tcp4, f => f[UdpPayloadV6 + 8 + 3] = 31, true, DecapError.GeneveOptionMalformed, UdpPayloadV6 + 8),
        ["geneve-second-option-past-opt-len"] = Corrupt(TwoOptionGeneve(), Tcp4, f => f[UdpPayloadV4 + 8 + 12 + 3] = 2, false, DecapError.GeneveOptionMalformed, UdpPayloadV4 + 8 + 12),
        ["geneve-unknown-protocol-type"] = Corrupt("geneve-ipv4", Tcp4, f => Set16(f, UdpPayloadV4 + 2, 0x8847), false, DecapError.UnknownProtocolType, UdpPayloadV4 + GeneveHeader.ProtocolTypeOffset),
        ["geneve-inner-version-mismatch"] = Corrupt("geneve-l3-ipv6", Tcp4, f => Set16(f, UdpPayloadV6 + 2, Ethernet.EtherTypeIPv6), true, DecapError.InnerVersionMismatch, UdpPayloadV6 + 8),

        ["gre-version-1"] = Corrupt("gre-l3-ipv4", Tcp4, f => f[L4v4 + 1] |= 0x01, false, DecapError.GreVersion, L4v4 + 1),
        ["gre-version-7"] = Corrupt("gre-teb-ipv6", Tcp4, f => f[L4v6 + 1] |= 0x07, false, DecapError.GreVersion, L4v6 + 1),
        ["gre-reserved-bit-1"] = Corrupt("gre-l3-ipv4", Tcp4, f => f[L4v4] |= 0x40, false, DecapError.GreReservedBits, L4v4),
        ["gre-reserved-bit-4"] = Corrupt("gre-l3-ipv6", Tcp4, f => f[L4v6] |= 0x08, false, DecapError.GreReservedBits, L4v6),
        ["gre-reserved-bit-5"] = Corrupt("nvgre-ipv4", Tcp4, f => f[L4v4] |= 0x04, false, DecapError.GreReservedBits, L4v4),
        ["bad-gre-checksum-ipv4"] = Corrupt("gre-l3-ipv4-csum-key-seq", Tcp4, f => f[^1] ^= 0x80, false, DecapError.BadGreChecksum, L4v4 + 4),
        ["bad-gre-checksum-ipv6"] = Corrupt("gre-l3-ipv6-csum-key-seq", Tcp4, f => f[L4v6 + 8] ^= 0x01, false, DecapError.BadGreChecksum, L4v6 + 4),
        ["gre-unknown-protocol-type"] = Corrupt("gre-l3-ipv4", Tcp4, f => Set16(f, L4v4 + 2, 0x8847), false, DecapError.UnknownProtocolType, L4v4 + GreHeader.ProtocolTypeOffset),
        ["gre-inner-version-mismatch"] = Corrupt("gre-l3-ipv4", Tcp4, f => Set16(f, L4v4 + 2, Ethernet.EtherTypeIPv6), false, DecapError.InnerVersionMismatch, L4v4 + 4),

        ["srh-hdr-ext-len-past-packet"] = Corrupt("srv6-encaps-3sid", Tcp4, f => f[Srh + 1] = 255, false, DecapError.SrhLengthMismatch, Srh + SegmentRoutingHeader.HdrExtLenOffset),
        ["srh-hdr-ext-len-one-unit-past-packet"] = Corrupt("srv6-encaps-l2-3sid", Small, f => f[Srh + 1] = (byte)((f.Length - Srh) / 8), false, DecapError.SrhLengthMismatch, Srh + SegmentRoutingHeader.HdrExtLenOffset),
        ["srh-last-entry-past-hdr-ext-len"] = Corrupt("srv6-encaps-3sid", Tcp4, f => f[Srh + 4] = 3, false, DecapError.SrhLengthMismatch, Srh + SegmentRoutingHeader.LastEntryOffset),
        ["srh-hdr-ext-len-short-of-last-entry"] = Corrupt("srv6-encaps-3sid", Tcp4, f => f[Srh + 1] = 4, false, DecapError.SrhLengthMismatch, Srh + SegmentRoutingHeader.LastEntryOffset),
        ["srh-segments-left-past-last-entry"] = Corrupt("srv6-encaps-3sid", Tcp4, f => f[Srh + 3] = 4, false, DecapError.SegmentsLeftBeyondLastEntry, Srh + SegmentRoutingHeader.SegmentsLeftOffset),
        ["srh-reduced-segments-left-past-last-entry"] = Corrupt("srv6-encaps-red-3sid", Tcp4, f => f[Srh + 3] = 3, false, DecapError.SegmentsLeftBeyondLastEntry, Srh + SegmentRoutingHeader.SegmentsLeftOffset),
        ["srh-segments-left-255"] = Corrupt("srv6-csid-8sid", Tcp4, f => f[Srh + 3] = 255, false, DecapError.SegmentsLeftBeyondLastEntry, Srh + SegmentRoutingHeader.SegmentsLeftOffset),
        ["extension-header-cut-by-payload-length"] = Corrupt("srv6-encaps-3sid", Tcp4, f => Set16(f, Ip + Ipv6.PayloadLengthOffset, 4), false, DecapError.ExtensionHeaderChain, L4v6),
        ["routing-header-past-packet"] = Corrupt("srv6-encaps-3sid", Tcp4, f => { f[Srh + 2] = 3; f[Srh + 1] = 255; }, false, DecapError.ExtensionHeaderChain, Srh + 1),
    };

    public static TheoryData<string> CorruptionNames() => new(Corruptions.Keys);

    [Theory]
    [MemberData(nameof(CorruptionNames))]
    public void Every_corruption_gives_its_typed_error_at_its_offset(string name)
    {
        Corruption corruption = Corruptions[name];
        byte[] frame = corruption.Build();
        DecapResult result = Decapsulator.TryDecapsulate(frame, out _);
        Assert.Equal(new DecapResult(corruption.Error, corruption.Offset), result);
    }

    [Fact]
    public void Every_error_value_is_reached_by_some_corruption()
    {
        var reached = Corruptions.Values.Select(c => c.Error).ToHashSet();
        DecapError[] missed = Enum.GetValues<DecapError>().Where(e => e != DecapError.None && !reached.Contains(e)).ToArray();
        Assert.True(missed.Length == 0, $"no corruption reaches {string.Join(", ", missed)}");
    }

    [Fact]
    public void A_zero_udp_checksum_is_accepted_over_ipv6()
    {
        // RFC 6935: a tunnel over IPv6 may send a zero UDP checksum.
        var vxlan = new VxlanEncapsulator(Underlay.Ipv6() with { UdpChecksum = UdpChecksumPolicy.Off }, 1);
        byte[] frame = OuterFrames.Encapsulate(vxlan, Tcp4);
        Assert.Equal(0, Get16(frame, L4v6 + Udp.ChecksumOffset));
        Assert.True(Decapsulator.TryDecapsulate(frame, out TunnelPacket packet).IsSuccess);
        Assert.Equal(Hex.Format(Tcp4), Hex.Format(packet.InnerOf(frame)));
    }
}
