using System.Net.Sockets;
using Overlay.Kernel.Namespaces;

namespace Overlay.Kernel;

/// <summary>
/// One tunnel (or a native baseline) as the kernel builds it between host A and host B: the `ip` commands for each side,
/// the address the traffic goes to, and the suite's variant whose model it is measured against.
/// </summary>
/// <param name="Name">The suite's variant name (the model, <c>VariantCatalog</c>), or baseline-ipv4/6.</param>
/// <param name="Description">What it is, in words.</param>
/// <param name="Requires">What a kernel without it lacks: the module and its configuration option.</param>
/// <param name="SetupA">Commands in A: `ip` ones (split on spaces and run as `ip -n A …`), or `ethtool …` ones.</param>
/// <param name="SetupB">`ip` commands in B.</param>
/// <param name="Destination">B's inner address the traffic is sent to.</param>
/// <param name="InnerFamily">The family of the packets the tunnel carries.</param>
/// <param name="CaptureFilter">BPF for this variant's outer packets on A's underlay (null for a baseline).</param>
public sealed record KernelVariant(
    string Name,
    string Description,
    string Requires,
    IReadOnlyList<string> SetupA,
    IReadOnlyList<string> SetupB,
    string Destination,
    AddressFamily InnerFamily,
    string? CaptureFilter)
{
    public bool IsBaseline => CaptureFilter is null;

    /// <summary>The baseline this variant's CPU per packet is measured against: native routing of the same inner family.</summary>
    public string? Baseline => IsBaseline ? null : InnerFamily == AddressFamily.InterNetworkV6 ? KernelVariants.BaselineIpv6 : KernelVariants.BaselineIpv4;
}

/// <summary>
/// The variants `overlay kernel` builds, with the suite's settings: VXLAN VNI 4242 on UDP 4789, GENEVE VNI 4242 on 6081,
/// GRE without checksum, key or sequence number (ip6gre without the encapsulation-limit option, which the model does not
/// write), SRv6 with 1 or 3 SIDs in the model's 32-bit-block/16-bit format. Every inner path has a 1500-byte MTU over a
/// 9000-byte underlay, so no tunnel fragments and TCP uses one MSS everywhere.
/// </summary>
/// <remarks>
/// All variants live side by side, each with its own addresses: variant k sends from 10.201.k.1 to 10.200.k.2 (IPv4
/// inner) and its SRv6 SIDs are fc00:k:i:: on B and fc01:k:i:: on A (the return path, which TCP's acknowledgements take).
/// Only the 16-bit group after fc00 differs from the model's SIDs, which leaves every length the same.
/// </remarks>
public static class KernelVariants
{
    public const string BaselineIpv4 = "baseline-ipv4", BaselineIpv6 = "baseline-ipv6";
    public const int InnerMtu = 1500;
    /// <summary>A setup command that starts with this runs ethtool in the namespace instead of ip.</summary>
    public const string EthtoolPrefix = "ethtool ";
    private const string MacTunnelA = "02:00:00:42:00:01", MacTunnelB = "02:00:00:42:00:02";

    /// <summary>Every variant, in report order.</summary>
    public static IReadOnlyList<KernelVariant> All { get; } = Build();

    public static IReadOnlyList<string> TunnelNames => All.Where(v => !v.IsBaseline).Select(v => v.Name).ToArray();

    private static List<KernelVariant> Build()
    {
        var list = new List<KernelVariant>();
        int k = 0;
        string Ul = Testbed.Underlay;
        string M = $"mtu {InnerMtu}";

        // The baselines: the same veth, routed natively, with the inner paths' MTU.
        k++;
        list.Add(new(BaselineIpv4, "native IPv4 routing over the underlay veth, no tunnel", "IPv4",
            [$"addr add 10.201.{k}.1/32 dev lo", $"route add 10.200.{k}.2/32 via {Testbed.UnderlayB4} dev {Ul} src 10.201.{k}.1 {M}"],
            [$"addr add 10.200.{k}.2/32 dev lo", $"route add 10.201.{k}.1/32 via {Testbed.UnderlayA4} dev {Ul} src 10.200.{k}.2 {M}"],
            $"10.200.{k}.2", AddressFamily.InterNetwork, null));
        k++;
        list.Add(new(BaselineIpv6, "native IPv6 routing over the underlay veth, no tunnel", "IPv6",
            [$"addr add fd00:201:{k}::1/128 dev lo nodad", $"-6 route add fd00:200:{k}::2/128 via {Testbed.UnderlayB6} dev {Ul} src fd00:201:{k}::1 {M}"],
            [$"addr add fd00:200:{k}::2/128 dev lo nodad", $"-6 route add fd00:201:{k}::1/128 via {Testbed.UnderlayA6} dev {Ul} src fd00:200:{k}::2 {M}"],
            $"fd00:200:{k}::2", AddressFamily.InterNetworkV6, null));

        // Link-type tunnels: a device in A and its mirror in B, an inner /24 between them.
        void Device(string name, string description, string requires, string device, string typeA, string typeB, bool ethernet, string filter)
        {
            k++;
            List<string> Side(string type, string self, string peer, string selfMac, string peerMac) =>
            [
                $"link add {device} {M}{(ethernet ? $" address {selfMac}" : "")} type {type}",
                $"addr add 10.200.{k}.{self}/24 dev {device}",
                $"link set {device} up",
                .. ethernet ? new[] { $"neigh replace 10.200.{k}.{peer} lladdr {peerMac} dev {device} nud permanent" } : [],
            ];
            list.Add(new(name, description, requires, Side(typeA, "1", "2", MacTunnelA, MacTunnelB), Side(typeB, "2", "1", MacTunnelB, MacTunnelA),
                $"10.200.{k}.2", AddressFamily.InterNetwork, filter));
        }
        string A4 = Testbed.UnderlayA4, B4 = Testbed.UnderlayB4, A6 = Testbed.UnderlayA6, B6 = Testbed.UnderlayB6;
        const string Vxlan = "vxlan (CONFIG_VXLAN)";
        Device("vxlan-ipv4", "VXLAN over IPv4, VNI 4242, UDP 4789", Vxlan, "vx4",
            $"vxlan id 4242 local {A4} remote {B4} dstport 4789 dev {Ul}", $"vxlan id 4242 local {B4} remote {A4} dstport 4789 dev {Ul}", true, "ip and udp dst port 4789");
        Device("vxlan-ipv6", "VXLAN over IPv6, VNI 4242, UDP 4789", Vxlan, "vx6",
            $"vxlan id 4242 local {A6} remote {B6} dstport 4789 dev {Ul}", $"vxlan id 4242 local {B6} remote {A6} dstport 4789 dev {Ul}", true, "ip6 and udp dst port 4789");
        const string Geneve = "geneve (CONFIG_GENEVE)";
        Device("geneve-ipv4", "GENEVE over IPv4, VNI 4242, UDP 6081, no options", Geneve, "gnv4",
            $"geneve id 4242 remote {B4} dstport 6081", $"geneve id 4242 remote {A4} dstport 6081", true, "ip and udp dst port 6081");
        Device("geneve-ipv6", "GENEVE over IPv6, VNI 4242, UDP 6081, no options", Geneve, "gnv6",
            $"geneve id 4242 remote {B6} dstport 6081", $"geneve id 4242 remote {A6} dstport 6081", true, "ip6 and udp dst port 6081");
        const string Gre = "ip_gre (CONFIG_NET_IPGRE)", Gre6 = "ip6_gre (CONFIG_IPV6_GRE)";
        Device("gre-l3-ipv4", "GRE over IPv4, IP payload (`gre`)", Gre, "gre4",
            $"gre local {A4} remote {B4} ttl 64", $"gre local {B4} remote {A4} ttl 64", false, "ip proto 47");
        Device("gre-teb-ipv4", "GRE over IPv4, Ethernet payload (`gretap`)", Gre, "gtap4",
            $"gretap local {A4} remote {B4} ttl 64", $"gretap local {B4} remote {A4} ttl 64", true, "ip proto 47");
        Device("gre-l3-ipv6", "GRE over IPv6, IP payload (`ip6gre`, encaplimit none)", Gre6, "gre6",
            $"ip6gre local {A6} remote {B6} hoplimit 64 encaplimit none", $"ip6gre local {B6} remote {A6} hoplimit 64 encaplimit none", false, "ip6 proto 47");
        Device("gre-teb-ipv6", "GRE over IPv6, Ethernet payload (`ip6gretap`, encaplimit none)", Gre6, "gtap6",
            $"ip6gretap local {A6} remote {B6} hoplimit 64 encaplimit none", $"ip6gretap local {B6} remote {A6} hoplimit 64 encaplimit none", true, "ip6 proto 47");

        // SRv6: an encap route on each side towards the other's inner address, seg6local SIDs to decapsulate (End on
        // every SID but the last, End.DX4 on the last).
        const string Seg6 = "seg6 lightweight tunnels (CONFIG_IPV6_SEG6_LWTUNNEL)";
        void Srv6(string name, string description, string mode, int sids)
        {
            k++;
            string Sids(string block) => string.Join(',', Enumerable.Range(1, sids).Select(i => $"{block}:{k:x}:{i:x}::"));
            IEnumerable<string> Local(string block, string inner) => Enumerable.Range(1, sids).Select(i =>
                $"-6 route add {block}:{k:x}:{i:x}::/128 encap seg6local action " + (i < sids ? $"End dev {Ul}" : $"End.DX4 nh4 {inner} dev {Ul}"));
            list.Add(new(name, description, Seg6,
                [$"addr add 10.201.{k}.1/32 dev lo", $"route add 10.200.{k}.2/32 encap seg6 mode {mode} segs {Sids("fc00")} dev {Ul} src 10.201.{k}.1 {M}", .. Local("fc01", $"10.201.{k}.1")],
                [$"addr add 10.200.{k}.2/32 dev lo", $"route add 10.201.{k}.1/32 encap seg6 mode {mode} segs {Sids("fc01")} dev {Ul} src 10.200.{k}.2 {M}", .. Local("fc00", $"10.200.{k}.2")],
                $"10.200.{k}.2", AddressFamily.InterNetwork, $"ip6 dst net fc00:{k:x}::/32"));
        }
        Srv6("srv6-encaps-1sid", "SRv6 H.Encaps (`encap`), 1 SID, IPv4 payload, End.DX4", "encap", 1);
        Srv6("srv6-encaps-3sid", "SRv6 H.Encaps (`encap`), 3 SIDs, IPv4 payload, End, End, End.DX4", "encap", 3);
        Srv6("srv6-encaps-red-1sid", "SRv6 H.Encaps.Red (`encap.red`), 1 SID (no SRH), IPv4 payload, End.DX4", "encap.red", 1);
        Srv6("srv6-encaps-red-3sid", "SRv6 H.Encaps.Red (`encap.red`), 3 SIDs, IPv4 payload, End, End, End.DX4", "encap.red", 3);

        // SRv6 H.Encaps.L2: the kernel encapsulates a frame only as it enters on an interface (the seg6 l2encap route is an
        // input route), and End.DX2 sends the frame out of one. So A's traffic leaves through a veth pair inside A whose
        // far end a policy rule sends into the l2encap table, and B's End.DX2 port is a veth pair inside B whose far end
        // owns the inner address. The return path (TCP's acknowledgements) is native routing over the underlay.
        void Srv6L2(string name, string description, int sids)
        {
            k++;
            string Sids() => string.Join(',', Enumerable.Range(1, sids).Select(i => $"fc00:{k:x}:{i:x}::"));
            string table = (100 + k).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string macIn = $"02:00:00:43:{k:x2}:02";
            list.Add(new(name, description, Seg6,
            [
                $"link add l2s{k} {M} address 02:00:00:43:{k:x2}:01 type veth peer name l2i{k} address {macIn} {M}",
                $"addr add 10.201.{k}.1/24 dev l2s{k}",
                // Frames enter A's L2 port as they would cross a wire: a super-frame (TSO/GSO, as GRO would make one on a
                // NIC) entering l2encap is dropped, and TCP through it stalls.
                $"{EthtoolPrefix}-K l2s{k} tso off gso off",
                $"link set l2s{k} up",
                $"link set l2i{k} up",
                $"route add 10.200.{k}.2/32 dev l2s{k} src 10.201.{k}.1",
                $"neigh replace 10.200.{k}.2 lladdr {macIn} dev l2s{k} nud permanent",
                $"rule add iif l2i{k} lookup {table}",
                $"route add 10.200.{k}.2/32 encap seg6 mode l2encap segs {Sids()} dev {Ul} table {table}",
            ],
            [
                $"link add l2o{k} {M} type veth peer name l2r{k} address {macIn} {M}",
                $"addr add 10.200.{k}.2/24 dev l2r{k}",
                $"link set l2o{k} up",
                $"link set l2r{k} up",
                .. Enumerable.Range(1, sids).Select(i => $"-6 route add fc00:{k:x}:{i:x}::/128 encap seg6local action " +
                    (i < sids ? $"End dev {Ul}" : $"End.DX2 oif l2o{k} dev {Ul}")),
                $"route add 10.201.{k}.1/32 via {Testbed.UnderlayA4} dev {Ul}",
            ],
                $"10.200.{k}.2", AddressFamily.InterNetwork, $"ip6 dst net fc00:{k:x}::/32"));
        }
        Srv6L2("srv6-encaps-l2-1sid", "SRv6 H.Encaps.L2 (`l2encap`), 1 SID, Ethernet payload, End.DX2; its path has two veth hops more than the baseline's, and A's L2 port has TSO/GSO off", 1);
        Srv6L2("srv6-encaps-l2-3sid", "SRv6 H.Encaps.L2 (`l2encap`), 3 SIDs, Ethernet payload, End, End, End.DX2; its path has two veth hops more than the baseline's, and A's L2 port has TSO/GSO off", 3);
        return list;
    }

    /// <summary>The underlay routes every SRv6 variant shares: each side's SID blocks lie behind the other.</summary>
    public static IReadOnlyList<string> CommonA { get; } = [$"-6 route add fc00::/16 via {Testbed.UnderlayB6} dev {Testbed.Underlay}"];
    public static IReadOnlyList<string> CommonB { get; } = [$"-6 route add fc01::/16 via {Testbed.UnderlayA6} dev {Testbed.Underlay}"];

    /// <summary>The variants named in <paramref name="names"/> (null or empty: all), in catalogue order, with both
    /// baselines; an unknown name is an <see cref="ArgumentException"/> listing the known ones.</summary>
    public static IReadOnlyList<KernelVariant> Select(IReadOnlyCollection<string>? names)
    {
        if (names is null || names.Count == 0)
        {
            return All;
        }
        foreach (string name in names)
        {
            if (!All.Any(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"--variants: '{name}' is not a kernel variant (known: {string.Join(", ", All.Select(v => v.Name))})");
            }
        }
        return All.Where(v => v.IsBaseline || names.Contains(v.Name, StringComparer.OrdinalIgnoreCase)).ToList();
    }
}
