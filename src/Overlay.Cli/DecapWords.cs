using System.Text.RegularExpressions;
using Overlay.Encapsulation;

namespace Overlay.Cli;

/// <summary>The decoder's outcomes as `overlay decap` prints them: plain words, not type names.</summary>
public static class DecapWords
{
    /// <summary>What was decapsulated, from the decoder's own reading of the headers.</summary>
    public static string Kind(in TunnelPacket packet) => packet.Protocol switch
    {
        // On the wire NVGRE is GRE with a key and an Ethernet payload; GRE-TEB with a key has the same framing.
        TunnelProtocol.Gre when packet.IsNvgreShaped => "NVGRE (or GRE-TEB with a key)",
        TunnelProtocol.Gre => "GRE",
        TunnelProtocol.Vxlan => "VXLAN",
        TunnelProtocol.Geneve => "GENEVE",
        TunnelProtocol.Srv6 => "SRv6",
        // SRv6 with one SID and no SRH (H.Encaps.Red, NEXT-C-SID in one container) is the same bytes as RFC 2473.
        TunnelProtocol.IpIp => "IP in IP",
        var other => Words(other.ToString()),
    };

    /// <summary>Why a frame could not be decapsulated.</summary>
    public static string Reason(DecapError error) => error switch
    {
        DecapError.Truncated => "cut short (a header or its packet runs past the frame's end)",
        DecapError.UnsupportedEtherType => "not IP (neither IPv4 nor IPv6 after the Ethernet header)",
        DecapError.WrongIpVersion => "IP version disagrees with the EtherType",
        DecapError.BadIpv4HeaderLength => "IPv4 header length below 20 bytes",
        DecapError.BadIpv4Checksum => "outer IPv4 header checksum wrong",
        DecapError.OuterFragment => "outer IP fragment (an endpoint reassembles it first)",
        DecapError.ExtensionHeaderChain => "IPv6 extension headers cut short",
        DecapError.NotATunnel => "not a tunnel (no GRE, UDP tunnel or SRv6 inside)",
        DecapError.UnknownUdpPort => "UDP, but not to the VXLAN (4789) or GENEVE (6081) port",
        DecapError.BadUdpLength => "UDP length disagrees with the IP length",
        DecapError.BadUdpChecksum => "UDP checksum wrong",
        DecapError.VxlanFlagMissing => "VXLAN I flag clear",
        DecapError.GreVersion => "GRE version not 0",
        DecapError.GreReservedBits => "GRE reserved bits set",
        DecapError.BadGreChecksum => "GRE checksum wrong",
        DecapError.UnknownProtocolType => "tunnel payload neither IP nor Ethernet",
        DecapError.GeneveVersion => "GENEVE version not 0",
        DecapError.GeneveOptionLengthBeyondPacket => "GENEVE options run past the packet",
        DecapError.GeneveOptionMalformed => "GENEVE option runs past the options",
        DecapError.SrhLengthMismatch => "SRH length disagrees with the packet or its Last Entry",
        DecapError.SegmentsLeftBeyondLastEntry => "SRH Segments Left beyond Last Entry",
        DecapError.InnerVersionMismatch => "inner IP version disagrees with the protocol type",
        var other => Words(other.ToString()),
    };

    /// <summary>"NotATunnel" as "not a tunnel": a readable form for any name the decoder gains later.</summary>
    internal static string Words(string name) =>
        Regex.Replace(name, "(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ").ToLowerInvariant();
}
