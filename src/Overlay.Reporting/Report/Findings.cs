using System.Globalization;
using Overlay.Replay.Results;
using Overlay.Reporting.Charts;

namespace Overlay.Reporting.Report;

/// <summary>
/// One finding about the claim "SRv6 adds nothing but larger headers": the numbers (filled in from the data) and what
/// they say about the claim. The verdict is chosen by comparing the numbers, never written in advance.
/// </summary>
public sealed record Finding(string Topic, string Verdict, string Text);

/// <summary>Writes the findings from the charts' data and the header costs; a topic whose data is absent says so.</summary>
public static class Findings
{
    public const string Supports = "supports the claim";
    public const string DoesNotSupport = "does not support the claim";
    public const string Partly = "partly supports the claim";
    public const string NotMeasured = "not measured in this run";

    private static string N(double v, int decimals = 0) => v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static List<Finding> Build(ReportContext context, List<HeaderCost> catalog, IReadOnlyList<ChartSpec> charts)
    {
        var findings = new List<Finding>
        {
            HeaderBytes(catalog),
            Compression(charts),
            Captures(context),
            Mtu(context),
            Entropy(context),
            PerHop(context),
            HostCost(context),
        };
        return findings.Where(f => f is not null).ToList();
    }

    private static int? Overhead(List<HeaderCost> catalog, string variant) => catalog.FirstOrDefault(c => c.Variant == variant)?.Overhead;

    private static Finding HeaderBytes(List<HeaderCost> catalog)
    {
        const string topic = "Header bytes per packet";
        int? encaps1 = Overhead(catalog, "srv6-encaps-1sid"), red1 = Overhead(catalog, "srv6-encaps-red-1sid"), l2 = Overhead(catalog, "srv6-encaps-l2-1sid");
        int? vx6 = Overhead(catalog, "vxlan-ipv6"), gen6 = Overhead(catalog, "geneve-ipv6"), gre6 = Overhead(catalog, "gre-l3-ipv6");
        int? vx4 = Overhead(catalog, "vxlan-ipv4"), gre4 = Overhead(catalog, "gre-l3-ipv4"), encaps3 = Overhead(catalog, "srv6-encaps-3sid");
        if (encaps1 is null || red1 is null || vx6 is null || vx4 is null || gre4 is null)
        {
            return new Finding(topic, NotMeasured, "The variant catalogue lacks the SRv6, VXLAN or GRE variants this finding compares.");
        }
        int srv6Min = Math.Min(encaps1.Value, red1.Value);
        int largestIpv4 = catalog.Where(c => c.Underlay == "IPv4").Max(c => c.Overhead);
        string text =
            $"With one SID, SRv6 adds {encaps1} B to an IP packet (H.Encaps: IPv6 + an 8-byte SRH + the SID) or {red1} B (H.Encaps.Red: the bare IPv6 header, the SID in its destination), " +
            $"against {vx6} B for VXLAN{(gen6 is null ? "" : $" and {gen6} B for GENEVE")} over the same IPv6 underlay{(gre6 is null ? "" : $", {gre6} B for GRE/IPv6")}, " +
            $"and {gre4} B for GRE and {vx4} B for VXLAN over IPv4. " +
            (encaps3 is null ? "" : $"Every further uncompressed SID adds 16 B ({encaps3} B with 3 SIDs). ") +
            (l2 is null ? "" : $"Carrying Ethernet like VXLAN does (H.Encaps.L2) costs {l2} B with one SID, against VXLAN/IPv6's {vx6} B. ");
        string verdict;
        if (srv6Min < vx6 && srv6Min > gre4)
        {
            verdict = Partly;
            text += $"So SRv6 is larger than GRE over IPv4 ({gre4} B) but, for short paths, no larger than VXLAN or GENEVE over IPv6; the header grows only with the number of SIDs the path needs.";
        }
        else if (srv6Min >= Math.Max(vx6.Value, largestIpv4))
        {
            verdict = Supports;
            text += "Even its smallest form is larger than every IPv4 and every IPv6 overlay here.";
        }
        else
        {
            verdict = Partly;
            text += $"Its smallest form ({srv6Min} B) sits between the smallest ({gre4} B) and the largest ({Math.Max(vx6.Value, largestIpv4)} B) of the other overlays.";
        }
        return new Finding(topic, verdict, text);
    }

    private static ChartSeries? SeriesStarting(ChartSpec chart, string prefix) =>
        chart.Series.FirstOrDefault(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));

    private static double? At(ChartSeries? series, double x) => series?.Points.FirstOrDefault(p => p.X == x)?.Y;

    private static Finding Compression(IReadOnlyList<ChartSpec> charts)
    {
        const string topic = "NEXT-C-SID compression and service chains";
        ChartSpec? chart = charts.FirstOrDefault(c => c.Id == "service-insertion");
        ChartSeries? encaps = chart is null ? null : SeriesStarting(chart, "SRv6 H.Encaps, IP");
        ChartSeries? red = chart is null ? null : SeriesStarting(chart, "SRv6 H.Encaps.Red, IP");
        ChartSeries? csid = chart is null ? null : SeriesStarting(chart, "SRv6 NEXT-C-SID 32/16, IP");
        ChartSeries? geneve = chart is null ? null : SeriesStarting(chart, "GENEVE/IPv6");
        ChartSeries? vxlan = chart is null ? null : SeriesStarting(chart, "VXLAN/IPv6");
        if (encaps is null || csid is null || vxlan is null || csid.Points.Count == 0)
        {
            return new Finding(topic, NotMeasured, "The service-insertion sweep is missing.");
        }
        double vx = vxlan.Points[0].Y;
        double first = csid.Points[0].Y;
        int flat = (int)csid.Points.TakeWhile(p => p.Y == first).Last().X;
        double maxN = csid.Points[^1].X;
        int csidUnderVxlan = (int)(csid.Points.Where(p => p.Y <= vx).Select(p => p.X).DefaultIfEmpty(0).Max());
        int encapsUnderVxlan = (int)(encaps.Points.Where(p => p.Y <= vx).Select(p => p.X).DefaultIfEmpty(0).Max());
        int redUnderVxlan = red is null ? 0 : (int)(red.Points.Where(p => p.Y <= vx).Select(p => p.X).DefaultIfEmpty(0).Max());
        double geneveMax = geneve?.Points[^1].Y ?? double.NaN;
        string text =
            $"NEXT-C-SID (32-bit block, 16-bit C-SIDs) keeps the header at {N(first)} B for 1 to {flat} SIDs — they all travel in the destination address, with no SRH — and at {N(At(csid, maxN) ?? double.NaN)} B for {N(maxN)} SIDs, " +
            $"where uncompressed H.Encaps needs {N(At(encaps, maxN) ?? double.NaN)} B" +
            (geneve is null ? "" : $" and GENEVE/IPv6 with {N(geneve.Points[^1].X)} 12-byte options {N(geneveMax)} B") +
            $". A path fits within VXLAN/IPv6's {N(vx)} B with up to {encapsUnderVxlan} SID(s) uncompressed, {redUnderVxlan} reduced, and {csidUnderVxlan} compressed" +
            (csidUnderVxlan >= maxN ? " (every length swept)" : "") + ". ";
        string verdict;
        if (csidUnderVxlan > encapsUnderVxlan)
        {
            verdict = DoesNotSupport;
            text += "Compression breaks the link between path length and header size that the claim rests on: a chain of services named in the packet costs no more bytes than a VXLAN tunnel that names none.";
        }
        else
        {
            verdict = Supports;
            text += "Compression does not bring a multi-SID path under VXLAN's header here.";
        }
        return new Finding(topic, verdict, text);
    }

    private static Finding Captures(ReportContext context)
    {
        const string topic = "Overhead and goodput on real captures";
        List<VariantResult> results = context.Inputs.Results.Where(r => r.Carried.Value > 0).ToList();
        if (results.Count == 0)
        {
            return new Finding(topic, NotMeasured, "No analysis result: run `overlay analyze` to measure the captures.");
        }
        VariantResult low = results.MinBy(r => r.OverheadPercent.Value)!;
        VariantResult high = results.MaxBy(r => r.OverheadPercent.Value)!;
        string Range(string variant)
        {
            var lost = results.Where(r => r.Variant == variant)
                .Select(r => r.LineRates.FirstOrDefault(l => l.LineRate.Value == 100)?.GoodputLost.Value)
                .OfType<double>().ToList();
            return lost.Count == 0 ? "" : $"{variant} {N(lost.Min(), 2)}–{N(lost.Max(), 2)} Gbit/s";
        }
        var compared = new[] { "gre-l3-ipv4", "vxlan-ipv4", "vxlan-ipv6", "srv6-encaps-red-1sid", "srv6-csid-3sid", "srv6-encaps-3sid" }
            .Select(Range).Where(s => s.Length > 0).ToList();
        int captures = results.Select(r => r.Capture).Distinct().Count();
        string text =
            $"Over {captures} capture(s), the overhead runs from {N(low.OverheadPercent.Value, 2)} % ({low.Variant} on {low.Capture}) to {N(high.OverheadPercent.Value, 2)} % ({high.Variant} on {high.Capture}) of the frames' bytes. " +
            (compared.Count == 0 ? "" : $"Goodput lost at 100 GbE, lowest to highest capture: {string.Join("; ", compared)}. ");
        // Does the ranking by measured overhead follow the ranking by header bytes? Check on the capture with the most packets.
        string busiest = results.MaxBy(r => r.Packets.Value)!.Capture;
        var onBusiest = results.Where(r => r.Capture == busiest && r.NotCarried.Value == 0)
            .Select(r => (Nominal: r.HeaderLength.Value - (r.Mode == "L3" ? 14 : 0), Measured: r.OverheadPercent.Value))
            .OrderBy(t => t.Nominal)
            .ToList();
        bool tracks = onBusiest.Count > 1 && onBusiest.Zip(onBusiest.Skip(1)).All(pair => pair.First.Nominal == pair.Second.Nominal || pair.First.Measured <= pair.Second.Measured);
        text += tracks
            ? $"On {busiest} the variants rank by measured overhead exactly as by header bytes: on real traffic an overlay costs its header times its packet rate, so SRv6 costs more than VXLAN where its header is larger (full SIDs) and less where it is smaller (.Red, NEXT-C-SID)."
            : $"On {busiest} the ranking by measured overhead departs from the ranking by header bytes (the variants carry different frames, or L3 variants drop VLAN tags), so compare the table rather than the header sizes.";
        return new Finding(topic, Supports + " (bytes are the whole of this cost)", text);
    }

    private static Finding Mtu(ReportContext context)
    {
        const string topic = "MTU";
        List<VariantResult> results = context.Inputs.Results.Where(r => r.Mtu.Count > 0).ToList();
        if (results.Count == 0)
        {
            return new Finding(topic, NotMeasured, "No analysis result with MTU figures.");
        }
        var parts = new List<string>();
        foreach (var capture in results.GroupBy(r => r.Capture))
        {
            var over = capture.Select(r => r.Mtu.FirstOrDefault(m => m.UnderlayMtu.Value == 1500)?.PercentOver.Value).OfType<double>().ToList();
            if (over.Count > 0 && over.Max() > 0)
            {
                parts.Add($"{capture.Key} {N(over.Min(), 1)}–{N(over.Max(), 1)} %");
            }
        }
        double over9000 = results.Select(r => r.Mtu.FirstOrDefault(m => m.UnderlayMtu.Value == 9000)?.PercentOver.Value ?? 0).Max();
        var needed = results.GroupBy(r => r.Variant).Select(g => (Variant: g.Key, Mtu: g.Max(r => r.RequiredUnderlayMtu.Value))).ToList();
        var minMtu = needed.MinBy(n => n.Mtu);
        var maxMtu = needed.MaxBy(n => n.Mtu);
        double spread = results.GroupBy(r => r.Capture)
            .Select(g => g.Select(r => r.Mtu.FirstOrDefault(m => m.UnderlayMtu.Value == 1500)?.PercentOver.Value).OfType<double>().DefaultIfEmpty(0))
            .Select(v => v.Max() - v.Min()).DefaultIfEmpty(0).Max();
        string text =
            (parts.Count == 0
                ? "No frame of any capture exceeds a 1500-byte underlay MTU after encapsulation. "
                : spread <= 2
                    ? $"Over a 1500-byte underlay MTU, the share of frames that no longer fit is nearly the same for every variant on each capture (lowest–highest variant: {string.Join("; ", parts)}): the full-sized frames overflow whatever the overlay. "
                    : $"Over a 1500-byte underlay MTU, the share of frames that no longer fit differs by up to {N(spread, 1)} points between variants on one capture (lowest–highest variant: {string.Join("; ", parts)}): frames just under the MTU overflow only with the larger headers. ") +
            (over9000 > 0 ? $"Over 9000 bytes, up to {N(over9000, 2)} % of frames overflow. " : "No frame exceeds a 9000-byte underlay MTU after encapsulation. ") +
            $"To carry every frame of every capture, the underlay MTU must be from {N(minMtu.Mtu)} B ({minMtu.Variant}) to {N(maxMtu.Mtu)} B ({maxMtu.Variant}).";
        return new Finding(topic, Supports + " (no difference in kind)", text + " SRv6 changes only how many bytes of extra MTU the underlay needs, as any other overlay does.");
    }

    private static Finding Entropy(ReportContext context)
    {
        const string topic = "Flow-label entropy and ECMP";
        List<VariantResult> results = context.Inputs.Results.Where(r => r.Ecmp.Paths.Count > 0).ToList();
        if (results.Count == 0)
        {
            return new Finding(topic, NotMeasured, "No analysis result with ECMP figures.");
        }
        string capture = results.MaxBy(r => r.Ecmp.Flows.Value)!.Capture;
        var here = results.Where(r => r.Capture == capture).ToList();
        double k = here.SelectMany(r => r.Ecmp.Paths).Select(p => p.Paths.Value).Where(p => p <= 16).DefaultIfEmpty(here[0].Ecmp.Paths[0].Paths.Value).Max();
        string Best(string entropy) => here.Where(r => entropy == "udp-source-port" ? r.Ecmp.Entropy.Contains(entropy, StringComparison.Ordinal) : r.Ecmp.Entropy == entropy).Select(r => r.Ecmp.Paths.FirstOrDefault(p => p.Paths.Value == k)?.MaxMeanBytes.Value).OfType<double>() is var v && v.Any()
            ? $"{N(v.Min(), 2)}–{N(v.Max(), 2)}" : "-";
        double? srv6 = here.Where(r => r.Variant.StartsWith("srv6", StringComparison.Ordinal)).Select(r => r.Ecmp.Paths.FirstOrDefault(p => p.Paths.Value == k)?.MaxMeanBytes.Value).OfType<double>().DefaultIfEmpty(double.NaN).Max();
        double? udp = here.Where(r => r.Ecmp.Entropy.Contains("udp-source-port", StringComparison.Ordinal)).Select(r => r.Ecmp.Paths.FirstOrDefault(p => p.Paths.Value == k)?.MaxMeanBytes.Value).OfType<double>().DefaultIfEmpty(double.NaN).Max();
        string srv6Entropy = string.Join("/", here.Where(r => r.Variant.StartsWith("srv6", StringComparison.Ordinal)).Select(r => r.Ecmp.Entropy).Distinct());
        var noneVariants = here.Where(r => r.Ecmp.Entropy == "none").Select(r => r.Variant).ToList();
        double flows = here.Max(r => r.Ecmp.Flows.Value);
        string text =
            $"On {capture} ({N(flows)} flows), over {N(k)} paths the busiest path carries, relative to the mean: {Best("udp-source-port")} for the UDP overlays (source port), {Best("flow-label")} for the IPv6 underlays with only the flow label to hash (SRv6: {(srv6 is double s && !double.IsNaN(s) ? N(s, 2) : "-")} at worst), " +
            (noneVariants.Count == 0 ? "" : $"and {Best("none")} for the variants with no entropy ({string.Join(", ", noneVariants)}), where {N(k)} means every byte on one path. ");
        string verdict;
        if (srv6Entropy.Contains("flow-label", StringComparison.Ordinal) && srv6 is double sr && udp is double u && !double.IsNaN(sr) && !double.IsNaN(u) && sr <= u * 1.25 + 0.05)
        {
            verdict = DoesNotSupport;
            text += "SRv6 carries the flow's entropy in the IPv6 flow label, which the other overlays need a UDP header (VXLAN, GENEVE) for and GRE over IPv4 has no place for: it spreads like VXLAN without the 8 bytes. This holds where the underlay hashes the flow label (RFC 6438); one that hashes only addresses and ports sees each SRv6 tunnel as one flow.";
        }
        else if (srv6Entropy.Contains("flow-label", StringComparison.Ordinal))
        {
            verdict = Partly;
            text += "SRv6 carries entropy in the flow label, but on this capture it spreads less evenly than the UDP source port; the flow count may be too small to tell.";
        }
        else
        {
            verdict = NotMeasured;
            text += "The SRv6 variants analysed here do not put entropy in the flow label.";
        }
        return new Finding(topic, verdict, text);
    }

    private static Finding PerHop(ReportContext context)
    {
        const string topic = "Per-hop work";
        const string interpretation =
            "SRv6 is not just an outer header: every segment endpoint on the path does End processing (check the SRH, decrement Segments Left, copy the next SID or shift the next C-SID into the destination), work that VXLAN and GENEVE never ask of a transit router. In exchange a service chain needs no decapsulation and re-encapsulation per service, which VXLAN stitching does at every hop. Header bytes capture neither side of this.";
        BenchmarkSet bench = context.Inputs.Benchmarks;
        List<BenchmarkCase> end = bench.OfType(ReportCharts.Srv6End).ToList();
        if (end.Count == 0)
        {
            return new Finding(topic, DoesNotSupport + " (by design; " + NotMeasured + ")",
                "No Srv6EndBenchmarks result in results/benchmarks, so the per-hop cost is not measured in this run. " + interpretation);
        }
        var hops = bench.OfType(ReportCharts.ServiceHop).Where(c => c.Method == "Hop" && c.Nanoseconds is not null).ToList();
        var restore = bench.OfType(ReportCharts.ServiceHop).Where(c => c.Method == "CopyBaseline" && c.Nanoseconds is not null)
            .GroupBy(c => c.Parameter("Approach")).ToDictionary(g => g.Key ?? "", g => g.First().Nanoseconds!.Value);
        double Net(string approach) => hops.FirstOrDefault(c => c.Parameter("Approach") == approach) is BenchmarkCase c
            ? c.Nanoseconds!.Value - restore.GetValueOrDefault(approach) : double.NaN;
        double srv6Hop = Net("srv6-end"), csidHop = Net("srv6-csid-end"), geneveHop = Net("geneve-service-path"), vxlanHop = Net("vxlan-stitching");
        if (!double.IsNaN(srv6Hop) && !double.IsNaN(geneveHop) && !double.IsNaN(vxlanHop))
        {
            bool lightest = srv6Hop < geneveHop && srv6Hop < vxlanHop;
            string chain = $"In a chain of services, passing a packet on costs one core (header restore subtracted) {N(srv6Hop, 1)} ns with SRv6 End, "
                + (double.IsNaN(csidHop) ? "" : $"{N(csidHop, 1)} ns with NEXT-C-SID End, ")
                + $"{N(geneveHop, 1)} ns with a GENEVE service-path hop (parse, index, next address, incremental checksum) and {N(vxlanHop, 1)} ns with VXLAN stitching (decapsulate and re-encapsulate). "
                + "SRv6 does ask work of every segment endpoint on the path — End processing that a plain VXLAN or GENEVE transit router never does — "
                + (lightest
                    ? "but for service insertion, where every service must touch the packet anyway, it is the lightest of the three. Header bytes capture neither side of this."
                    : "and in this run it is not the lightest of the three chaining approaches. Header bytes capture neither side of this.");
            return new Finding(topic, lightest ? DoesNotSupport + " (the per-hop work is real, and the lightest for service chains)" : DoesNotSupport + " (SRv6 moves work onto the path)", chain);
        }
        double fastest = end.Min(c => c.Nanoseconds!.Value), slowest = end.Max(c => c.Nanoseconds!.Value);
        string text = $"An SRv6 End hop costs {N(fastest, 1)}–{N(slowest, 1)} ns per packet on one core across the {end.Count} End case(s) measured. ";
        string? size = end.Select(c => c.Parameter("Size")).FirstOrDefault(s => s is not null) ?? "64";
        BenchmarkCase? encap = bench.Find(ReportCharts.Encapsulate, "InPlace", ("Variant", "vxlan-ipv6"), ("Size", size));
        BenchmarkCase? decap = bench.Find(ReportCharts.Decapsulate, "Decapsulate", ("Variant", "vxlan-ipv6"), ("Size", size));
        if (encap is not null && decap is not null)
        {
            double stitch = encap.Nanoseconds!.Value + decap.Nanoseconds!.Value;
            text += $"Stitching a VXLAN/IPv6 chain at a service costs a decapsulation and an in-place encapsulation, {N(stitch, 1)} ns for {size}-byte frames. ";
        }
        return new Finding(topic, DoesNotSupport + " (SRv6 moves work onto the path)", text + interpretation);
    }

    private static Finding HostCost(ReportContext context)
    {
        const string topic = "Host cost: encapsulation speed and allocations";
        BenchmarkSet bench = context.Inputs.Benchmarks;
        string? size = ReportCharts.BenchmarkSizes.FirstOrDefault(s => bench.Find(ReportCharts.Encapsulate, "Copy", ("Variant", "vxlan-ipv6"), ("Size", s)) is not null);
        string srv6Variant = "srv6-encaps-3sid";
        var forms = new List<(string Form, double Srv6, double Vxlan)>();
        string source;
        double? pdn = null, pdnAlloc = null;
        if (size is not null)
        {
            string? chosen = bench.Find(ReportCharts.Encapsulate, "Copy", ("Variant", srv6Variant), ("Size", size)) is not null
                ? srv6Variant
                : bench.OfType(ReportCharts.Encapsulate).Select(c => c.Parameter("Variant")).FirstOrDefault(v => v?.StartsWith("srv6", StringComparison.Ordinal) == true);
            srv6Variant = chosen ?? srv6Variant;
            foreach ((string type, string method, string form) in new[] { (ReportCharts.Encapsulate, "Copy", "encap copy"), (ReportCharts.Encapsulate, "InPlace", "encap in place"), (ReportCharts.Decapsulate, "Decapsulate", "decap") })
            {
                if (bench.Find(type, method, ("Variant", srv6Variant), ("Size", size))?.Mpps is double a && bench.Find(type, method, ("Variant", "vxlan-ipv6"), ("Size", size))?.Mpps is double b)
                {
                    forms.Add((form, a, b));
                }
            }
            BenchmarkCase? p = bench.Find(ReportCharts.PacketDotNet, "PacketDotNetVxlanPacket", ("Size", size));
            pdn = p?.Mpps;
            pdnAlloc = p?.Memory?.BytesAllocatedPerOperation;
            source = $"BenchmarkDotNet, {(size == "imix" ? "IMIX" : size + "-byte")} frames, mean";
        }
        else
        {
            List<VariantResult> results = context.Inputs.Results.Where(r => r.EncapCopy is not null).ToList();
            if (results.Count == 0)
            {
                return new Finding(topic, NotMeasured, "Neither the analysis nor the benchmarks timed encapsulation.");
            }
            string capture = results.MaxBy(r => r.Packets.Value)!.Capture;
            VariantResult? vx = results.FirstOrDefault(r => r.Capture == capture && r.Variant == "vxlan-ipv6");
            VariantResult? sr = results.FirstOrDefault(r => r.Capture == capture && r.Variant == srv6Variant)
                ?? results.FirstOrDefault(r => r.Capture == capture && r.Variant.StartsWith("srv6", StringComparison.Ordinal));
            srv6Variant = sr?.Variant ?? srv6Variant;
            foreach ((string form, Func<VariantResult, ThroughputFigure?> pick) in new (string, Func<VariantResult, ThroughputFigure?>)[] { ("encap copy", r => r.EncapCopy), ("encap in place", r => r.EncapInPlace), ("decap", r => r.Decap) })
            {
                if (sr is not null && vx is not null && pick(sr) is ThroughputFigure a && pick(vx) is ThroughputFigure b)
                {
                    forms.Add((form, a.MedianPps.Value / 1e6, b.MedianPps.Value / 1e6));
                }
            }
            source = $"capture replay of {capture}, median pass";
        }
        if (forms.Count == 0)
        {
            return new Finding(topic, NotMeasured, $"The {source} lacks vxlan-ipv6 or an SRv6 variant.");
        }
        double allocated = context.Inputs.Results.SelectMany(r => new[] { r.EncapCopy, r.EncapInPlace, r.Decap })
            .OfType<ThroughputFigure>().Select(t => t.AllocatedPerPacket.Value)
            .Concat(bench.OfType(ReportCharts.Encapsulate).Concat(bench.OfType(ReportCharts.Decapsulate)).Select(c => c.Memory?.BytesAllocatedPerOperation).OfType<double>())
            .DefaultIfEmpty(double.NaN).Max();
        string text = $"{srv6Variant} against vxlan-ipv6, Mpps per core ({source}): " +
            string.Join("; ", forms.Select(f => $"{f.Form} {N(f.Srv6, 2)} vs {N(f.Vxlan, 2)} ({N(100 * f.Srv6 / f.Vxlan)} %)")) + ". ";
        if (pdn is double p2)
        {
            text += $"PacketDotNet builds a VXLAN packet at {N(p2, 3)} Mpps{(pdnAlloc is double a ? $", allocating {N(a)} B per packet" : "")}. ";
        }
        if (!double.IsNaN(allocated))
        {
            text += allocated < 1
                ? $"The suite's encap and decap allocate nothing per packet (at most {allocated.ToString("0.####", CultureInfo.InvariantCulture)} B per packet, set-up amortised over a pass). "
                : $"The suite's encoders allocated up to {N(allocated, 1)} B per packet. ";
        }
        bool slower = forms.All(f => f.Srv6 < 0.8 * f.Vxlan), faster = forms.All(f => f.Srv6 > 1.25 * f.Vxlan);
        bool same = forms.All(f => f.Srv6 >= 0.8 * f.Vxlan && f.Srv6 <= 1.25 * f.Vxlan);
        string verdict = same ? Supports + " (the host does about the same work)"
            : slower ? Supports + " (SRv6 also costs the host more here)"
            : faster ? DoesNotSupport + " (SRv6 costs the host less here)"
            : Partly + " (faster in one form, slower in another: no difference in kind)";
        text += "Per packet, an SRv6 headend copies a longer header template and patches lengths and the flow label, as a VXLAN one patches lengths and a port: neither does work the other does not" +
            (context.Inputs.Benchmarks.IsEmpty ? "; the replay passes on a shared machine are noisy, so the BenchmarkDotNet figures, when present, are the ones to trust." : ".");
        return new Finding(topic, verdict, text);
    }
}
