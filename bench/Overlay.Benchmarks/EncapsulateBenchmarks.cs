using BenchmarkDotNet.Attributes;
using Overlay.Benchmarks.Config;
using Overlay.Benchmarks.Inputs;
using Overlay.Encapsulation;

namespace Overlay.Benchmarks;

/// <summary>
/// Encapsulation of fixed-size inner frames (64..9000 bytes and simple IMIX) by every variant, by copy and in place.
/// Results are per packet (<see cref="Batch"/> packets per invocation). The calibration, <see cref="CopyBaseline"/>,
/// copies exactly the payload bytes <see cref="Copy"/> must copy, to the same place, so Copy / CopyBaseline is what
/// the encapsulation adds to the unavoidable copy on whatever machine runs it.
/// </summary>
[BenchmarkCategory(Categories.Encapsulate)]
public class EncapsulateBenchmarks
{
    /// <summary>Packets per invocation: four IMIX cycles; 9000-byte frames stay within a core's L2 in and out.</summary>
    public const int Batch = 48;

    private IEncapsulator _encapsulator = null!;
    private FrameBatch _frames = null!;
    private OutputRing _output = null!;
    private int[] _payloadOffsets = [];
    private int[] _payloadLengths = [];
    private int _headerLength;
    private readonly System.Buffers.OperationStatus[] _statuses = new System.Buffers.OperationStatus[Batch];
    private readonly int[] _written = new int[Batch];
    private readonly int[] _packetOffsets = new int[Batch];

    public static IEnumerable<string> Variants => VariantCatalog.All.Select(v => v.Name).Concat(ProfileSelection.Legs);

    public static IEnumerable<string> Sizes => InnerFrames.Sizes;

    [ParamsSource(nameof(Variants))]
    public string Variant { get; set; } = "vxlan-ipv4";

    [ParamsSource(nameof(Sizes))]
    public string Size { get; set; } = "64";

    [GlobalSetup]
    public void Setup()
    {
        _encapsulator = Prepared.Variant(Variant);
        _frames = FrameBatch.Fixed(Size, Batch, Prepared.InnerIpVersion(_encapsulator));
        _headerLength = _encapsulator.HeaderLength;
        _output = new OutputRing(Batch, _frames.MaxLength + _headerLength);
        (_payloadOffsets, _payloadLengths) = Prepared.Payloads(_encapsulator, _frames);
        Prepared.Validate(Prepared.Variant(Variant), _frames, requireAll: true);
    }

    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory(Categories.Copy)]
    public int Copy() =>
        BatchLoops.EncapsulateCopy(_encapsulator, _frames, _output);

    /// <summary>
    /// In place into the headroom. An IP-payload variant writes over the inner Ethernet header, so each frame's first
    /// 32 bytes are put back right after (one vector copy), ready for the next invocation as a NIC would leave it; put
    /// back after rather than before, so the timed encapsulation reads the frame from cache, not from a store in flight.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory(Categories.InPlace)]
    public int InPlace()
    {
        IEncapsulator encapsulator = _encapsulator;
        FrameBatch frames = _frames;
        byte[] buffer = frames.Buffer;
        int total = 0;
        for (int i = 0; i < Batch; i++)
        {
            encapsulator.EncapsulateInPlace(buffer, frames.Offsets[i], frames.Lengths[i], out _, out int length);
            frames.RestoreHead(i);
            total += length;
        }
        return total;
    }

    /// <summary>
    /// <see cref="Copy"/> through the batch form (<see cref="IEncapsulator.EncapsulateBatch"/>): the whole batch in one call, four
    /// frames parsed together per loop iteration, into the same output slots.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory(Categories.Copy)]
    public int CopyBatch()
    {
        OutputRing output = _output;
        _encapsulator.EncapsulateBatch(_frames.Buffer, _frames.Offsets, _frames.Lengths, output.Buffer.AsSpan(output.Start, output.Slots * output.SlotBytes),
            output.SlotBytes, _statuses, _written);
        return _written[Batch - 1];
    }

    /// <summary><see cref="InPlace"/> through the batch form, each frame's head put back after the batch.</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory(Categories.InPlace)]
    public int InPlaceBatch()
    {
        FrameBatch frames = _frames;
        _encapsulator.EncapsulateInPlaceBatch(frames.Buffer, frames.Offsets, frames.Lengths, _packetOffsets, _written, _statuses);
        for (int i = 0; i < Batch; i++)
        {
            frames.RestoreHead(i);
        }
        return _written[Batch - 1];
    }

    /// <summary>The calibration: the same payload bytes copied to the same place in the same output slots.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Baseline = true), BenchmarkCategory(Categories.Calibration)]
    public int CopyBaseline() =>
        BatchLoops.CopyPayloads(_frames, _payloadOffsets, _payloadLengths, _output, _headerLength);
}
