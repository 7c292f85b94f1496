using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation;

/// <summary>
/// What an encapsulator needs to know about an inner Ethernet frame, read once before anything is written
/// (so an in-place encapsulation may then overwrite the inner Ethernet header).
/// </summary>
public readonly record struct InnerFrame
{
    /// <summary>Bytes of Ethernet header, VLAN tags included.</summary>
    public int L2HeaderLength { get; init; }
    /// <summary>The EtherType after the VLAN tags.</summary>
    public ushort EtherType { get; init; }
    /// <summary>4 or 6 for an IP packet whose header is complete, else 0.</summary>
    public int IpVersion { get; init; }
    /// <summary>The IP packet's length by its own header (Total Length, or 40 + Payload Length); the frame may hold padding after it.</summary>
    public int IpLength { get; init; }
    /// <summary>IPv4 TTL or IPv6 Hop Limit.</summary>
    public byte HopLimit { get; init; }
    /// <summary>IPv4 TOS or IPv6 Traffic Class (DSCP and ECN).</summary>
    public byte TrafficClass { get; init; }
    /// <summary>The IPv6 flow label, 0 for IPv4.</summary>
    public uint FlowLabel { get; init; }
    /// <summary>The inner flow's hash (see <see cref="Encapsulation.FlowHash"/>).</summary>
    public uint FlowHash { get; init; }

    public bool IsIp => IpVersion != 0;

    /// <summary>
    /// Whether the IPv4 packet in <paramref name="frame"/> (the frame this was parsed from) has its Don't Fragment bit
    /// set; false for IPv6, which has none, and for a frame that is not IP. Read on demand rather than parsed with every
    /// frame: only the few callers that need it (RFC 2003's DF copy, the black-hole count) pay for it.
    /// </summary>
    public bool DontFragmentIn(ReadOnlySpan<byte> frame) =>
        IpVersion == 4 && (Ipv4.FlagsAndFragment(frame.Slice(L2HeaderLength)) & Ipv4.DontFragmentFlag) != 0;

    /// <summary>
    /// Reads <paramref name="frame"/>. False only when it is not even an Ethernet header; a non-IP frame
    /// (ARP, LLDP, an IP header cut short) parses with <see cref="IpVersion"/> 0 and a hash of its MAC addresses.
    /// An IP packet whose length field runs beyond the frame is treated as not IP: it cannot be carried as L3.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, out InnerFrame inner) => TryParse(frame, frame.Length, out inner);

    /// <summary>
    /// Reads a frame of which only <paramref name="captured"/> is at hand, <paramref name="originalLength"/> bytes long
    /// on the wire (a capture cut at its snap length): IP lengths may then reach up to the original length.
    /// The flow hash reads only captured bytes.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> captured, int originalLength, out InnerFrame inner) =>
        TryParse(captured, originalLength, withFlowHash: true, out inner);

    /// <summary>As <see cref="TryParse(ReadOnlySpan{byte}, int, out InnerFrame)"/>; without <paramref name="withFlowHash"/>, <see cref="FlowHash"/> is left 0 (an encapsulator that sends no entropy skips the hash).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryParse(ReadOnlySpan<byte> captured, int originalLength, bool withFlowHash, out InnerFrame inner) =>
        TryParseUntagged(captured, originalLength, withFlowHash, out inner)
        || TryParseAny(captured, originalLength, withFlowHash, out inner);

    /// <summary>
    /// The common frame in one straight pass: untagged IPv4 without options, or untagged IPv6 with no extension header (TCP,
    /// UDP or any other upper layer), the IP packet within the frame. False for every other frame, which <see cref="TryParseAny"/> then reads, VLAN tags and
    /// extension headers included; where both read a frame they agree field for field.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryParseUntagged(ReadOnlySpan<byte> captured, int originalLength, bool withFlowHash, out InnerFrame inner)
    {
        const int Ip = Ethernet.HeaderLength;
        inner = default;
        int length = captured.Length;
        // Fields are read as little-endian words (the hash key as the CRC instruction takes it); a big-endian machine takes the general path.
        if (!BitConverter.IsLittleEndian || length < Ip + Ipv4.MinHeaderLength + 4)
        {
            return false;
        }
        ref byte frame = ref MemoryMarshal.GetReference(captured);
        int wireLength = Math.Max(originalLength, length);
        ushort etherType = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref frame, Ethernet.EtherTypeOffset)));
        if (etherType == Ethernet.EtherTypeIPv4)
        {
            uint firstWord = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref frame, Ip)));
            int total = (int)(firstWord & 0xFFFF);
            byte protocol = Unsafe.Add(ref frame, Ip + Ipv4.ProtocolOffset);
            if (firstWord >> 24 != 0x45 || total < Ipv4.MinHeaderLength || total > wireLength - Ip)
            {
                return false;
            }
            uint hash = 0;
            if (withFlowHash)
            {
                ushort flags = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref frame, Ip + Ipv4.FlagsFragmentOffset)));
                // Ports where the packet (cut at Total Length and at the capture) holds them and it is not a fragment.
                bool ports = protocol is Ipv4.ProtocolTcp or Ipv4.ProtocolUdp or Ipv4.ProtocolSctp
                    && (flags & (Ipv4.MoreFragmentsFlag | Ipv4.FragmentOffsetMask)) == 0
                    && Math.Min(total, length - Ip) >= Ipv4.MinHeaderLength + 4;
                hash = Encapsulation.FlowHash.OfIpv4Key<HardwareCrc32C>(
                    Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref frame, Ip + Ipv4.SourceOffset)),
                    ports ? Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref frame, Ip + Ipv4.MinHeaderLength)) : 0, protocol);
            }
            inner = new InnerFrame
            {
                L2HeaderLength = Ip,
                EtherType = etherType,
                IpVersion = 4,
                IpLength = total,
                HopLimit = Unsafe.Add(ref frame, Ip + Ipv4.TtlOffset),
                TrafficClass = (byte)(firstWord >> 16),
                FlowHash = hash,
            };
            return true;
        }
        if (etherType == Ethernet.EtherTypeIPv6 && length >= Ip + Ipv6.HeaderLength + 4)
        {
            uint firstWord = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref frame, Ip)));
            int total = Ipv6.HeaderLength + BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref frame, Ip + Ipv6.PayloadLengthOffset)));
            byte nextHeader = Unsafe.Add(ref frame, Ip + Ipv6.NextHeaderOffset);
            if (firstWord >> 28 != 6 || total > wireLength - Ip || Ipv6.IsGenericExtensionHeader(nextHeader)
                || nextHeader is Ipv6.NextHeaderAuthentication or Ipv6.NextHeaderFragment)
            {
                return false;
            }
            uint hash = 0;
            if (withFlowHash)
            {
                ref byte addresses = ref Unsafe.Add(ref frame, Ip + Ipv6.SourceOffset);
                bool ports = nextHeader is Ipv4.ProtocolTcp or Ipv4.ProtocolUdp or Ipv4.ProtocolSctp
                    && Math.Min(total, length - Ip) >= Ipv6.HeaderLength + 4;
                hash = Encapsulation.FlowHash.OfIpv6Key<HardwareCrc32C>(
                    Unsafe.ReadUnaligned<ulong>(ref addresses), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref addresses, 8)),
                    Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref addresses, 16)), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref addresses, 24)),
                    ports ? Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref frame, Ip + Ipv6.HeaderLength)) : 0, nextHeader);
            }
            inner = new InnerFrame
            {
                L2HeaderLength = Ip,
                EtherType = etherType,
                IpVersion = 6,
                IpLength = total,
                HopLimit = Unsafe.Add(ref frame, Ip + Ipv6.HopLimitOffset),
                TrafficClass = (byte)(firstWord >> 20),
                FlowLabel = firstWord & Ipv6.FlowLabelMask,
                FlowHash = hash,
            };
            return true;
        }
        return false;
    }

    /// <summary>Any frame: VLAN tags walked, IPv4 options and IPv6 extension headers read, non-IP frames hashed by their MAC addresses.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static bool TryParseAny(ReadOnlySpan<byte> captured, int originalLength, bool withFlowHash, out InnerFrame inner)
    {
        ReadOnlySpan<byte> frame = captured;
        int wireLength = Math.Max(originalLength, captured.Length);
        inner = default;
        if (!Ethernet.TryReadL2Header(frame, out ushort etherType, out int l2Length))
        {
            if (frame.Length < Ethernet.HeaderLength)
            {
                return false;
            }
            // Too many tags or a tag cut short: not IP; still carried in L2 mode.
            inner = new InnerFrame { L2HeaderLength = Ethernet.HeaderLength, EtherType = etherType, FlowHash = withFlowHash ? Encapsulation.FlowHash.OfAddresses(frame.Slice(0, 12)) : 0 };
            return true;
        }

        ReadOnlySpan<byte> ip = frame.Slice(l2Length);
        if (etherType == Ethernet.EtherTypeIPv4 && ip.Length >= Ipv4.MinHeaderLength && Ipv4.Version(ip) == 4)
        {
            int ihl = Ipv4.HeaderLength(ip);
            int total = Ipv4.TotalLength(ip);
            if (ihl >= Ipv4.MinHeaderLength && total >= ihl && ihl <= ip.Length && total <= wireLength - l2Length)
            {
                inner = new InnerFrame
                {
                    L2HeaderLength = l2Length,
                    EtherType = etherType,
                    IpVersion = 4,
                    IpLength = total,
                    HopLimit = ip[Ipv4.TtlOffset],
                    TrafficClass = ip[Ipv4.TosOffset],
                    FlowHash = withFlowHash ? Encapsulation.FlowHash.OfIpv4(ip.Slice(0, Math.Min(total, ip.Length))) : 0,
                };
                return true;
            }
        }
        else if (etherType == Ethernet.EtherTypeIPv6 && ip.Length >= Ipv6.HeaderLength && ip[0] >> 4 == 6)
        {
            int total = Ipv6.HeaderLength + Ipv6.PayloadLength(ip);
            // A zero Payload Length means a Jumbo Payload option (RFC 2675); it cannot occur in a frame we can carry.
            if (total <= wireLength - l2Length)
            {
                inner = new InnerFrame
                {
                    L2HeaderLength = l2Length,
                    EtherType = etherType,
                    IpVersion = 6,
                    IpLength = total,
                    HopLimit = ip[Ipv6.HopLimitOffset],
                    TrafficClass = Ipv6.TrafficClass(ip),
                    FlowLabel = Ipv6.FlowLabel(ip),
                    FlowHash = withFlowHash ? Encapsulation.FlowHash.OfIpv6(ip.Slice(0, Math.Min(total, ip.Length))) : 0,
                };
                return true;
            }
        }

        inner = new InnerFrame { L2HeaderLength = l2Length, EtherType = etherType, FlowHash = withFlowHash ? Encapsulation.FlowHash.OfAddresses(frame.Slice(0, 12)) : 0 };
        return true;
    }
}
