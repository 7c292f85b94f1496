using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Overlay.Encapsulation;

/// <summary>
/// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum.
/// </summary>
/// <remarks>
/// The sum is independent of byte order (RFC 1071 §2(B)), so it is accumulated over native-order
/// 32-bit words in 64-bit lanes (no carry can be lost before 2^32 words) and swapped once at the end.
/// <see cref="CopyAndAdd"/> folds the sum into a copy, so a checksummed copy reads its bytes once.
/// </remarks>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> to a running sum in network byte order; an odd final byte is padded with zero.</summary>
    /// <remarks>Only the last block of a multi-part sum may have an odd length.</remarks>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data) => sum + NativeSum(data) switch
    {
        var native when BitConverter.IsLittleEndian => SwapFolded(native),
        var native => native,
    };

    /// <summary>Adds a 16-bit value given in host order (as it will stand in network order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong sum, ushort value) => sum + value;

    /// <summary>Adds a 32-bit value given in host order (as it will stand in network order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong sum, uint value) => sum + (value >> 16) + (value & 0xFFFF);

    /// <summary>Folds a sum to 16 bits and complements it: the value to store in a checksum field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Finish(ulong sum) => (ushort)~Fold(sum);

    /// <summary>
    /// Updates a stored checksum after one 16-bit word changed from <paramref name="oldWord"/> to <paramref name="newWord"/>
    /// without summing the data again: RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m').
    /// </summary>
    public static ushort Update(ushort checksum, ushort oldWord, ushort newWord)
    {
        ulong sum = (ushort)~checksum + (ulong)(ushort)~oldWord + newWord;
        return (ushort)~Fold(sum);
    }

    /// <summary>The checksum of <paramref name="data"/> alone.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>True when <paramref name="data"/>, checksum field included, sums to 0xFFFF.</summary>
    public static bool IsValid(ReadOnlySpan<byte> data) => Fold(Add(0, data)) == 0xFFFF;

    /// <summary>
    /// <see cref="IsValid"/> of the first 20 bytes of <paramref name="header"/> (an IPv4 header without options) as five
    /// 32-bit loads and a fold, with no loop. The words are summed in host order: a one's complement sum does not depend on
    /// the word size or byte order it is taken in but for a byte swap of the result (RFC 1071 §2(A), (B)), and 0xFFFF is
    /// its own swap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValid20(ReadOnlySpan<byte> header)
    {
        ref byte at = ref MemoryMarshal.GetReference(header[..20]);
        ulong sum = (ulong)Unsafe.ReadUnaligned<uint>(ref at) + Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref at, 4))
            + Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref at, 8)) + Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref at, 12))
            + Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref at, 16));
        return Fold(sum) == 0xFFFF;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ushort Fold(ulong sum)
    {
        // 64 to 32 bits: the first add leaves at most a 33-bit value, the second fits in 32 (end-around carries, RFC 1071 §2(C)).
        sum = (sum & 0xFFFFFFFF) + (sum >> 32);
        uint folded = (uint)sum + (uint)(sum >> 32);
        // 32 to 16 bits as Linux's csum_fold: adding the word to itself rotated by 16 sums the halves in the high half, the
        // carry out of the low half included.
        folded += BitOperations.RotateRight(folded, 16);
        return (ushort)(folded >> 16);
    }

    private static ulong SwapFolded(ulong native) => BinaryPrimitives.ReverseEndianness(Fold(native));

    /// <summary>
    /// Copies <paramref name="source"/> into the start of <paramref name="destination"/> and adds it to a running sum in
    /// network byte order, in one pass: every vector loaded is both stored and summed, so a copy that must also be
    /// checksummed (a UDP checksum over IPv6, a GRE checksum) reads its bytes once. As with <see cref="Add(ulong, ReadOnlySpan{byte})"/>,
    /// only the last block of a multi-part sum may have an odd length.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static ulong CopyAndAdd(ulong sum, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }
        if (source.Overlaps(destination))
        {
            // The fused loop copies forwards; an overlapping move takes the runtime's memmove, then the sum.
            source.CopyTo(destination);
            return Add(sum, destination.Slice(0, source.Length));
        }
        ulong native = NativeSum(ref MemoryMarshal.GetReference(source), (nuint)source.Length, ref MemoryMarshal.GetReference(destination), copy: true);
        return sum + (BitConverter.IsLittleEndian ? SwapFolded(native) : native);
    }

    /// <summary>One's complement sum of the bytes read as native-order 16-bit words, not yet folded.</summary>
    private static ulong NativeSum(ReadOnlySpan<byte> data)
    {
        ref byte start = ref MemoryMarshal.GetReference(data);
        return NativeSum(ref start, (nuint)data.Length, ref start, copy: false);
    }

    /// <summary>
    /// The sum of <paramref name="length"/> bytes at <paramref name="source"/> as native-order 32-bit words (an odd tail
    /// padded), which folds to the 16-bit one's complement sum; with <paramref name="copy"/>, each block is also stored at
    /// <paramref name="destination"/>. Every 32-bit word is split into its halves in 64-bit lanes (mask and shift, no
    /// shuffles), so no carry is lost below 2^32 words, and two independent accumulators keep the adds off one chain.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong NativeSum(ref byte source, nuint length, ref byte destination, bool copy)
    {
        ulong sum = 0;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated && length >= 128)
        {
            Vector512<ulong> low0 = Vector512<ulong>.Zero, high0 = Vector512<ulong>.Zero;
            Vector512<ulong> low1 = Vector512<ulong>.Zero, high1 = Vector512<ulong>.Zero;
            Vector512<ulong> mask = Vector512.Create(0xFFFF_FFFFUL);
            for (nuint last = length - 128; i <= last; i += 128)
            {
                Vector512<byte> a = Vector512.LoadUnsafe(ref source, i);
                Vector512<byte> b = Vector512.LoadUnsafe(ref source, i + 64);
                if (copy)
                {
                    a.StoreUnsafe(ref destination, i);
                    b.StoreUnsafe(ref destination, i + 64);
                }
                low0 += a.AsUInt64() & mask;
                high0 += a.AsUInt64() >>> 32;
                low1 += b.AsUInt64() & mask;
                high1 += b.AsUInt64() >>> 32;
            }
            if (i + 64 <= length)
            {
                Vector512<byte> a = Vector512.LoadUnsafe(ref source, i);
                if (copy)
                {
                    a.StoreUnsafe(ref destination, i);
                }
                low0 += a.AsUInt64() & mask;
                high0 += a.AsUInt64() >>> 32;
                i += 64;
            }
            sum = Vector512.Sum(low0 + low1) + Vector512.Sum(high0 + high1);
        }
        else if (Vector256.IsHardwareAccelerated && length >= 64)
        {
            Vector256<ulong> low0 = Vector256<ulong>.Zero, high0 = Vector256<ulong>.Zero;
            Vector256<ulong> low1 = Vector256<ulong>.Zero, high1 = Vector256<ulong>.Zero;
            Vector256<ulong> mask = Vector256.Create(0xFFFF_FFFFUL);
            for (nuint last = length - 64; i <= last; i += 64)
            {
                Vector256<byte> a = Vector256.LoadUnsafe(ref source, i);
                Vector256<byte> b = Vector256.LoadUnsafe(ref source, i + 32);
                if (copy)
                {
                    a.StoreUnsafe(ref destination, i);
                    b.StoreUnsafe(ref destination, i + 32);
                }
                low0 += a.AsUInt64() & mask;
                high0 += a.AsUInt64() >>> 32;
                low1 += b.AsUInt64() & mask;
                high1 += b.AsUInt64() >>> 32;
            }
            sum = Vector256.Sum(low0 + low1) + Vector256.Sum(high0 + high1);
        }

        if (Vector256.IsHardwareAccelerated && i + 32 <= length)
        {
            Vector256<byte> a = Vector256.LoadUnsafe(ref source, i);
            if (copy)
            {
                a.StoreUnsafe(ref destination, i);
            }
            Vector256<ulong> words = a.AsUInt64();
            sum += Vector256.Sum((words & Vector256.Create(0xFFFF_FFFFUL)) + (words >>> 32));
            i += 32;
        }
        while (Vector128.IsHardwareAccelerated && i + 16 <= length)
        {
            Vector128<byte> a = Vector128.LoadUnsafe(ref source, i);
            if (copy)
            {
                a.StoreUnsafe(ref destination, i);
            }
            Vector128<ulong> words = a.AsUInt64();
            sum += Vector128.Sum((words & Vector128.Create(0xFFFF_FFFFUL)) + (words >>> 32));
            i += 16;
        }

        for (; i + 4 <= length; i += 4)
        {
            uint word = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref source, i));
            if (copy)
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, i), word);
            }
            sum += word;
        }
        if (i + 2 <= length)
        {
            ushort half = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref source, i));
            if (copy)
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, i), half);
            }
            sum += half;
            i += 2;
        }
        if (i < length)
        {
            // The odd byte is the high-order byte of a zero-padded 16-bit word in network order.
            byte odd = Unsafe.Add(ref source, i);
            if (copy)
            {
                Unsafe.Add(ref destination, i) = odd;
            }
            sum += BitConverter.IsLittleEndian ? odd : (ulong)odd << 8;
        }
        return sum;
    }
}
