using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Overlay.Encapsulation;

/// <summary>The per-packet copy of a variant's outer-header template into the packet.</summary>
internal static class HeaderTemplate
{
    /// <summary>
    /// Copies a template of 32..128 bytes (every outer header but SRv6's longest) with overlapping vector moves instead of
    /// a call to memmove; longer ones take the runtime's copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyTo(byte[] template, Span<byte> packet)
    {
        int length = template.Length;
        if (length < 32 || length > 128 || !Vector256.IsHardwareAccelerated || packet.Length < length)
        {
            template.CopyTo(packet);
            return;
        }
        ref byte source = ref MemoryMarshal.GetArrayDataReference(template);
        ref byte target = ref MemoryMarshal.GetReference(packet);
        nuint tail = (nuint)(length - 32);
        if (length <= 64)
        {
            Vector256<byte> head = Vector256.LoadUnsafe(ref source);
            Vector256<byte> end = Vector256.LoadUnsafe(ref source, tail);
            head.StoreUnsafe(ref target);
            end.StoreUnsafe(ref target, tail);
        }
        else
        {
            Vector256<byte> a = Vector256.LoadUnsafe(ref source);
            Vector256<byte> b = Vector256.LoadUnsafe(ref source, 32);
            Vector256<byte> c = Vector256.LoadUnsafe(ref source, tail - 32);
            Vector256<byte> d = Vector256.LoadUnsafe(ref source, tail);
            a.StoreUnsafe(ref target);
            b.StoreUnsafe(ref target, 32);
            c.StoreUnsafe(ref target, tail - 32);
            d.StoreUnsafe(ref target, tail);
        }
    }
}
