using BenchmarkDotNet.Attributes;
using Overlay.Benchmarks.Config;
using Overlay.Benchmarks.Inputs;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Srv6;

namespace Overlay.Benchmarks;

/// <summary>
/// The sweeps the charts need: copy encapsulation cost against header size, for SRv6 H.Encaps, H.Encaps.Red and
/// NEXT-C-SID with 1..10 SIDs (IP payload, IPv6 underlay) and for GENEVE with 0..8 options of 8 bytes each
/// (Ethernet payload, IPv4 underlay), on <see cref="FrameSize"/>-byte inner frames. Combinations that do not exist
/// (0 SIDs, 9 or 10 GENEVE options) are filtered out by <see cref="BenchConfig"/>. Results are per packet.
/// </summary>
[BenchmarkCategory(Categories.Sweep)]
public class SweepBenchmarks
{
    public const int Batch = EncapsulateBenchmarks.Batch;

    /// <summary>The inner frame size of every sweep: small enough that the header is a visible share of the work.</summary>
    public const string FrameSize = "256";

    public const string Srv6Encaps = "srv6-encaps";
    public const string Srv6EncapsRed = "srv6-encaps-red";
    public const string Srv6Csid = "srv6-csid";
    public const string GeneveOptions = "geneve-options";

    public const int MaxSids = 10;
    public const int MaxGeneveOptions = 8;

    private IEncapsulator _encapsulator = null!;
    private FrameBatch _frames = null!;
    private OutputRing _output = null!;
    private int[] _payloadOffsets = [];
    private int[] _payloadLengths = [];
    private int _headerLength;

    public static IEnumerable<string> Sweeps => [Srv6Encaps, Srv6EncapsRed, Srv6Csid, GeneveOptions];

    [ParamsSource(nameof(Sweeps))]
    public string Sweep { get; set; } = Srv6Encaps;

    [Params(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)]
    public int Count { get; set; } = 1;

    /// <summary>Whether <paramref name="sweep"/> has a point at <paramref name="count"/>.</summary>
    public static bool IsValid(string sweep, int count) => sweep switch
    {
        GeneveOptions => count is >= 0 and <= MaxGeneveOptions,
        Srv6Encaps or Srv6EncapsRed or Srv6Csid => count is >= 1 and <= MaxSids,
        _ => false,
    };

    /// <summary>The encapsulator of one sweep point.</summary>
    public static IEncapsulator Create(string sweep, int count)
    {
        if (!IsValid(sweep, count))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"sweep {sweep} has no point at {count}");
        }
        Underlay Srv6Underlay() => Underlay.Ipv6(destination: null);
        return sweep switch
        {
            Srv6Encaps => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = VariantCatalog.Segments(count) }),
            Srv6EncapsRed => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = VariantCatalog.Segments(count), Reduced = true }),
            Srv6Csid => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = VariantCatalog.Segments(count), CompressedSids = CompressedSidFormat.Default }),
            _ => new GeneveEncapsulator(Underlay.Ipv4(), new GeneveOptions
            {
                Vni = VariantCatalog.DefaultVni,
                Options = Enumerable.Range(1, count).Select(i => VariantCatalog.ExperimentalOption((byte)i, 4)).ToArray(),
            }),
        };
    }

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
