using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    private readonly bool _usesFlowHash;
    private readonly bool _sumsPayload;
    // Whether the protocol header is the same for every packet (PatchesTunnelHeader false); then the patch is skipped.
    private readonly bool _tunnelHeaderIsConstant;
    // L3: a bit per inner IP version carried (1 << 4, 1 << 6); version 0 (not IP) has no bit.
    private readonly int _carriedIpVersions;
    // The outer DF bit is set whenever the inner IPv4 packet's is (RFC 2003 §3.1), beyond the underlay's fixed policy.
    private readonly bool _copiesDontFragment;
    // Per template: the IPv4 header words that no packet changes (version/IHL, flags, protocol, addresses), summed once.
    private readonly ulong[] _ipv4ConstantSums = new ulong[3];
    // Per template: the UDP checksum's constant part (pseudo-header addresses and protocol, destination port, and the
    // protocol header when no per-packet field of it changes).
    private readonly ulong[] _udpConstantSums = new ulong[3];
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
    /// <param name="checksumsPayload">The protocol header carries a checksum over the payload (GRE's): the payload's sum is
    /// taken while it is copied and handed to <see cref="PatchTunnelHeader"/>.</param>
    /// <param name="usesFlowHash">The protocol header carries the inner flow's hash (NVGRE's FlowID), so it is computed
    /// even when the underlay needs none.</param>
    /// <param name="onlyIpVersion">L3 only: carry inner IPv4 (4) or IPv6 (6) packets alone, as an IP-in-IP tunnel of one
    /// family does; 0 carries both.</param>
    /// <param name="copiesDontFragment">IPv4 underlay: set the outer DF bit when the inner IPv4 packet has it set, as
    /// RFC 2003 §3.1 requires; the underlay's <see cref="Underlay.DontFragment"/> still sets it for every packet.</param>
    protected TunnelEncapsulator(string name, PayloadMode mode, Underlay underlay, IPAddress outerDestination, ushort? udpDestinationPort,
        TunnelHeader forEthernet, TunnelHeader forIpv4, TunnelHeader forIpv6, bool stripVlanTags = false,
        bool checksumsPayload = false, bool usesFlowHash = false, int onlyIpVersion = 0, bool copiesDontFragment = false)
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

        if (onlyIpVersion is not (0 or 4 or 6) || (onlyIpVersion != 0 && mode != PayloadMode.L3))
        {
            throw new ArgumentException($"Only an L3 tunnel can be limited to one inner IP version (4 or 6); got {onlyIpVersion}.", nameof(onlyIpVersion));
        }

        Name = name;
        Mode = mode;
        Underlay = underlay;
        _carriedIpVersions = onlyIpVersion == 0 ? (1 << 4) | (1 << 6) : 1 << onlyIpVersion;
        _copiesDontFragment = copiesDontFragment && !underlay.IsIpv6 && !underlay.DontFragment;
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

        // What the per-packet path may skip or precompute.
        _usesFlowHash = usesFlowHash || _udp || (_ipv6 && _flowLabel.Kind == FlowLabelKind.Hash);
        _sumsPayload = checksumsPayload || _udpChecksum;
        _tunnelHeaderIsConstant = !PatchesTunnelHeader;
        Entropy = (_udp && _ports.Max > _ports.Min ? EntropySource.UdpSourcePort : EntropySource.None)
            | (_ipv6 && _flowLabel.Kind is FlowLabelKind.Hash or FlowLabelKind.Inherit ? EntropySource.FlowLabel : EntropySource.None)
            | (usesFlowHash && !_udp ? EntropySource.GreKey : EntropySource.None);
        for (int t = 0; t < _templates.Length && !_ipv6; t++)
        {
            ReadOnlySpan<byte> ip = _templates[t].AsSpan(Ethernet.HeaderLength, Ipv4.MinHeaderLength);
            _ipv4ConstantSums[t] = InternetChecksum.Add(0, ip[..Ipv4.TosOffset]) // version and IHL: the high byte of the first word
                + InternetChecksum.Add(0, ip.Slice(Ipv4.FlagsFragmentOffset, 2))
                + ip[Ipv4.ProtocolOffset]
                + InternetChecksum.Add(0, ip.Slice(Ipv4.SourceOffset, 2 * Ipv4.AddressLength));
        }
        if (_udpChecksum)
        {
            for (int t = 0; t < _templates.Length; t++)
            {
                ReadOnlySpan<byte> template = _templates[t];
                if ((template.Length - TunnelOffset) % 2 != 0)
                {
                    throw new ArgumentException("A UDP tunnel header must have an even length, so the payload's sum aligns.", nameof(forEthernet));
                }
                int addresses = Ethernet.HeaderLength + (_ipv6 ? Ipv6.SourceOffset : Ipv4.SourceOffset);
                int addressBytes = 2 * (_ipv6 ? Ipv6.AddressLength : Ipv4.AddressLength);
                ulong sum = InternetChecksum.Add(0, template.Slice(addresses, addressBytes)) + Ipv4.ProtocolUdp
                    + BinaryPrimitives.ReadUInt16BigEndian(template.Slice(_l4Offset + Udp.DestinationPortOffset));
                _udpConstantSums[t] = _tunnelHeaderIsConstant ? InternetChecksum.Add(sum, template[TunnelOffset..]) : sum;
            }
        }
    }

    public string Name { get; }
    public PayloadMode Mode { get; }
    public int HeaderLength { get; }
    public Underlay Underlay { get; }
    public bool ChecksumsPayload => _sumsPayload;
    public abstract TunnelFamily Family { get; }
    public EntropySource Entropy { get; }
    public virtual SegmentEncoding SegmentEncoding => SegmentEncoding.None;

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
        if (!InnerFrame.TryParse(innerFrame, innerFrame.Length, _usesFlowHash, out InnerFrame inner)
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
        int templateIndex = TemplateIndex(inner.IpVersion);
        CopyHeader(_templates[templateIndex], packet);
        ulong payloadSum = 0;
        if (strippedTags == 0)
        {
            ReadOnlySpan<byte> payload = innerFrame.Slice(payloadOffset, payloadLength);
            if (_sumsPayload)
            {
                // One pass: the payload is summed as it is copied.
                payloadSum = InternetChecksum.CopyAndAdd(0, payload, packet.Slice(HeaderLength));
            }
            else
            {
                payload.CopyTo(packet.Slice(HeaderLength));
            }
        }
        else
        {
            innerFrame.Slice(0, 2 * Ethernet.AddressLength).CopyTo(packet.Slice(HeaderLength));
            innerFrame.Slice(2 * Ethernet.AddressLength + strippedTags).CopyTo(packet.Slice(HeaderLength + 2 * Ethernet.AddressLength));
            if (_sumsPayload)
            {
                payloadSum = InternetChecksum.Add(0, packet.Slice(HeaderLength));
            }
        }
        Patch(packet, inner, templateIndex, payloadSum);
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
        if (!InnerFrame.TryParse(frame, frameLength, _usesFlowHash, out InnerFrame inner)
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
        // The payload does not move, so its sum (if a checksum needs it) is taken where it lies.
        ulong payloadSum = _sumsPayload ? InternetChecksum.Add(0, buffer.Slice(start + HeaderLength, payloadLength)) : 0;
        Span<byte> packet = buffer.Slice(start, HeaderLength + payloadLength);
        int templateIndex = TemplateIndex(inner.IpVersion);
        CopyHeader(_templates[templateIndex], packet);
        Patch(packet, inner, templateIndex, payloadSum);
        packetOffset = start;
        packetLength = packet.Length;
        return OperationStatus.Done;
    }

    /// <summary>
    /// True for a protocol whose header has per-packet fields, written by an override of <see cref="PatchTunnelHeader"/>
    /// (GRE's checksum and sequence number, NVGRE's FlowID). Read once, by the constructor, so an override returns a
    /// constant; where it is false the per-packet call is skipped and the UDP checksum's constant part takes in the
    /// protocol header. A declared flag rather than a look at which methods are overridden keeps the core free of
    /// reflection, so it trims and compiles ahead of time cleanly.
    /// </summary>
    protected virtual bool PatchesTunnelHeader => false;

    /// <summary>
    /// Writes the protocol header's per-packet fields; <paramref name="tunnel"/> runs from the protocol header to the end of
    /// the frame. <paramref name="payloadSum"/> is the payload's one's complement sum (<see cref="InternetChecksum.Add(ulong, ReadOnlySpan{byte})"/>)
    /// when the encapsulator was built with checksumsPayload, else 0: a checksum over the header and the payload is then
    /// <c>InternetChecksum.Finish(InternetChecksum.Add(payloadSum, header))</c>, with no second pass over the payload.
    /// </summary>
    protected virtual void PatchTunnelHeader(Span<byte> tunnel, in InnerFrame inner, ulong payloadSum)
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryGetPayload(int frameLength, in InnerFrame inner, out int offset, out int length, out int strippedTags)
    {
        strippedTags = 0;
        if (Mode == PayloadMode.L3)
        {
            offset = inner.L2HeaderLength;
            length = inner.IpLength;
            if (((1 << inner.IpVersion) & _carriedIpVersions) == 0)
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

    /// <summary>
    /// Copies a template of 32..128 bytes (every outer header but SRv6's longest) with overlapping vector moves instead of
    /// a call to memmove; longer ones take the runtime's copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyHeader(byte[] template, Span<byte> packet)
    {
        int length = template.Length;
        if (length < 32 || length > 128 || !Vector256.IsHardwareAccelerated || packet.Length < length)
        {
            template.CopyTo(packet);
            return;
        }
        ref byte source = ref MemoryMarshal.GetArrayDataReference(template);
        ref byte target = ref MemoryMarshal.GetReference(packet);
        nuint tail = (nuint)(length - 32);
        if (length <= 64)
        {
            Vector256<byte> head = Vector256.LoadUnsafe(ref source);
            Vector256<byte> end = Vector256.LoadUnsafe(ref source, tail);
            head.StoreUnsafe(ref target);
            end.StoreUnsafe(ref target, tail);
        }
        else
        {
            Vector256<byte> a = Vector256.LoadUnsafe(ref source);
            Vector256<byte> b = Vector256.LoadUnsafe(ref source, 32);
            Vector256<byte> c = Vector256.LoadUnsafe(ref source, tail - 32);
            Vector256<byte> d = Vector256.LoadUnsafe(ref source, tail);
            a.StoreUnsafe(ref target);
            b.StoreUnsafe(ref target, 32);
            c.StoreUnsafe(ref target, tail - 32);
            d.StoreUnsafe(ref target, tail);
        }
    }

    /// <summary>
    /// Writes the per-packet fields over a copied template. The IPv4 header checksum and the UDP checksum are built from
    /// sums precomputed per template plus the fields that change, so no header is read back after it is written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Patch(Span<byte> packet, in InnerFrame inner, int templateIndex, ulong payloadSum)
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
            ushort identification = _identification++;
            uint dontFragment = 0;
            if (_copiesDontFragment && inner.DontFragment)
            {
                dontFragment = Ipv4.DontFragmentFlag;
                BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv4.FlagsFragmentOffset), Ipv4.DontFragmentFlag);
            }
            ip[Ipv4.TosOffset] = trafficClass;
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv4.TotalLengthOffset), (ushort)ip.Length);
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv4.IdentificationOffset), identification);
            ip[Ipv4.TtlOffset] = hopLimit;
            ulong sum = _ipv4ConstantSums[templateIndex] + trafficClass + (uint)ip.Length + identification + ((uint)hopLimit << 8) + dontFragment;
            BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv4.ChecksumOffset), InternetChecksum.Finish(sum));
        }

        if (!_tunnelHeaderIsConstant && TunnelOffset < packet.Length)
        {
            PatchTunnelHeader(packet.Slice(TunnelOffset), inner, payloadSum);
        }

        if (_udp)
        {
            Span<byte> udp = packet.Slice(_l4Offset);
            ushort sourcePort = FlowHash.ToPort(inner.FlowHash, _ports.Min, _ports.Max);
            BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(Udp.SourcePortOffset), sourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(Udp.LengthOffset), (ushort)udp.Length);
            if (_udpChecksum)
            {
                // Pseudo-header (addresses, protocol, length) + UDP header (ports, length) + protocol header + payload.
                ulong sum = _udpConstantSums[templateIndex] + 2 * (uint)udp.Length + sourcePort + payloadSum;
                if (!_tunnelHeaderIsConstant)
                {
                    sum = InternetChecksum.Add(sum, packet[TunnelOffset..HeaderLength]);
                }
                ushort checksum = InternetChecksum.Finish(sum);
                BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(Udp.ChecksumOffset), checksum == 0 ? (ushort)0xFFFF : checksum);
            }
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
