using System.Buffers.Binary;
using Overlay.Results;
using Overlay.Encapsulation;

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
        if (length < 0 && encapsulator is { Family: TunnelFamily.IpIp, Mode: PayloadMode.L3 })
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
            Family = Family(e),
            Underlay = UnderlayOf(e),
            Service = e.Mode == PayloadMode.L2 ? "L2" : "L3",
            HeaderLength = e.HeaderLength,
            Overhead = Overhead(e),
        };
    }).ToList();

    /// <summary>The protocol family a variant belongs to, as the charts colour it (SRv6 by how it carries its segments).</summary>
    public static string Family(IEncapsulator e) => (e.Family, e.SegmentEncoding) switch
    {
        (TunnelFamily.Nvgre, _) => "NVGRE",
        (TunnelFamily.Gre, _) => "GRE",
        (TunnelFamily.Vxlan, _) => "VXLAN",
        (TunnelFamily.Geneve, _) => "GENEVE",
        (TunnelFamily.Srv6, SegmentEncoding.Compressed) => "SRv6 NEXT-C-SID",
        (TunnelFamily.Srv6, SegmentEncoding.Reduced) => "SRv6 H.Encaps.Red",
        (TunnelFamily.Srv6, _) => "SRv6 H.Encaps",
        (TunnelFamily.IpIp, _) => "IP in IP",
        _ => "other",
    };

    /// <summary>
    /// The family of a variant an analysis result names, asked of the encapsulator the catalogue or a deployed profile
    /// builds under that name; null for a name neither knows (a result from another version of the suite).
    /// </summary>
    public static TunnelFamily? FamilyOf(string variant) =>
        Encapsulation.Profiles.DeployedProfiles.FindVariantOrTunnel(variant)?.Create().Family;

    private static string UnderlayOf(IEncapsulator e) => e.Underlay.IsIpv6 ? "IPv6" : "IPv4";

    public const string IpPayload = "IP";
    public const string EthernetPayload = "Ethernet";

    /// <summary>Every service-insertion sweep of the catalogue evaluated: the bytes each adds at every n (computed once for the chart and the findings).</summary>
    public static IReadOnlyList<SweepCurve> SweepCurves() => VariantCatalog.ServiceInsertionSweeps.Select(sweep =>
    {
        IEncapsulator first = sweep.Create(sweep.From), last = sweep.Create(sweep.To);
        string payload = first.Mode == PayloadMode.L3 ? IpPayload : EthernetPayload;
        return new SweepCurve(sweep.Title, KindOf(first, grows: last.HeaderLength != first.HeaderLength), payload,
            sweep.Points.Select(n =>
            {
                IEncapsulator e = sweep.Create(n);
                return new SweepPoint(n, Overhead(e), e.Name);
            }).ToList());
    }).ToList();

    /// <summary>What a curve is, read off its encapsulator: SRv6 by how it carries its segments, GENEVE by whether its header grows with n.</summary>
    private static SweepKind KindOf(IEncapsulator e, bool grows) => e.Family switch
    {
        TunnelFamily.Srv6 => e.SegmentEncoding switch
        {
            SegmentEncoding.Reduced => SweepKind.Srv6Reduced,
            SegmentEncoding.Compressed => SweepKind.Srv6Compressed,
            _ => SweepKind.Srv6Encaps,
        },
        TunnelFamily.IpIp => SweepKind.IpInIp,
        TunnelFamily.Geneve => grows ? SweepKind.GenevePerService : SweepKind.GeneveServicePath,
        TunnelFamily.Vxlan => SweepKind.Vxlan,
        _ => throw new ArgumentException($"No service-insertion curve kind for {e.Name} ({e.Family}).", nameof(e)),
    };
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
