using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Encapsulation;

/// <summary>
/// One variant grown step by step: n SRv6 segments, or n GENEVE options, from <see cref="From"/> to <see cref="To"/>.
/// </summary>
/// <param name="Id">The sweep's stable name, the one the benchmarks and their results use.</param>
/// <param name="Title">What the sweep is, as a chart legend names it.</param>
/// <param name="From">The first point (0 for a header that can be empty of options).</param>
/// <param name="To">The last point.</param>
/// <param name="Create">The encapsulator at one point: a factory, since an encapsulator keeps per-packet state.</param>
public sealed record VariantSweep(string Id, string Title, int From, int To, Func<int, IEncapsulator> Create)
{
    /// <summary>The points of the sweep, in order.</summary>
    public IEnumerable<int> Points => Enumerable.Range(From, To - From + 1);

    /// <summary>Whether the sweep has a point at <paramref name="n"/>.</summary>
    public bool Has(int n) => n >= From && n <= To;
}

/// <summary>The sweeps: defined once, for the header-cost charts and for the sweep benchmarks.</summary>
public static partial class VariantCatalog
{
    /// <summary>The longest SRv6 segment list a sweep reaches.</summary>
    public const int MaxSweepSids = 10;

    /// <summary>The most GENEVE options a sweep carries.</summary>
    public const int MaxSweepGeneveOptions = 8;

    /// <summary>SRv6 H.Encaps with an IP payload: every SID in the SRH.</summary>
    public static VariantSweep Srv6Encaps { get; } = new("srv6-encaps", "SRv6 H.Encaps, IP payload", 1, MaxSweepSids,
        n => Srv6Sweep(n, PayloadMode.L3, reduced: false, compressed: false));

    /// <summary>SRv6 H.Encaps.Red with an IP payload: the first SID only in the destination.</summary>
    public static VariantSweep Srv6EncapsRed { get; } = new("srv6-encaps-red", "SRv6 H.Encaps.Red, IP payload", 1, MaxSweepSids,
        n => Srv6Sweep(n, PayloadMode.L3, reduced: true, compressed: false));

    /// <summary>SRv6 NEXT-C-SID (32-bit block, 16-bit C-SIDs) with an IP payload.</summary>
    public static VariantSweep Srv6Csid { get; } = new("srv6-csid", "SRv6 NEXT-C-SID 32/16, IP payload", 1, MaxSweepSids,
        n => Srv6Sweep(n, PayloadMode.L3, reduced: false, compressed: true));

    /// <summary>SRv6 H.Encaps.L2 with an Ethernet payload: every SID in the SRH.</summary>
    public static VariantSweep Srv6EncapsL2 { get; } = new("srv6-encaps-l2", "SRv6 H.Encaps, Ethernet payload", 1, MaxSweepSids,
        n => Srv6Sweep(n, PayloadMode.L2, reduced: false, compressed: false));

    /// <summary>IPv6 in IPv6 (RFC 2473): names no SID, so the same header at every point; the floor under every SRv6 form.</summary>
    public static VariantSweep Ip6Ip6Flat { get; } = new("ip6ip6-flat", "IPv6-in-IPv6 (RFC 2473, names no SID), IP payload", 0, MaxSweepSids,
        _ => new IpIp.IpIpEncapsulator(Underlay.Ipv6(), 6));

    /// <summary>
    /// GENEVE over IPv6 with one 12-byte option at every point: the one constant service-path option (SPI/SI) a chain
    /// carries, as the suite's chain study does, rather than one option per service.
    /// </summary>
    public static VariantSweep GeneveIpv6ServicePath { get; } = new("geneve-ipv6-service-path", "GENEVE/IPv6 + one 12-byte service-path option, Ethernet payload", 0, MaxSweepSids,
        _ => GeneveSweep(Underlay.Ipv6(), 1, dataLength: 8));

    /// <summary>SRv6 NEXT-C-SID (32/16) with an Ethernet payload.</summary>
    public static VariantSweep Srv6CsidL2 { get; } = new("srv6-csid-l2", "SRv6 NEXT-C-SID 32/16, Ethernet payload", 1, MaxSweepSids,
        n => Srv6Sweep(n, PayloadMode.L2, reduced: false, compressed: true));

    /// <summary>GENEVE over IPv4 with n options of 8 bytes (4 of TLV header, 4 of data), Ethernet payload.</summary>
    public static VariantSweep GeneveOptions { get; } = new("geneve-options", "GENEVE/IPv4 + n 8-byte options, Ethernet payload", 0, MaxSweepGeneveOptions,
        n => GeneveSweep(Underlay.Ipv4(), n, dataLength: 4));

    /// <summary>GENEVE over IPv6 with n options of 12 bytes (4 of TLV header, 8 of data), Ethernet payload.</summary>
    public static VariantSweep GeneveIpv6Options12B { get; } = new("geneve-ipv6-options-12B", "GENEVE/IPv6 + n 12-byte options, Ethernet payload", 0, MaxSweepGeneveOptions,
        n => GeneveSweep(Underlay.Ipv6(), n, dataLength: 8));

    /// <summary>VXLAN over IPv6: nothing per service, the same header at every point (a chain re-encapsulates instead).</summary>
    public static VariantSweep VxlanIpv6Flat { get; } = new("vxlan-ipv6-flat", "VXLAN/IPv6 (no per-service header), Ethernet payload", 0, MaxSweepSids,
        _ => new VxlanEncapsulator(Underlay.Ipv6(), DefaultVni));

    /// <summary>
    /// The service-insertion header chart, all over an IPv6 underlay (the one SRv6 runs on): SRv6 with 1..10 SIDs
    /// (H.Encaps, H.Encaps.Red, NEXT-C-SID 32/16) beside plain IPv6-in-IPv6 for an IP payload; SRv6 beside GENEVE with
    /// one 12-byte option per service, GENEVE with the one service-path option a chain carries, and plain VXLAN (neither
    /// grows with the chain: each service rewrites or re-encapsulates instead) for an Ethernet payload.
    /// </summary>
    public static IReadOnlyList<VariantSweep> ServiceInsertionSweeps { get; } =
        [Srv6Encaps, Srv6EncapsRed, Srv6Csid, Ip6Ip6Flat, Srv6EncapsL2, Srv6CsidL2, GeneveIpv6Options12B, GeneveIpv6ServicePath, VxlanIpv6Flat];

    /// <summary>
    /// The sweep benchmarks: copy encapsulation cost against header size, SRv6 with 1..10 SIDs (IP payload, IPv6 underlay)
    /// and GENEVE with 0..8 options of 8 bytes (Ethernet payload, IPv4 underlay).
    /// </summary>
    public static IReadOnlyList<VariantSweep> BenchmarkSweeps { get; } = [Srv6Encaps, Srv6EncapsRed, Srv6Csid, GeneveOptions];

    private static Srv6Encapsulator Srv6Sweep(int n, PayloadMode mode, bool reduced, bool compressed) =>
        new(Underlay.Ipv6(destination: null), new Srv6Options
        {
            Segments = Segments(n),
            Mode = mode,
            Reduced = reduced,
            CompressedSids = compressed ? CompressedSidFormat.Default : null,
        });

    private static GeneveEncapsulator GeneveSweep(Underlay underlay, int options, int dataLength) =>
        new(underlay, new GeneveOptions
        {
            Vni = DefaultVni,
            Options = Enumerable.Range(1, options).Select(i => ExperimentalOption((byte)i, dataLength)).ToArray(),
        });
}
