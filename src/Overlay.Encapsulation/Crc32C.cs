using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Overlay.Encapsulation;

/// <summary>
/// One step of CRC32C (Castagnoli, reflected polynomial 0x82F63B78) over 4 or 8 bytes taken in little-endian order, without
/// the initial or final inversion: <see cref="FlowHash"/> chains the steps and inverts once at each end.
/// </summary>
internal interface ICrc32C
{
    static abstract uint Update(uint crc, uint data);
    static abstract uint Update(uint crc, ulong data);
}

/// <summary>
/// The CPU's CRC32C instruction where there is one (SSE 4.2's crc32 on x64, the CRC32C instructions on Arm64), the
/// runtime's table otherwise: <see cref="BitOperations.Crc32C(uint, ulong)"/> chooses, and compiles to the one instruction.
/// </summary>
internal readonly struct HardwareCrc32C : ICrc32C
{
    /// <summary>Whether this machine computes it with an instruction.</summary>
    public static bool IsAccelerated => Sse42.X64.IsSupported || Crc32.Arm64.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Update(uint crc, uint data) => BitOperations.Crc32C(crc, data);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Update(uint crc, ulong data) => BitOperations.Crc32C(crc, data);
}

/// <summary>
/// CRC32C by a 256-entry table, a byte at a time, in plain C#: the same values as <see cref="HardwareCrc32C"/> on any machine,
/// kept so that the hardware path is checked against code that does not depend on the CPU.
/// </summary>
internal readonly struct PortableCrc32C : ICrc32C
{
    /// <summary>The Castagnoli polynomial, bit-reflected (RFC 3720 §12.1).</summary>
    public const uint Polynomial = 0x82F63B78;

    private static readonly uint[] Table = BuildTable();

    public static uint Update(uint crc, uint data)
    {
        for (int i = 0; i < sizeof(uint); i++)
        {
            crc = Table[(byte)(crc ^ data)] ^ (crc >> 8);
            data >>= 8;
        }
        return crc;
    }

    public static uint Update(uint crc, ulong data) => Update(Update(crc, (uint)data), (uint)(data >> 32));

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < table.Length; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
