using System.Buffers;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;
using Overlay.Replay.Operator;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>The untimed figures of one variant over a capture: sizes, goodput at line rate, MTU and ECMP.</summary>
internal sealed partial class VariantCounts
{
    private readonly IEncapsulator _encapsulator;
    private readonly TunnelEncapsulator? _tunnel;
    private readonly AnalyzeOptions _options;
    private readonly byte[] _scratch;

    private long _packets, _carried, _bytesIn, _bytesOut, _wireIn, _wireOut, _overheadMin = long.MaxValue, _overheadMax = long.MinValue;
    private long _maxOuterIp;
    private readonly long[] _overMtu;
    private readonly int[] _underlayMtus;
    // Inner flow -> its outer key, and the distinct outer keys: sampled past 32,768 each, so that memory stays bounded
    // however many flows a capture holds (exact sets, one per variant, grow with every new flow).
    private readonly DistinctSample _flowKeys = new();
    private readonly DistinctSample _outerKeys = new();
    private readonly long[][] _pathBytes;
    private string? _entropy;
    private readonly OperatorAccumulator _operator;

    /// <summary>
    /// <paramref name="scratch"/> (at least <see cref="ScratchLength"/> bytes) takes each encapsulation until the next
    /// frame: the variants of one analysis share one, counted one after another, so the output they write and read back
    /// stays in the first-level cache.
    /// </summary>
    public VariantCounts(IEncapsulator encapsulator, AnalyzeOptions options, byte[]? scratch = null)
    {
        _scratch = scratch ?? new byte[ScratchLength];
        _encapsulator = encapsulator;
        _tunnel = encapsulator as TunnelEncapsulator;
        _options = options;
        _underlayMtus = [.. options.UnderlayMtus];
        _overMtu = new long[_underlayMtus.Length];
        _pathBytes = options.EcmpPaths.Select(k => new long[k]).ToArray();
        _operator = OperatorAccumulator.For(options);
    }

    /// <summary>Bytes an encapsulation may take: the longest frame and the longest header.</summary>
    public const int ScratchLength = Capture.CaptureReader.MaxFrameLength + 1024;

    /// <summary>The operator figures' accumulator, whose TCP flow bytes the variants of one analysis may share.</summary>
    public OperatorAccumulator Operator => _operator;

    /// <summary>
    /// Counts one frame, read once for every variant into <paramref name="facts"/>. Returns whether the variant carries
    /// it, and its encapsulation in <paramref name="output"/> (empty when it cannot be made: not carried, or cut short
    /// by the snap length).
    /// </summary>
    public bool Add(ReadOnlySpan<byte> frame, int original, in FrameFacts facts, out ReadOnlySpan<byte> output)
    {
        output = [];
        _packets++;
        OperationStatus status = OperationStatus.InvalidData;
        int written = 0, outLength;
        if (original == frame.Length)
        {
            // A whole frame: the encapsulation's own length is the length the encapsulator reports for the frame (the
            // encoder contract), so the frame is parsed once rather than once for the length and again for the bytes.
            // The frame was parsed once for every variant (facts); each variant encapsulates from that parse.
            status = facts.Parsed ? EncapsulateParsed(facts.Inner, frame, out written) : OperationStatus.InvalidData;
            outLength = status == OperationStatus.Done ? written : EncapsulatedLength(frame, original);
        }
        else
        {
            outLength = EncapsulatedLength(frame, original);
            if (outLength >= 0)
            {
                status = Encapsulate(frame, out written);
            }
        }
        if (outLength < 0)
        {
            return false;
        }
        _carried++;
        _bytesIn += original;
        _bytesOut += outLength;
        long overhead = outLength - original;
        _overheadMin = Math.Min(_overheadMin, overhead);
        _overheadMax = Math.Max(_overheadMax, overhead);
        _wireIn += Ethernet.WireLength(original);
        _wireOut += Ethernet.WireLength(outLength);
        _operator.Add(facts, original, outLength);
        int outerIp = outLength - Ethernet.HeaderLength;
        _maxOuterIp = Math.Max(_maxOuterIp, outerIp);
        int[] mtus = _underlayMtus;
        for (int m = 0; m < mtus.Length; m++)
        {
            if (outerIp > mtus[m])
            {
                _overMtu[m]++;
            }
        }

        if (status != OperationStatus.Done)
        {
            // A frame cut short by the snap length cannot be carried as L3: its size counts, its bytes cannot be made.
            return true;
        }
        output = _scratch.AsSpan(0, written);
        ulong key = OuterKey.Of(output);
        _entropy ??= OuterKey.EntropySource(output);
        _flowKeys.Set(facts.Inner.FlowHash, key);
        _outerKeys.Set(key);
        long[][] pathBytes = _pathBytes;
        for (int k = 0; k < pathBytes.Length; k++)
        {
            long[] paths = pathBytes[k];
            paths[OuterKey.Path(key, paths.Length)] += outLength;
        }
        return true;
    }

    // Every catalogue encapsulator is a TunnelEncapsulator: called as one, the calls are direct, not interface dispatch.
    private int EncapsulatedLength(ReadOnlySpan<byte> frame, int original) =>
        _tunnel is not null ? _tunnel.GetEncapsulatedLength(frame, original) : _encapsulator.GetEncapsulatedLength(frame, original);

    private OperationStatus EncapsulateParsed(in InnerFrame inner, ReadOnlySpan<byte> frame, out int written) =>
        _tunnel is not null ? _tunnel.Encapsulate(inner, frame, _scratch, out written) : _encapsulator.Encapsulate(inner, frame, _scratch, out written);

    private OperationStatus Encapsulate(ReadOnlySpan<byte> frame, out int written) =>
        _tunnel is not null ? _tunnel.Encapsulate(frame, _scratch, out written) : _encapsulator.Encapsulate(frame, _scratch, out written);

    /// <summary>The counted figures as a result; the timed figures are left for the timing to fill in.</summary>
    public VariantResult ToResult(string capture, VariantSpec spec, DecapCheckFigure decapCheck)
    {
        IEncapsulator enc = _encapsulator;
        double meanOverhead = _carried == 0 ? 0 : (double)(_bytesOut - _bytesIn) / _carried;
        var lineRates = _options.LineRatesGbps.Select(rate =>
        {
            double native = _wireIn == 0 ? 0 : rate * _bytesIn / _wireIn;
            double tunnel = _wireOut == 0 ? 0 : rate * _bytesIn / _wireOut;
            return new LineRateFigure(Measure.Gbps(rate), Measure.Gbps(native), Measure.Gbps(tunnel), Measure.Gbps(native - tunnel),
                Measure.Percent(native == 0 ? 0 : 100 * (native - tunnel) / native));
        }).ToList();
        var mtu = _options.UnderlayMtus.Select((m, i) => new MtuFigure(Measure.Bytes(m), Measure.Packets(_overMtu[i]),
            Measure.Percent(_carried == 0 ? 0 : 100.0 * _overMtu[i] / _carried))).ToList();

        var flowsPerPath = _pathBytes.Select(p => new long[p.Length]).ToArray();
        foreach (ulong key in _flowKeys.Values)
        {
            for (int k = 0; k < flowsPerPath.Length; k++)
            {
                flowsPerPath[k][OuterKey.Path(key, flowsPerPath[k].Length)]++;
            }
        }
        var paths = _options.EcmpPaths.Select((k, i) => new EcmpPathsFigure(Measure.Count(k),
            Measure.Ratio(MaxOverMean(_pathBytes[i])), Measure.Ratio(MaxOverMean(flowsPerPath[i])))).ToList();

        return new VariantResult
        {
            Capture = capture,
            Variant = spec.Name,
            Description = spec.Description,
            Mode = enc.Mode.ToString(),
            Underlay = enc.Underlay.IsIpv6 ? "IPv6" : "IPv4",
            HeaderLength = Measure.Bytes(enc.HeaderLength),
            Packets = Measure.Packets(_packets),
            Carried = Measure.Packets(_carried),
            NotCarried = Measure.Packets(_packets - _carried),
            BytesIn = Measure.Bytes(_bytesIn),
            BytesOut = Measure.Bytes(_bytesOut),
            OverheadBytes = Measure.Bytes(_bytesOut - _bytesIn),
            OverheadPerPacketMin = Measure.Bytes(_carried == 0 ? 0 : _overheadMin),
            OverheadPerPacketMean = Measure.Bytes(meanOverhead),
            OverheadPerPacketMax = Measure.Bytes(_carried == 0 ? 0 : _overheadMax),
            OverheadPercent = Measure.Percent(_bytesIn == 0 ? 0 : 100.0 * (_bytesOut - _bytesIn) / _bytesIn),
            WireBytesIn = Measure.Bytes(_wireIn),
            WireBytesOut = Measure.Bytes(_wireOut),
            OverheadPercentWire = Measure.Percent(_wireIn == 0 ? 0 : 100.0 * (_wireOut - _wireIn) / _wireIn),
            LineRates = lineRates,
            Mtu = mtu,
            RequiredUnderlayMtu = Measure.Bytes(_maxOuterIp),
            Ecmp = new EcmpFigure
            {
                Entropy = _entropy ?? "none",
                DistinctOuterKeys = Measure.Count(_outerKeys.EstimatedCount),
                Flows = Measure.Count(_flowKeys.EstimatedCount),
                Paths = paths,
                Estimated = !_flowKeys.IsExact || !_outerKeys.IsExact,
            },
            DecapCheck = decapCheck,
            Operator = _operator.ToFigures(),
        };
    }

    private static double MaxOverMean(long[] loads)
    {
        long total = loads.Sum();
        return total == 0 ? 0 : loads.Max() / ((double)total / loads.Length);
    }
}
