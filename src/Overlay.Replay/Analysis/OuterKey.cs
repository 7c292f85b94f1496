using System.Buffers.Binary;
using System.Numerics;
using Overlay.Encapsulation.Headers;

namespace Overlay.Replay.Analysis;

/// <summary>
/// What an ECMP underlay router hashes on: the outer source and destination address, protocol, TCP/UDP ports, and
/// the IPv6 flow label (RFC 6438). Nothing deeper: GRE keys and SRv6 segment lists are not looked at, as common
/// switch hashes do not. The hash is a different function from the encapsulator's flow hash, as a router's would be.
/// </summary>
public static class OuterKey
{
    /// <summary>A 64-bit key of the outer header fields of an encapsulated Ethernet frame; 0 for a frame that is not IP.</summary>
    public static ulong Of(ReadOnlySpan<byte> frame)
    {
        if (!Ethernet.TryReadL2Header(frame, out ushort etherType, out int ip))
        {
            return 0;
        }
        ulong h = 0x243F6A8885A308D3;
        if (etherType == Ethernet.EtherTypeIPv4 && frame.Length >= ip + Ipv4.MinHeaderLength)
        {
            ReadOnlySpan<byte> header = frame.Slice(ip);
            byte protocol = header[Ipv4.ProtocolOffset];
            h = Mix(h, BinaryPrimitives.ReadUInt64BigEndian(header.Slice(Ipv4.SourceOffset)));
            h = Mix(h, protocol);
            return Mix(h, Ports(header, protocol, Ipv4.HeaderLength(header)));
        }
        if (etherType == Ethernet.EtherTypeIPv6 && frame.Length >= ip + Ipv6.HeaderLength)
        {
            ReadOnlySpan<byte> header = frame.Slice(ip);
            for (int i = Ipv6.SourceOffset; i < Ipv6.SourceOffset + 2 * Ipv6.AddressLength; i += 8)
            {
                h = Mix(h, BinaryPrimitives.ReadUInt64BigEndian(header.Slice(i)));
            }
            byte protocol = header[Ipv6.NextHeaderOffset];
            h = Mix(h, ((ulong)protocol << 32) | Ipv6.FlowLabel(header));
            return Mix(h, Ports(header, protocol, Ipv6.HeaderLength));
        }
        return 0;
    }

    /// <summary>The path among <paramref name="paths"/> a key takes.</summary>
    public static int Path(ulong key, int paths) => (int)((key >> 32) * (ulong)paths >> 32);

    /// <summary>What entropy an encapsulation leaves for the underlay, named for the report.</summary>
    public static string EntropySource(ReadOnlySpan<byte> frame)
    {
        if (!Ethernet.TryReadL2Header(frame, out ushort etherType, out int ip))
        {
            return "none";
        }
        byte protocol = etherType == Ethernet.EtherTypeIPv6 ? frame[ip + Ipv6.NextHeaderOffset] : frame[ip + Ipv4.ProtocolOffset];
        if (protocol == Ipv4.ProtocolUdp)
        {
            return etherType == Ethernet.EtherTypeIPv6 && Ipv6.FlowLabel(frame.Slice(ip)) != 0 ? "udp-source-port+flow-label" : "udp-source-port";
        }
        return etherType == Ethernet.EtherTypeIPv6 && Ipv6.FlowLabel(frame.Slice(ip)) != 0 ? "flow-label" : "none";
    }

    private static ulong Ports(ReadOnlySpan<byte> header, byte protocol, int offset) =>
        protocol is Ipv4.ProtocolTcp or Ipv4.ProtocolUdp && header.Length >= offset + 4
            ? BinaryPrimitives.ReadUInt32BigEndian(header.Slice(offset))
            : 0;

    private static ulong Mix(ulong h, ulong v)
    {
        h ^= v * 0x9E3779B97F4A7C15;
        h = BitOperations.RotateLeft(h, 29) * 0xBF58476D1CE4E5B9;
        return h ^ (h >> 31);
    }
}
