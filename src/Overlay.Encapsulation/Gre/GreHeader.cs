using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Overlay.Encapsulation.Gre;

/// <summary>GRE header layout (RFC 2784 §2, RFC 2890 §2).</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |C| |K|S| Reserved0       | Ver |         Protocol Type         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Checksum (optional)      |       Reserved1 (Optional)    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Key (optional)                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 Sequence Number (Optional)                    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The optional words appear in that order, each only when its bit is set. The checksum covers the GRE
/// header and the payload (RFC 2784 §2.5).
/// </remarks>
public static class GreHeader
{
    public const int FlagsOffset = 0;
    public const int ProtocolTypeOffset = 2;
    public const int BaseLength = 4;
    public const int OptionalWordLength = 4;
    public const int MaxLength = BaseLength + 3 * OptionalWordLength;

    public const ushort ChecksumPresent = 0x8000;
    public const ushort KeyPresent = 0x2000;
    public const ushort SequencePresent = 0x1000;
    /// <summary>
    /// Bits 1, 4 and 5 (RFC 1701's routing, strict source route and recursion bits): RFC 2784 §2.3.1 says a receiver
    /// must discard a packet with any of them set. Bits 6-12 are ignored on receipt. Bits 2 and 3 are K and S (RFC 2890).
    /// </summary>
    public const ushort MustBeZeroMask = 0x4000 | 0x0800 | 0x0400;
    public const ushort VersionMask = 0x0007;

    public static ushort Flags(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt16BigEndian(header.Slice(FlagsOffset));
    public static ushort ProtocolType(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt16BigEndian(header.Slice(ProtocolTypeOffset));

    /// <summary>The header's length from its flags: 4 bytes plus 4 for each of C, K and S.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Length(ushort flags) =>
        BaseLength
        + ((flags & ChecksumPresent) != 0 ? OptionalWordLength : 0)
        + ((flags & KeyPresent) != 0 ? OptionalWordLength : 0)
        + ((flags & SequencePresent) != 0 ? OptionalWordLength : 0);

    /// <summary>Offset of the Key field (valid when K is set).</summary>
    public static int KeyOffset(ushort flags) => BaseLength + ((flags & ChecksumPresent) != 0 ? OptionalWordLength : 0);

    /// <summary>Offset of the Sequence Number field (valid when S is set).</summary>
    public static int SequenceOffset(ushort flags) => KeyOffset(flags) + ((flags & KeyPresent) != 0 ? OptionalWordLength : 0);

    /// <summary>Writes a GRE header, version 0, with zeroed checksum and sequence fields where present.</summary>
    public static byte[] Build(bool checksum, uint? key, bool sequence, ushort protocolType)
    {
        ushort flags = (ushort)((checksum ? ChecksumPresent : 0) | (key.HasValue ? KeyPresent : 0) | (sequence ? SequencePresent : 0));
        var header = new byte[Length(flags)];
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(FlagsOffset), flags);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(ProtocolTypeOffset), protocolType);
        if (key is uint k)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(KeyOffset(flags)), k);
        }
        return header;
    }
}
