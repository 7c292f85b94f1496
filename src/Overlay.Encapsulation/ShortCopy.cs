using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Overlay.Encapsulation;

/// <summary>
/// The per-packet copies of an encoder: an outer-header template into the packet, and a short payload (a 64-byte frame)
/// behind it. Lengths of 16..128 bytes move as two or four overlapping vectors instead of a call to memmove, whose
/// set-up costs more than the copy itself at these sizes; other lengths take the runtime's copy.
/// </summary>
internal static class ShortCopy
{
    /// <summary>
    /// As <see cref="ReadOnlySpan{T}.CopyTo(Span{T})"/>, overlapping spans included: every load is made before the first
    /// store, so the result is that of memmove.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyTo(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int length = source.Length;
        if (length < 16 || length > 128 || !Vector256.IsHardwareAccelerated || destination.Length < length)
        {
            source.CopyTo(destination);
            return;
        }
        // In bounds: 16 ≤ length ≤ destination.Length, and every vector below lies within [0, length).
        ref byte from = ref MemoryMarshal.GetReference(source);
        ref byte to = ref MemoryMarshal.GetReference(destination);
        if (length < 32)
        {
            nuint tail = (nuint)(length - 16);
            Vector128<byte> head = Vector128.LoadUnsafe(ref from);
            Vector128<byte> end = Vector128.LoadUnsafe(ref from, tail);
            head.StoreUnsafe(ref to);
            end.StoreUnsafe(ref to, tail);
        }
        else if (length <= 64)
        {
            nuint tail = (nuint)(length - 32);
            Vector256<byte> head = Vector256.LoadUnsafe(ref from);
            Vector256<byte> end = Vector256.LoadUnsafe(ref from, tail);
            head.StoreUnsafe(ref to);
            end.StoreUnsafe(ref to, tail);
        }
        else
        {
            nuint tail = (nuint)(length - 32);
            Vector256<byte> a = Vector256.LoadUnsafe(ref from);
            Vector256<byte> b = Vector256.LoadUnsafe(ref from, 32);
            Vector256<byte> c = Vector256.LoadUnsafe(ref from, tail - 32);
            Vector256<byte> d = Vector256.LoadUnsafe(ref from, tail);
            a.StoreUnsafe(ref to);
            b.StoreUnsafe(ref to, 32);
            c.StoreUnsafe(ref to, tail - 32);
            d.StoreUnsafe(ref to, tail);
        }
    }
}
