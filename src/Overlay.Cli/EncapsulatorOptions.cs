using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Gre;
using Overlay.Encapsulation.Profiles;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Cli;

/// <summary>
/// The encapsulation options of `overlay encap`: every setting and per-packet policy of the core, with the core's
/// defaults. Each value is checked by its option (<see cref="OptionValues"/>); <see cref="Validate"/> refuses options
/// that do not apply to the chosen protocol, so <see cref="Build"/> only assembles.
/// </summary>
public sealed class EncapsulatorOptions
{
    private static readonly string[] Protocols = ["gre", "nvgre", "vxlan", "geneve", "srv6"];

    public Option<string> Protocol { get; } = OptionValues.Choice("--protocol", "gre, nvgre, vxlan, geneve or srv6 (or --profile)", "the protocol", null, Protocols);
    public Option<DeployedProfile?> Profile { get; } = ProfileOptions.One("A deployed encapsulation instead of --protocol and its settings: " + ProfileOptions.Accepted + " (`overlay variants --profiles`)");
    public Option<string> UnderlayFamily { get; } = OptionValues.Choice("--underlay", "Outer IP version: ipv4 or ipv6 (srv6: ipv6 only, the default there)", "the underlay", "ipv4", "ipv4", "ipv6");
    public Option<string> Mode { get; } = OptionValues.Choice("--mode", "l2 (carry the Ethernet frame) or l3 (carry the IP packet); default: gre l3, geneve l2, srv6 l3; nvgre and vxlan are l2 only", "the mode", null, "l2", "l3");
    public Option<uint> Vni { get; } = OptionValues.Number("--vni", "VXLAN/GENEVE VNI, 24 bits: 0..16777215 (decimal or 0x-hex)", "a VNI", 0u, GeneveHeader.MaxVniValue, VariantCatalog.DefaultVni);
    public Option<ushort> DestinationPort { get; } = OptionValues.Number("--dport", "vxlan/geneve: the UDP destination port, 1..65535 (decimal or 0x-hex); default 4789 (vxlan), 6081 (geneve)", "a UDP port", (ushort)1, ushort.MaxValue, (ushort)0);
    public Option<uint?> Key { get; } = OptionValues.OptionalNumber("--key", "GRE key (RFC 2890), 32 bits, decimal or 0x-hex; none by default", "a GRE key", 0u, uint.MaxValue);
    public Option<bool> Checksum { get; } = new("--checksum") { Description = "GRE: carry the checksum (RFC 2784)" };
    public Option<bool> Sequence { get; } = new("--seq") { Description = "GRE: carry a sequence number (RFC 2890)" };
    public Option<uint> Vsid { get; } = OptionValues.Number("--vsid", "NVGRE VSID: 0x1000..0xFFFFFE (RFC 7637 reserves the rest)", "an NVGRE VSID",
        NvgreEncapsulator.MinVsid, NvgreEncapsulator.MaxVsid, VariantCatalog.DefaultVsid, "0x1000..0xFFFFFE (4096..16777214)");
    public Option<IPAddress[]?> Sids { get; } = OptionValues.Ipv6List("--sids", "SRv6 segments in visit order, comma-separated IPv6 addresses (default fc00:0:1::)", Srv6Encapsulator.MaxSegments);
    public Option<bool> Reduced { get; } = new("--reduced") { Description = "SRv6 H.Encaps.Red / H.Encaps.L2.Red: the first SID only in the destination" };
    public Option<bool> Csid { get; } = new("--csid") { Description = "SRv6 NEXT-C-SID compression (RFC 9800)" };
    public Option<CompressedSidFormat> CsidFormat { get; } = OptionValues.Parsed("--csid-format",
        "With --csid: NEXT-C-SID locator-block/C-SID bits, such as 32/16 or 48/32", "32/16", ParseCsidFormat,
        "the format is BLOCK/CSID bits: a block of 8..112 bits in whole bytes, C-SIDs of 16 or 32 bits");
    public Option<GeneveOption[]> GeneveOptions { get; } = GeneveOptionValues.Create("--option");
    public Option<bool> Oam { get; } = new("--oam") { Description = "GENEVE: set the O (control) bit" };
    public Option<IPAddress?> OuterSource { get; } = OptionValues.Address("--outer-src", "Outer source address, of the --underlay family (default 192.0.2.1 / 2001:db8::1)");
    public Option<IPAddress?> OuterDestination { get; } = OptionValues.Address("--outer-dst", "Outer destination, the remote endpoint, of the --underlay family (default 198.51.100.1 / 2001:db8::2; srv6: not used, the first SID is)");
    public Option<PhysicalAddress?> OuterSourceMac { get; } = OptionValues.Mac("--outer-src-mac", "Outer source MAC (default 02:00:5e:00:00:01)");
    public Option<PhysicalAddress?> OuterDestinationMac { get; } = OptionValues.Mac("--outer-dst-mac", "Outer destination MAC (default 02:00:5e:00:00:02)");
    public Option<string> UdpChecksum { get; } = OptionValues.Choice("--udp-checksum", "vxlan/geneve: on, off, or default (off over IPv4, on over IPv6)", "the UDP checksum policy", "default", "on", "off", "default");
    public Option<PortRange> SourcePorts { get; } = OptionValues.Range("--sport-range",
        "vxlan/geneve: UDP source-port range A-B for the flow hash (RFC 7348: 49152-65535; Linux: 32768-60999)", "a port range", 1, 65535, PortRange.Rfc7348);
    public Option<FlowLabelPolicy> FlowLabel { get; } = OptionValues.KeywordOrNumber("--flow-label",
        "IPv6 underlay: the outer flow label: hash (of the inner flow), zero, inherit (from an IPv6 inner), or a number 0..0xFFFFF",
        "a flow label", FlowLabelPolicy.Hash,
        new Dictionary<string, FlowLabelPolicy> { ["hash"] = FlowLabelPolicy.Hash, ["zero"] = FlowLabelPolicy.Zero, ["inherit"] = FlowLabelPolicy.FromInner },
        0, 0xFFFFF, FlowLabelPolicy.Fixed);
    public Option<HopLimitPolicy> Ttl { get; } = OptionValues.KeywordOrNumber("--ttl",
        "Outer TTL / hop limit: 1..255, inherit (from the inner IP header), or inherit-ipv6 (from an IPv6 inner only, as Linux seg6)",
        "a TTL", HopLimitPolicy.Fixed(64),
        new Dictionary<string, HopLimitPolicy> { ["inherit"] = HopLimitPolicy.FromInner(), ["inherit-ipv6"] = HopLimitPolicy.FromInnerIpv6() },
        1, 255, n => HopLimitPolicy.Fixed((byte)n));
    public Option<DscpPolicy> Dscp { get; } = OptionValues.KeywordOrNumber("--dscp",
        "Outer DSCP: 0..63, inherit, or inherit-ipv6 (ECN is always copied, RFC 6040)",
        "a DSCP", DscpPolicy.Fixed(0),
        new Dictionary<string, DscpPolicy> { ["inherit"] = DscpPolicy.FromInner(), ["inherit-ipv6"] = DscpPolicy.FromInnerIpv6() },
        0, 63, n => DscpPolicy.Fixed((byte)n));
    public Option<string> DontFragment { get; } = OptionValues.Choice("--df", "IPv4 underlay: the Don't Fragment bit, on or off", "the DF bit", "off", "on", "off");

    

    public IEnumerable<Option> All =>
    [
        Protocol, Profile, UnderlayFamily, Mode, Vni, DestinationPort, Key, Checksum, Sequence, Vsid, Sids, Reduced, Csid, CsidFormat, GeneveOptions, Oam,
        OuterSource, OuterDestination, OuterSourceMac, OuterDestinationMac, UdpChecksum, SourcePorts, FlowLabel, Ttl, Dscp, DontFragment,
    ];

    /// <summary>Refuses, with one line, an option that does not apply to the protocol, mode or underlay chosen.</summary>
    public void Validate(CommandResult command)
    {
        if (command.GetValue(Profile) is DeployedProfile profile)
        {
            ValidateProfile(command, profile);
            return;
        }
        if (command.GetValue(Protocol) is not string protocol)
        {
            OptionValues.Report(command, $"encap: --protocol is required (gre, nvgre, vxlan, geneve or srv6), or {ProfileOptions.Name} NAME ({ProfileOptions.Accepted}); see 'overlay encap --help'");
            return;
        }
        var applies = new Applicability(command, protocol);
        applies.Only(Vni, "vxlan", "geneve");
        applies.Only(DestinationPort, "vxlan", "geneve");
        applies.Only(Key, "gre");
        applies.Only(Checksum, "gre");
        applies.Only(Sequence, "gre");
        applies.Only(Vsid, "nvgre");
        applies.Only(Sids, "srv6");
        applies.Only(Reduced, "srv6");
        applies.Only(Csid, "srv6");
        applies.Only(CsidFormat, "srv6");
        applies.Only(GeneveOptions, "geneve");
        applies.Only(Oam, "geneve");
        applies.Only(UdpChecksum, "vxlan", "geneve");
        applies.Only(SourcePorts, "vxlan", "geneve");
        applies.Refuse(OuterDestination, protocol == "srv6", "--outer-dst does not apply to srv6: the outer destination is the first SID (--sids)");
        applies.Refuse(UnderlayFamily, protocol == "srv6" && command.GetValue(UnderlayFamily) == "ipv4", "--underlay ipv4: srv6 runs over ipv6 only");
        applies.Refuse(Mode, protocol is "nvgre" or "vxlan" && command.GetValue(Mode) == "l3", $"--mode l3: {protocol} carries Ethernet frames only (l2)");
        applies.Refuse(CsidFormat, !command.GetValue(Csid), "--csid-format applies with --csid");
        applies.Refuse(Reduced, command.GetValue(Csid), "--reduced does not combine with --csid: NEXT-C-SID places the SIDs itself");
        bool v6 = protocol == "srv6" || command.GetValue(UnderlayFamily) == "ipv6";
        string family = v6 ? "ipv6" : "ipv4";
        applies.Refuse(FlowLabel, !v6, "--flow-label applies to an ipv6 underlay, not ipv4 (--underlay ipv6)");
        applies.Refuse(DontFragment, v6, "--df applies to an ipv4 underlay, not ipv6 (IPv6 routers never fragment)");
        foreach (Option<IPAddress?> address in new[] { OuterSource, OuterDestination })
        {
            if (command.GetValue(address) is IPAddress ip && (ip.AddressFamily == AddressFamily.InterNetworkV6) != v6)
            {
                applies.Refuse(address, true, $"{address.Name} {ip}: is {(v6 ? "IPv4" : "IPv6")}, but the underlay is {family}{(protocol == "srv6" ? " (srv6)" : " (--underlay)")}");
            }
        }
    }

    /// <summary>A profile fixes every setting: any other encapsulation option with it is refused, and so is a pair.</summary>
    private void ValidateProfile(CommandResult command, DeployedProfile profile)
    {
        if (profile.IsPair)
        {
            OptionValues.Report(command, $"{ProfileOptions.Name} {profile.Name}: a pair is two tunnels; encapsulate with {OptionValues.Alternatives(profile.Legs.Select(l => l.Name))}");
            return;
        }
        if (All.FirstOrDefault(o => o != Profile && command.GetResult(o) is { Implicit: false }) is Option given)
        {
            OptionValues.Report(command, $"{given.Name} does not combine with {ProfileOptions.Name} {profile.Name}: the profile fixes every setting (`overlay variants --profiles`)");
        }
    }

    /// <summary>Builds the encapsulator from a validated command line.</summary>
    public IEncapsulator Build(ParseResult parse)
    {
        if (parse.GetValue(Profile) is DeployedProfile profile)
        {
            return profile.Create();
        }
        string protocol = parse.GetValue(Protocol)!;
        bool v6 = protocol == "srv6" || parse.GetValue(UnderlayFamily) == "ipv6";
        var underlay = new Underlay
        {
            Source = parse.GetValue(OuterSource) ?? IPAddress.Parse(v6 ? "2001:db8::1" : "192.0.2.1"),
            Destination = protocol == "srv6" ? null : parse.GetValue(OuterDestination) ?? IPAddress.Parse(v6 ? "2001:db8::2" : "198.51.100.1"),
            SourceMac = parse.GetValue(OuterSourceMac) ?? Underlay.DefaultSourceMac,
            DestinationMac = parse.GetValue(OuterDestinationMac) ?? Underlay.DefaultDestinationMac,
            UdpChecksum = parse.GetValue(UdpChecksum) switch { "on" => UdpChecksumPolicy.On, "off" => UdpChecksumPolicy.Off, _ => UdpChecksumPolicy.Default },
            SourcePorts = parse.GetValue(SourcePorts),
            FlowLabel = parse.GetValue(FlowLabel),
            HopLimit = parse.GetValue(Ttl),
            Dscp = parse.GetValue(Dscp),
            DontFragment = parse.GetValue(DontFragment) == "on",
        };
        ushort PortOr(ushort fallback) => parse.GetValue(DestinationPort) is ushort port and > 0 ? port : fallback;
        PayloadMode ModeOr(PayloadMode fallback) => parse.GetValue(Mode) switch { "l2" => PayloadMode.L2, "l3" => PayloadMode.L3, _ => fallback };
        return protocol switch
        {
            "gre" => new GreEncapsulator(underlay, new GreOptions
            {
                Mode = ModeOr(PayloadMode.L3),
                Checksum = parse.GetValue(Checksum),
                Key = parse.GetValue(Key),
                Sequence = parse.GetValue(Sequence),
            }),
            "nvgre" => new NvgreEncapsulator(underlay, parse.GetValue(Vsid)),
            "vxlan" => new VxlanEncapsulator(underlay, parse.GetValue(Vni), PortOr(Overlay.Encapsulation.Headers.Udp.VxlanPort)),
            "geneve" => new GeneveEncapsulator(underlay, new GeneveOptions
            {
                Vni = parse.GetValue(Vni),
                Mode = ModeOr(PayloadMode.L2),
                Oam = parse.GetValue(Oam),
                Options = parse.GetValue(GeneveOptions) ?? [],
                DestinationPort = PortOr(Overlay.Encapsulation.Headers.Udp.GenevePort),
            }),
            _ => BuildSrv6(parse, underlay, ModeOr(PayloadMode.L3)),
        };
    }

    private IEncapsulator BuildSrv6(ParseResult parse, Underlay underlay, PayloadMode mode)
    {
        IPAddress[] sids = parse.GetValue(Sids) ?? VariantCatalog.Segments(1);
        try
        {
            return new Srv6Encapsulator(underlay, new Srv6Options
            {
                Segments = sids,
                Mode = mode,
                Reduced = parse.GetValue(Reduced),
                CompressedSids = parse.GetValue(Csid) ? parse.GetValue(CsidFormat) : null,
            });
        }
        catch (ArgumentException e) when (parse.GetValue(Csid))
        {
            // The one check that needs the SIDs and the format together: every SID a NEXT-C-SID of the format's block.
            throw new ArgumentException($"--sids {string.Join(',', sids.Select(s => s.ToString()))}: {CommandRunner.UserMessage(e)} (--csid-format {parse.GetValue(CsidFormat).LocatorBlockBits}/{parse.GetValue(CsidFormat).CsidBits})");
        }
    }

    private static CompressedSidFormat ParseCsidFormat(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length == 2 && OptionValues.TryParseNumber(parts[0], out ulong block) && OptionValues.TryParseNumber(parts[1], out ulong csid)
            && block is >= 8 and <= 112 && block % 8 == 0 && csid is 16 or 32 && block + csid <= 128)
        {
            return new CompressedSidFormat((int)block, (int)csid);
        }
        throw new ArgumentException(text);
    }

    /// <summary>Refuses options given on the command line that the chosen protocol does not use.</summary>
    private sealed class Applicability(CommandResult command, string protocol)
    {
        private bool _reported;

        public void Only(Option option, params string[] protocols) =>
            Refuse(option, !protocols.Contains(protocol), $"{option.Name} applies to {OptionValues.Alternatives(protocols)}, not {protocol}");

        public void Refuse(Option option, bool refused, string message)
        {
            if (!_reported && refused && command.GetResult(option) is { Implicit: false })
            {
                OptionValues.Report(command, message);
                _reported = true;
            }
        }
    }
}
