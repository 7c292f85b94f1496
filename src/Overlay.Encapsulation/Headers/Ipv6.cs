using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Overlay.Encapsulation.Headers;

/// <summary>IPv6 header layout (RFC 8200 §3) and the extension headers a parser must walk (§4).</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Version| Traffic Class |           Flow Label                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Payload Length        |  Next Header  |   Hop Limit   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Source Address (16 bytes)                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Destination Address (16 bytes)               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public static class Ipv6
{
    public const int VersionClassFlowOffset = 0;
    public const int PayloadLengthOffset = 4;
    public const int NextHeaderOffset = 6;
    public const int HopLimitOffset = 7;
    public const int SourceOffset = 8;
    public const int DestinationOffset = 24;
    public const int AddressLength = 16;
    public const int HeaderLength = 40;

    public const uint FlowLabelMask = 0x000F_FFFF;

    public const byte NextHeaderHopByHop = 0;
    public const byte NextHeaderRouting = 43;
    public const byte NextHeaderFragment = 44;
    public const byte NextHeaderEsp = 50;
    public const byte NextHeaderAuthentication = 51;
    public const byte NextHeaderIcmpv6 = 58;
    public const byte NextHeaderNone = 59;
    public const byte NextHeaderDestinationOptions = 60;
    public const byte NextHeaderMobility = 135;
    public const byte NextHeaderHip = 139;
    public const byte NextHeaderShim6 = 140;
    public const byte NextHeaderExperiment1 = 253;
    public const byte NextHeaderExperiment2 = 254;

    public static uint FirstWord(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt32BigEndian(header);
    public static byte TrafficClass(ReadOnlySpan<byte> header) => (byte)(FirstWord(header) >> 20);
    public static uint FlowLabel(ReadOnlySpan<byte> header) => FirstWord(header) & FlowLabelMask;
    public static ushort PayloadLength(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt16BigEndian(header.Slice(PayloadLengthOffset));

    /// <summary>Extension headers with the generic (next header, length in 8-octet units beyond the first) shape.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsGenericExtensionHeader(byte nextHeader) => nextHeader is
        NextHeaderHopByHop or NextHeaderRouting or NextHeaderDestinationOptions or NextHeaderMobility
        or NextHeaderHip or NextHeaderShim6 or NextHeaderExperiment1 or NextHeaderExperiment2;

    /// <summary>
    /// Walks the extension-header chain that starts at <paramref name="offset"/> with <paramref name="nextHeader"/>,
    /// bounded by <paramref name="packet"/>'s length (every header is at least 8 bytes, so the walk ends).
    /// Leaves <paramref name="nextHeader"/> and <paramref name="offset"/> at the upper-layer header.
    /// <paramref name="fragment"/> is set when a Fragment header was crossed, <paramref name="firstFragment"/> when its offset is 0.
    /// </summary>
    public static bool TrySkipExtensionHeaders(ReadOnlySpan<byte> packet, ref byte nextHeader, ref int offset, out bool fragment, out bool firstFragment)
    {
        fragment = false;
        firstFragment = true;
        while (true)
        {
            if (IsGenericExtensionHeader(nextHeader))
            {
                if (packet.Length < offset + 8)
                {
                    return false;
                }
                byte following = packet[offset];
                offset += (packet[offset + 1] + 1) * 8;
                nextHeader = following;
            }
            else if (nextHeader == NextHeaderAuthentication)
            {
                if (packet.Length < offset + 8)
                {
                    return false;
                }
                byte following = packet[offset];
                offset += (packet[offset + 1] + 2) * 4; // RFC 4302 §2.2: length in 4-octet units, minus 2.
                nextHeader = following;
            }
            else if (nextHeader == NextHeaderFragment)
            {
                if (packet.Length < offset + 8)
                {
                    return false;
                }
                fragment = true;
                firstFragment &= (BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset + 2)) & 0xFFF8) == 0;
                nextHeader = packet[offset];
                offset += 8;
            }
            else
            {
                return offset <= packet.Length;
            }
            if (offset > packet.Length)
            {
                return false;
            }
        }
    }

    /// <summary>Writes a 40-byte header; payload length, and where policies say so flow label, class and hop limit, are patched per packet.</summary>
    public static void Write(Span<byte> destination, byte trafficClass, uint flowLabel, byte nextHeader, byte hopLimit, ReadOnlySpan<byte> source, ReadOnlySpan<byte> dest)
    {
        WriteFirstWord(destination, trafficClass, flowLabel);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(PayloadLengthOffset), 0);
        destination[NextHeaderOffset] = nextHeader;
        destination[HopLimitOffset] = hopLimit;
        source.CopyTo(destination.Slice(SourceOffset, AddressLength));
        dest.CopyTo(destination.Slice(DestinationOffset, AddressLength));
    }

    public static void WriteFirstWord(Span<byte> header, byte trafficClass, uint flowLabel) =>
        BinaryPrimitives.WriteUInt32BigEndian(header, (6u << 28) | ((uint)trafficClass << 20) | (flowLabel & FlowLabelMask));

    /// <summary>
    /// The transport pseudo-header sum (RFC 8200 §8.1) for the upper-layer header of the IPv6 packet that starts
    /// <paramref name="packet"/>: source, final destination (<see cref="RoutingHeader.FinalDestination"/>: the routing
    /// header's last address while it has segments left, else the Destination Address), upper-layer length, next header.
    /// Given only the 40-byte header, it uses the Destination Address.
    /// </summary>
    public static ulong PseudoHeaderSum(ReadOnlySpan<byte> packet, byte nextHeader, int upperLayerLength)
    {
        if (packet[NextHeaderOffset] == nextHeader)
        {
            // No extension header: the common case (every tunnel this suite writes) needs no walk.
            return InternetChecksum.Add(0, packet.Slice(SourceOffset, 2 * AddressLength)) + nextHeader + (uint)upperLayerLength;
        }
        Span<byte> destination = stackalloc byte[AddressLength];
        RoutingHeader.FinalDestination(packet, destination);
        return InternetChecksum.Add(InternetChecksum.Add(0, packet.Slice(SourceOffset, AddressLength)), destination) + nextHeader + (uint)upperLayerLength;
    }
}
