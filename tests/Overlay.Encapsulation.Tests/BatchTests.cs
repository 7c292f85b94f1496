using System.Buffers;
using CsCheck;
using Overlay.Encapsulation.Tests.Support;

namespace Overlay.Encapsulation.Tests;

/// <summary>
/// The batch and parse-once forms are the single-packet methods, frame for frame: on random batches of random frames
/// (valid, tagged, damaged, cut short, out of the buffer) every catalogue variant writes the same bytes, lengths and
/// statuses in every form, and leaves the same bytes untouched where a frame fails. Two instances of a variant start
/// from one state, so per-packet state (the IPv4 Identification, a GRE sequence number) must advance alike too.
/// </summary>
public class BatchTests
{
    public static TheoryData<string> Variants() => new(VariantCatalog.All.Select(v => v.Name));

    private const int Headroom = 256, Stride = 10_000;

    /// <summary>A frame of a batch; null stands for an entry whose offset lies outside the buffer.</summary>
    private static readonly Gen<byte[]?> FrameGen = Gen.Frequency(
        (6, Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[90, 1514], Gen.Int[0, 2], Gen.Int[0, 1000]).Select((v, l4, length, tags, seed) =>
            (byte[]?)TestFrames.Ip(v == 0 ? 4 : 6, (TestFrames.L4)new byte[] { 1, 6, 17 }[l4], length, vlanTags: tags, seed: seed, sourcePort: (ushort)(1000 + seed)))),
        (1, Gen.Const(() => (byte[]?)TestFrames.Arp())),
        (2, Gen.Select(Gen.Int[0, 1], Gen.Int[64, 400], Gen.Int[0, 70], Gen.Byte).Select((v, length, at, value) =>
        {
            byte[] frame = TestFrames.Ip(v == 0 ? 4 : 6, TestFrames.L4.Udp, length);
            frame[at % frame.Length] = value;
            return (byte[]?)frame;
        })),
        (1, Gen.Select(Gen.Int[0, 1], Gen.Int[0, 60]).Select((v, keep) => (byte[]?)TestFrames.Ip(v == 0 ? 4 : 6, TestFrames.L4.Tcp, 200)[..keep])),
        (1, Gen.Const((byte[]?)null)));

    private static readonly Gen<byte[]?[]> BatchGen = FrameGen.Array[0, 13];

    /// <summary>The frames laid out in one buffer, each after its own headroom; an absent frame gets an offset past the end.</summary>
    private static (byte[] Buffer, int[] Offsets, int[] Lengths) Layout(byte[]?[] batch)
    {
        var offsets = new int[batch.Length];
        var lengths = new int[batch.Length];
        int at = 0;
        foreach (byte[]? frame in batch)
        {
            at += Headroom + (frame?.Length ?? 0);
        }
        var buffer = new byte[at];
        at = 0;
        for (int i = 0; i < batch.Length; i++)
        {
            at += Headroom;
            if (batch[i] is byte[] frame)
            {
                frame.CopyTo(buffer, at);
                (offsets[i], lengths[i]) = (at, frame.Length);
                at += frame.Length;
            }
            else
            {
                (offsets[i], lengths[i]) = (buffer.Length + 1, 10);
            }
        }
        return (buffer, offsets, lengths);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Batch_copy_equals_single_packet_copy(string name) =>
        BatchGen.Sample(batch =>
        {
            IEncapsulator single = VariantCatalog.Find(name)!.Create(), batched = VariantCatalog.Find(name)!.Create();
            (byte[] buffer, int[] offsets, int[] lengths) = Layout(batch);
            var expected = new byte[batch.Length * Stride];
            var actual = new byte[batch.Length * Stride];
            Array.Fill(expected, (byte)0xA5);
            Array.Fill(actual, (byte)0xA5);
            var expectedStatuses = new OperationStatus[batch.Length];
            var expectedWritten = new int[batch.Length];
            for (int i = 0; i < batch.Length; i++)
            {
                ReadOnlySpan<byte> frame = batch[i] is null ? [] : buffer.AsSpan(offsets[i], lengths[i]);
                expectedStatuses[i] = batch[i] is null ? OperationStatus.InvalidData
                    : single.Encapsulate(frame, expected.AsSpan(i * Stride, Stride), out expectedWritten[i]);
            }
            var statuses = new OperationStatus[batch.Length];
            var written = new int[batch.Length];
            batched.EncapsulateBatch(buffer, offsets, lengths, actual, Stride, statuses, written);
            Assert.Equal(expectedStatuses, statuses);
            Assert.Equal(expectedWritten, written);
            Assert.Equal(expected, actual);
        }, iter: 60);

    [Theory]
    [MemberData(nameof(Variants))]
    public void Batch_in_place_equals_single_packet_in_place(string name) =>
        BatchGen.Sample(batch =>
        {
            IEncapsulator single = VariantCatalog.Find(name)!.Create(), batched = VariantCatalog.Find(name)!.Create();
            (byte[] expected, int[] offsets, int[] lengths) = Layout(batch);
            byte[] actual = expected.ToArray();
            var expectedStatuses = new OperationStatus[batch.Length];
            var expectedOffsets = new int[batch.Length];
            var expectedLengths = new int[batch.Length];
            for (int i = 0; i < batch.Length; i++)
            {
                expectedStatuses[i] = single.EncapsulateInPlace(expected, offsets[i], lengths[i], out expectedOffsets[i], out expectedLengths[i]);
            }
            var statuses = new OperationStatus[batch.Length];
            var packetOffsets = new int[batch.Length];
            var packetLengths = new int[batch.Length];
            batched.EncapsulateInPlaceBatch(actual, offsets, lengths, packetOffsets, packetLengths, statuses);
            Assert.Equal(expectedStatuses, statuses);
            Assert.Equal(expectedOffsets, packetOffsets);
            Assert.Equal(expectedLengths, packetLengths);
            Assert.Equal(expected, actual);
        }, iter: 60);

    [Theory]
    [MemberData(nameof(Variants))]
    public void Parse_once_equals_single_packet(string name) =>
        Gen.Select(FrameGen, Gen.Int[0, 3000]).Sample((frame, extra) =>
        {
            frame ??= [];
            IEncapsulator single = VariantCatalog.Find(name)!.Create(), once = VariantCatalog.Find(name)!.Create();
            var expected = new byte[Stride];
            var actual = new byte[Stride];
            OperationStatus status = single.Encapsulate(frame, expected, out int written);
            if (!InnerFrame.TryParse(frame, out InnerFrame inner))
            {
                Assert.Equal(OperationStatus.InvalidData, status);
                return;
            }
            Assert.Equal(status, once.Encapsulate(inner, frame, actual, out int onceWritten));
            Assert.Equal(written, onceWritten);
            Assert.Equal(expected, actual);
            // The length for a frame cut at the snap length, from the frame parsed with its original length.
            int original = frame.Length + extra;
            Assert.True(InnerFrame.TryParse(frame, original, out InnerFrame snapped));
            Assert.Equal(single.GetEncapsulatedLength(frame, original), once.GetEncapsulatedLength(snapped, original));
        }, iter: 150);

    [Fact]
    public void An_inner_frame_read_from_another_frame_is_invalid_data_not_an_exception()
    {
        Assert.True(InnerFrame.TryParse(TestFrames.Ip(6, TestFrames.L4.Tcp, 1514), out InnerFrame large));
        byte[] small = TestFrames.Ip(4, TestFrames.L4.Udp, 64);
        foreach (VariantSpec variant in VariantCatalog.All)
        {
            IEncapsulator encapsulator = variant.Create();
            var destination = new byte[Stride];
            OperationStatus status = encapsulator.Encapsulate(large, small, destination, out int written);
            Assert.True(status == OperationStatus.InvalidData || encapsulator.Mode == PayloadMode.L2, $"{variant.Name}: {status}");
            Assert.True(status != OperationStatus.Done || written == encapsulator.HeaderLength + small.Length, variant.Name);
        }
    }

    [Fact]
    public void Spans_too_short_for_the_batch_are_refused_before_any_frame_is_read()
    {
        IEncapsulator encapsulator = VariantCatalog.All[0].Create();
        byte[] frame = TestFrames.Ip(4, TestFrames.L4.Udp, 100);
        var destination = new byte[2 * Stride];
        Assert.Throws<ArgumentException>(() => encapsulator.EncapsulateBatch(frame, [0, 0], [100], destination, Stride, new OperationStatus[2], new int[2]));
        Assert.Throws<ArgumentException>(() => encapsulator.EncapsulateBatch(frame, [0, 0], [100, 100], destination, Stride + 1, new OperationStatus[2], new int[2]));
        Assert.Throws<ArgumentException>(() => encapsulator.EncapsulateInPlaceBatch(frame, [0, 0], [100, 100], new int[1], new int[2], new OperationStatus[2]));
        Assert.All(destination, b => Assert.Equal(0, b));
    }
}
