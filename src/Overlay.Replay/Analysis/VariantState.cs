using System.Buffers;
using System.Diagnostics;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>One variant's running figures over a capture, fed arena by arena.</summary>
internal sealed class VariantState
{
    private readonly AnalyzeOptions _options;
    private readonly byte[] _scratch = new byte[Capture.CaptureReader.MaxFrameLength + 1024];
    private byte[] _output = [];
    private int[] _outputOffsets = [];
    private int[] _outputLengths = [];

    private long _packets, _carried, _bytesIn, _bytesOut, _wireIn, _wireOut, _overheadMin = long.MaxValue, _overheadMax = long.MinValue;
    private long _maxOuterIp;
    private readonly long[] _overMtu;
    // Inner flow -> its outer key, and the distinct outer keys: sampled past 32,768 each, so that memory does not grow
    // with the capture (a 10-million-packet capture of 625,000 flows held 2.5 GB in exact sets over 31 variants).
    private readonly DistinctSample _flowKeys = new();
    private readonly DistinctSample _outerKeys = new();
    private readonly long[][] _pathBytes;
    private string? _entropy;
    private long _decapChecked, _decapIdentical;
    private readonly Dictionary<string, long> _decapFailures = [];

    private readonly Timing _copy, _inPlace, _decap;
    private readonly Operator.OperatorAccumulator _operator;

    public VariantState(VariantSpec spec, AnalyzeOptions options)
    {
        Spec = spec;
        _options = options;
        Encapsulator = spec.Create();
        _overMtu = new long[options.UnderlayMtus.Count];
        _pathBytes = options.EcmpPaths.Select(k => new long[k]).ToArray();
        _copy = new Timing(options.Passes);
        _inPlace = new Timing(options.Passes);
        _decap = new Timing(options.Passes);
        _operator = Operator.OperatorAccumulator.For(options);
    }

    public VariantSpec Spec { get; }
    public IEncapsulator Encapsulator { get; }

    public void Process(FrameArena arena, CancellationToken cancellation)
    {
        Count(arena);
        if (_options.MeasureThroughput)
        {
            cancellation.ThrowIfCancellationRequested();
            Time(arena, cancellation);
        }
    }

    /// <summary>The untimed pass: sizes, MTU, ECMP, and a decapsulation check of every output frame.</summary>
    private void Count(FrameArena arena)
    {
        for (int i = 0; i < arena.Count; i++)
        {
            ReadOnlySpan<byte> frame = arena.Frame(i);
            int original = arena.OriginalLength(i);
            _packets++;
            int outLength = Encapsulator.GetEncapsulatedLength(frame, original);
            if (outLength < 0)
            {
                continue;
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

            if (Encapsulator.Encapsulate(frame, _scratch, out int written) != OperationStatus.Done)
            {
                // A frame cut short by the snap length cannot be carried as L3: its size counts, its bytes cannot be made.
                continue;
            }
            ReadOnlySpan<byte> output = _scratch.AsSpan(0, written);
            ulong key = OuterKey.Of(output);
            _entropy ??= OuterKey.EntropySource(output);
            InnerFrame.TryParse(frame, original, out InnerFrame inner);
            _flowKeys.Set(inner.FlowHash, key);
            _outerKeys.Set(key);
            for (int k = 0; k < _pathBytes.Length; k++)
            {
                _pathBytes[k][OuterKey.Path(key, _pathBytes[k].Length)] += outLength;
            }
            if (original == frame.Length)
            {
                CheckDecapsulation(frame, inner, output);
            }
        }
    }

    private void CheckDecapsulation(ReadOnlySpan<byte> frame, in InnerFrame inner, ReadOnlySpan<byte> output)
    {
        _decapChecked++;
        DecapResult result = Decapsulator.TryDecapsulate(output, out TunnelPacket packet);
        if (!result.IsSuccess)
        {
            string reason = result.Error.ToString();
            _decapFailures[reason] = _decapFailures.GetValueOrDefault(reason) + 1;
            return;
        }
        ReadOnlySpan<byte> decapsulated = packet.InnerOf(output);
        bool identical;
        if (Encapsulator.Mode == PayloadMode.L3)
        {
            identical = decapsulated.SequenceEqual(frame.Slice(inner.L2HeaderLength, inner.IpLength));
        }
        else if (decapsulated.Length == frame.Length)
        {
            identical = decapsulated.SequenceEqual(frame);
        }
        else
        {
            // NVGRE drops VLAN tags (RFC 7637 §3.2): the frame must come back as its MAC addresses and the rest after the tags.
            int tags = inner.L2HeaderLength - Ethernet.HeaderLength;
            identical = decapsulated.Length == frame.Length - tags
                && decapsulated.Slice(0, 12).SequenceEqual(frame.Slice(0, 12))
                && decapsulated.Slice(12).SequenceEqual(frame.Slice(12 + tags));
        }
        if (identical)
        {
            _decapIdentical++;
        }
        else
        {
            _decapFailures["InnerFrameDiffers"] = _decapFailures.GetValueOrDefault("InnerFrameDiffers") + 1;
        }
    }

    /// <summary>The timed passes: copy, in place, decapsulation; each pass repeats the loop to at least MinPassTime.</summary>
    private void Time(FrameArena arena, CancellationToken cancellation)
    {
        int count = arena.Count;
        long needed = arena.FrameBytes + (long)count * Encapsulator.HeaderLength;
        if (_output.Length < needed)
        {
            _output = new byte[needed];
        }
        if (_outputOffsets.Length < count)
        {
            _outputOffsets = new int[count];
            _outputLengths = new int[count];
        }

        // Warm-up (tier-1 code, caches), then the repeat count that makes one pass long enough to time.
        WarmUp.Run(() =>
        {
            EncapsulateCopy(arena, out _, out _);
            EncapsulateInPlaceTimed(arena);
            arena.Restore();
            DecapsulateAll(count);
        }, _options.WarmUpTime);
        long warm = Stopwatch.GetTimestamp();
        EncapsulateCopy(arena, out _, out _);
        double loopSeconds = Math.Max(Stopwatch.GetElapsedTime(warm).TotalSeconds, 1e-7);
        int repeats = (int)Math.Clamp(Math.Ceiling(_options.MinPassTime.TotalSeconds / loopSeconds), 1, 100_000);

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int pass = 0; pass < _options.Passes; pass++)
        {
            cancellation.ThrowIfCancellationRequested();
            long packets = 0, inner = 0, outer = 0;
            long start = Stopwatch.GetTimestamp();
            for (int r = 0; r < repeats; r++)
            {
                EncapsulateCopy(arena, out long bytesIn, out long bytesOut);
                packets += count;
                inner += bytesIn;
                outer += bytesOut;
            }
            _copy.Add(pass, Stopwatch.GetElapsedTime(start).TotalSeconds, packets, inner, outer);

            double seconds = 0;
            for (int r = 0; r < repeats; r++)
            {
                arena.Restore();
                seconds += EncapsulateInPlaceTimed(arena);
            }
            _inPlace.Add(pass, seconds, packets, inner, outer);
            // In place, an L3 variant writes over the inner Ethernet header: the next copy pass needs the frames back.
            arena.Restore();

            start = Stopwatch.GetTimestamp();
            long decapsulatedBytes = 0;
            for (int r = 0; r < repeats; r++)
            {
                decapsulatedBytes += DecapsulateAll(count);
            }
            _decap.Add(pass, Stopwatch.GetElapsedTime(start).TotalSeconds, packets, decapsulatedBytes, outer);
        }
        long perPass = (long)count * repeats * _options.Passes;
        _copy.Allocated += GC.GetAllocatedBytesForCurrentThread() - allocated;
        _copy.AllocatedPackets += 3 * perPass;
        arena.Restore();
    }

    private void EncapsulateCopy(FrameArena arena, out long bytesIn, out long bytesOut)
    {
        Span<byte> output = _output;
        int position = 0;
        bytesIn = 0;
        for (int i = 0; i < arena.Count; i++)
        {
            ReadOnlySpan<byte> frame = arena.Frame(i);
            if (Encapsulator.Encapsulate(frame, output.Slice(position), out int written) == OperationStatus.Done)
            {
                _outputOffsets[i] = position;
                _outputLengths[i] = written;
                position += written;
                bytesIn += frame.Length;
            }
            else
            {
                _outputLengths[i] = 0;
            }
        }
        bytesOut = position;
    }

    private double EncapsulateInPlaceTimed(FrameArena arena)
    {
        Span<byte> buffer = arena.Buffer;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < arena.Count; i++)
        {
            Encapsulator.EncapsulateInPlace(buffer, arena.Offset(i), arena.Length(i), out _, out _);
        }
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private long DecapsulateAll(int count)
    {
        ReadOnlySpan<byte> output = _output;
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            int length = _outputLengths[i];
            if (length != 0 && Decapsulator.TryDecapsulate(output.Slice(_outputOffsets[i], length), out TunnelPacket packet).IsSuccess)
            {
                bytes += packet.InnerLength;
            }
        }
        return bytes;
    }

    public VariantResult ToResult(string capture)
    {
        var enc = Encapsulator;
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
            Variant = Spec.Name,
            Description = Spec.Description,
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
            EncapCopy = _options.MeasureThroughput ? _copy.ToFigure(_copy) : null,
            EncapInPlace = _options.MeasureThroughput ? _inPlace.ToFigure(_copy) : null,
            Decap = _options.MeasureThroughput ? _decap.ToFigure(_copy) : null,
            DecapCheck = new DecapCheckFigure
            {
                Checked = Measure.Packets(_decapChecked),
                Identical = Measure.Packets(_decapIdentical),
                Failed = Measure.Packets(_decapChecked - _decapIdentical),
                Reasons = _decapFailures,
            },
            Operator = _operator.ToFigures(),
        };
    }

    private static double MaxOverMean(long[] loads)
    {
        long total = loads.Sum();
        return total == 0 ? 0 : loads.Max() / ((double)total / loads.Length);
    }

    /// <summary>Per-pass totals summed over the arenas of a streamed capture.</summary>
    private sealed class Timing(int passes)
    {
        private readonly double[] _seconds = new double[passes];
        private readonly long[] _packets = new long[passes];
        private readonly long[] _inner = new long[passes];
        private readonly long[] _outer = new long[passes];
        public long Allocated { get; set; }
        public long AllocatedPackets { get; set; }

        public void Add(int pass, double seconds, long packets, long inner, long outer)
        {
            _seconds[pass] += seconds;
            _packets[pass] += packets;
            _inner[pass] += inner;
            _outer[pass] += outer;
        }

        /// <param name="allocation">The timing that carries the allocation count of all three modes.</param>
        public ThroughputFigure ToFigure(Timing allocation)
        {
            double[] pps = Enumerable.Range(0, _seconds.Length).Select(p => _seconds[p] > 0 ? _packets[p] / _seconds[p] : 0).OrderBy(x => x).ToArray();
            int pass = Enumerable.Range(0, _seconds.Length).OrderBy(p => _seconds[p] > 0 ? _packets[p] / _seconds[p] : 0).ElementAt(pps.Length / 2);
            double seconds = _seconds[pass];
            return new ThroughputFigure
            {
                Passes = Measure.Count(_seconds.Length),
                MedianPps = Measure.Pps(Median(pps)),
                MinPps = Measure.Pps(pps.Length == 0 ? 0 : pps[0]),
                MaxPps = Measure.Pps(pps.Length == 0 ? 0 : pps[^1]),
                MedianInnerGbps = Measure.Gbps(seconds > 0 ? _inner[pass] * 8 / seconds / 1e9 : 0),
                MedianOuterGbps = Measure.Gbps(seconds > 0 ? _outer[pass] * 8 / seconds / 1e9 : 0),
                AllocatedPerPacket = Measure.Bytes(allocation.AllocatedPackets == 0 ? 0 : (double)allocation.Allocated / allocation.AllocatedPackets),
            };
        }

        private static double Median(double[] sorted) => sorted.Length == 0 ? 0
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
