using System.Buffers;
using System.Diagnostics;
using Overlay.Encapsulation;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>
/// The timed figures of one variant over a capture: copy encapsulation, in-place encapsulation and decapsulation,
/// each pass of each mode repeated to at least the minimum pass time by the <see cref="TimingHarness"/>.
/// </summary>
internal sealed class VariantTiming
{
    private readonly IEncapsulator _encapsulator;
    private readonly AnalyzeOptions _options;
    private readonly TimingHarness.Mode[] _modes;
    private readonly PassTotals _copy, _inPlace, _decap;
    private long _allocated, _allocatedPackets;

    // The arena being timed, and where its copy encapsulation writes (reused from arena to arena).
    private FrameArena _arena = null!;
    private byte[] _output = [];
    private int[] _outputOffsets = [];
    private int[] _outputLengths = [];
    // Bytes one loop over the arena reads and writes: the same in every loop, since the frames and lengths do not change.
    private long _innerBytes, _outerBytes, _decapsulatedBytes;

    public VariantTiming(IEncapsulator encapsulator, AnalyzeOptions options)
    {
        _encapsulator = encapsulator;
        _options = options;
        _copy = new PassTotals(options.Passes);
        _inPlace = new PassTotals(options.Passes);
        _decap = new PassTotals(options.Passes);
        // Built once: a delegate made per call would be an allocation inside the measured passes.
        _modes = [EncapsulateCopy, EncapsulateInPlace, Decapsulate];
    }

    public ThroughputFigure Copy => _copy.ToFigure(AllocatedPerPacket);
    public ThroughputFigure InPlace => _inPlace.ToFigure(AllocatedPerPacket);
    public ThroughputFigure Decap => _decap.ToFigure(AllocatedPerPacket);

    // The allocation of all three modes together, per packet handled.
    private double AllocatedPerPacket => _allocatedPackets == 0 ? 0 : (double)_allocated / _allocatedPackets;

    /// <summary>The timed passes over one arena; the totals add up over the arenas of a streamed capture.</summary>
    public void Time(FrameArena arena, CancellationToken cancellation)
    {
        int count = arena.Count;
        long needed = arena.FrameBytes + (long)count * _encapsulator.HeaderLength;
        if (_output.Length < needed)
        {
            _output = new byte[needed];
        }
        if (_outputOffsets.Length < count)
        {
            _outputOffsets = new int[count];
            _outputLengths = new int[count];
        }
        _arena = arena;

        TimingHarness.Outcome outcome = TimingHarness.Run(_modes, _options.Passes, _options.WarmUpTime, _options.MinPassTime, cancellation);
        long packets = (long)count * outcome.Repeats;
        for (int pass = 0; pass < _options.Passes; pass++)
        {
            _copy.Add(pass, outcome.Seconds[0][pass], packets, _innerBytes * outcome.Repeats, _outerBytes * outcome.Repeats);
            _inPlace.Add(pass, outcome.Seconds[1][pass], packets, _innerBytes * outcome.Repeats, _outerBytes * outcome.Repeats);
            _decap.Add(pass, outcome.Seconds[2][pass], packets, _decapsulatedBytes * outcome.Repeats, _outerBytes * outcome.Repeats);
        }
        _allocated += outcome.AllocatedBytes;
        _allocatedPackets += _modes.Length * packets * _options.Passes;
        _arena = null!;
        arena.Restore();
    }

    private double EncapsulateCopy(int repeats)
    {
        long start = Stopwatch.GetTimestamp();
        for (int r = 0; r < repeats; r++)
        {
            EncapsulateCopyOnce();
        }
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private void EncapsulateCopyOnce()
    {
        FrameArena arena = _arena;
        Span<byte> output = _output;
        int position = 0;
        long bytesIn = 0;
        for (int i = 0; i < arena.Count; i++)
        {
            ReadOnlySpan<byte> frame = arena.Frame(i);
            if (_encapsulator.Encapsulate(frame, output.Slice(position), out int written) == OperationStatus.Done)
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
        _innerBytes = bytesIn;
        _outerBytes = position;
    }

    /// <summary>In place, with the frames put back before every loop (untimed): an L3 variant writes over the inner Ethernet header.</summary>
    private double EncapsulateInPlace(int repeats)
    {
        FrameArena arena = _arena;
        double seconds = 0;
        for (int r = 0; r < repeats; r++)
        {
            arena.Restore();
            Span<byte> buffer = arena.Buffer;
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < arena.Count; i++)
            {
                _encapsulator.EncapsulateInPlace(buffer, arena.Offset(i), arena.Length(i), out _, out _);
            }
            seconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        // The next copy loop needs the frames back.
        arena.Restore();
        return seconds;
    }

    /// <summary>Decapsulates what the last copy loop wrote.</summary>
    private double Decapsulate(int repeats)
    {
        int count = _arena.Count;
        long start = Stopwatch.GetTimestamp();
        long bytes = 0;
        for (int r = 0; r < repeats; r++)
        {
            ReadOnlySpan<byte> output = _output;
            bytes = 0;
            for (int i = 0; i < count; i++)
            {
                int length = _outputLengths[i];
                if (length != 0 && Decapsulator.TryDecapsulate(output.Slice(_outputOffsets[i], length), out TunnelPacket packet).IsSuccess)
                {
                    bytes += packet.InnerLength;
                }
            }
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        _decapsulatedBytes = bytes;
        return seconds;
    }

    /// <summary>Per-pass totals summed over the arenas of a streamed capture.</summary>
    private sealed class PassTotals(int passes)
    {
        private readonly double[] _seconds = new double[passes];
        private readonly long[] _packets = new long[passes];
        private readonly long[] _inner = new long[passes];
        private readonly long[] _outer = new long[passes];

        public void Add(int pass, double seconds, long packets, long inner, long outer)
        {
            _seconds[pass] += seconds;
            _packets[pass] += packets;
            _inner[pass] += inner;
            _outer[pass] += outer;
        }

        public ThroughputFigure ToFigure(double allocatedPerPacket)
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
                AllocatedPerPacket = Measure.Bytes(allocatedPerPacket),
            };
        }

        private static double Median(double[] sorted) => sorted.Length == 0 ? 0
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
