using System.Buffers.Binary;

namespace Overlay.Encapsulation.Geneve;

/// <summary>GENEVE header and option layout (RFC 8926 §3.4, §3.5).</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |        Virtual Network Identifier (VNI)       |    Reserved   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Variable-Length Options                    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Each option (§3.5):
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Option Class         |      Type     |R|R|R| Length  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Variable-Length Option Data                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Opt Len and each option's Length count 4-byte words, Length without the option's own 4-byte header.
/// The high bit of an option's Type is its critical bit; C must be set when any option is critical.
/// </remarks>
public static class GeneveHeader
{
    public const int VersionOptLenOffset = 0;
    public const int FlagsOffset = 1;
    public const int ProtocolTypeOffset = 2;
    public const int VniOffset = 4;
    public const int BaseLength = 8;
    public const int WordLength = 4;

    public const int OptLenMask = 0x3F;
    /// <summary>Opt Len has 6 bits of 4-byte words.</summary>
    public const int MaxOptionsLength = OptLenMask * WordLength;
    public const int MaxLength = BaseLength + MaxOptionsLength;
    public const byte OamFlag = 0x80;
    public const byte CriticalFlag = 0x40;
    public const int Version = 0;
    public const uint MaxVniValue = 0xFF_FFFF;

    public const int OptionHeaderLength = 4;
    public const int OptionClassOffset = 0;
    public const int OptionTypeOffset = 2;
    public const int OptionLengthOffset = 3;
    public const int OptionLengthMask = 0x1F;
    /// <summary>An option's Length has 5 bits of 4-byte words.</summary>
    public const int MaxOptionDataLength = OptionLengthMask * WordLength;
    public const byte OptionCriticalType = 0x80;

    public static int VersionOf(ReadOnlySpan<byte> header) => header[VersionOptLenOffset] >> 6;
    public static int OptionsLength(ReadOnlySpan<byte> header) => (header[VersionOptLenOffset] & OptLenMask) * WordLength;
    public static bool Oam(ReadOnlySpan<byte> header) => (header[FlagsOffset] & OamFlag) != 0;
    public static bool Critical(ReadOnlySpan<byte> header) => (header[FlagsOffset] & CriticalFlag) != 0;
    public static ushort ProtocolType(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt16BigEndian(header.Slice(ProtocolTypeOffset));
    public static uint Vni(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt32BigEndian(header.Slice(VniOffset)) >> 8;
    public static int OptionDataLength(ReadOnlySpan<byte> option) => (option[OptionLengthOffset] & OptionLengthMask) * WordLength;

    public static byte[] Build(uint vni, bool oam, IReadOnlyList<GeneveOption> options, ushort protocolType)
    {
        int optionsLength = 0;
        bool critical = false;
        foreach (GeneveOption option in options)
        {
            optionsLength += option.EncodedLength;
            critical |= option.Critical;
        }
        var header = new byte[BaseLength + optionsLength];
        header[VersionOptLenOffset] = (byte)((Version << 6) | (optionsLength / WordLength));
        header[FlagsOffset] = (byte)((oam ? OamFlag : 0) | (critical ? CriticalFlag : 0));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(ProtocolTypeOffset), protocolType);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(VniOffset), vni << 8);
        int offset = BaseLength;
        foreach (GeneveOption option in options)
        {
            offset += option.WriteTo(header.AsSpan(offset));
        }
        return header;
    }
}
