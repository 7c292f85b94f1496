using BenchmarkDotNet.Attributes;
using Overlay.Benchmarks.Config;
using Overlay.Benchmarks.Inputs;
using Overlay.Encapsulation;

namespace Overlay.Benchmarks;

/// <summary>
/// Decapsulation (recognise the variant, check every header and checksum, locate the inner frame) of packets that
/// every variant encapsulated from the fixed-size frames. Results are per packet. The calibration copies each inner
/// frame out of its packet: the bytes a decapsulation that hands out a copy would move.
/// </summary>
[BenchmarkCategory(Categories.Decapsulate)]
public class DecapsulateBenchmarks
{
    public const int Batch = EncapsulateBenchmarks.Batch;

    private FrameBatch _packets = null!;
    private OutputRing _output = null!;
    private int[] _innerOffsets = [];
    private int[] _innerLengths = [];

    [ParamsSource(typeof(EncapsulateBenchmarks), nameof(EncapsulateBenchmarks.Variants))]
    public string Variant { get; set; } = "vxlan-ipv4";

    [ParamsSource(typeof(EncapsulateBenchmarks), nameof(EncapsulateBenchmarks.Sizes))]
    public string Size { get; set; } = "64";

    [GlobalSetup]
    public void Setup()
    {
        IEncapsulator encapsulator = Prepared.Variant(Variant);
        FrameBatch frames = FrameBatch.Fixed(Size, Batch, Prepared.InnerIpVersion(encapsulator));
        Prepared.Validate(Prepared.Variant(Variant), frames, requireAll: true);
        _packets = EncapsulatedPackets.Build(encapsulator, frames).Batch;
        _innerOffsets = new int[Batch];
        _innerLengths = new int[Batch];
        for (int i = 0; i < Batch; i++)
        {
            DecapResult result = Decapsulator.TryDecapsulate(_packets.Frame(i), out TunnelPacket tunnel);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"{Variant}: packet {i} does not decapsulate: {result}.");
            }
            _innerOffsets[i] = tunnel.InnerOffset;
            _innerLengths[i] = tunnel.InnerLength;
        }
        _output = new OutputRing(Batch, _innerLengths.Max());
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Decapsulate()
    {
        FrameBatch packets = _packets;
        byte[] buffer = packets.Buffer;
        int total = 0;
        for (int i = 0; i < Batch; i++)
        {
            Decapsulator.TryDecapsulate(buffer.AsSpan(packets.Offsets[i], packets.Lengths[i]), out TunnelPacket tunnel);
            total += tunnel.InnerLength;
        }
        return total;
    }

    /// <summary>The calibration: each inner frame copied out of its packet into an output slot.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Baseline = true), BenchmarkCategory(Categories.Calibration)]
    public int CopyBaseline()
    {
        FrameBatch packets = _packets;
        OutputRing output = _output;
        byte[] buffer = packets.Buffer;
        int total = 0;
        for (int i = 0; i < Batch; i++)
        {
            int length = _innerLengths[i];
            buffer.AsSpan(packets.Offsets[i] + _innerOffsets[i], length).CopyTo(output.Slot(i));
            total += length;
        }
        return total;
    }
}
