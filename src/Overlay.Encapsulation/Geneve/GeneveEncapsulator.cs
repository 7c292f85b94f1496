using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation.Geneve;

/// <summary>GENEVE's own settings (RFC 8926 §3.4).</summary>
public sealed record GeneveOptions
{
    public uint Vni { get; init; }
    /// <summary>L2: an Ethernet frame (protocol 0x6558); L3: the IP packet (0x0800/0x86DD).</summary>
    public PayloadMode Mode { get; init; } = PayloadMode.L2;
    /// <summary>The O bit: a control packet.</summary>
    public bool Oam { get; init; }
    /// <summary>The TLV options, in order. C is set when any is critical.</summary>
    public IReadOnlyList<GeneveOption> Options { get; init; } = [];
    public ushort DestinationPort { get; init; } = Udp.GenevePort;
}

/// <summary>GENEVE (RFC 8926) over UDP 6081, with 0..n TLV options and an Ethernet or IP payload.</summary>
public sealed class GeneveEncapsulator : TunnelEncapsulator
{
    public GeneveEncapsulator(Underlay underlay, GeneveOptions options)
        : base(SpecOf(underlay, options))
    {
        Options = options;
    }

    public GeneveOptions Options { get; }

    private static TunnelSpec SpecOf(Underlay underlay, GeneveOptions options)
    {
        ArgumentNullException.ThrowIfNull(underlay);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Vni > GeneveHeader.MaxVniValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Vni, "A GENEVE VNI has 24 bits (0..16777215).");
        }
        int optionsLength = 0;
        foreach (GeneveOption option in options.Options)
        {
            optionsLength += option.EncodedLength;
        }
        if (optionsLength > GeneveHeader.MaxOptionsLength)
        {
            throw new ArgumentException($"GENEVE options take {optionsLength} bytes; Opt Len allows {GeneveHeader.MaxOptionsLength} at most (RFC 8926 §3.4).", nameof(options));
        }
        string name = options.Mode == PayloadMode.L3 ? $"geneve-l3-{UnderlayName(underlay)}" : $"geneve-{UnderlayName(underlay)}";
        TunnelHeader For(ushort protocolType) =>
            new(Ipv4.ProtocolUdp, GeneveHeader.Build(options.Vni, options.Oam, options.Options, protocolType));
        return new TunnelSpec
        {
            Name = options.Options.Count == 0 ? name : $"{name}-opt{options.Options.Count}x{optionsLength}B",
            Family = TunnelFamily.Geneve,
            Mode = options.Mode,
            Underlay = underlay,
            OuterDestination = RemoteEndpoint(underlay),
            UdpDestinationPort = options.DestinationPort,
            ForEthernet = For(Ethernet.EtherTypeTransparentEthernetBridging),
            ForIpv4 = For(Ethernet.EtherTypeIPv4),
            ForIpv6 = For(Ethernet.EtherTypeIPv6),
        };
    }
}
