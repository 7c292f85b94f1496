using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation;

/// <summary>
/// The shared engine of every variant: outer Ethernet + IPv4/IPv6 (+ UDP) + the protocol's own header, built
/// once as a template per payload kind, then per packet copied and patched (lengths, identification, TTL/hop
/// limit, DSCP/ECN, flow label, UDP source port and checksums), as Linux's seg6_iptunnel and VPP build theirs.
/// </summary>
/// <remarks>
/// A protocol folder derives from this class, describes its variant in a <see cref="TunnelSpec"/> (its header bytes
/// and the rules of its RFC) and, if its header has per-packet fields (a GRE sequence number or checksum, the NVGRE
/// FlowID), overrides <see cref="PatchTunnelHeader"/>.
/// </remarks>
public abstract partial class TunnelEncapsulator : IEncapsulator
{
    private const int MaxIpv4TotalLength = ushort.MaxValue;
    private const int MaxIpv6PayloadLength = ushort.MaxValue;

    // The templates one after the other, HeaderLength bytes each, by slot: the inner IP version / 2, so [0] Ethernet (not IP),
    // [2] inner IPv4, [3] inner IPv6 ([1], which no frame reaches, repeats [0]). One array and a shift, no lookup per packet.
    private const int TemplateSlots = 4;
    private readonly byte[] _templates;
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
    private readonly ulong[] _ipv4ConstantSums = new ulong[TemplateSlots];
    // Per template: the UDP checksum's constant part (pseudo-header addresses and protocol, destination port, and the
    // protocol header when no per-packet field of it changes).
    private readonly ulong[] _udpConstantSums = new ulong[TemplateSlots];
    // Per-packet policy precomputed: a bit per inner IP version (1 << 4, 1 << 6) whose hop limit / DSCP the outer header
    // takes, the number of source ports in the range, and the longest payload whose outer IP length still fits 16 bits.
    private readonly int _hopLimitInherits;
    private readonly int _dscpInherits;
    private readonly uint _portCount;
    private readonly int _maxPayloadLength;
    private ushort _identification;

    /// <param name="spec">The variant; validated here (an <see cref="ArgumentException"/> naming what is wrong).</param>
    protected TunnelEncapsulator(TunnelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.Name);
        ArgumentNullException.ThrowIfNull(spec.Underlay);
        ArgumentNullException.ThrowIfNull(spec.OuterDestination);
        Underlay underlay = spec.Underlay;
        PayloadMode mode = spec.Mode;
        underlay.Validate(needsDestination: false);
        if (spec.OuterDestination.AddressFamily != underlay.Source.AddressFamily)
        {
            throw new ArgumentException($"Outer destination {spec.OuterDestination} and source {underlay.Source} are of different address families.", nameof(spec));
        }
        if (mode == PayloadMode.L3 && spec.ForIpv4.Bytes.Length != spec.ForIpv6.Bytes.Length)
        {
            throw new ArgumentException("The L3 tunnel headers for IPv4 and IPv6 payloads must have one length.", nameof(spec));
        }
        if (spec.Carries != InnerIpVersions.Both && mode != PayloadMode.L3)
        {
            throw new ArgumentException($"Only an L3 tunnel can be limited to one inner IP version; got {spec.Carries}.", nameof(spec));
        }
        if ((spec.HeaderEntropy & ~EntropySource.GreKey) != 0)
        {
            throw new ArgumentException($"A protocol header can carry entropy only in a GRE key; got {spec.HeaderEntropy}.", nameof(spec));
        }

        Spec = spec;
        Mode = mode;
        _carriedIpVersions = spec.Carries switch
        {
            InnerIpVersions.Ipv4Only => 1 << 4,
            InnerIpVersions.Ipv6Only => 1 << 6,
            _ => (1 << 4) | (1 << 6),
        };
        _copiesDontFragment = spec.CopiesDontFragment && !underlay.IsIpv6 && !underlay.DontFragment;
        _ipv6 = underlay.IsIpv6;
        _udp = spec.UdpDestinationPort.HasValue;
        _udpChecksum = _udp && underlay.ComputesUdpChecksum;
        _stripVlanTags = spec.StripsVlanTags && mode == PayloadMode.L2;
        _hopLimit = underlay.HopLimit;
        _dscp = underlay.Dscp;
        _flowLabel = underlay.FlowLabel;
        _ports = underlay.SourcePorts;
        _hopLimitInherits = InheritingVersions(_hopLimit.Inherit);
        _dscpInherits = InheritingVersions(_dscp.Inherit);
        _portCount = (uint)(_ports.Max - _ports.Min + 1);

        int ipLength = _ipv6 ? Ipv6.HeaderLength : Ipv4.MinHeaderLength;
        _l4Offset = Ethernet.HeaderLength + ipLength;
        TunnelOffset = _l4Offset + (_udp ? Udp.HeaderLength : 0);

        byte[] first = BuildTemplate(mode == PayloadMode.L2 ? spec.ForEthernet : spec.ForIpv4);
        byte[] ipv6 = mode == PayloadMode.L2 ? first : BuildTemplate(spec.ForIpv6);
        HeaderLength = first.Length;
        _templates = new byte[TemplateSlots * HeaderLength];
        for (int slot = 0; slot < TemplateSlots; slot++)
        {
            (slot == TemplateSlot(6) ? ipv6 : first).CopyTo(_templates.AsSpan(slot * HeaderLength));
        }
        _maxPayloadLength = (_ipv6 ? MaxIpv6PayloadLength : MaxIpv4TotalLength - Ipv4.MinHeaderLength) - (HeaderLength - _l4Offset);

        // What the per-packet path may skip or precompute.
        _usesFlowHash = spec.HeaderEntropy != EntropySource.None || _udp || (_ipv6 && _flowLabel.Kind == FlowLabelKind.Hash);
        _sumsPayload = spec.HeaderChecksumsPayload || _udpChecksum;
        _tunnelHeaderIsConstant = !PatchesTunnelHeader;
        Entropy = spec.HeaderEntropy
            | (_udp && _ports.Max > _ports.Min ? EntropySource.UdpSourcePort : EntropySource.None)
            | (_ipv6 && _flowLabel.Kind is FlowLabelKind.Hash or FlowLabelKind.Inherit ? EntropySource.FlowLabel : EntropySource.None);
        for (int t = 0; t < TemplateSlots && !_ipv6; t++)
        {
            ReadOnlySpan<byte> ip = TemplateAt(t).Slice(Ethernet.HeaderLength, Ipv4.MinHeaderLength);
            _ipv4ConstantSums[t] = InternetChecksum.Add(0, ip[..Ipv4.TosOffset]) // version and IHL: the high byte of the first word
                + InternetChecksum.Add(0, ip.Slice(Ipv4.FlagsFragmentOffset, 2))
                + ip[Ipv4.ProtocolOffset]
                + InternetChecksum.Add(0, ip.Slice(Ipv4.SourceOffset, 2 * Ipv4.AddressLength));
        }
        if (_udpChecksum)
        {
            for (int t = 0; t < TemplateSlots; t++)
            {
                ReadOnlySpan<byte> template = TemplateAt(t);
                if ((template.Length - TunnelOffset) % 2 != 0)
                {
                    throw new ArgumentException("A UDP tunnel header must have an even length, so the payload's sum aligns.", nameof(spec));
                }
                int addresses = Ethernet.HeaderLength + (_ipv6 ? Ipv6.SourceOffset : Ipv4.SourceOffset);
                int addressBytes = 2 * (_ipv6 ? Ipv6.AddressLength : Ipv4.AddressLength);
                ulong sum = InternetChecksum.Add(0, template.Slice(addresses, addressBytes)) + Ipv4.ProtocolUdp
                    + BinaryPrimitives.ReadUInt16BigEndian(template.Slice(_l4Offset + Udp.DestinationPortOffset));
                _udpConstantSums[t] = _tunnelHeaderIsConstant ? InternetChecksum.Add(sum, template[TunnelOffset..]) : sum;
            }
        }
    }

    /// <summary>What the variant was built from.</summary>
    public TunnelSpec Spec { get; }

    public string Name => Spec.Name;
    public TunnelFamily Family => Spec.Family;
    public PayloadMode Mode { get; }
    public int HeaderLength { get; }
    public Underlay Underlay => Spec.Underlay;
    public bool ChecksumsPayload => _sumsPayload;
    public EntropySource Entropy { get; }
    public SegmentEncoding SegmentEncoding => Spec.SegmentEncoding;

    /// <summary>Where the protocol's own header starts in the encapsulated frame (after outer Ethernet, IP and UDP).</summary>
    public int TunnelOffset { get; }

    /// <summary>The outer header bytes written for an Ethernet / IPv4 / IPv6 payload, before the per-packet patch.</summary>
    public ReadOnlySpan<byte> Template(int innerIpVersion) => TemplateAt(innerIpVersion is 4 or 6 ? TemplateSlot(innerIpVersion) : 0);

    private ReadOnlySpan<byte> TemplateAt(int slot) => _templates.AsSpan(slot * HeaderLength, HeaderLength);

    public int GetEncapsulatedLength(ReadOnlySpan<byte> innerFrame) => GetEncapsulatedLength(innerFrame, innerFrame.Length);

    public int GetEncapsulatedLength(ReadOnlySpan<byte> captured, int originalLength) =>
        InnerFrame.TryParse(captured, originalLength, out InnerFrame inner)
        && TryGetPayload(Math.Max(originalLength, captured.Length), inner, out _, out int length, out _)
            ? HeaderLength + length
            : -1;

    public int GetEncapsulatedLength(in InnerFrame inner, int originalLength) =>
        inner.L2HeaderLength >= Ethernet.HeaderLength && TryGetPayload(originalLength, inner, out _, out int length, out _)
            ? HeaderLength + length
            : -1;

    public OperationStatus Encapsulate(ReadOnlySpan<byte> innerFrame, Span<byte> destination, out int bytesWritten)
    {
        if (!InnerFrame.TryParse(innerFrame, innerFrame.Length, _usesFlowHash, out InnerFrame inner))
        {
            bytesWritten = 0;
            return OperationStatus.InvalidData;
        }
        return EncapsulateParsed(inner, innerFrame, destination, out bytesWritten);
    }

    public OperationStatus Encapsulate(in InnerFrame inner, ReadOnlySpan<byte> innerFrame, Span<byte> destination, out int bytesWritten)
    {
        // What the parse guarantees, checked so that an inner frame read from another frame cannot make a slice throw.
        if ((uint)inner.L2HeaderLength > (uint)innerFrame.Length || inner.L2HeaderLength < Ethernet.HeaderLength
            || (Mode == PayloadMode.L3 && (uint)inner.IpLength > (uint)(innerFrame.Length - inner.L2HeaderLength))
            || inner.IpVersion is not (0 or 4 or 6)
            || (inner.IpVersion == 4 && inner.IpLength < Ipv4.MinHeaderLength))
        {
            bytesWritten = 0;
            return OperationStatus.InvalidData;
        }
        return EncapsulateParsed(inner, innerFrame, destination, out bytesWritten);
    }

    /// <summary>The copy form after the parse: <paramref name="inner"/> was read from <paramref name="innerFrame"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private OperationStatus EncapsulateParsed(in InnerFrame inner, ReadOnlySpan<byte> innerFrame, Span<byte> destination, out int bytesWritten)
    {
        if (!TryGetPayload(innerFrame.Length, inner, out int payloadOffset, out int payloadLength, out int strippedTags))
        {
            bytesWritten = 0;
            return OperationStatus.InvalidData;
        }
        int total = HeaderLength + payloadLength;
        if (destination.Length < total)
        {
            bytesWritten = 0;
            return OperationStatus.DestinationTooSmall;
        }

        Span<byte> packet = destination.Slice(0, total);
        int templateIndex = TemplateSlot(inner.IpVersion);
        ShortCopy.CopyTo(TemplateUnchecked(templateIndex), packet);
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
                ShortCopy.CopyTo(payload, packet.Slice(HeaderLength));
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
        // The out values are written once, on the path taken: out parameters are the caller's memory, so zeroing them
        // first and writing them again costs stores on every packet.
        if ((uint)frameOffset > (uint)buffer.Length || (uint)frameLength > (uint)(buffer.Length - frameOffset)
            || !InnerFrame.TryParse(buffer.Slice(frameOffset, frameLength), frameLength, _usesFlowHash, out InnerFrame inner))
        {
            packetOffset = packetLength = 0;
            return OperationStatus.InvalidData;
        }
        return EncapsulateInPlaceParsed(inner, buffer, frameOffset, frameLength, out packetOffset, out packetLength);
    }

    /// <summary>The in-place form after the parse: <paramref name="inner"/> was read from the frame at <paramref name="frameOffset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private OperationStatus EncapsulateInPlaceParsed(in InnerFrame inner, Span<byte> buffer, int frameOffset, int frameLength, out int packetOffset, out int packetLength)
    {
        if (!TryGetPayload(frameLength, inner, out int payloadOffset, out int payloadLength, out int strippedTags))
        {
            packetOffset = packetLength = 0;
            return OperationStatus.InvalidData;
        }
        int start = frameOffset + payloadOffset - HeaderLength;
        if (start < 0)
        {
            packetOffset = packetLength = 0;
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
        int templateIndex = TemplateSlot(inner.IpVersion);
        ShortCopy.CopyTo(TemplateUnchecked(templateIndex), packet);
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
    /// when the spec says <see cref="TunnelSpec.HeaderChecksumsPayload"/>, else 0: a checksum over the header and the payload is then
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
    private static int TemplateSlot(int ipVersion) => ipVersion >> 1;

    /// <summary>The template in <paramref name="slot"/>, taken without a bounds check: the slot of a parsed frame's IP version (0, 4 or 6).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> TemplateUnchecked(int slot)
    {
        Debug.Assert((uint)slot < TemplateSlots);
        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_templates), slot * HeaderLength), HeaderLength);
    }

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
        return length <= _maxPayloadLength;
    }

    private byte[] BuildTemplate(TunnelHeader tunnel)
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
                Underlay.Source.GetAddressBytes(), Spec.OuterDestination.GetAddressBytes());
        }
        else
        {
            Ipv4.Write(span.Slice(Ethernet.HeaderLength), tos, Underlay.DontFragment, _hopLimit.Value, protocol,
                Underlay.Source.GetAddressBytes(), Spec.OuterDestination.GetAddressBytes());
        }
        if (Spec.UdpDestinationPort is ushort port)
        {
            Udp.Write(span.Slice(_l4Offset), 0, port);
        }
        tunnel.Bytes.CopyTo(span.Slice(TunnelOffset));
        return template;
    }
}
