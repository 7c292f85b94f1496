using System.Buffers;
using System.Net;
using System.Net.NetworkInformation;
using BenchmarkDotNet.Attributes;
using Overlay.Benchmarks.Config;
using Overlay.Benchmarks.Inputs;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Vxlan;
using PacketDotNet;
using PacketDotNet.Utils;
using ProtocolType = PacketDotNet.ProtocolType;

namespace Overlay.Benchmarks;

/// <summary>
/// The peer baseline: the same VXLAN-over-IPv4 and GRE-over-IPv4 packets built the way a .NET user would with
/// PacketDotNet, measured in the same run as this suite's encoders. Two VXLAN builds are measured, with the
/// VXLAN header and inner frame as a raw UDP payload and as PacketDotNet's own <see cref="VxlanPacket"/>
/// carrying the parsed inner <see cref="EthernetPacket"/>; the faster is the baseline. PacketDotNet can build
/// neither GENEVE nor SRv6 (it has no GENEVE packet and no writable routing header), so those variants have no
/// peer. Every build is checked in GlobalSetup: it must decapsulate, by this suite's decoder, back to the inner
/// frame (or IP packet), so no build is faster for building less.
/// </summary>
[BenchmarkCategory(Categories.PacketDotNet)]
public class PacketDotNetBenchmarks
{
    public const int Batch = EncapsulateBenchmarks.Batch;

    private static readonly PhysicalAddress SourceMac = Underlay.DefaultSourceMac;
    private static readonly PhysicalAddress DestinationMac = Underlay.DefaultDestinationMac;

    private IEncapsulator _vxlan = null!;
    private IEncapsulator _gre = null!;
    private FrameBatch _frames = null!;
    private OutputRing _output = null!;
    private byte[][] _inner = [];
    private byte[][] _innerIp = [];
    private ushort[] _sourcePorts = [];
    private IPAddress _source = null!, _destination = null!;
    private byte[] _vxlanHeader = [];
    private int _vxlanHeaderLength;

    [ParamsSource(typeof(EncapsulateBenchmarks), nameof(EncapsulateBenchmarks.Sizes))]
    public string Size { get; set; } = "64";

    [GlobalSetup]
    public void Setup()
    {
        _vxlan = Prepared.Variant("vxlan-ipv4");
        _gre = Prepared.Variant("gre-l3-ipv4");
        _vxlanHeaderLength = _vxlan.HeaderLength;
        _frames = FrameBatch.Fixed(Size, Batch);
        Prepared.Validate(Prepared.Variant("vxlan-ipv4"), _frames, requireAll: true);
        Prepared.Validate(Prepared.Variant("gre-l3-ipv4"), _frames, requireAll: true);
        _output = new OutputRing(Batch, _frames.MaxLength + Math.Max(_vxlan.HeaderLength, _gre.HeaderLength));

        // What a PacketDotNet user holds: each frame as its own array (as RawCapture.Data), the inner IP packet for GRE.
        _inner = Enumerable.Range(0, Batch).Select(i => _frames.Frame(i).ToArray()).ToArray();
        _innerIp = _inner.Select(f => f.AsSpan(Ethernet.HeaderLength).ToArray()).ToArray();
        // The same UDP source port as this suite writes (the inner flow's hash), looked up, not computed, in the timed loop.
        _sourcePorts = _inner.Select(f =>
        {
            InnerFrame.TryParse(f, out InnerFrame inner);
            return FlowHash.ToPort(inner.FlowHash, PortRange.Rfc7348.Min, PortRange.Rfc7348.Max);
        }).ToArray();
        Underlay underlay = Underlay.Ipv4();
        _source = underlay.Source;
        _destination = underlay.Destination!;
        _vxlanHeader = VxlanHeader.Build(VariantCatalog.DefaultVni);

        for (int i = 0; i < Batch; i++)
        {
            Prepared.CheckDecapsulates("PacketDotNet VXLAN (raw payload)", BuildVxlanRaw(i), _inner[i], i);
            Prepared.CheckDecapsulates("PacketDotNet VXLAN (VxlanPacket)", BuildVxlanPacket(i), _inner[i], i);
            Prepared.CheckDecapsulates("PacketDotNet GRE", BuildGre(i), _innerIp[i], i);
        }
    }

    /// <summary>UDP payload = PacketDotNet's <see cref="VxlanPacket"/> over the parsed inner <see cref="EthernetPacket"/>.</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory(Categories.Peer)]
    public int PacketDotNetVxlanPacket()
    {
        int total = 0;
        for (int i = 0; i < Batch; i++)
        {
            total += BuildVxlanPacket(i).Length;
        }
        return total;
    }

    /// <summary>UDP payload = the 8-byte VXLAN header and the inner frame, as one raw array.</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory(Categories.Peer)]
    public int PacketDotNetRawPayload()
    {
        int total = 0;
        for (int i = 0; i < Batch; i++)
        {
            total += BuildVxlanRaw(i).Length;
        }
        return total;
    }

    /// <summary>GRE over IPv4 carrying the inner IP packet (gre-l3-ipv4): the 4-byte GRE header and the packet as a raw IP payload.</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory(Categories.Peer)]
    public int PacketDotNetGre()
    {
        int total = 0;
        for (int i = 0; i < Batch; i++)
        {
            total += BuildGre(i).Length;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory(Categories.Overlay, Categories.Copy)]
    public int OverlayVxlanCopy() => EncapsulateCopy(_vxlan);

    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory(Categories.Overlay, Categories.InPlace)]
    public int OverlayVxlanInPlace()
    {
        IEncapsulator encapsulator = _vxlan;
        FrameBatch frames = _frames;
        int total = 0;
        for (int i = 0; i < Batch; i++)
        {
            encapsulator.EncapsulateInPlace(frames.Buffer, frames.Offsets[i], frames.Lengths[i], out _, out int length);
            frames.RestoreHead(i);
            total += length;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory(Categories.Overlay, Categories.Copy)]
    public int OverlayGreCopy() => EncapsulateCopy(_gre);

    /// <summary>The calibration: the VXLAN payload (each inner frame) copied to where the encapsulation writes it.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Baseline = true), BenchmarkCategory(Categories.Calibration)]
    public int CopyBaseline()
    {
        FrameBatch frames = _frames;
        OutputRing output = _output;
        int header = _vxlanHeaderLength;
        int total = 0;
        for (int i = 0; i < Batch; i++)
        {
            frames.Frame(i).CopyTo(output.Slot(i).Slice(header));
            total += frames.Lengths[i];
        }
        return total;
    }

    private int EncapsulateCopy(IEncapsulator encapsulator) =>
        BatchLoops.EncapsulateCopy(encapsulator, _frames, _output);

    private byte[] BuildVxlanRaw(int i)
    {
        byte[] inner = _inner[i];
        var payload = new byte[_vxlanHeader.Length + inner.Length];
        _vxlanHeader.CopyTo(payload, 0);
        inner.CopyTo(payload, _vxlanHeader.Length);
        var udp = new UdpPacket(_sourcePorts[i], Udp.VxlanPort) { PayloadData = payload };
        return Outer(udp, ProtocolType.Udp);
    }

    private byte[] BuildVxlanPacket(int i)
    {
        var vxlan = new VxlanPacket(new ByteArraySegment((byte[])_vxlanHeader.Clone()))
        {
            PayloadPacket = new EthernetPacket(new ByteArraySegment(_inner[i])),
        };
        var udp = new UdpPacket(_sourcePorts[i], Udp.VxlanPort) { PayloadPacket = vxlan };
        return Outer(udp, ProtocolType.Udp);
    }

    private byte[] BuildGre(int i)
    {
        byte[] inner = _innerIp[i];
        var payload = new byte[4 + inner.Length];
        payload[2] = 0x08; // GRE: no flags, version 0, protocol type 0x0800 (IPv4)
        inner.CopyTo(payload, 4);
        var ip = new IPv4Packet(_source, _destination) { Protocol = ProtocolType.Gre, TimeToLive = 64, PayloadData = payload };
        return Frame(ip);
    }

    private byte[] Outer(UdpPacket udp, ProtocolType protocol)
    {
        udp.UpdateCalculatedValues();
        var ip = new IPv4Packet(_source, _destination) { Protocol = protocol, TimeToLive = 64, PayloadPacket = udp };
        return Frame(ip);
    }

    private static byte[] Frame(IPv4Packet ip)
    {
        // EthernetPacket.UpdateCalculatedValues does not reach the IP layer: the IPv4 Total Length is set by the IP packet's own.
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        var ethernet = new EthernetPacket(SourceMac, DestinationMac, EthernetType.IPv4) { PayloadPacket = ip };
        return ethernet.Bytes;
    }
}
