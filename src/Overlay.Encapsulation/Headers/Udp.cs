using System.Buffers.Binary;

namespace Overlay.Encapsulation.Headers;

/// <summary>UDP header layout (RFC 768).</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Source Port          |       Destination Port        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            Length             |           Checksum            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public static class Udp
{
    public const int SourcePortOffset = 0;
    public const int DestinationPortOffset = 2;
    public const int LengthOffset = 4;
    public const int ChecksumOffset = 6;
    public const int HeaderLength = 8;

    public const ushort VxlanPort = 4789;
    public const ushort GenevePort = 6081;

    public static void Write(Span<byte> destination, ushort sourcePort, ushort destinationPort)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(SourcePortOffset), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(DestinationPortOffset), destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(LengthOffset), 0);
    }

    /// <summary>
    /// The checksum to store, given the pseudo-header sum and the UDP datagram (checksum field zero).
    /// A computed 0 is sent as 0xFFFF (RFC 768), since 0 means "no checksum".
    /// </summary>
    public static ushort ChecksumValue(ulong pseudoHeaderSum, ReadOnlySpan<byte> datagram)
    {
        ushort value = InternetChecksum.Finish(InternetChecksum.Add(pseudoHeaderSum, datagram));
        return value == 0 ? (ushort)0xFFFF : value;
    }
}
