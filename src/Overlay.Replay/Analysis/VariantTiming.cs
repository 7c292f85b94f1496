using System.Buffers;
using System.Diagnostics;
using Overlay.Encapsulation;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>
/// The timed figures of one variant over a capture: copy encapsulation, in-place encapsulation and decapsulation,
/// each pass of each mode repeated to at least the minimum pass time by the <see cref="TimingHarness"/>. Both
/// encapsulations run the batch form (<see cref="IEncapsulator.EncapsulateBatch"/>,
/// <see cref="IEncapsulator.EncapsulateInPlaceBatch"/>) over the arena, <see cref="Batch"/> frames a call, as a vector
/// dataplane hands its frames over; frame for frame it writes what the single-packet form writes.
/// </summary>
internal sealed class VariantTiming
{
    /// <summary>Frames per batch call: a vector dataplane's usual batch (VPP's frame holds up to 256; DPDK bursts of 32).</summary>
    public const int Batch = 32;

    /// <summary>
    /// What a batch's slots may waste beyond twice its frames' own bytes: a batch of small frames ends early before a
    /// large one, whose slot size every frame of the batch would take, so the output stays near the frames' size.
    /// </summary>
    private const int SlotSlack = 64 << 10;

    private readonly IEncapsulator _encapsulator;
    private readonly AnalyzeOptions _options;
    private readonly TimingHarness.Mode[] _modes;
    private readonly PassTotals _copy, _inPlace, _decap;
    private readonly OperationStatus[] _statuses = new OperationStatus[Batch];
    private long _allocated, _allocatedPackets;

    // The arena being timed and, per arena: its batches (first frame, slot size, where the slots start), where each
    // frame's copy encapsulation lies and how long it is, and where each in-place encapsulation lies. The buffers are
    // rented for the arena's passes and given back after, so the variants of one analysis share them.
    private FrameArena _arena = null!;
    private int _batches;
    private int[] _batchFirst = [], _batchStride = [], _batchStart = [];
    private byte[] _output = [];
    private int[] _outputOffsets = [], _outputLengths = [];
    private int[] _packetOffsets = [], _packetLengths = [];
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

    // The allocation of all three modes together, per packet handled in the pass that allocated least (TimingHarness).
    private double AllocatedPerPacket => _allocatedPackets == 0 ? 0 : (double)_allocated / _allocatedPackets;

    /// <summary>The timed passes over one arena; the totals add up over the arenas of a streamed capture.</summary>
    public void Time(FrameArena arena, CancellationToken cancellation)
    {
        Load(arena);
        try
        {
            TimingHarness.Outcome outcome = TimingHarness.Run(_modes, _options.Passes, _options.WarmUpTime, _options.MinPassTime, cancellation);
            long packets = (long)arena.Count * outcome.Repeats;
            for (int pass = 0; pass < _options.Passes; pass++)
            {
                _copy.Add(pass, outcome.Seconds[0][pass], packets, _innerBytes * outcome.Repeats, _outerBytes * outcome.Repeats);
                _inPlace.Add(pass, outcome.Seconds[1][pass], packets, _innerBytes * outcome.Repeats, _outerBytes * outcome.Repeats);
                _decap.Add(pass, outcome.Seconds[2][pass], packets, _decapsulatedBytes * outcome.Repeats, _outerBytes * outcome.Repeats);
            }
            _allocated += outcome.AllocatedBytesPerPass;
            _allocatedPackets += _modes.Length * packets;
        }
        finally
        {
            Unload();
        }
    }

    /// <summary>Plans the arena's batches and rents what its passes write into.</summary>
    internal void Load(FrameArena arena)
    {
        int count = arena.Count;
        _arena = arena;
        _batchFirst = ArrayPool<int>.Shared.Rent(count + 1);
        _batchStride = ArrayPool<int>.Shared.Rent(count + 1);
        _batchStart = ArrayPool<int>.Shared.Rent(count + 1);
        _outputOffsets = ArrayPool<int>.Shared.Rent(count);
        _outputLengths = ArrayPool<int>.Shared.Rent(count);
        _packetOffsets = ArrayPool<int>.Shared.Rent(count);
        _packetLengths = ArrayPool<int>.Shared.Rent(count);
        long position = 0;
        _batches = 0;
        for (int i = 0; i < count;)
        {
            int first = i, longest = 0;
            long own = 0;
            for (; i < count && i - first < Batch; i++)
            {
                int slot = arena.Length(i) + _encapsulator.HeaderLength;
                int stride = Math.Max(longest, slot);
                if (i > first && (long)stride * (i - first + 1) > 2 * (own + slot) + SlotSlack)
                {
                    break;
                }
                longest = stride;
                own += slot;
            }
            _batchFirst[_batches] = first;
            _batchStride[_batches] = longest;
            _batchStart[_batches] = checked((int)position);
            for (int k = first; k < i; k++)
            {
                _outputOffsets[k] = (int)position + (k - first) * longest;
            }
            position += (long)longest * (i - first);
            _batches++;
        }
        _batchFirst[_batches] = count;
        _output = ArrayPool<byte>.Shared.Rent(checked((int)position));
    }

    /// <summary>Gives back what <see cref="Load"/> rented, and the arena as it was loaded.</summary>
    internal void Unload()
    {
        ArrayPool<byte>.Shared.Return(_output);
        foreach (int[] rented in (int[][])[_batchFirst, _batchStride, _batchStart, _outputOffsets, _outputLengths, _packetOffsets, _packetLengths])
        {
            ArrayPool<int>.Shared.Return(rented);
        }
        _output = [];
        _batchFirst = _batchStride = _batchStart = _outputOffsets = _outputLengths = _packetOffsets = _packetLengths = [];
        _arena.Restore();
        _arena = null!;
    }

    private double EncapsulateCopy(int repeats)
    {
        long start = Stopwatch.GetTimestamp();
        for (int r = 0; r < repeats; r++)
        {
            EncapsulateCopyOnce();
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        // What a loop carried, counted outside the timed loop: a frame not done has written length 0.
        long bytesIn = 0, bytesOut = 0;
        for (int i = 0; i < _arena.Count; i++)
        {
            if (_outputLengths[i] != 0)
            {
                bytesIn += _arena.Length(i);
                bytesOut += _outputLengths[i];
            }
        }
        _innerBytes = bytesIn;
        _outerBytes = bytesOut;
        return seconds;
    }

    /// <summary>One copy loop over the arena, batch by batch, each frame into its slot of the batch's slots.</summary>
    internal void EncapsulateCopyOnce()
    {
        FrameArena arena = _arena;
        ReadOnlySpan<byte> frames = arena.Buffer;
        ReadOnlySpan<int> offsets = arena.Offsets, lengths = arena.Lengths;
        Span<byte> output = _output;
        Span<OperationStatus> statuses = _statuses;
        for (int b = 0; b < _batches; b++)
        {
            int first = _batchFirst[b], count = _batchFirst[b + 1] - first, stride = _batchStride[b];
            _encapsulator.EncapsulateBatch(frames, offsets.Slice(first, count), lengths.Slice(first, count),
                output.Slice(_batchStart[b], stride * count), stride, statuses[..count], _outputLengths.AsSpan(first, count));
        }
    }

    /// <summary>In place, with the frames put back before every loop (untimed): an L3 variant writes over the inner Ethernet header.</summary>
    private double EncapsulateInPlace(int repeats)
    {
        FrameArena arena = _arena;
        double seconds = 0;
        for (int r = 0; r < repeats; r++)
        {
            arena.Restore();
            long start = Stopwatch.GetTimestamp();
            EncapsulateInPlaceOnce();
            seconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        // The next copy loop needs the frames back.
        arena.Restore();
        return seconds;
    }

    /// <summary>One in-place loop over the arena as loaded, batch by batch; the arena then holds the encapsulated frames.</summary>
    internal void EncapsulateInPlaceOnce()
    {
        FrameArena arena = _arena;
        Span<byte> buffer = arena.Buffer;
        ReadOnlySpan<int> offsets = arena.Offsets, lengths = arena.Lengths;
        Span<OperationStatus> statuses = _statuses;
        for (int first = 0; first < offsets.Length; first += Batch)
        {
            int count = Math.Min(Batch, offsets.Length - first);
            _encapsulator.EncapsulateInPlaceBatch(buffer, offsets.Slice(first, count), lengths.Slice(first, count),
                _packetOffsets.AsSpan(first, count), _packetLengths.AsSpan(first, count), statuses[..count]);
        }
    }

    /// <summary>Frame <paramref name="index"/>'s copy encapsulation by the last copy loop (empty when it was not done).</summary>
    internal ReadOnlySpan<byte> CopyOutput(int index) => _output.AsSpan(_outputOffsets[index], _outputLengths[index]);

    /// <summary>Where frame <paramref name="index"/>'s in-place encapsulation lies in the arena after the last in-place loop (length 0 when not done).</summary>
    internal (int Offset, int Length) InPlaceOutput(int index) => (_packetOffsets[index], _packetLengths[index]);

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
