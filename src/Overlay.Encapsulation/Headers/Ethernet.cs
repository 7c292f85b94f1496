using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Overlay.Encapsulation.Headers;

/// <summary>Ethernet II (IEEE 802.3) header layout and EtherTypes, with 802.1Q/802.1ad tags.</summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Destination MAC (6 bytes)                    |
/// +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                               |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+      Source MAC (6 bytes)     +
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   EtherType / TPID (0x8100)   |  [TCI, then the next EtherType]
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public static class Ethernet
{
    public const int DestinationOffset = 0;
    public const int SourceOffset = 6;
    public const int AddressLength = 6;
    public const int EtherTypeOffset = 12;
    public const int HeaderLength = 14;
    public const int VlanTagLength = 4;

    /// <summary>At most this many stacked VLAN tags are walked (QinQ and one more); a frame with more is not IP to us.</summary>
    public const int MaxVlanTags = 3;

    public const ushort EtherTypeIPv4 = 0x0800;
    public const ushort EtherTypeIPv6 = 0x86DD;
    public const ushort EtherTypeArp = 0x0806;
    public const ushort EtherTypeVlan = 0x8100;
    public const ushort EtherTypeQinQ = 0x88A8;
    public const ushort EtherTypeQinQLegacy = 0x9100;
    /// <summary>Transparent Ethernet Bridging: the GRE and GENEVE protocol type of an Ethernet payload.</summary>
    public const ushort EtherTypeTransparentEthernetBridging = 0x6558;

    /// <summary>Overhead of a frame on the wire beyond its bytes: preamble + SFD 8, FCS 4, inter-frame gap 12.</summary>
    public const int PreambleAndSfd = 8;
    public const int FrameCheckSequence = 4;
    public const int InterFrameGap = 12;
    /// <summary>The minimum frame length with FCS; shorter frames are padded on the wire.</summary>
    public const int MinimumFrameWithFcs = 64;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsVlanTpid(ushort etherType) =>
        etherType is EtherTypeVlan or EtherTypeQinQ or EtherTypeQinQLegacy;

    /// <summary>
    /// Walks the VLAN tags of <paramref name="frame"/>: the EtherType after them and the length of the whole L2 header.
    /// False when the frame is shorter than its tags say, or has more than <see cref="MaxVlanTags"/> tags; then
    /// <paramref name="headerLength"/> is where the walk stopped and <paramref name="etherType"/> the TPID it refused
    /// (0 when the frame is shorter than an Ethernet header).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadL2Header(ReadOnlySpan<byte> frame, out ushort etherType, out int headerLength)
    {
        headerLength = HeaderLength;
        etherType = 0;
        if (frame.Length < HeaderLength)
        {
            return false;
        }
        etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(EtherTypeOffset));
        for (int tags = 0; IsVlanTpid(etherType); tags++)
        {
            if (tags == MaxVlanTags || frame.Length < headerLength + VlanTagLength)
            {
                return false;
            }
            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(headerLength + 2));
            headerLength += VlanTagLength;
        }
        return true;
    }

    /// <summary>Writes an untagged Ethernet header.</summary>
    public static void Write(Span<byte> destination, ReadOnlySpan<byte> destinationMac, ReadOnlySpan<byte> sourceMac, ushort etherType)
    {
        destinationMac.CopyTo(destination.Slice(DestinationOffset, AddressLength));
        sourceMac.CopyTo(destination.Slice(SourceOffset, AddressLength));
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(EtherTypeOffset), etherType);
    }

    /// <summary>Bytes a frame of <paramref name="frameLength"/> bytes (without FCS) occupies on the wire: padding, FCS, preamble and IFG.</summary>
    public static long WireLength(int frameLength) =>
        Math.Max(frameLength + FrameCheckSequence, MinimumFrameWithFcs) + PreambleAndSfd + InterFrameGap;
}
