using System.Buffers;
using Overlay.Encapsulation;
using Overlay.Replay.Analysis;
using Overlay.Replay.Capture;

namespace Overlay.Replay.Tests.Analysis;

/// <summary>
/// The timed passes run the batch form over the arena: frame for frame they write the bytes, lengths and places the
/// single-packet form writes, for every variant over every bundled capture.
/// </summary>
public sealed class VariantTimingTests
{
    public static TheoryData<string> Captures() => new(Paths.AllCaptures().Select(p => Path.GetRelativePath(Paths.Repository, p)));

    [Theory]
    [MemberData(nameof(Captures))]
    public void The_batch_passes_write_what_the_single_packet_form_writes(string capture)
    {
        int headroom = VariantCatalog.All.Max(v => v.Create().HeaderLength);
        FrameArena arena = Load(Path.Combine(Paths.Repository, capture), headroom);
        byte[] loaded = arena.Buffer.ToArray();
        var options = new AnalyzeOptions { Variants = VariantCatalog.All, MeasureThroughput = true };
        var single = new byte[CaptureReader.MaxFrameLength + headroom];
        foreach (VariantSpec spec in VariantCatalog.All)
        {
            // Two encapsulators with the same history: a per-packet field (a sequence number, an IPv4 ID) moves alike in both.
            IEncapsulator reference = spec.Create();
            var timing = new VariantTiming(spec.Create(), options);
            timing.Load(arena);
            try
            {
                timing.EncapsulateCopyOnce();
                for (int i = 0; i < arena.Count; i++)
                {
                    OperationStatus status = reference.Encapsulate(arena.Frame(i), single, out int written);
                    ReadOnlySpan<byte> expected = status == OperationStatus.Done ? single.AsSpan(0, written) : [];
                    Assert.True(expected.SequenceEqual(timing.CopyOutput(i)), $"{spec.Name}, {capture}: copy of frame {arena.Number(i)} differs");
                }

                timing.EncapsulateInPlaceOnce();
                byte[] expectedBuffer = (byte[])loaded.Clone();
                for (int i = 0; i < arena.Count; i++)
                {
                    OperationStatus status = reference.EncapsulateInPlace(expectedBuffer, arena.Offset(i), arena.Length(i), out int offset, out int length);
                    (int actualOffset, int actualLength) = timing.InPlaceOutput(i);
                    Assert.True(status == OperationStatus.Done ? (offset, length) == (actualOffset, actualLength) : actualLength == 0,
                        $"{spec.Name}, {capture}: in place, frame {arena.Number(i)} at {actualOffset}+{actualLength}, expected {offset}+{length} ({status})");
                }
                Assert.True(expectedBuffer.AsSpan().SequenceEqual(arena.Buffer), $"{spec.Name}, {capture}: the arena after the in-place batches differs");
            }
            finally
            {
                timing.Unload();
            }
            Assert.True(arena.Buffer.SequenceEqual(loaded), $"{spec.Name}: the arena is not put back as loaded");
        }
    }

    /// <summary>Every frame of a capture, whole or cut by the snap length, in an arena sealed as the analysis seals it.</summary>
    private static FrameArena Load(string path, int headroom)
    {
        var arena = new FrameArena(headroom, 64 << 20);
        using var reader = new CaptureReader(path);
        while (reader.Read(out CapturedFrame frame) is var status && status != ReadStatus.End)
        {
            if (status == ReadStatus.Frame)
            {
                Assert.True(arena.TryAdd(frame.Data, frame.OriginalLength, frame.Number), $"{path} does not fit one arena");
            }
        }
        Assert.True(arena.Count > 0);
        arena.Seal();
        return arena;
    }
}
