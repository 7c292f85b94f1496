using System.Globalization;
using Overlay.Encapsulation;
using Overlay.Reporting.Report;
using Overlay.Results;
using Overlay.Results.Benchmarks;
using static Overlay.Reporting.Charts.ChartSupport;

namespace Overlay.Reporting.Charts;

/// <summary>The charts computed from the encapsulators' exact header arithmetic: no capture, no timing.</summary>
public static class HeaderCharts
{

    /// <summary>Header overhead per variant, grouped by underlay and service, coloured by protocol family.</summary>
    public static ChartSpec HeaderOverhead(ReportContext context, List<HeaderCost> catalog)
    {
        var groups = new List<string>();
        foreach (string underlay in new[] { "IPv4", "IPv6" })
        {
            foreach (string service in new[] { "L3", "L2" })
            {
                if (catalog.Any(c => c.Underlay == underlay && c.Service == service))
                {
                    groups.Add(GroupName(underlay, service));
                }
            }
        }
        var families = catalog.Select(c => c.Family).Distinct().ToList();
        var series = families.Select(f => new ChartSeries(f, catalog
            .Where(c => c.Family == f)
            .OrderBy(c => groups.IndexOf(GroupName(c.Underlay, c.Service)))
            .Select(c => new ChartPoint { Category = GroupName(c.Underlay, c.Service), Label = c.Variant, Y = c.Overhead })
            .ToList())).ToList();
        return new ChartSpec
        {
            Id = "header-overhead",
            Title = "Header overhead per variant (bytes added to an untagged frame)",
            Kind = ChartKind.LabelledBars,
            XLabel = "variant, grouped by underlay and service",
            YLabel = "overhead per packet (B, lower is better)",
            YUnit = "B",
            Categories = groups,
            Series = series,
            Caption = context.ExactCaption,
            Command = context.ReportCommand,
            Source = "exact (VariantCatalog encapsulators)",
            Description = "Bytes each variant adds to an untagged Ethernet frame: its outer headers (outer Ethernet included), less the 14-byte inner Ethernet header that an L3 (IP-payload) variant drops. Computed by each encapsulator's GetEncapsulatedLength, so exact for every packet.",
            Decimals = 0,
            Width = 1500,
            Height = 800,
        };
    }

    private static string GroupName(string underlay, string service) =>
        $"{underlay} underlay, {(service == "L2" ? "L2 service (Ethernet payload)" : "L3 service (IP payload)")}";

    /// <summary>Overhead as a share of the inner frame, for frame sizes 64..9000, for the main variants.</summary>
    public static ChartSpec OverheadVersusFrameSize(ReportContext context)
    {
        var series = new List<ChartSeries>();
        foreach (string name in MainVariants)
        {
            VariantSpec? spec = VariantCatalog.Find(name);
            if (spec is null)
            {
                continue;
            }
            IEncapsulator e = spec.Create();
            series.Add(new ChartSeries(name, HeaderCosts.FrameSizes
                .Select(size => new ChartPoint { X = size, Y = 100.0 * HeaderCosts.Overhead(e, size) / size })
                .ToList()));
        }
        return new ChartSpec
        {
            Id = "overhead-vs-frame-size",
            Title = "Overhead against inner frame size",
            Kind = ChartKind.Lines,
            XLabel = "inner frame size (B, Ethernet header included, FCS not; log scale)",
            XUnit = "B",
            XScale = AxisScale.Log2,
            XTicks = [64, 128, 256, 512, 1024, 1500, 4096, 9000],
            YLabel = "overhead (% of the inner frame's bytes, lower is better)",
            YUnit = "%",
            Series = series,
            Caption = context.ExactCaption,
            Command = context.ReportCommand,
            Source = "exact (VariantCatalog encapsulators)",
            Description = "Overhead bytes divided by the inner frame's bytes, for untagged frames of 64 to 9000 bytes. Small packets pay the most: the same header is a larger share of them. Variants with the same overhead draw one line (VXLAN and GENEVE without options; IPv6-in-IPv6, SRv6 .Red with one SID and NEXT-C-SID with up to six)." + LikeForLike(series.Select(s => s.Name)),
        };
    }

    /// <summary>The service-insertion header cost: SRv6 with 1..10 SIDs against GENEVE with 0..8 options and plain VXLAN.</summary>
    public static ChartSpec ServiceInsertion(ReportContext context, IReadOnlyList<SweepCurve> sweeps)
    {
        var series = sweeps.Select(sweep => new ChartSeries(sweep.Name, sweep.Points
            .Select(p => new ChartPoint { X = p.N, Y = p.Bytes, Label = p.Variant })
            .ToList())).ToList();
        return new ChartSpec
        {
            Id = "service-insertion",
            Title = "Service insertion: header bytes against the SIDs or options a path names (IPv6 underlay)",
            Kind = ChartKind.Lines,
            XLabel = "n: SRv6 SIDs (a path through k services names k+1: the services and the far host), or GENEVE options",
            XUnit = "count",
            YLabel = "overhead per packet (B, lower is better)",
            YUnit = "B",
            Series = series,
            Caption = context.ExactCaption,
            Command = context.ReportCommand,
            Source = "exact (Srv6Encapsulator, GeneveEncapsulator, VxlanEncapsulator, the ip6ip6 variant built with n SIDs / options)",
            Description = "Bytes added per packet (outer headers, outer Ethernet included, less the inner Ethernet header an IP-payload variant drops) when the path names n SIDs or the metadata n options, every curve over an IPv6 underlay; compare IP-payload curves with each other and Ethernet-payload curves with each other. SRv6 carries one SID per segment (H.Encaps: all in the SRH; .Red: the first only in the destination; NEXT-C-SID 32/16: six 16-bit C-SIDs per 128-bit container, the first container in the destination). Plain IPv6-in-IPv6 names no SID and is the floor for an IP payload. GENEVE is drawn twice: one 12-byte option per service, and the one service-path option (SPI/SI) that the suite's own chain rewrites at each hop; VXLAN carries nothing per service, so a chain is stitched by decapsulating and re-encapsulating at every service.",
            Decimals = 0,
        };
    }
}
