using System.Buffers.Binary;
using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation.Gre;

/// <summary>GRE's own settings: which optional fields are present (RFC 2784 §2.5, RFC 2890 §2).</summary>
public sealed record GreOptions
{
    /// <summary>L3: the IP packet (protocol 0x0800/0x86DD, inner Ethernet header dropped); L2: the Ethernet frame (TEB, 0x6558).</summary>
    public PayloadMode Mode { get; init; } = PayloadMode.L3;
    /// <summary>Carry the Checksum field, over the GRE header and the payload.</summary>
    public bool Checksum { get; init; }
    /// <summary>Carry this Key (RFC 2890 §2.1), or none.</summary>
    public uint? Key { get; init; }
    /// <summary>Carry a Sequence Number (RFC 2890 §2.2), counted per encapsulator from 0.</summary>
    public bool Sequence { get; init; }
}

/// <summary>GRE (RFC 2784/2890) over IPv4 or IPv6 (RFC 7676), carrying an IP packet or an Ethernet frame (TEB).</summary>
public sealed class GreEncapsulator : TunnelEncapsulator
{
    private readonly bool _checksum;
    private readonly int _sequenceOffset;
    private readonly int _headerLength;
    private uint _sequence;

    public GreEncapsulator(Underlay underlay, GreOptions options)
        : base(SpecOf(underlay, options))
    {
        Options = options;
        _checksum = options.Checksum;
        ushort flags = GreHeader.Flags(Template(0).Slice(TunnelOffset));
        _sequenceOffset = options.Sequence ? GreHeader.SequenceOffset(flags) : -1;
        _headerLength = GreHeader.Length(flags);
    }

    public GreOptions Options { get; }

    /// <summary>The sequence number the next packet will carry.</summary>
    public uint NextSequence => _sequence;

    protected override bool PatchesTunnelHeader => true;

    protected override void PatchTunnelHeader(Span<byte> tunnel, in InnerFrame inner, ulong payloadSum)
    {
        if (_sequenceOffset >= 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(tunnel.Slice(_sequenceOffset), _sequence++);
        }
        if (_checksum)
        {
            // The template holds zero in the checksum field, so the sum over header and payload is the checksum; the
            // payload's part was summed while it was copied (or where it lies, in place).
            ulong sum = InternetChecksum.Add(payloadSum, tunnel.Slice(0, _headerLength));
            BinaryPrimitives.WriteUInt16BigEndian(tunnel.Slice(GreHeader.BaseLength), InternetChecksum.Finish(sum));
        }
    }

    private static TunnelSpec SpecOf(Underlay underlay, GreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string name = $"gre-{(options.Mode == PayloadMode.L2 ? "teb" : "l3")}-{UnderlayName(underlay)}";
        if (options.Checksum) name += "-csum";
        if (options.Key.HasValue) name += "-key";
        if (options.Sequence) name += "-seq";
        TunnelHeader For(ushort protocolType) =>
            new(Ipv4.ProtocolGre, GreHeader.Build(options.Checksum, options.Key, options.Sequence, protocolType));
        return new TunnelSpec
        {
            Name = name,
            Family = TunnelFamily.Gre,
            Mode = options.Mode,
            Underlay = underlay,
            OuterDestination = RemoteEndpoint(underlay),
            ForEthernet = For(Ethernet.EtherTypeTransparentEthernetBridging),
            ForIpv4 = For(Ethernet.EtherTypeIPv4),
            ForIpv6 = For(Ethernet.EtherTypeIPv6),
            HeaderChecksumsPayload = options.Checksum,
        };
    }
}
