using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Overlay.Encapsulation;

/// <summary>
/// Stores in network byte order at a fixed offset from a reference, with no bounds check: for the per-packet patch of a
/// copied header template, where the caller has already checked once that the whole outer header fits.
/// </summary>
internal static class NetworkOrder
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write16(ref byte start, int offset, ushort value) =>
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, offset), BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write32(ref byte start, int offset, uint value) =>
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, offset), BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Read16(ref byte start, int offset)
    {
        ushort value = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref start, offset));
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;
    }
}
