namespace Overlay.Replay;

/// <summary>
/// Frames of a capture in one contiguous buffer, each preceded by headroom for the largest outer header of the
/// selected variants (as DPDK's mbuf headroom and Linux's skb headroom), so a timed loop does no I/O, allocates
/// nothing, and can encapsulate in place. Filled once, then replayed; a capture larger than one arena is replayed
/// arena by arena (streaming), so memory stays bounded by the arena's capacity.
/// </summary>
public sealed class FrameArena
{
    private readonly byte[] _buffer;
    private readonly byte[] _pristine;
    private int[] _offsets;
    private int[] _lengths;
    private int[] _originalLengths;
    private long[] _numbers;
    private int _used;

    /// <param name="headroom">Bytes reserved before every frame.</param>
    /// <param name="capacity">Bytes of frames and headroom the arena holds.</param>
    public FrameArena(int headroom, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, headroom + Capture.CaptureReader.MaxFrameLength);
        Headroom = headroom;
        _buffer = new byte[capacity];
        _pristine = new byte[capacity];
        int estimate = Math.Max(16, capacity / 512);
        _offsets = new int[estimate];
        _lengths = new int[estimate];
        _originalLengths = new int[estimate];
        _numbers = new long[estimate];
    }

    public int Headroom { get; }
    public int Count { get; private set; }
    public int Capacity => _buffer.Length;
    /// <summary>Bytes of frames held (headroom excluded).</summary>
    public long FrameBytes { get; private set; }

    /// <summary>The whole buffer, for in-place operations that reach into headroom.</summary>
    public Span<byte> Buffer => _buffer;

    public int Offset(int index) => _offsets[index];
    public int Length(int index) => _lengths[index];
    public int OriginalLength(int index) => _originalLengths[index];
    /// <summary>The frame's number in its capture file (1-based).</summary>
    public long Number(int index) => _numbers[index];
    public ReadOnlySpan<byte> Frame(int index) => _buffer.AsSpan(_offsets[index], _lengths[index]);
    /// <summary>Every frame's offset in <see cref="Buffer"/>, in order: a batch call's offsets.</summary>
    public ReadOnlySpan<int> Offsets => _offsets.AsSpan(0, Count);
    /// <summary>Every frame's length, in order: a batch call's lengths.</summary>
    public ReadOnlySpan<int> Lengths => _lengths.AsSpan(0, Count);

    /// <summary>Copies a frame in after fresh headroom; false when the arena is full (replay it, then <see cref="Clear"/>).</summary>
    public bool TryAdd(ReadOnlySpan<byte> frame, int originalLength, long number)
    {
        int needed = Headroom + frame.Length;
        if (_used + needed > _buffer.Length)
        {
            return false;
        }
        if (Count == _offsets.Length)
        {
            int size = Count * 2;
            Array.Resize(ref _offsets, size);
            Array.Resize(ref _lengths, size);
            Array.Resize(ref _originalLengths, size);
            Array.Resize(ref _numbers, size);
        }
        int offset = _used + Headroom;
        frame.CopyTo(_buffer.AsSpan(offset));
        _offsets[Count] = offset;
        _lengths[Count] = frame.Length;
        _originalLengths[Count] = Math.Max(originalLength, frame.Length);
        _numbers[Count] = number;
        Count++;
        _used += needed;
        FrameBytes += frame.Length;
        return true;
    }

    /// <summary>Remembers the frames as loaded, so <see cref="Restore"/> can undo in-place encapsulation between passes.</summary>
    public void Seal() => _buffer.AsSpan(0, _used).CopyTo(_pristine);

    /// <summary>Puts back the frames (and headroom) as they were at <see cref="Seal"/>.</summary>
    public void Restore() => _pristine.AsSpan(0, _used).CopyTo(_buffer);

    public void Clear()
    {
        Count = 0;
        _used = 0;
        FrameBytes = 0;
    }
}
