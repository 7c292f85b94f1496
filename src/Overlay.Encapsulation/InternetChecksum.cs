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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ushort Fold(ulong sum)
    {
        sum = (sum & 0xFFFFFFFF) + (sum >> 32);
        sum = (sum & 0xFFFFFFFF) + (sum >> 32);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    private static ulong SwapFolded(ulong native) => BinaryPrimitives.ReverseEndianness(Fold(native));

    /// <summary>One's complement sum of the bytes read as native-order 16-bit words, not yet folded.</summary>
    private static ulong NativeSum(ReadOnlySpan<byte> data)
    {
        ulong sum = 0;
        ref byte start = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;
        nuint i = 0;

        if (Vector256.IsHardwareAccelerated && length >= 64)
        {
            Vector256<ulong> acc0 = Vector256<ulong>.Zero, acc1 = Vector256<ulong>.Zero;
            nuint last = length - 32;
            for (; i <= last; i += 32)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref start, i).AsUInt32());
                acc0 += lo;
                acc1 += hi;
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        else if (Vector128.IsHardwareAccelerated && length >= 32)
        {
            Vector128<ulong> acc0 = Vector128<ulong>.Zero, acc1 = Vector128<ulong>.Zero;
            nuint last = length - 16;
            for (; i <= last; i += 16)
            {
                var (lo, hi) = Vector128.Widen(Vector128.LoadUnsafe(ref start, i).AsUInt32());
                acc0 += lo;
                acc1 += hi;
            }
            sum = Vector128.Sum(acc0 + acc1);
        }

        for (; i + 4 <= length; i += 4)
        {
            sum += Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, i));
        }
        if (i + 2 <= length)
        {
            sum += Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref start, i));
            i += 2;
        }
        if (i < length)
        {
            // The odd byte is the high-order byte of a zero-padded 16-bit word in network order.
            byte odd = Unsafe.Add(ref start, i);
            sum += BitConverter.IsLittleEndian ? odd : (ulong)odd << 8;
        }
        return sum;
    }
}
