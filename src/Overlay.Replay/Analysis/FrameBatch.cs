using System.Collections.Concurrent;
using System.Numerics;
using Overlay.Replay.Capture;

namespace Overlay.Replay.Analysis;

/// <summary>
/// Frames copied out of the reader for one worker: their bytes back to back, and where each lies. Batches are made
/// once per worker and go round between the reader and the worker (<see cref="FrameLane"/>), so handing frames over
/// allocates nothing per frame.
/// </summary>
internal sealed class FrameBatch
{
    /// <summary>Frames per batch: enough that the hand-over costs little per frame, few enough that the workers start early.</summary>
    public const int MaxFrames = 256;

    private byte[] _bytes = new byte[64 << 10];
    private readonly int[] _offsets = new int[MaxFrames];
    private readonly int[] _lengths = new int[MaxFrames];
    private readonly int[] _originalLengths = new int[MaxFrames];
    private readonly long[] _numbers = new long[MaxFrames];
    private int _used;

    public int Count { get; private set; }

    /// <summary>Copies a frame in; false when the batch is full (hand it over and add the frame to the next).</summary>
    public bool TryAdd(in CapturedFrame frame)
    {
        int length = frame.Data.Length;
        if (Count == MaxFrames || (_used + length > _bytes.Length && Count > 0))
        {
            return false;
        }
        if (length > _bytes.Length)
        {
            // A frame larger than any before it (up to libpcap's bound): this batch keeps the larger buffer.
            _bytes = new byte[BitOperations.RoundUpToPowerOf2((uint)length)];
        }
        frame.Data.CopyTo(_bytes.AsSpan(_used));
        _offsets[Count] = _used;
        _lengths[Count] = length;
        _originalLengths[Count] = frame.OriginalLength;
        _numbers[Count] = frame.Number;
        _used += length;
        Count++;
        return true;
    }

    /// <summary>Frame <paramref name="index"/> as the reader handed it out, without its time (the analysis never reads it).</summary>
    public CapturedFrame this[int index] => new()
    {
        Number = _numbers[index],
        Data = _bytes.AsSpan(_offsets[index], _lengths[index]),
        OriginalLength = _originalLengths[index],
    };

    public void Clear()
    {
        Count = 0;
        _used = 0;
    }
}

/// <summary>
/// The frames on their way to one worker, in file order: full batches queued to the worker (bounded, so the reader
/// waits when a worker falls behind and memory stays bounded), and empty ones queued back to the reader.
/// </summary>
internal sealed class FrameLane : IDisposable
{
    /// <summary>Batches per worker: the frames that may wait for it (reading runs at most this far ahead).</summary>
    public const int Batches = 8;

    private readonly BlockingCollection<FrameBatch> _full = new(new ConcurrentQueue<FrameBatch>(), Batches);
    private readonly BlockingCollection<FrameBatch> _empty = new(new ConcurrentQueue<FrameBatch>(), Batches);
    private FrameBatch? _filling;

    public FrameLane()
    {
        for (int i = 0; i < Batches; i++)
        {
            _empty.Add(new FrameBatch());
        }
    }

    /// <summary>The reader's side: copies a frame into the batch being filled, handing it over when full.</summary>
    public void Add(in CapturedFrame frame, CancellationToken cancellation)
    {
        _filling ??= _empty.Take(cancellation);
        if (!_filling.TryAdd(frame))
        {
            _full.Add(_filling, cancellation);
            _filling = _empty.Take(cancellation);
            _filling.TryAdd(frame);
        }
    }

    /// <summary>The reader's side, at the end of the capture: hands over the last batch; the worker then runs dry and ends.</summary>
    public void Complete(CancellationToken cancellation)
    {
        if (_filling is { Count: > 0 })
        {
            _full.Add(_filling, cancellation);
        }
        _filling = null;
        _full.CompleteAdding();
    }

    /// <summary>The worker's side: the next batch, or false once the reader has completed the lane and it is empty.</summary>
    public bool TryTake(out FrameBatch batch, CancellationToken cancellation) =>
        _full.TryTake(out batch!, Timeout.Infinite, cancellation);

    /// <summary>The worker's side: a batch counted, back to the reader.</summary>
    public void Return(FrameBatch batch)
    {
        batch.Clear();
        _empty.Add(batch);
    }

    public void Dispose()
    {
        _full.Dispose();
        _empty.Dispose();
    }
}
