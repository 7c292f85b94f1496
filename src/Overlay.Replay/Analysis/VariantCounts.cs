using System.Buffers;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>The untimed figures of one variant over a capture: sizes, goodput at line rate, MTU and ECMP.</summary>
internal sealed partial class VariantCounts
{
    private readonly IEncapsulator _encapsulator;
    private readonly AnalyzeOptions _options;
    private readonly byte[] _scratch = new byte[Capture.CaptureReader.MaxFrameLength + 1024];

    private long _packets, _carried, _bytesIn, _bytesOut, _wireIn, _wireOut, _overheadMin = long.MaxValue, _overheadMax = long.MinValue;
    private long _maxOuterIp;
    private readonly long[] _overMtu;
    // Inner flow -> its outer key, and the distinct outer keys: sampled past 32,768 each, so that memory stays bounded
    // however many flows a capture holds (exact sets, one per variant, grow with every new flow).
    private readonly DistinctSample _flowKeys = new();
    private readonly DistinctSample _outerKeys = new();
    private readonly long[][] _pathBytes;
    private string? _entropy;
    private readonly Operator.OperatorAccumulator _operator;

    public VariantCounts(IEncapsulator encapsulator, AnalyzeOptions options)
    {
        _encapsulator = encapsulator;
        _options = options;
        _overMtu = new long[options.UnderlayMtus.Count];
        _pathBytes = options.EcmpPaths.Select(k => new long[k]).ToArray();
        _operator = Operator.OperatorAccumulator.For(options);
    }

    /// <summary>
    /// Counts one frame and returns its encapsulation (empty when it cannot be made: not carried, or cut short by the
    /// snap length), with the inner frame it was made from.
    /// </summary>
    public ReadOnlySpan<byte> Add(ReadOnlySpan<byte> frame, int original, out InnerFrame inner)
    {
        inner = default;
        _packets++;
        int outLength = _encapsulator.GetEncapsulatedLength(frame, original);
        if (outLength < 0)
        {
            return [];
        }
        _carried++;
        _bytesIn += original;
        _bytesOut += outLength;
        long overhead = outLength - original;
        _overheadMin = Math.Min(_overheadMin, overhead);
        _overheadMax = Math.Max(_overheadMax, overhead);
        _wireIn += Ethernet.WireLength(original);
        _wireOut += Ethernet.WireLength(outLength);
        _operator.Add(frame, original, outLength);
        int outerIp = outLength - Ethernet.HeaderLength;
        _maxOuterIp = Math.Max(_maxOuterIp, outerIp);
        for (int m = 0; m < _overMtu.Length; m++)
        {
            if (outerIp > _options.UnderlayMtus[m])
            {
                _overMtu[m]++;
            }
        }

        if (_encapsulator.Encapsulate(frame, _scratch, out int written) != OperationStatus.Done)
        {
            // A frame cut short by the snap length cannot be carried as L3: its size counts, its bytes cannot be made.
            return [];
        }
        ReadOnlySpan<byte> output = _scratch.AsSpan(0, written);
        ulong key = OuterKey.Of(output);
        _entropy ??= OuterKey.EntropySource(output);
        InnerFrame.TryParse(frame, original, out inner);
        _flowKeys.Set(inner.FlowHash, key);
        _outerKeys.Set(key);
        for (int k = 0; k < _pathBytes.Length; k++)
        {
            _pathBytes[k][OuterKey.Path(key, _pathBytes[k].Length)] += outLength;
        }
        return output;
    }

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
