using System.Buffers.Binary;

namespace Overlay.Encapsulation.Vxlan;

/// <summary>VXLAN header layout (RFC 7348 §5).</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |R|R|R|R|I|R|R|R|            Reserved                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                VXLAN Network Identifier (VNI) |   Reserved    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The I flag must be 1; reserved fields are sent as zero and ignored on receipt.
/// </remarks>
public static class VxlanHeader
{
    public const int FlagsOffset = 0;
    public const int VniOffset = 4;
    public const int Length = 8;
    public const byte ValidVniFlag = 0x08;
    public const uint MaxVni = 0xFF_FFFF;

    public static byte Flags(ReadOnlySpan<byte> header) => header[FlagsOffset];
    public static uint Vni(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt32BigEndian(header.Slice(VniOffset)) >> 8;

    public static byte[] Build(uint vni)
    {
        var header = new byte[Length];
        header[FlagsOffset] = ValidVniFlag;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(VniOffset), vni << 8);
        return header;
    }
}
