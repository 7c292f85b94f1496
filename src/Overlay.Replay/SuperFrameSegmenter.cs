using System.Buffers.Binary;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;

namespace Overlay.Replay;

/// <summary>
/// Models a GSO/TSO/GRO super-frame (larger than the interface MTU, as host captures record them) as the
/// MTU-sized TCP segments that crossed the wire: headers copied, payload cut at the MSS, IPv4 Total Length,
/// Identification and checksum, IPv6 Payload Length, TCP sequence number, flags and checksum rewritten per segment.
/// Only TCP over IPv4/IPv6 without IPv6 extension headers is segmented; other super-frames are kept whole and counted.
/// </summary>
public static class SuperFrameSegmenter
{
    private const byte TcpFin = 0x01;
    private const byte TcpPsh = 0x08;

    /// <summary>Whether the frame's IP packet exceeds <paramref name="mtu"/>.</summary>
    public static bool IsSuperFrame(ReadOnlySpan<byte> frame, int originalLength, int mtu) =>
        InnerFrame.TryParse(frame, originalLength, out InnerFrame inner) && inner.IsIp
            ? inner.IpLength > mtu
            : originalLength - Ethernet.HeaderLength > mtu;

    /// <summary>
    /// Calls <paramref name="emit"/> with each segment of <paramref name="frame"/>; false (nothing emitted) when the frame
    /// is not a complete TCP packet this model can cut.
    /// </summary>
    public static bool TrySegment(ReadOnlySpan<byte> frame, int mtu, Span<byte> scratch, Action<ReadOnlySpan<byte>> emit)
    {
        if (!InnerFrame.TryParse(frame, out InnerFrame inner) || !inner.IsIp)
        {
            return false;
        }
        int l2 = inner.L2HeaderLength;
        ReadOnlySpan<byte> ip = frame.Slice(l2, inner.IpLength);
        int ipHeader;
        if (inner.IpVersion == 4)
        {
            if (ip[Ipv4.ProtocolOffset] != Ipv4.ProtocolTcp || Ipv4.IsFragment(ip))
            {
                return false;
            }
            ipHeader = Ipv4.HeaderLength(ip);
        }
        else
        {
            if (ip[Ipv6.NextHeaderOffset] != Ipv4.ProtocolTcp)
            {
                return false;
            }
            ipHeader = Ipv6.HeaderLength;
        }
        if (ip.Length < ipHeader + 20)
        {
            return false;
        }
        int tcpHeader = (ip[ipHeader + 12] >> 4) * 4;
        int headers = ipHeader + tcpHeader;
        int mss = mtu - headers;
        if (tcpHeader < 20 || ip.Length < headers || mss <= 0)
        {
            return false;
        }
        ReadOnlySpan<byte> payload = ip.Slice(headers);
        uint sequence = BinaryPrimitives.ReadUInt32BigEndian(ip.Slice(ipHeader + 4));
        ushort identification = inner.IpVersion == 4 ? BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(Ipv4.IdentificationOffset)) : (ushort)0;
        byte flags = ip[ipHeader + 13];
        for (int at = 0, index = 0; at < payload.Length; at += mss, index++)
        {
            int chunk = Math.Min(mss, payload.Length - at);
            bool last = at + chunk >= payload.Length;
            Span<byte> segment = scratch.Slice(0, l2 + headers + chunk);
            frame.Slice(0, l2 + headers).CopyTo(segment);
            payload.Slice(at, chunk).CopyTo(segment.Slice(l2 + headers));
            Span<byte> sip = segment.Slice(l2);
            Span<byte> tcp = sip.Slice(ipHeader);
            int tcpLength = tcpHeader + chunk;
            ulong pseudo;
            if (inner.IpVersion == 4)
            {
                BinaryPrimitives.WriteUInt16BigEndian(sip.Slice(Ipv4.TotalLengthOffset), (ushort)(headers + chunk));
                BinaryPrimitives.WriteUInt16BigEndian(sip.Slice(Ipv4.IdentificationOffset), (ushort)(identification + index));
                BinaryPrimitives.WriteUInt16BigEndian(sip.Slice(Ipv4.ChecksumOffset), 0);
                BinaryPrimitives.WriteUInt16BigEndian(sip.Slice(Ipv4.ChecksumOffset), InternetChecksum.Compute(sip.Slice(0, ipHeader)));
                pseudo = Ipv4.PseudoHeaderSum(sip, Ipv4.ProtocolTcp, tcpLength);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(sip.Slice(Ipv6.PayloadLengthOffset), (ushort)tcpLength);
                pseudo = Ipv6.PseudoHeaderSum(sip, Ipv4.ProtocolTcp, tcpLength);
            }
            BinaryPrimitives.WriteUInt32BigEndian(tcp.Slice(4), sequence + (uint)at);
            tcp[13] = last ? flags : (byte)(flags & ~(TcpFin | TcpPsh));
            BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(16), 0);
            BinaryPrimitives.WriteUInt16BigEndian(tcp.Slice(16), InternetChecksum.Finish(InternetChecksum.Add(pseudo, tcp.Slice(0, tcpLength))));
            emit(segment);
        }
        return true;
    }
}
