using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Overlay.Benchmarks.Config;
using Overlay.Benchmarks.Inputs;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Chain;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Benchmarks;

/// <summary>
/// The work one service does to pass a packet on, in a chain of four services between two hosts (IPv6 underlay,
/// Ethernet carried): SRv6 End and End with NEXT-C-SID, a GENEVE service-path hop (Service Index, outer destination,
/// hop limit, incremental UDP checksum), VXLAN stitching (decapsulate and re-encapsulate toward the next service), and
/// the metadata variants (a 32-byte SRH TLV, a 32-byte GENEVE option). Each packet's outer headers are put back before
/// the hop, so every invocation does the same hop; CopyBaseline is that copy alone, so Hop − CopyBaseline is the hop.
/// </summary>
[BenchmarkCategory(Categories.ServiceHop)]
public class ServiceHopBenchmarks
{
    public const int Batch = EncapsulateBenchmarks.Batch;
    /// <summary>Enough to cover every approach's outer headers (SRv6 with 5 SIDs and a 32-byte TLV: 182 bytes).</summary>
    public const int HeadBytes = 192;
    public const int InnerFrameLength = 512;
    private const int Services = 4;

    [Params("srv6-end", "srv6-end-32B", "srv6-csid-end", "geneve-service-path", "geneve-service-path-32B", "vxlan-stitching")]
    public string Approach { get; set; } = "srv6-end";

    private byte[] _buffer = null!;
    private int[] _offsets = null!;
    private int[] _lengths = null!;
    private byte[] _heads = null!;
    private byte[] _nextHop = null!;
    private VxlanEncapsulator _stitch = null!;
    private CompressedSidFormat _format;
    private HopKind _kind;

    private enum HopKind { End, EndNextCsid, GeneveServicePath, VxlanStitch }

    [GlobalSetup]
    public void Setup()
    {
        _format = CompressedSidFormat.Default;
        Underlay underlay = Underlay.Ipv6("2001:db8:a::1", destination: null);
        IPAddress[] sids = VariantCatalog.Segments(Services + 1);
        byte[] metadata = new byte[32];
        IPAddress firstService = IPAddress.Parse("2001:db8:5::1");
        _nextHop = IPAddress.Parse("2001:db8:5::2").GetAddressBytes();
        _stitch = new VxlanEncapsulator(underlay with { Destination = IPAddress.Parse("2001:db8:5::2") }, VariantCatalog.DefaultVni);
        IEncapsulator ingress = Approach switch
        {
            "srv6-end" => new Srv6Encapsulator(underlay, new Srv6Options { Segments = sids, Mode = PayloadMode.L2 }),
            "srv6-end-32B" => new Srv6Encapsulator(underlay, new Srv6Options { Segments = sids, Mode = PayloadMode.L2, Tlvs = [new SrhTlv(SrhTlv.ExperimentalMetadata, metadata)] }),
            "srv6-csid-end" => new Srv6Encapsulator(underlay, new Srv6Options { Segments = sids, Mode = PayloadMode.L2, CompressedSids = _format }),
            "geneve-service-path" => new GeneveEncapsulator(underlay with { Destination = firstService },
                new GeneveOptions { Vni = VariantCatalog.DefaultVni, Options = [GeneveServicePath.Option(0xABCD, Services)] }),
            "geneve-service-path-32B" => new GeneveEncapsulator(underlay with { Destination = firstService },
                new GeneveOptions { Vni = VariantCatalog.DefaultVni, Options = [GeneveServicePath.Option(0xABCD, Services), new GeneveOption(0xFFF2, 0x02, metadata)] }),
            "vxlan-stitching" => new VxlanEncapsulator(underlay with { Destination = firstService }, VariantCatalog.DefaultVni),
            _ => throw new InvalidOperationException(Approach),
        };
        _kind = Approach switch
        {
            "srv6-end" or "srv6-end-32B" => HopKind.End,
            "srv6-csid-end" => HopKind.EndNextCsid,
            "vxlan-stitching" => HopKind.VxlanStitch,
            _ => HopKind.GeneveServicePath,
        };
        if (ingress.HeaderLength > HeadBytes)
        {
            throw new InvalidOperationException($"{Approach}: {ingress.HeaderLength} bytes of header exceed {HeadBytes}.");
        }
        FrameBatch frames = FrameBatch.Fixed(InnerFrameLength.ToString(System.Globalization.CultureInfo.InvariantCulture), Batch);
        int stride = HeadBytes + frames.MaxLength + 64;
        _buffer = new byte[Batch * stride];
        _offsets = new int[Batch];
        _lengths = new int[Batch];
        _heads = new byte[Batch * HeadBytes];
        for (int i = 0; i < Batch; i++)
        {
            int frameOffset = i * stride + HeadBytes;
            frames.Frame(i).CopyTo(_buffer.AsSpan(frameOffset));
            if (ingress.EncapsulateInPlace(_buffer, frameOffset, frames.Frame(i).Length, out _offsets[i], out _lengths[i]) != OperationStatus.Done)
            {
                throw new InvalidOperationException($"{Approach}: frame {i} does not encapsulate.");
            }
            _buffer.AsSpan(_offsets[i], HeadBytes).CopyTo(_heads.AsSpan(i * HeadBytes));
        }
        for (int i = 0; i < Batch; i++)
        {
            if (!HopOnce(i))
            {
                throw new InvalidOperationException($"{Approach}: the hop did not forward packet {i}.");
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Hop()
    {
        int forwarded = 0;
        for (int i = 0; i < Batch; i++)
        {
            forwarded += HopOnce(i) ? 1 : 0;
        }
        return forwarded;
    }

    /// <summary>The calibration: the same header bytes put back, without the hop.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Baseline = true), BenchmarkCategory(Categories.Calibration)]
    public int CopyBaseline()
    {
        int total = 0;
        for (int i = 0; i < Batch; i++)
        {
            total += Restore(i).Length;
        }
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool HopOnce(int i)
    {
        Span<byte> packet = Restore(i);
        return _kind switch
        {
            HopKind.End => Srv6Endpoint.End(packet).IsForwarded,
            HopKind.EndNextCsid => Srv6Endpoint.EndNextCsid(packet, _format).IsForwarded,
            HopKind.GeneveServicePath => GeneveServicePath.Advance(packet, _nextHop) == HopStatus.Forwarded,
            _ => VxlanStitch.Advance(_buffer, _offsets[i], _lengths[i], _stitch, out _, out _) == HopStatus.Forwarded,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Restore(int i)
    {
        Unsafe.CopyBlockUnaligned(
            ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), _offsets[i]),
            ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_heads), i * HeadBytes),
            HeadBytes);
        return _buffer.AsSpan(_offsets[i], _lengths[i]);
    }
}
