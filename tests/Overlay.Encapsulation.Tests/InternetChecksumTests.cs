using System.Buffers.Binary;
using CsCheck;

namespace Overlay.Encapsulation.Tests;

/// <summary>
/// The vectorised Internet checksum against the plainest reading of RFC 1071: big-endian 16-bit words, an odd
/// last byte padded with zero on the right, end-around carry after every addition, one's complement at the end.
/// </summary>
public class InternetChecksumTests
{
    /// <summary>RFC 1071 §4.1's loop, word by word, folding the carry at every step.</summary>
    private static ushort Rfc1071(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8 | data[i + 1]);
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    /// <summary>Data at an offset 0..7 into its array, so the vector loads are misaligned as they are inside frames.</summary>
    private static readonly Gen<(byte[] Array, int Offset)> Data = Gen.Select(Gen.Byte.Array[0, 9001], Gen.Int[0, 7],
        (bytes, offset) => ((byte[])[.. new byte[offset], .. bytes], offset));

    [Fact]
    public void Equals_rfc_1071_for_random_data_of_0_to_9001_bytes() =>
        Data.Sample(d =>
        {
            ReadOnlySpan<byte> data = d.Array.AsSpan(d.Offset);
            Assert.Equal(Rfc1071(data), InternetChecksum.Compute(data));
        }, iter: 400);

    [Fact]
    public void Equals_rfc_1071_for_odd_lengths() =>
        Gen.Select(Gen.Int[0, 4500], Gen.Int, Gen.Int[0, 7]).Sample((half, seed, offset) =>
        {
            var bytes = new byte[offset + 2 * half + 1];
            new Random(seed).NextBytes(bytes);
            ReadOnlySpan<byte> data = bytes.AsSpan(offset);
            Assert.Equal(Rfc1071(data), InternetChecksum.Compute(data));
        }, iter: 400);

    [Fact]
    public void Equals_rfc_1071_at_every_length_around_the_vector_widths()
    {
        // Every length up to 300 crosses each path: 4-byte words, 16- and 32-byte vectors, the 2- and 1-byte tails.
        var random = new Random(1071);
        var bytes = new byte[300 + 8];
        for (int length = 0; length <= 300; length++)
        {
            for (int offset = 0; offset < 8; offset++)
            {
                random.NextBytes(bytes);
                ReadOnlySpan<byte> data = bytes.AsSpan(offset, length);
                Assert.Equal(Rfc1071(data), InternetChecksum.Compute(data));
            }
        }
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0xFF)]
    [InlineData(0x80)]
    [InlineData(0x01)]
    public void Equals_rfc_1071_for_constant_data_where_every_carry_is_taken(byte value)
    {
        foreach (int length in new[] { 0, 1, 2, 3, 63, 64, 65, 1499, 1500, 9000, 9001, 65535 })
        {
            byte[] data = Enumerable.Repeat(value, length).ToArray();
            Assert.Equal(Rfc1071(data), InternetChecksum.Compute(data));
        }
    }

    [Fact]
    public void Rfc_1071_worked_example()
    {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (one's complement), so the checksum is 220d.
        byte[] data = [0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7];
        Assert.Equal(0x220D, InternetChecksum.Compute(data));
        Assert.Equal(0x220D, Rfc1071(data));
        Assert.Equal(0xFFFF, InternetChecksum.Compute([]));
    }

    [Fact]
    public void A_sum_in_parts_equals_the_sum_of_the_whole() =>
        Gen.Select(Gen.Byte.Array[0, 3000], Gen.Int[0, 1500], Gen.Int[0, 1500]).Sample((bytes, a, b) =>
        {
            // Only the last part may be odd: cut the others at even lengths.
            int first = Math.Min(2 * (a / 2), bytes.Length & ~1), second = Math.Min(first + 2 * (b / 2), bytes.Length & ~1);
            ulong sum = InternetChecksum.Add(0, bytes.AsSpan(0, first));
            sum = InternetChecksum.Add(sum, bytes.AsSpan(first, second - first));
            sum = InternetChecksum.Add(sum, bytes.AsSpan(second));
            Assert.Equal(Rfc1071(bytes), InternetChecksum.Finish(sum));
        }, iter: 300);

    [Fact]
    public void Host_order_words_add_as_their_network_bytes() =>
        Gen.Select(Gen.Byte.Array[0, 200], Gen.UShort, Gen.UInt).Sample((bytes, word, dword) =>
        {
            byte[] even = bytes.Length % 2 == 0 ? bytes : bytes[..^1];
            var tail = new byte[6];
            BinaryPrimitives.WriteUInt16BigEndian(tail, word);
            BinaryPrimitives.WriteUInt32BigEndian(tail.AsSpan(2), dword);
            ulong sum = InternetChecksum.Add(InternetChecksum.Add(InternetChecksum.Add(0, even), word), dword);
            Assert.Equal(Rfc1071([.. even, .. tail]), InternetChecksum.Finish(sum));
        }, iter: 300);

    /// <summary>Any 64-bit running sum, the extremes included, folds as 16-bit end-around additions one carry at a time.</summary>
    [Fact]
    public void Folds_every_64_bit_sum_as_end_around_carries_one_at_a_time()
    {
        static ushort Stepwise(ulong sum)
        {
            while (sum > 0xFFFF)
            {
                sum = (sum & 0xFFFF) + (sum >> 16);
            }
            return (ushort)sum;
        }
        ulong[] edges = [0, 1, 0xFFFF, 0x10000, 0x1FFFE, 0xFFFF_FFFF, 0x1_0000_0000, 0x1_FFFF_FFFE, 0xFFFF_0000_FFFF, ulong.MaxValue, ulong.MaxValue - 1, 0x8000_0000_0000_0000];
        foreach (ulong sum in edges)
        {
            Assert.Equal(Stepwise(sum), InternetChecksum.Fold(sum));
        }
        Gen.ULong.Sample(sum => Assert.Equal(Stepwise(sum), InternetChecksum.Fold(sum)), iter: 10_000);
    }

    [Fact]
    public void Data_holding_its_own_checksum_is_valid() =>
        Gen.Select(Gen.Byte.Array[2, 9001], Gen.Int[0, 4499]).Sample((bytes, slot) =>
        {
            int at = Math.Min(2 * slot, (bytes.Length - 2) & ~1);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), 0);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), InternetChecksum.Compute(bytes));
            Assert.True(InternetChecksum.IsValid(bytes));
            bytes[bytes.Length / 2] ^= 0x10; // one flipped bit anywhere breaks it
            Assert.False(InternetChecksum.IsValid(bytes));
        }, iter: 300);

    [Fact]
    public void Copy_and_add_copies_every_byte_and_sums_as_add_at_every_length_and_alignment()
    {
        // Lengths across every path of the fused loop (512-, 256-, 128-bit blocks, 4-, 2- and 1-byte tails), at source and
        // destination offsets 0..7 apart, into garbage that must survive after the copied bytes.
        var random = new Random(768);
        var source = new byte[700 + 8];
        var destination = new byte[700 + 16];
        foreach (int length in Enumerable.Range(0, 300).Concat([511, 512, 513, 639, 640, 641, 700]))
        {
            for (int offset = 0; offset < 8; offset++)
            {
                random.NextBytes(source);
                random.NextBytes(destination);
                byte[] before = (byte[])destination.Clone();
                ReadOnlySpan<byte> data = source.AsSpan(offset, length);
                Span<byte> target = destination.AsSpan(7 - offset);
                ulong start = (ulong)random.Next(0, 1 << 20);
                ulong sum = InternetChecksum.CopyAndAdd(start, data, target);
                Assert.Equal(InternetChecksum.Finish(InternetChecksum.Add(start, data)), InternetChecksum.Finish(sum));
                Assert.Equal(Rfc1071(data), InternetChecksum.Finish(InternetChecksum.CopyAndAdd(0, data, target)));
                Assert.True(target[..length].SequenceEqual(data));
                Assert.True(destination.AsSpan(7 - offset + length).SequenceEqual(before.AsSpan(7 - offset + length)));
            }
        }
    }

    [Fact]
    public void Copy_and_add_of_overlapping_spans_moves_like_memmove()
    {
        byte[] bytes = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();
        byte[] expected = (byte[])bytes.Clone();
        expected.AsSpan(0, 2000).CopyTo(expected.AsSpan(100));
        ulong sum = InternetChecksum.CopyAndAdd(0, bytes.AsSpan(0, 2000), bytes.AsSpan(100));
        Assert.Equal(expected, bytes);
        Assert.Equal(InternetChecksum.Compute(expected.AsSpan(100, 2000)), InternetChecksum.Finish(sum));
    }

    [Fact]
    public void Copy_and_add_refuses_a_short_destination() =>
        Assert.Throws<ArgumentException>(() => InternetChecksum.CopyAndAdd(0, new byte[10], new byte[9]));

    /// <summary>The unrolled 20-byte check against the general one, on random headers whose checksum is right half the time.</summary>
    [Fact]
    public void IsValid20_agrees_with_IsValid()
    {
        Gen.Select(Gen.Byte.Array[20], Gen.Bool, Gen.Int[0, 8]).Sample((header, fix, extra) =>
        {
            if (fix)
            {
                header[10] = header[11] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), Rfc1071(header));
            }
            byte[] longer = [.. header, .. new byte[extra]];
            Assert.Equal(InternetChecksum.IsValid(header), InternetChecksum.IsValid20(longer));
            Assert.Equal(Rfc1071(header) == 0, InternetChecksum.IsValid20(longer));
        }, iter: 5000);
    }
}
