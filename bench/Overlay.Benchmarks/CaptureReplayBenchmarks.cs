using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Overlay.Benchmarks.Config;
using Overlay.Benchmarks.Inputs;
using Overlay.Encapsulation;
using Overlay.Replay;
using Overlay.Replay.Capture;

namespace Overlay.Benchmarks;

/// <summary>
/// Replay of each capture in captures/ through every variant, from a <see cref="FrameArena"/> loaded in GlobalSetup
/// (no I/O, no allocation in the timed region), by copy and in place. Each invocation replays
/// <see cref="ReplayPackets"/> frames, going on where the last one stopped and wrapping at the capture's end, so
/// results are per captured frame whatever the capture's length. Frames a variant cannot carry (ARP for an
/// IP-payload variant) count as frames, as they do on a link. The calibration copies each carried payload to
/// where the encapsulation writes it.
/// </summary>
[BenchmarkCategory(Categories.Replay)]
public class CaptureReplayBenchmarks
{
    public const int ReplayPackets = 2048;

    /// <summary>Output slots, reused round-robin as a transmit ring's.</summary>
    public const int OutputSlots = EncapsulateBenchmarks.Batch;

    private const int HeadBytes = FrameBatch.HeadBytes;

    private IEncapsulator _encapsulator = null!;
    private FrameArena _arena = null!;
    private OutputRing _output = null!;
    private int[] _offsets = [];
    private int[] _lengths = [];
    private int[] _payloadOffsets = [];
    private int[] _payloadLengths = [];
    private byte[] _heads = [];
    private int _headerLength;
    private int _cursor;

    /// <summary>The captures in captures/, by file name.</summary>
    public static IEnumerable<string> Captures => RepoPaths.CaptureFiles().Select(Path.GetFileName)!;

    [ParamsSource(nameof(Captures))]
    public string Capture { get; set; } = "mixed.pcap";

    [ParamsSource(typeof(EncapsulateBenchmarks), nameof(EncapsulateBenchmarks.Variants))]
    public string Variant { get; set; } = "vxlan-ipv4";

    /// <summary>Frames in the arena.</summary>
    public int FrameCount => _offsets.Length;

    /// <summary>Mean captured frame length, bytes.</summary>
    public double MeanFrameLength { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _encapsulator = Prepared.Variant(Variant);
        _headerLength = _encapsulator.HeaderLength;
        List<byte[]> frames = Load(Path.Combine(RepoPaths.Captures, Capture));
        if (frames.Count == 0)
        {
            throw new InvalidOperationException($"{Capture} holds no frame to replay.");
        }
        MeanFrameLength = frames.Average(f => (double)f.Length);

        // The arena the analyzer replays from, with headroom for the longest outer header of any variant.
        int headroom = VariantCatalog.All.Max(v => v.Create().HeaderLength);
        long bytes = frames.Sum(f => (long)f.Length + headroom) + headroom + CaptureReader.MaxFrameLength;
        _arena = new FrameArena(headroom, checked((int)bytes));
        for (int i = 0; i < frames.Count; i++)
        {
            if (!_arena.TryAdd(frames[i], frames[i].Length, i + 1))
            {
                throw new InvalidOperationException($"{Capture}: the arena is too small at frame {i + 1}.");
            }
        }
        _arena.Seal();
        _offsets = Enumerable.Range(0, _arena.Count).Select(_arena.Offset).ToArray();
        _lengths = Enumerable.Range(0, _arena.Count).Select(_arena.Length).ToArray();
        _heads = new byte[_arena.Count * HeadBytes];
        for (int i = 0; i < _arena.Count; i++)
        {
            _arena.Frame(i).Slice(0, Math.Min(HeadBytes, _lengths[i])).CopyTo(_heads.AsSpan(i * HeadBytes));
        }

        // The same frames in a batch of their own, to check every one encapsulates and decapsulates back.
        FrameBatch check = FrameBatch.Create(frames);
        Prepared.Validate(Prepared.Variant(Variant), check, requireAll: false);
        (_payloadOffsets, _payloadLengths) = Prepared.Payloads(_encapsulator, check);
        _output = new OutputRing(OutputSlots, frames.Max(f => f.Length) + _headerLength);
        _cursor = 0;
    }

    [Benchmark(OperationsPerInvoke = ReplayPackets), BenchmarkCategory(Categories.Copy)]
    public int ReplayCopy()
    {
        IEncapsulator encapsulator = _encapsulator;
        OutputRing output = _output;
        Span<byte> arena = _arena.Buffer;
        int[] offsets = _offsets, lengths = _lengths;
        int i = _cursor, total = 0;
        for (int n = 0; n < ReplayPackets; n++)
        {
            encapsulator.Encapsulate(arena.Slice(offsets[i], lengths[i]), output.Slot(n % OutputSlots), out int written);
            total += written;
            if (++i == offsets.Length)
            {
                i = 0;
            }
        }
        _cursor = i;
        return total;
    }

    /// <summary>In place into the arena's headroom; each frame's first 32 bytes are put back after, as in <see cref="EncapsulateBenchmarks.InPlace"/>.</summary>
    [Benchmark(OperationsPerInvoke = ReplayPackets), BenchmarkCategory(Categories.InPlace)]
    public int ReplayInPlace()
    {
        IEncapsulator encapsulator = _encapsulator;
        Span<byte> arena = _arena.Buffer;
        int[] offsets = _offsets, lengths = _lengths;
        int i = _cursor, total = 0;
        for (int n = 0; n < ReplayPackets; n++)
        {
            encapsulator.EncapsulateInPlace(arena, offsets[i], lengths[i], out _, out int length);
            RestoreHead(arena, i);
            total += length;
            if (++i == offsets.Length)
            {
                i = 0;
            }
        }
        _cursor = i;
        return total;
    }

    /// <summary>The calibration: each carried payload copied to where the encapsulation writes it.</summary>
    [Benchmark(OperationsPerInvoke = ReplayPackets, Baseline = true), BenchmarkCategory(Categories.Calibration)]
    public int CopyBaseline()
    {
        OutputRing output = _output;
        Span<byte> arena = _arena.Buffer;
        int[] offsets = _offsets;
        int header = _headerLength;
        int i = _cursor, total = 0;
        for (int n = 0; n < ReplayPackets; n++)
        {
            int payload = _payloadOffsets[i];
            if (payload >= 0)
            {
                int length = _payloadLengths[i];
                arena.Slice(offsets[i] + payload, length).CopyTo(output.Slot(n % OutputSlots).Slice(header));
                total += length;
            }
            if (++i == offsets.Length)
            {
                i = 0;
            }
        }
        _cursor = i;
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RestoreHead(Span<byte> arena, int index) =>
        Unsafe.CopyBlockUnaligned(
            ref Unsafe.Add(ref MemoryMarshal.GetReference(arena), _offsets[index]),
            ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_heads), index * HeadBytes),
            HeadBytes); // fixed 32 bytes, one vector copy: a shorter frame is followed by headroom or the arena's spare bytes

    /// <summary>Every frame of a capture, normalised to Ethernet, as the analyzer reads it.</summary>
    public static List<byte[]> Load(string path)
    {
        var frames = new List<byte[]>();
        using var reader = new CaptureReader(path);
        while (true)
        {
            ReadStatus status = reader.Read(out CapturedFrame frame);
            if (status == ReadStatus.End)
            {
                return frames;
            }
            if (status == ReadStatus.Frame)
            {
                frames.Add(frame.Data.ToArray());
            }
        }
    }
}
