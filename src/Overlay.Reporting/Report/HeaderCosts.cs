using System.Buffers.Binary;
using Overlay.Results;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Reporting.Report;

/// <summary>One variant's header cost, exact from its encapsulator (no capture, no timing).</summary>
public sealed record HeaderCost
{
    public required string Variant { get; init; }
    public required string Description { get; init; }
    public required string Family { get; init; }
    /// <summary>"IPv4" or "IPv6".</summary>
    public required string Underlay { get; init; }
    /// <summary>"L2" (carries the Ethernet frame) or "L3" (carries the IP packet).</summary>
    public required string Service { get; init; }
    /// <summary>Outer header bytes written before the payload, outer Ethernet included (B).</summary>
    public required int HeaderLength { get; init; }
    /// <summary>Bytes the tunnel adds to an untagged Ethernet frame: the header, less the 14-byte inner Ethernet header an L3 variant drops (B).</summary>
    public required int Overhead { get; init; }
}

/// <summary>
/// Header arithmetic done by the encapsulators themselves: every length here is what
/// <see cref="IEncapsulator.GetEncapsulatedLength(ReadOnlySpan{byte})"/> returns for a synthetic untagged
/// IPv4/UDP frame, so the figures are exact and need no measurement.
/// </summary>
public static class HeaderCosts
{
    /// <summary>Inner frame sizes (B, Ethernet header included, FCS not) for the overhead-versus-size curve.</summary>
    public static IReadOnlyList<int> FrameSizes { get; } = [64, 90, 128, 181, 256, 362, 512, 724, 1024, 1280, 1500, 2048, 2896, 4096, 5792, 8192, 9000];

    /// <summary>Data bytes of each GENEVE option in the service-insertion sweep (each option is 4 + 8 = 12 bytes).</summary>
    public const int GeneveOptionDataLength = 8;
    public const int MaxServiceSids = 10;
    public const int MaxGeneveOptions = 8;

    /// <summary>The frame every overhead figure is taken on: Ethernet II, IPv4, UDP, zero payload bytes; no VLAN tag.</summary>
    public static byte[] SyntheticFrame(int length)
    {
        const int ethernet = 14, ipv4 = 20, udp = 8;
        if (length < ethernet + ipv4 + udp)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A synthetic frame holds at least Ethernet, IPv4 and UDP headers (42 bytes).");
        }
        var frame = new byte[length];
        frame[0] = 0x02;
        frame[6] = 0x02;
        frame[11] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        Span<byte> ip = frame.AsSpan(ethernet);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(length - ethernet));
        ip[8] = 64;
        ip[9] = 17;
        ip[12] = 192; ip[14] = 2; ip[15] = 1;
        ip[16] = 198; ip[17] = 51; ip[18] = 100; ip[19] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum.Compute(ip[..ipv4]));
        Span<byte> l4 = ip[ipv4..];
        BinaryPrimitives.WriteUInt16BigEndian(l4, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(l4[2..], 9);
        BinaryPrimitives.WriteUInt16BigEndian(l4[4..], (ushort)(length - ethernet - ipv4));
        return frame;
    }

    /// <summary>Bytes <paramref name="encapsulator"/> adds to an untagged frame of <paramref name="frameLength"/> bytes.</summary>
    public static int Overhead(IEncapsulator encapsulator, int frameLength = 1000)
    {
        byte[] frame = SyntheticFrame(frameLength);
        int length = encapsulator.GetEncapsulatedLength(frame);
        if (length < 0 && encapsulator is Overlay.Encapsulation.IpIp.IpIpEncapsulator { InnerIpVersion: 6 })
        {
            // IPv6 in IP carries no IPv4 frame; an L3 tunnel adds its outer headers less the inner Ethernet header to any IP packet.
            return encapsulator.HeaderLength - InnerEthernetLength;
        }
        if (length < 0)
        {
            throw new InvalidOperationException($"{encapsulator.Name} cannot carry an IPv4/UDP frame of {frameLength} bytes.");
        }
        return length - frameLength;
    }

    /// <summary>
    /// Bytes an analysed variant adds to an untagged frame: its outer headers (Ethernet included), less the inner Ethernet
    /// header an L3 service drops. The same figure as <see cref="HeaderCost.Overhead"/>, from an analysis result.
    /// </summary>
    public static double AddedBytes(Overlay.Results.VariantResult result) =>
        result.HeaderLength.Value - (result.Mode == "L3" ? InnerEthernetLength : 0);

    /// <summary>The inner Ethernet header an L3 service strips before it encapsulates.</summary>
    public const int InnerEthernetLength = 14;

    /// <summary>Every catalogue variant's header length and overhead, in catalogue order.</summary>
    public static List<HeaderCost> Catalog() => VariantCatalog.All.Select(spec =>
    {
        IEncapsulator e = spec.Create();
        return new HeaderCost
        {
            Variant = spec.Name,
            Description = spec.Description,
            Family = Family(spec.Name),
            Underlay = UnderlayOf(e),
            Service = e.Mode == PayloadMode.L2 ? "L2" : "L3",
            HeaderLength = e.HeaderLength,
            Overhead = Overhead(e),
        };
    }).ToList();

    /// <summary>The protocol family a variant name belongs to, as the charts colour it.</summary>
    public static string Family(string variant) => variant switch
    {
        _ when variant.StartsWith("nvgre", StringComparison.Ordinal) => "NVGRE",
        _ when variant.StartsWith("gre", StringComparison.Ordinal) => "GRE",
        _ when variant.StartsWith("vxlan", StringComparison.Ordinal) => "VXLAN",
        _ when variant.StartsWith("geneve", StringComparison.Ordinal) => "GENEVE",
        _ when variant.StartsWith("srv6-csid", StringComparison.Ordinal) => "SRv6 NEXT-C-SID",
        _ when variant.StartsWith("srv6", StringComparison.Ordinal) && variant.Contains("-red-", StringComparison.Ordinal) => "SRv6 H.Encaps.Red",
        _ when variant.StartsWith("srv6", StringComparison.Ordinal) => "SRv6 H.Encaps",
        "ipip-ipv4" or "ip6in4" or "ip4in6" or "ip6ip6" => "IP in IP",
        _ => "other",
    };

    private static string UnderlayOf(IEncapsulator e) => e.Underlay.IsIpv6 ? "IPv6" : "IPv4";

    /// <summary>A series of the service-insertion sweep: its name, kind, payload, and the encapsulator for n SIDs or options.</summary>
    public sealed record ServiceSweep(string Name, SweepKind Kind, string Payload, int From, int To, Func<int, IEncapsulator> Create);

    public const string IpPayload = "IP";
    public const string EthernetPayload = "Ethernet";

    /// <summary>
    /// The service-insertion sweep, all over an IPv6 underlay (the one SRv6 runs on): SRv6 with 1..10 SIDs (H.Encaps,
    /// H.Encaps.Red, NEXT-C-SID 32/16) beside plain IPv6-in-IPv6 for an IP payload; SRv6 beside GENEVE with one 12-byte
    /// option per service, GENEVE with the one service-path option the suite's chain carries, and plain VXLAN (neither
    /// grows with the chain: each service rewrites or re-encapsulates instead) for an Ethernet payload.
    /// </summary>
    public static IReadOnlyList<ServiceSweep> ServiceSweeps { get; } =
    [
        new("SRv6 H.Encaps, IP payload", SweepKind.Srv6Encaps, IpPayload, 1, MaxServiceSids, n => Srv6(n, PayloadMode.L3, reduced: false, compressed: false)),
        new("SRv6 H.Encaps.Red, IP payload", SweepKind.Srv6Reduced, IpPayload, 1, MaxServiceSids, n => Srv6(n, PayloadMode.L3, reduced: true, compressed: false)),
        new("SRv6 NEXT-C-SID 32/16, IP payload", SweepKind.Srv6Compressed, IpPayload, 1, MaxServiceSids, n => Srv6(n, PayloadMode.L3, reduced: false, compressed: true)),
        new("IPv6-in-IPv6 (RFC 2473, names no SID), IP payload", SweepKind.IpInIp, IpPayload, 0, MaxServiceSids, _ => VariantCatalog.Find("ip6ip6")!.Create()),
        new("SRv6 H.Encaps, Ethernet payload", SweepKind.Srv6Encaps, EthernetPayload, 1, MaxServiceSids, n => Srv6(n, PayloadMode.L2, reduced: false, compressed: false)),
        new("SRv6 NEXT-C-SID 32/16, Ethernet payload", SweepKind.Srv6Compressed, EthernetPayload, 1, MaxServiceSids, n => Srv6(n, PayloadMode.L2, reduced: false, compressed: true)),
        new("GENEVE/IPv6 + n 12-byte options, Ethernet payload", SweepKind.GenevePerService, EthernetPayload, 0, MaxGeneveOptions, n => Geneve(Underlay.Ipv6(), n)),
        new("GENEVE/IPv6 + one 12-byte service-path option, Ethernet payload", SweepKind.GeneveServicePath, EthernetPayload, 0, MaxServiceSids, _ => Geneve(Underlay.Ipv6(), 1)),
        new("VXLAN/IPv6 (no per-service header), Ethernet payload", SweepKind.Vxlan, EthernetPayload, 0, MaxServiceSids, _ => new VxlanEncapsulator(Underlay.Ipv6(), VariantCatalog.DefaultVni)),
    ];

    /// <summary>Every sweep evaluated: the bytes each adds at every n (computed once for the chart and the findings).</summary>
    public static IReadOnlyList<SweepCurve> SweepCurves() => ServiceSweeps.Select(sweep => new SweepCurve(sweep.Name, sweep.Kind, sweep.Payload,
        Enumerable.Range(sweep.From, sweep.To - sweep.From + 1).Select(n =>
        {
            IEncapsulator e = sweep.Create(n);
            return new SweepPoint(n, Overhead(e), e.Name);
        }).ToList())).ToList();

    private static Srv6Encapsulator Srv6(int n, PayloadMode mode, bool reduced, bool compressed) =>
        new(Underlay.Ipv6(destination: null), new Srv6Options
        {
            Segments = VariantCatalog.Segments(n),
            Mode = mode,
            Reduced = reduced,
            CompressedSids = compressed ? CompressedSidFormat.Default : null,
        });

    private static GeneveEncapsulator Geneve(Underlay underlay, int options) =>
        new(underlay, new GeneveOptions
        {
            Vni = VariantCatalog.DefaultVni,
            Options = Enumerable.Range(1, options).Select(i => VariantCatalog.ExperimentalOption((byte)i, GeneveOptionDataLength)).ToArray(),
        });
}

/// <summary>What a service-insertion curve is, so findings pick it by kind and payload rather than by its name.</summary>
public enum SweepKind
{
    Srv6Encaps,
    Srv6Reduced,
    Srv6Compressed,
    IpInIp,
    GenevePerService,
    GeneveServicePath,
    Vxlan,
}

/// <summary>The bytes a sweep adds at n SIDs or options, and the encapsulator's own name.</summary>
public sealed record SweepPoint(int N, int Bytes, string Variant);

/// <summary>One service-insertion curve, evaluated.</summary>
public sealed record SweepCurve(string Name, SweepKind Kind, string Payload, IReadOnlyList<SweepPoint> Points)
{
    public int? At(int n) => Points.FirstOrDefault(p => p.N == n)?.Bytes;

    /// <summary>The largest n whose bytes stay within <paramref name="bytes"/>, or 0 where none does.</summary>
    public int UpTo(int bytes) => Points.Where(p => p.Bytes <= bytes).Select(p => p.N).DefaultIfEmpty(0).Max();
}
