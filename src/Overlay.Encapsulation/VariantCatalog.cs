using System.Net;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Gre;
using Overlay.Encapsulation.IpIp;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Encapsulation;

/// <summary>A named variant with its default configuration: a factory, since an encapsulator keeps per-packet state.</summary>
public sealed record VariantSpec(string Name, string Description, Func<IEncapsulator> Create);

/// <summary>
/// The standard variants the suite compares, each with default settings on documentation addresses
/// (RFC 5737, RFC 3849) and SIDs in fc00:0::/32 (a 32-bit locator block with 16-bit C-SIDs 1, 2, 3).
/// The names are the ones the CLI, the results, the benchmarks and the charts use.
/// </summary>
public static partial class VariantCatalog
{
    public const uint DefaultVni = 4242;
    public const uint DefaultVsid = 0x1234;
    public const uint DefaultGreKey = 0x2A;

    /// <summary>The default segments, in visit order: fc00:0:1::, fc00:0:2::, … (also valid NEXT-C-SIDs).</summary>
    public static IPAddress[] Segments(int count) =>
        Enumerable.Range(1, count).Select(i => IPAddress.Parse($"fc00:0:{i:x}::")).ToArray();

    /// <summary>An 8-byte GENEVE option of an experimental class (RFC 8926 §8: 0xFFF0-0xFFFF).</summary>
    public static GeneveOption ExperimentalOption(byte type, int dataLength) =>
        new(0xFFF0, type, Enumerable.Range(0, dataLength).Select(i => (byte)(0xA0 + i)).ToArray());

    public static IReadOnlyList<VariantSpec> All { get; } = Build();

    /// <summary>The variant called <paramref name="name"/>, or null.</summary>
    public static VariantSpec? Find(string name) => All.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));

    private static List<VariantSpec> Build()
    {
        var list = new List<VariantSpec>();
        void Add(string description, Func<IEncapsulator> create) => list.Add(new VariantSpec(create().Name, description, create));

        foreach (bool v6 in new[] { false, true })
        {
            Underlay Plain() => v6 ? Underlay.Ipv6() : Underlay.Ipv4();
            string ip = v6 ? "IPv6" : "IPv4";
            Add($"GRE over {ip}, IP payload (inner Ethernet header dropped)", () => new GreEncapsulator(Plain(), new GreOptions()));
            Add($"GRE over {ip}, Ethernet payload (TEB, 0x6558)", () => new GreEncapsulator(Plain(), new GreOptions { Mode = PayloadMode.L2 }));
            Add($"GRE over {ip}, IP payload, with checksum, key and sequence number", () => new GreEncapsulator(Plain(), new GreOptions { Checksum = true, Key = DefaultGreKey, Sequence = true }));
            Add($"NVGRE over {ip}, VSID {DefaultVsid}", () => new NvgreEncapsulator(Plain(), DefaultVsid));
            Add($"VXLAN over {ip}, VNI {DefaultVni}", () => new VxlanEncapsulator(Plain(), DefaultVni));
            Add($"GENEVE over {ip}, Ethernet payload, no options", () => new GeneveEncapsulator(Plain(), new GeneveOptions { Vni = DefaultVni }));
            Add($"GENEVE over {ip}, IP payload, no options", () => new GeneveEncapsulator(Plain(), new GeneveOptions { Vni = DefaultVni, Mode = PayloadMode.L3 }));
            Add($"GENEVE over {ip}, Ethernet payload, one 12-byte option (4-byte TLV header, 8 bytes of data)", () => new GeneveEncapsulator(Plain(), new GeneveOptions { Vni = DefaultVni, Options = [ExperimentalOption(1, 8)] }));
        }

        // The baselines: one outer IP header and nothing else (RFC 2003, RFC 2473, RFC 4213 §3.5).
        Add("IPv4 in IPv4 (RFC 2003, protocol 4), IP payload", () => new IpIpEncapsulator(Underlay.Ipv4(), 4));
        Add("IPv6 in IPv4 (RFC 4213 §3.5, protocol 41), IP payload", () => new IpIpEncapsulator(Underlay.Ipv4(), 6));
        Add("IPv4 in IPv6 (RFC 2473, next header 4), IP payload", () => new IpIpEncapsulator(Underlay.Ipv6(), 4));
        Add("IPv6 in IPv6 (RFC 2473, next header 41), IP payload", () => new IpIpEncapsulator(Underlay.Ipv6(), 6));

        Underlay Srv6Underlay() => Underlay.Ipv6(destination: null);
        foreach (int n in new[] { 1, 3 })
        {
            Add($"SRv6 H.Encaps, {n} SID(s), IP payload", () => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = Segments(n) }));
            Add($"SRv6 H.Encaps.Red, {n} SID(s), IP payload", () => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = Segments(n), Reduced = true }));
            Add($"SRv6 H.Encaps.L2, {n} SID(s), Ethernet payload", () => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = Segments(n), Mode = PayloadMode.L2 }));
            Add($"SRv6 H.Encaps.L2.Red, {n} SID(s), Ethernet payload", () => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = Segments(n), Mode = PayloadMode.L2, Reduced = true }));
            Add($"SRv6 NEXT-C-SID (32/16), {n} SID(s), IP payload", () => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = Segments(n), CompressedSids = CompressedSidFormat.Default }));
            Add($"SRv6 NEXT-C-SID (32/16), {n} SID(s), Ethernet payload", () => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = Segments(n), CompressedSids = CompressedSidFormat.Default, Mode = PayloadMode.L2 }));
        }
        Add("SRv6 NEXT-C-SID (32/16), 8 SIDs: two containers, one in an SRH", () => new Srv6Encapsulator(Srv6Underlay(), new Srv6Options { Segments = Segments(8), CompressedSids = CompressedSidFormat.Default }));
        return list;
    }
}
