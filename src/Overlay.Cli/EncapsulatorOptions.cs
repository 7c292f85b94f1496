using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Gre;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Cli;

/// <summary>
/// The encapsulation options of `overlay encap`: every setting and per-packet policy of the core, with the core's defaults.
/// </summary>
public sealed class EncapsulatorOptions
{
    public Option<string> Protocol { get; } = new("--protocol") { Description = "gre, nvgre, vxlan, geneve or srv6", Required = true };
    public Option<string> UnderlayFamily { get; } = new("--underlay") { Description = "Outer IP version: ipv4 or ipv6 (srv6: always ipv6)", DefaultValueFactory = _ => "ipv4" };
    public Option<string?> Mode { get; } = new("--mode") { Description = "l2 (carry the Ethernet frame) or l3 (carry the IP packet); default: gre l3, geneve l2, srv6 l3; nvgre and vxlan are l2 only" };
    public Option<uint> Vni { get; } = new("--vni") { Description = "VXLAN/GENEVE VNI (24 bits)", DefaultValueFactory = _ => VariantCatalog.DefaultVni };
    public Option<uint?> Key { get; } = new("--key") { Description = "GRE key (RFC 2890); none by default" };
    public Option<bool> Checksum { get; } = new("--checksum") { Description = "GRE: carry the checksum (RFC 2784)" };
    public Option<bool> Sequence { get; } = new("--seq") { Description = "GRE: carry a sequence number (RFC 2890)" };
    public Option<uint> Vsid { get; } = new("--vsid") { Description = "NVGRE VSID (0x1000..0xFFFFFE)", DefaultValueFactory = _ => VariantCatalog.DefaultVsid };
    public Option<string?> Sids { get; } = new("--sids") { Description = "SRv6 segments in visit order, comma-separated (default fc00:0:1::)" };
    public Option<bool> Reduced { get; } = new("--reduced") { Description = "SRv6 H.Encaps.Red / H.Encaps.L2.Red: the first SID only in the destination" };
    public Option<bool> Csid { get; } = new("--csid") { Description = "SRv6 NEXT-C-SID compression (RFC 9800)" };
    public Option<string> CsidFormat { get; } = new("--csid-format") { Description = "NEXT-C-SID locator-block/C-SID bits", DefaultValueFactory = _ => "32/16" };
    public Option<string[]> GeneveOptions { get; } = new("--option") { Description = "GENEVE TLV option CLASS:TYPE:HEX (repeatable; TYPE's high bit = critical)", AllowMultipleArgumentsPerToken = false };
    public Option<bool> Oam { get; } = new("--oam") { Description = "GENEVE: set the O (control) bit" };
    public Option<string?> OuterSource { get; } = new("--outer-src") { Description = "Outer source address (default 192.0.2.1 / 2001:db8::1)" };
    public Option<string?> OuterDestination { get; } = new("--outer-dst") { Description = "Outer destination, the remote endpoint (default 198.51.100.1 / 2001:db8::2; srv6: the first SID)" };
    public Option<string?> OuterSourceMac { get; } = new("--outer-src-mac") { Description = "Outer source MAC (default 02:00:5e:00:00:01)" };
    public Option<string?> OuterDestinationMac { get; } = new("--outer-dst-mac") { Description = "Outer destination MAC (default 02:00:5e:00:00:02)" };
    public Option<string> UdpChecksum { get; } = new("--udp-checksum") { Description = "on, off, or default (off over IPv4, on over IPv6)", DefaultValueFactory = _ => "default" };
    public Option<string> SourcePorts { get; } = new("--sport-range") { Description = "UDP source-port range A-B for the flow hash (RFC 7348: 49152-65535; Linux: 32768-60999)", DefaultValueFactory = _ => "49152-65535" };
    public Option<string> FlowLabel { get; } = new("--flow-label") { Description = "IPv6 flow label: hash, zero, inherit (from an IPv6 inner), or a number", DefaultValueFactory = _ => "hash" };
    public Option<string> Ttl { get; } = new("--ttl") { Description = "Outer TTL / hop limit: N, inherit, or inherit-ipv6 (Linux seg6)", DefaultValueFactory = _ => "64" };
    public Option<string> Dscp { get; } = new("--dscp") { Description = "Outer DSCP: N, inherit, or inherit-ipv6 (ECN is always copied, RFC 6040)", DefaultValueFactory = _ => "0" };
    public Option<string> DontFragment { get; } = new("--df") { Description = "IPv4 Don't Fragment bit: on or off", DefaultValueFactory = _ => "off" };

    public IEnumerable<Option> All =>
    [
        Protocol, UnderlayFamily, Mode, Vni, Key, Checksum, Sequence, Vsid, Sids, Reduced, Csid, CsidFormat, GeneveOptions, Oam,
        OuterSource, OuterDestination, OuterSourceMac, OuterDestinationMac, UdpChecksum, SourcePorts, FlowLabel, Ttl, Dscp, DontFragment,
    ];

    /// <summary>Builds the encapsulator; a bad value throws <see cref="ArgumentException"/> or <see cref="FormatException"/> with a message for the user.</summary>
    public IEncapsulator Build(ParseResult parse)
    {
        string protocol = parse.GetValue(Protocol)!.ToLowerInvariant();
        bool srv6 = protocol == "srv6";
        string family = srv6 ? "ipv6" : parse.GetValue(UnderlayFamily)!.ToLowerInvariant();
        if (family is not ("ipv4" or "ipv6"))
        {
            throw new ArgumentException($"--underlay must be ipv4 or ipv6, not '{family}'");
        }
        bool v6 = family == "ipv6";
        string? source = parse.GetValue(OuterSource);
        string? destination = parse.GetValue(OuterDestination);
        if (srv6 && destination is not null)
        {
            throw new ArgumentException("--outer-dst does not apply to srv6: the outer destination is the first SID (--sids)");
        }
        var underlay = new Underlay
        {
            Source = IPAddress.Parse(source ?? (v6 ? "2001:db8::1" : "192.0.2.1")),
            Destination = srv6 ? null : IPAddress.Parse(destination ?? (v6 ? "2001:db8::2" : "198.51.100.1")),
            SourceMac = ParseMac(parse.GetValue(OuterSourceMac)) ?? Underlay.DefaultSourceMac,
            DestinationMac = ParseMac(parse.GetValue(OuterDestinationMac)) ?? Underlay.DefaultDestinationMac,
            UdpChecksum = parse.GetValue(UdpChecksum)!.ToLowerInvariant() switch
            {
                "on" => UdpChecksumPolicy.On,
                "off" => UdpChecksumPolicy.Off,
                "default" => UdpChecksumPolicy.Default,
                var other => throw new ArgumentException($"--udp-checksum must be on, off or default, not '{other}'"),
            },
            SourcePorts = ParsePorts(parse.GetValue(SourcePorts)!),
            FlowLabel = parse.GetValue(FlowLabel)!.ToLowerInvariant() switch
            {
                "hash" => FlowLabelPolicy.Hash,
                "zero" => FlowLabelPolicy.Zero,
                "inherit" => FlowLabelPolicy.FromInner,
                var n => FlowLabelPolicy.Fixed(ParseNumber(n, "--flow-label")),
            },
            HopLimit = parse.GetValue(Ttl)!.ToLowerInvariant() switch
            {
                "inherit" => HopLimitPolicy.FromInner(),
                "inherit-ipv6" => HopLimitPolicy.FromInnerIpv6(),
                var n => HopLimitPolicy.Fixed(ParseByte(n, "--ttl")),
            },
            Dscp = parse.GetValue(Dscp)!.ToLowerInvariant() switch
            {
                "inherit" => DscpPolicy.FromInner(),
                "inherit-ipv6" => DscpPolicy.FromInnerIpv6(),
                var n => DscpPolicy.Fixed(ParseByte(n, "--dscp")),
            },
            DontFragment = parse.GetValue(DontFragment)!.ToLowerInvariant() switch
            {
                "on" => true,
                "off" => false,
                var other => throw new ArgumentException($"--df must be on or off, not '{other}'"),
            },
        };
        string? mode = parse.GetValue(Mode)?.ToLowerInvariant();
        PayloadMode Mode_(PayloadMode fallback) => mode switch
        {
            null => fallback,
            "l2" => PayloadMode.L2,
            "l3" => PayloadMode.L3,
            _ => throw new ArgumentException($"--mode must be l2 or l3, not '{mode}'"),
        };
        switch (protocol)
        {
            case "gre":
                return new GreEncapsulator(underlay, new GreOptions
                {
                    Mode = Mode_(PayloadMode.L3),
                    Checksum = parse.GetValue(Checksum),
                    Key = parse.GetValue(Key),
                    Sequence = parse.GetValue(Sequence),
                });
            case "nvgre":
                RequireL2(mode, "nvgre");
                return new NvgreEncapsulator(underlay, parse.GetValue(Vsid));
            case "vxlan":
                RequireL2(mode, "vxlan");
                return new VxlanEncapsulator(underlay, parse.GetValue(Vni));
            case "geneve":
                return new Encapsulation.Geneve.GeneveEncapsulator(underlay, new Encapsulation.Geneve.GeneveOptions
                {
                    Vni = parse.GetValue(Vni),
                    Mode = Mode_(PayloadMode.L2),
                    Oam = parse.GetValue(Oam),
                    Options = (parse.GetValue(GeneveOptions) ?? []).Select(GeneveOption.Parse).ToList(),
                });
            case "srv6":
                string sids = parse.GetValue(Sids) ?? "fc00:0:1::";
                return new Srv6Encapsulator(underlay, new Srv6Options
                {
                    Segments = sids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(IPAddress.Parse).ToList(),
                    Mode = Mode_(PayloadMode.L3),
                    Reduced = parse.GetValue(Reduced),
                    CompressedSids = parse.GetValue(Csid) ? ParseCsidFormat(parse.GetValue(CsidFormat)!) : null,
                });
            default:
                throw new ArgumentException($"--protocol must be gre, nvgre, vxlan, geneve or srv6, not '{protocol}'");
        }
    }

    private static void RequireL2(string? mode, string protocol)
    {
        if (mode is not (null or "l2"))
        {
            throw new ArgumentException($"{protocol} carries Ethernet frames only (--mode l2)");
        }
    }

    private static PhysicalAddress? ParseMac(string? text) =>
        text is null ? null : PhysicalAddress.Parse(text.Replace(':', '-').ToUpperInvariant());

    private static PortRange ParsePorts(string text)
    {
        string[] parts = text.Split('-');
        if (parts.Length != 2 || !ushort.TryParse(parts[0], CultureInfo.InvariantCulture, out ushort min) || !ushort.TryParse(parts[1], CultureInfo.InvariantCulture, out ushort max))
        {
            throw new FormatException($"--sport-range must be A-B with ports 1..65535, not '{text}'");
        }
        return new PortRange(min, max);
    }

    private static uint ParseNumber(string text, string option) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint hex) ? hex : throw new FormatException($"{option}: '{text}' is not a number")
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint value) ? value : throw new FormatException($"{option}: '{text}' is not a number or keyword");

    private static byte ParseByte(string text, string option)
    {
        uint value = ParseNumber(text, option);
        return value <= byte.MaxValue ? (byte)value : throw new ArgumentException($"{option}: {value} does not fit in 8 bits (0..255)");
    }

    private static CompressedSidFormat ParseCsidFormat(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out int block) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int csid))
        {
            throw new FormatException($"--csid-format must be BLOCK/CSID bits, such as 32/16, not '{text}'");
        }
        return new CompressedSidFormat(block, csid);
    }
}
