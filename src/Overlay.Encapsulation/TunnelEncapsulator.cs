using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation;

/// <summary>
/// The part of the outer headers a protocol contributes for one kind of payload: the IP protocol / next header
/// that introduces it, and its bytes as written before the per-packet patch.
/// </summary>
public readonly record struct TunnelHeader(byte OuterProtocol, byte[] Bytes)
{
    public static TunnelHeader None(byte outerProtocol) => new(outerProtocol, []);
}

/// <summary>
/// The shared engine of every variant: outer Ethernet + IPv4/IPv6 (+ UDP) + the protocol's own header, built
/// once as a template per payload kind, then per packet copied and patched (lengths, identification, TTL/hop
/// limit, DSCP/ECN, flow label, UDP source port and checksums), as Linux's seg6_iptunnel and VPP build theirs.
/// </summary>
/// <remarks>
/// A protocol folder derives from this class, supplies its header bytes to the constructor and, if its header
/// has per-packet fields (a GRE sequence number or checksum, the NVGRE FlowID), overrides <see cref="PatchTunnelHeader"/>.
/// </remarks>
public abstract class TunnelEncapsulator : IEncapsulator
{
    private const int MaxIpv4TotalLength = ushort.MaxValue;
    private const int MaxIpv6PayloadLength = ushort.MaxValue;

    // Templates by payload kind: [0] Ethernet, [1] inner IPv4, [2] inner IPv6.
    private readonly byte[][] _templates = new byte[3][];
    private readonly bool _ipv6;
    private readonly bool _udp;
    private readonly bool _udpChecksum;
    private readonly bool _stripVlanTags;
    private readonly int _l4Offset;
    private readonly HopLimitPolicy _hopLimit;
    private readonly DscpPolicy _dscp;
    private readonly FlowLabelPolicy _flowLabel;
    private readonly PortRange _ports;
    private ushort _identification;

    /// <param name="name">The variant's stable name.</param>
    /// <param name="mode">L2 (the Ethernet frame) or L3 (the IP packet).</param>
    /// <param name="underlay">Outer addresses and per-packet policies; validated here.</param>
    /// <param name="outerDestination">The outer destination address (the remote endpoint, or SRv6's first segment).</param>
    /// <param name="udpDestinationPort">The UDP port for UDP-based tunnels, or null for none.</param>
    /// <param name="forEthernet">The protocol header for an Ethernet payload (L2 mode).</param>
    /// <param name="forIpv4">The protocol header for an IPv4 payload (L3 mode).</param>
    /// <param name="forIpv6">The protocol header for an IPv6 payload (L3 mode).</param>
    /// <param name="stripVlanTags">L2 only: drop the inner frame's 802.1Q tags (NVGRE, RFC 7637 §3.2).</param>
    protected TunnelEncapsulator(string name, PayloadMode mode, Underlay underlay, IPAddress outerDestination, ushort? udpDestinationPort,
        TunnelHeader forEthernet, TunnelHeader forIpv4, TunnelHeader forIpv6, bool stripVlanTags = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(underlay);
        ArgumentNullException.ThrowIfNull(outerDestination);
        underlay.Validate(needsDestination: false);
        if (outerDestination.AddressFamily != underlay.Source.AddressFamily)
        {
            throw new ArgumentException($"Outer destination {outerDestination} and source {underlay.Source} are of different address families.", nameof(outerDestination));
        }
        if (mode == PayloadMode.L3 && forIpv4.Bytes.Length != forIpv6.Bytes.Length)
        {
            throw new ArgumentException("The L3 tunnel headers for IPv4 and IPv6 payloads must have one length.", nameof(forIpv6));
        }

        Name = name;
        Mode = mode;
        Underlay = underlay;
        _ipv6 = underlay.IsIpv6;
        _udp = udpDestinationPort.HasValue;
        _udpChecksum = _udp && underlay.ComputesUdpChecksum;
        _stripVlanTags = stripVlanTags && mode == PayloadMode.L2;
        _hopLimit = underlay.HopLimit;
        _dscp = underlay.Dscp;
        _flowLabel = underlay.FlowLabel;
        _ports = underlay.SourcePorts;

        int ipLength = _ipv6 ? Ipv6.HeaderLength : Ipv4.MinHeaderLength;
        _l4Offset = Ethernet.HeaderLength + ipLength;
        TunnelOffset = _l4Offset + (_udp ? Udp.HeaderLength : 0);

        if (mode == PayloadMode.L2)
        {
            _templates[0] = BuildTemplate(forEthernet, udpDestinationPort, outerDestination);
            _templates[1] = _templates[2] = _templates[0];
        }
        else
        {
            _templates[0] = BuildTemplate(forIpv4, udpDestinationPort, outerDestination);
            _templates[1] = _templates[0];
            _templates[2] = BuildTemplate(forIpv6, udpDestinationPort, outerDestination);
        }
        HeaderLength = _templates[0].Length;
    }

    public string Name { get; }
    public PayloadMode Mode { get; }
    public int HeaderLength { get; }
    public Underlay Underlay { get; }

    /// <summary>Where the protocol's own header starts in the encapsulated frame (after outer Ethernet, IP and UDP).</summary>
    public int TunnelOffset { get; }

    /// <summary>The outer header bytes written for an Ethernet / IPv4 / IPv6 payload, before the per-packet patch.</summary>
    public ReadOnlySpan<byte> Template(int innerIpVersion) => _templates[TemplateIndex(innerIpVersion)];

    public int GetEncapsulatedLength(ReadOnlySpan<byte> innerFrame) => GetEncapsulatedLength(innerFrame, innerFrame.Length);

    public int GetEncapsulatedLength(ReadOnlySpan<byte> captured, int originalLength) =>
        InnerFrame.TryParse(captured, originalLength, out InnerFrame inner)
        && TryGetPayload(Math.Max(originalLength, captured.Length), inner, out _, out int length, out _)
            ? HeaderLength + length
            : -1;

    public OperationStatus Encapsulate(ReadOnlySpan<byte> innerFrame, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (!InnerFrame.TryParse(innerFrame, out InnerFrame inner)
            || !TryGetPayload(innerFrame.Length, inner, out int payloadOffset, out int payloadLength, out int strippedTags))
        {
            return OperationStatus.InvalidData;
        }
        int total = HeaderLength + payloadLength;
        if (destination.Length < total)
        {
            return OperationStatus.DestinationTooSmall;
        }

        Span<byte> packet = destination.Slice(0, total);
        _templates[TemplateIndex(inner.IpVersion)].CopyTo(packet);
        if (strippedTags == 0)
        {
            innerFrame.Slice(payloadOffset, payloadLength).CopyTo(packet.Slice(HeaderLength));
        }
        else
        {
            innerFrame.Slice(0, 2 * Ethernet.AddressLength).CopyTo(packet.Slice(HeaderLength));
            innerFrame.Slice(2 * Ethernet.AddressLength + strippedTags).CopyTo(packet.Slice(HeaderLength + 2 * Ethernet.AddressLength));
        }
        Patch(packet, inner);
        bytesWritten = total;
        return OperationStatus.Done;
    }

    public OperationStatus EncapsulateInPlace(Span<byte> buffer, int frameOffset, int frameLength, out int packetOffset, out int packetLength)
    {
        packetOffset = 0;
        packetLength = 0;
        if ((uint)frameOffset > (uint)buffer.Length || (uint)frameLength > (uint)(buffer.Length - frameOffset))
        {
            return OperationStatus.InvalidData;
        }
        ReadOnlySpan<byte> frame = buffer.Slice(frameOffset, frameLength);
        if (!InnerFrame.TryParse(frame, out InnerFrame inner)
            || !TryGetPayload(frameLength, inner, out int payloadOffset, out int payloadLength, out int strippedTags))
        {
            return OperationStatus.InvalidData;
        }
        int start = frameOffset + payloadOffset - HeaderLength;
        if (start < 0)
        {
            return OperationStatus.DestinationTooSmall;
        }
        if (strippedTags != 0)
        {
            // Slide the MAC addresses over the tags: the only payload bytes that move.
            buffer.Slice(frameOffset, 2 * Ethernet.AddressLength).CopyTo(buffer.Slice(frameOffset + strippedTags));
        }
        Span<byte> packet = buffer.Slice(start, HeaderLength + payloadLength);
        _templates[TemplateIndex(inner.IpVersion)].CopyTo(packet);
        Patch(packet, inner);
        packetOffset = start;
        packetLength = packet.Length;
        return OperationStatus.Done;
    }

    /// <summary>Writes the protocol header's per-packet fields; <paramref name="tunnel"/> runs from the protocol header to the end of the frame.</summary>
    protected virtual void PatchTunnelHeader(Span<byte> tunnel, in InnerFrame inner)
    {
    }

    /// <summary>The underlay's part of a variant name: "ipv4" or "ipv6".</summary>
    protected static string UnderlayName(Underlay underlay)
    {
        ArgumentNullException.ThrowIfNull(underlay);
        return underlay.IsIpv6 ? "ipv6" : "ipv4";
    }

    /// <summary>Validates <paramref name="underlay"/> for a point-to-point tunnel and returns its remote endpoint.</summary>
    protected static IPAddress RemoteEndpoint(Underlay underlay)
    {
        ArgumentNullException.ThrowIfNull(underlay);
        underlay.Validate(needsDestination: true);
        return underlay.Destination!;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Inherits(InheritFrom from, in InnerFrame inner) =>
        from == InheritFrom.Ip ? inner.IsIp : from == InheritFrom.Ipv6 && inner.IpVersion == 6;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TemplateIndex(int ipVersion) => ipVersion == 6 ? 2 : ipVersion == 4 ? 1 : 0;

    /// <summary>Where the payload lies in the inner frame and how long it is; false when it cannot be carried.</summary>
    private bool TryGetPayload(int frameLength, in InnerFrame inner, out int offset, out int length, out int strippedTags)
    {
        strippedTags = 0;
        if (Mode == PayloadMode.L3)
        {
            offset = inner.L2HeaderLength;
            length = inner.IpLength;
            if (!inner.IsIp)
            {
                return false;
            }
        }
        else
        {
            offset = 0;
            length = frameLength;
            if (_stripVlanTags)
            {
                // The payload is the frame less its tags: in place it begins where the slid MAC addresses now start.
                strippedTags = inner.L2HeaderLength - Ethernet.HeaderLength;
                offset = strippedTags;
                length -= strippedTags;
            }
        }
        int ipPayload = HeaderLength - _l4Offset + length;
        return _ipv6 ? ipPayload <= MaxIpv6PayloadLength : ipPayload + Ipv4.MinHeaderLength <= MaxIpv4TotalLength;
    }

    private void Patch(Span<byte> packet, in InnerFrame inner)
    {
        Span<byte> ip = packet.Slice(Ethernet.HeaderLength);
        byte hopLimit = Inherits(_hopLimit.Inherit, inner) ? inner.HopLimit : _hopLimit.Value;
        int ecn = inner.IsIp ? inner.TrafficClass & 0x03 : 0;
        int dscp = Inherits(_dscp.Inherit, inner) ? inner.TrafficClass >> 2 : _dscp.Value;
        byte trafficClass = (byte)((dscp << 2) | ecn);

        if (_ipv6)
        {
            uint flowLabel = _flowLabel.Kind switch
            {
                FlowLabelKind.Hash => FlowHash.ToFlowLabel(inner.FlowHash),
                FlowLabelKind.Fixed => _flowLabel.Value,
                FlowLabelKind.Inherit => inner.FlowLabel,
                _ => 0,
            };
            Ipv6.WriteFirstWord(ip, trafficClass, flowLabel);
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv6.PayloadLengthOffset), (ushort)(ip.Length - Ipv6.HeaderLength));
            ip[Ipv6.HopLimitOffset] = hopLimit;
        }
        else
        {
            ip[Ipv4.TosOffset] = trafficClass;
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv4.TotalLengthOffset), (ushort)ip.Length);
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv4.IdentificationOffset), _identification++);
            ip[Ipv4.TtlOffset] = hopLimit;
        }

        if (TunnelOffset < packet.Length)
        {
            PatchTunnelHeader(packet.Slice(TunnelOffset), inner);
        }

        if (_udp)
        {
            Span<byte> udp = packet.Slice(_l4Offset);
            BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(Udp.SourcePortOffset), FlowHash.ToPort(inner.FlowHash, _ports.Min, _ports.Max));
            BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(Udp.LengthOffset), (ushort)udp.Length);
            if (_udpChecksum)
            {
                ulong pseudo = _ipv6
                    ? Ipv6.PseudoHeaderSum(ip, Ipv4.ProtocolUdp, udp.Length)
                    : Ipv4.PseudoHeaderSum(ip, Ipv4.ProtocolUdp, udp.Length);
                BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(Udp.ChecksumOffset), Udp.ChecksumValue(pseudo, udp));
            }
        }

        if (!_ipv6)
        {
            Ipv4.WriteChecksum(ip);
        }
    }

    private byte[] BuildTemplate(TunnelHeader tunnel, ushort? udpDestinationPort, IPAddress outerDestination)
    {
        var template = new byte[TunnelOffset + tunnel.Bytes.Length];
        Span<byte> span = template;
        Ethernet.Write(span, Underlay.DestinationMac.GetAddressBytes(), Underlay.SourceMac.GetAddressBytes(),
            _ipv6 ? Ethernet.EtherTypeIPv6 : Ethernet.EtherTypeIPv4);
        byte protocol = _udp ? Ipv4.ProtocolUdp : tunnel.OuterProtocol;
        byte tos = (byte)(_dscp.Value << 2);
        if (_ipv6)
        {
            Ipv6.Write(span.Slice(Ethernet.HeaderLength), tos, _flowLabel.Value, protocol, _hopLimit.Value,
                Underlay.Source.GetAddressBytes(), outerDestination.GetAddressBytes());
        }
        else
        {
            Ipv4.Write(span.Slice(Ethernet.HeaderLength), tos, Underlay.DontFragment, _hopLimit.Value, protocol,
                Underlay.Source.GetAddressBytes(), outerDestination.GetAddressBytes());
        }
        if (udpDestinationPort is ushort port)
        {
            Udp.Write(span.Slice(_l4Offset), 0, port);
        }
        tunnel.Bytes.CopyTo(span.Slice(TunnelOffset));
        return template;
    }
}
