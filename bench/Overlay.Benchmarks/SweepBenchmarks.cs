using BenchmarkDotNet.Attributes;
using Overlay.Benchmarks.Config;
using Overlay.Benchmarks.Inputs;
using Overlay.Encapsulation;

namespace Overlay.Benchmarks;

/// <summary>
/// The catalogue's benchmark sweeps (<see cref="VariantCatalog.BenchmarkSweeps"/>): copy encapsulation cost against
/// header size, on <see cref="FrameSize"/>-byte inner frames. Combinations that do not exist (0 SIDs, 9 or 10 GENEVE
/// options) are filtered out by <see cref="BenchConfig"/>. Results are per packet.
/// </summary>
[BenchmarkCategory(Categories.Sweep)]
public class SweepBenchmarks
{
    public const int Batch = EncapsulateBenchmarks.Batch;

    /// <summary>The inner frame size of every sweep: small enough that the header is a visible share of the work.</summary>
    public const string FrameSize = "256";

    private IEncapsulator _encapsulator = null!;
    private FrameBatch _frames = null!;
    private OutputRing _output = null!;
    private int[] _payloadOffsets = [];
    private int[] _payloadLengths = [];
    private int _headerLength;

    public static IEnumerable<string> Sweeps => VariantCatalog.BenchmarkSweeps.Select(s => s.Id);

    [ParamsSource(nameof(Sweeps))]
    public string Sweep { get; set; } = VariantCatalog.Srv6Encaps.Id;

    [Params(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)]
    public int Count { get; set; } = 1;

    /// <summary>Whether <paramref name="sweep"/> has a point at <paramref name="count"/>.</summary>
    public static bool IsValid(string sweep, int count) => Find(sweep)?.Has(count) ?? false;

    /// <summary>The encapsulator of one sweep point.</summary>
    public static IEncapsulator Create(string sweep, int count) => Find(sweep) is VariantSweep found && found.Has(count)
        ? found.Create(count)
        : throw new ArgumentOutOfRangeException(nameof(count), count, $"sweep {sweep} has no point at {count}");

    private static VariantSweep? Find(string sweep) => VariantCatalog.BenchmarkSweeps.FirstOrDefault(s => s.Id == sweep);

    [GlobalSetup]
    public void Setup()
    {
        _encapsulator = Create(Sweep, Count);
        _headerLength = _encapsulator.HeaderLength;
        _frames = FrameBatch.Fixed(FrameSize, Batch);
        _output = new OutputRing(Batch, _frames.MaxLength + _headerLength);
        (_payloadOffsets, _payloadLengths) = Prepared.Payloads(_encapsulator, _frames);
        Prepared.Validate(Create(Sweep, Count), _frames, requireAll: true);
    }

    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory(Categories.Copy)]
    public int Copy() =>
        BatchLoops.EncapsulateCopy(_encapsulator, _frames, _output);

    /// <summary>The calibration: the same payload bytes copied to the same place.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Baseline = true), BenchmarkCategory(Categories.Calibration)]
    public int CopyBaseline() =>
        BatchLoops.CopyPayloads(_frames, _payloadOffsets, _payloadLengths, _output, _headerLength);
}
