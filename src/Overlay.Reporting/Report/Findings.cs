using System.Globalization;
using Overlay.Results.Benchmarks;
using Overlay.Results;
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
            Entropy(charts),
            PerHop(context),
            HostCost(context),
        };
        return findings.Where(f => f is not null).ToList();
    }

    private static int? Overhead(List<HeaderCost> catalog, string variant) => catalog.FirstOrDefault(c => c.Variant == variant)?.Overhead;

    private static Finding HeaderBytes(List<HeaderCost> catalog)
    {
        const string topic = "Header bytes per packet";
        // Like for like: SRv6 needs an IPv6 underlay, so it is set against the other overlays over IPv6 carrying the same
        // service (an IP packet, or an Ethernet frame); checksum/key/sequence and option variants are extras, not the base form.
        HeaderCost? Find(string variant) => catalog.FirstOrDefault(c => c.Variant == variant);
        var pairs = new List<(string Service, HeaderCost Reduced, HeaderCost Full, List<HeaderCost> Others)>();
        foreach ((string service, string reduced, string full) in new[] { ("L3", "srv6-encaps-red-1sid", "srv6-encaps-1sid"), ("L2", "srv6-encaps-l2-red-1sid", "srv6-encaps-l2-1sid") })
        {
            var others = catalog.Where(c => c.Underlay == "IPv6" && c.Service == service && !c.Variant.StartsWith("srv6", StringComparison.Ordinal)
                    && !c.Variant.Contains("csum", StringComparison.Ordinal) && !c.Variant.Contains("opt", StringComparison.Ordinal))
                .OrderBy(c => c.Overhead).ToList();
            if (Find(reduced) is HeaderCost r && Find(full) is HeaderCost f && others.Count > 0)
            {
                pairs.Add((service, r, f, others));
            }
        }
        if (pairs.Count == 0)
        {
            return new Finding(topic, NotMeasured, "The variant catalogue lacks the one-SID SRv6 variants or the IPv6 overlays this finding compares.");
        }
        string Payload(string service) => service == "L3" ? "an IP packet" : "an Ethernet frame";
        string text = "Over an IPv6 underlay with one SID, " + string.Join("; ", pairs.Select(p =>
            $"to carry {Payload(p.Service)} SRv6 adds {p.Reduced.Overhead} B reduced (the SID in the destination address, no SRH) or {p.Full.Overhead} B with an SRH, " +
            $"against {string.Join(", ", p.Others.Select(o => $"{o.Overhead} B for {o.Variant}"))}")) + ". ";
        if (Find("srv6-encaps-3sid") is HeaderCost three && Find("srv6-encaps-1sid") is HeaderCost one)
        {
            text += $"Every further uncompressed SID adds {(three.Overhead - one.Overhead) / 2} B ({three.Overhead} B with 3 SIDs). ";
        }
        if (Find("gre-l3-ipv4") is HeaderCost gre4 && Find("vxlan-ipv4") is HeaderCost vx4 && Find("gre-l3-ipv6") is HeaderCost gre6)
        {
            text += $"Over IPv4, GRE adds {gre4.Overhead} B and VXLAN {vx4.Overhead} B, {gre6.Overhead - gre4.Overhead} B less than over IPv6: an underlay SRv6 cannot use. ";
        }
        // The decisive baseline: one SID with no SRH is, on the wire, RFC 2473 IPv6-in-IPv6, so whatever the reduced form
        // saves, plain IP-in-IP saves too.
        if (Find("ip6ip6") is HeaderCost plain && Find("srv6-encaps-red-1sid") is HeaderCost red1 && Find("srv6-encaps-1sid") is HeaderCost full1)
        {
            text += $"Against plain IPv6-in-IPv6 (RFC 2473, ip6ip6, {plain.Overhead} B), reduced SRv6 with one SID adds {red1.Overhead - plain.Overhead} B, " +
                $"since it is the same packet on the wire, and the SRH form {full1.Overhead - plain.Overhead} B: what SRv6 adds over IP-in-IP is the segment list, not a smaller header. ";
        }
        bool reducedSmallest = pairs.All(p => p.Reduced.Overhead <= p.Others[0].Overhead);
        bool fullLargest = pairs.All(p => p.Full.Overhead > p.Others[^1].Overhead);
        bool alwaysLarger = pairs.All(p => p.Reduced.Overhead > p.Others[^1].Overhead);
        string verdict;
        if (alwaysLarger)
        {
            verdict = Supports;
            text += "Even SRv6's smallest form is larger than every other overlay over IPv6 for the same service.";
        }
        else if (reducedSmallest && fullLargest)
        {
            verdict = Partly;
            text += "So the claim holds for SRv6 with an SRH, the largest header for either service, and fails for the reduced form, the smallest: the header's size depends on the encapsulation behaviour and the number of SIDs, not on SRv6 as such.";
        }
        else
        {
            verdict = Partly;
            text += "SRv6's one-SID forms sit among the other overlays' sizes for the same service: larger than some, smaller than others.";
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
        ChartSeries? csidL2 = chart is null ? null : SeriesStarting(chart, "SRv6 NEXT-C-SID 32/16, Ethernet");
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
        int UpTo(ChartSeries? series) => series is null ? 0 : (int)series.Points.Where(p => p.Y <= vx).Select(p => p.X).DefaultIfEmpty(0).Max();
        int csidUnderVxlan = UpTo(csid), encapsUnderVxlan = UpTo(encaps), redUnderVxlan = UpTo(red);
        double geneveMax = geneve?.Points[^1].Y ?? double.NaN;
        string text =
            $"NEXT-C-SID (32-bit block, 16-bit C-SIDs) keeps the header at {N(first)} B for an IP payload{(csidL2 is null ? "" : $" ({N(csidL2.Points[0].Y)} B for an Ethernet payload)")} for 1 to {flat} SIDs — they all travel in the destination address, with no SRH — " +
            $"and at {N(At(csid, maxN) ?? double.NaN)} B{(csidL2 is null ? "" : $" ({N(At(csidL2, maxN) ?? double.NaN)} B)")} for {N(maxN)} SIDs, where uncompressed H.Encaps needs {N(At(encaps, maxN) ?? double.NaN)} B" +
            (geneve is null ? "" : $" and GENEVE/IPv6 with {N(geneve.Points[^1].X)} 12-byte options (Ethernet payload) {N(geneveMax)} B") + ". " +
            (csidL2 is null ? "" : $"Like for like with VXLAN/IPv6 ({N(vx)} B, Ethernet payload), a compressed path carrying Ethernet fits within VXLAN's header with up to {UpTo(csidL2)} SIDs. ") +
            $"With an IP payload, a path fits within those {N(vx)} B with up to {encapsUnderVxlan} SID(s) uncompressed, {redUnderVxlan} reduced, and {csidUnderVxlan} compressed" +
            (csidUnderVxlan >= maxN ? " (every length swept)" : "") + ". ";
        string verdict;
        int compressedLikeForLike = csidL2 is null ? csidUnderVxlan : UpTo(csidL2);
        if (compressedLikeForLike > encapsUnderVxlan)
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
            .Select(r => (Nominal: HeaderCosts.AddedBytes(r), Measured: r.OverheadPercent.Value))
            .OrderBy(t => t.Nominal)
            .ToList();
        bool tracks = onBusiest.Count > 1 && onBusiest.Zip(onBusiest.Skip(1)).All(pair => pair.First.Nominal == pair.Second.Nominal || pair.First.Measured <= pair.Second.Measured);
        text += tracks
            ? $"On {busiest} the variants rank by measured overhead exactly as by header bytes: on real traffic an overlay costs its header times its packet rate, so SRv6 costs more than VXLAN where its header is larger (full SIDs) and less where it is smaller (.Red, NEXT-C-SID)."
            : $"On {busiest} the ranking by measured overhead departs from the ranking by header bytes (the variants carry different frames, or L3 variants drop VLAN tags), so compare the table rather than the header sizes.";
        return new Finding(topic, tracks ? Supports + " (bytes are the whole of this cost)" : Partly + " (measured overhead does not follow header bytes on every capture)", text);
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
        // The MTU a variant needs must rise with the bytes it adds, whatever the protocol, for "no difference in kind".
        var byBytes = results.GroupBy(r => r.Variant)
            .Select(g => (Added: HeaderCosts.AddedBytes(g.First()), Mtu: g.Max(r => r.RequiredUnderlayMtu.Value)))
            .OrderBy(t => t.Added).ToList();
        bool tracks = byBytes.Zip(byBytes.Skip(1)).All(pair => pair.First.Added == pair.Second.Added || pair.First.Mtu <= pair.Second.Mtu);
        return tracks
            ? new Finding(topic, Supports + " (no difference in kind)", text + " The MTU each variant needs rises with the bytes it adds, whatever the protocol: SRv6 changes only how many bytes of extra MTU the underlay needs, as any other overlay does.")
            : new Finding(topic, Partly, text + " The MTU the variants need does not rise with the bytes they add on every capture (L3 variants drop VLAN tags, and frames differ), so read the table rather than the header sizes.");
    }

    private static Finding Entropy(IReadOnlyList<ChartSpec> charts)
    {
        const string topic = "Flow-label entropy and ECMP";
        ChartSpec? bytes = charts.FirstOrDefault(c => c.Id == "ecmp-balance");
        ChartSpec? flows = charts.FirstOrDefault(c => c.Id == "ecmp-flows");
        if (bytes is null || flows is null)
        {
            return new Finding(topic, NotMeasured, "No analysis result with ECMP figures.");
        }
        // Every number quoted comes from the two ECMP charts (their tables), at the largest k up to 16.
        double k = flows.Series.SelectMany(s => s.Points).Select(p => p.X).Where(x => x <= 16).DefaultIfEmpty(double.NaN).Max();
        static string EntropyOf(ChartSeries s) => s.Name[(s.Name.LastIndexOf('(') + 1)..].TrimEnd(')');
        static string VariantOf(ChartSeries s) => s.Name[..s.Name.LastIndexOf(" (", StringComparison.Ordinal)];
        List<double> At(ChartSpec chart, Func<ChartSeries, bool> pick) =>
            chart.Series.Where(pick).Select(s => s.Points.FirstOrDefault(p => p.X == k)?.Y).OfType<double>().ToList();
        static string Range(List<double> v) => v.Count == 0 ? "-" : v.Min() == v.Max() ? N(v[0], 2) : $"{N(v.Min(), 2)}–{N(v.Max(), 2)}";
        Func<ChartSeries, bool> udp = s => EntropyOf(s).Contains("udp-source-port", StringComparison.Ordinal);
        Func<ChartSeries, bool> label = s => EntropyOf(s) == "flow-label" && !VariantOf(s).StartsWith("srv6", StringComparison.Ordinal);
        Func<ChartSeries, bool> srv6 = s => VariantOf(s).StartsWith("srv6", StringComparison.Ordinal);
        Func<ChartSeries, bool> none = s => EntropyOf(s) == "none";
        string capture = flows.Title[(flows.Title.IndexOf(": ", StringComparison.Ordinal) + 2)..];
        string Line(ChartSpec chart) =>
            $"UDP source port {Range(At(chart, udp))}, flow label {Range(At(chart, label))} (other IPv6 overlays) and {Range(At(chart, srv6))} (SRv6)" +
            (At(chart, none).Count == 0 ? "" : $", no entropy {Range(At(chart, none))}");
        List<double> srv6Flows = At(flows, srv6), udpFlows = At(flows, udp), udpBytes = At(bytes, udp);
        string text =
            $"On {capture}, over {N(k)} paths, the busiest path's share relative to the mean (chart tables; 1 is even, {N(k)} is everything on one path) is, by flows: {Line(flows)}; by bytes: {Line(bytes)}. " +
            (udpBytes.Count > 0 && udpBytes.Min() >= k / 2
                ? $"By bytes every hash leaves the busiest path with at least {N(udpBytes.Min(), 2)}× the mean: a few large flows carry most of this capture's bytes, and a flow is never split, so the flow counts are what tell the hashes apart. "
                : "");
        string verdict;
        if (srv6Flows.Count > 0 && udpFlows.Count > 0 && srv6Flows.Max() <= udpFlows.Max() * 1.25 + 0.05)
        {
            verdict = DoesNotSupport;
            text += "SRv6 carries the flow's entropy in the IPv6 flow label, which the other overlays need a UDP header (VXLAN, GENEVE) for and GRE over IPv4 has no place for: it spreads flows like VXLAN without the 8 bytes. This holds where the underlay hashes the flow label (RFC 6438); one that hashes only addresses and ports sees each SRv6 tunnel as one flow.";
        }
        else if (srv6Flows.Count > 0 && udpFlows.Count > 0)
        {
            verdict = Partly;
            text += "SRv6 carries entropy in the flow label, but on this capture it spreads flows less evenly than the UDP source port; with few flows per path, one capture may be too small to tell.";
        }
        else
        {
            verdict = NotMeasured;
            text += "The charts lack an SRv6 or a UDP overlay to compare.";
        }
        return new Finding(topic, verdict, text);
    }

    private static Finding PerHop(ReportContext context)
    {
        const string topic = "Per-hop work";
        const string interpretation =
            "SRv6 is not just an outer header: every segment endpoint on the path does End processing (check the SRH, decrement Segments Left, copy the next SID or shift the next C-SID into the destination), work that VXLAN and GENEVE never ask of a transit router. In exchange a service chain needs no decapsulation and re-encapsulation per service, which VXLAN stitching does at every hop. Header bytes capture neither side of this.";
        BenchmarkSet bench = context.Inputs.Benchmarks;
        List<BenchmarkCase> end = bench.OfType(ReportCharts.Srv6End).Where(c => c.Method != BenchmarkIds.CopyBaseline).ToList();
        if (end.Count == 0)
        {
            return new Finding(topic, DoesNotSupport + " (by design; " + NotMeasured + ")",
                "No Srv6EndBenchmarks result in results/benchmarks, so the per-hop cost is not measured in this run. " + interpretation);
        }
        var hops = bench.OfType(ReportCharts.ServiceHop).Where(c => c.Method == BenchmarkIds.ServiceHop.Hop && c.Nanoseconds is not null).ToList();
        var restore = bench.OfType(ReportCharts.ServiceHop).Where(c => c.Method == BenchmarkIds.CopyBaseline && c.Nanoseconds is not null)
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
            chain += EndAgreement(end, srv6Hop, csidHop);
            return new Finding(topic, lightest ? DoesNotSupport + " (the per-hop work is real, and the lightest for service chains)" : DoesNotSupport + " (SRv6 moves work onto the path)", chain);
        }
        double fastest = end.Min(c => c.Nanoseconds!.Value), slowest = end.Max(c => c.Nanoseconds!.Value);
        string text = $"An SRv6 End hop costs {N(fastest, 1)}–{N(slowest, 1)} ns per packet on one core across the {end.Count} End case(s) measured. ";
        string? size = end.Select(c => c.Parameter("Size")).FirstOrDefault(s => s is not null) ?? "64";
        BenchmarkCase? encap = bench.Find(ReportCharts.Encapsulate, BenchmarkIds.Encapsulate.InPlace, ("Variant", "vxlan-ipv6"), ("Size", size));
        BenchmarkCase? decap = bench.Find(ReportCharts.Decapsulate, BenchmarkIds.Decapsulate.Method, ("Variant", "vxlan-ipv6"), ("Size", size));
        if (encap is not null && decap is not null)
        {
            double stitch = encap.Nanoseconds!.Value + decap.Nanoseconds!.Value;
            text += $"Stitching a VXLAN/IPv6 chain at a service costs a decapsulation and an in-place encapsulation, {N(stitch, 1)} ns for {size}-byte frames. ";
        }
        return new Finding(topic, DoesNotSupport + " (SRv6 moves work onto the path)", text + interpretation);
    }

    /// <summary>
    /// The SRv6 End benchmark and the service-hop benchmark both time End and NEXT-C-SID End; where their ratios disagree by
    /// more than 1.5×, the report says so rather than let one of them stand for the cost.
    /// </summary>
    private static string EndAgreement(List<BenchmarkCase> end, double srv6Hop, double csidHop)
    {
        double? plain = end.FirstOrDefault(x => x.Method == BenchmarkIds.Srv6End.End)?.Nanoseconds;
        double? csid = end.FirstOrDefault(x => x.Method == BenchmarkIds.Srv6End.EndNextCsid)?.Nanoseconds;
        if (plain is not double p || csid is not double c || double.IsNaN(srv6Hop) || double.IsNaN(csidHop) || srv6Hop <= 0 || p <= 0)
        {
            return "";
        }
        double endRatio = c / p, hopRatio = csidHop / srv6Hop;
        return Math.Max(endRatio, hopRatio) / Math.Min(endRatio, hopRatio) > 1.5
            ? $" The two measurements of NEXT-C-SID End against End do not agree: {N(c, 1)} against {N(p, 1)} ns in the SRv6 End benchmark, {N(csidHop, 1)} against {N(srv6Hop, 1)} ns as a service hop. Each case runs in its own process, and on a shared machine whole processes differ by up to 1.8× (bench/README.md), so this run does not settle how much more NEXT-C-SID End costs than End."
            : $" The SRv6 End benchmark agrees: NEXT-C-SID End {N(c, 1)} ns against End {N(p, 1)} ns.";
    }

    private const double SlowerRatio = 0.8, FasterRatio = 1.25;

    /// <summary>
    /// The host-cost verdict from SRv6's rate over VXLAN's in each form measured: each form is slower (below 0.8×), about
    /// the same, or faster (above 1.25×), and the verdict follows the mix.
    /// </summary>
    internal static string HostCostVerdict(IReadOnlyCollection<double> srv6OverVxlan)
    {
        bool anySlower = srv6OverVxlan.Any(r => r < SlowerRatio), anyFaster = srv6OverVxlan.Any(r => r > FasterRatio);
        return !anySlower && !anyFaster ? Supports + " (the host does about the same work)"
            : !anyFaster ? Supports + " (SRv6 also costs the host more here)"
            : !anySlower ? DoesNotSupport + " (SRv6 costs the host no more in any form, and less in some)"
            : Partly + " (faster in one form, slower in another)";
    }

    /// <summary>The kernel's own tunnels first (its verdict), the suite's encoders as the second measure.</summary>
    private static Finding HostCost(ReportContext context)
    {
        Finding suite = SuiteHostCost(context);
        if (context.Inputs.Kernel is not KernelFile kernel || KernelHostCost.Build(kernel.Document) is not (string text, string verdict))
        {
            return suite;
        }
        return new Finding(suite.Topic, verdict,
            $"{text} The second measure, the suite's own encoders{(suite.Verdict == NotMeasured ? "" : $" (on their own: {suite.Verdict})")}: {suite.Text}");
    }

    private static Finding SuiteHostCost(ReportContext context)
    {
        const string topic = "Host cost: encapsulation speed and allocations";
        BenchmarkSet bench = context.Inputs.Benchmarks;
        // Every charted size at which both were measured: each case ran in its own process, so one size alone can be off by
        // the spread between processes; the verdict rests on the geometric mean over the sizes.
        List<string> sizes = ReportCharts.BenchmarkSizes.Where(s => bench.Find(ReportCharts.Encapsulate, BenchmarkIds.Encapsulate.Copy, ("Variant", "vxlan-ipv6"), ("Size", s)) is not null).ToList();
        string? size = sizes.FirstOrDefault();
        string srv6Variant = "srv6-encaps-3sid";
        var forms = new List<(string Form, double Srv6, double Vxlan)>();
        var acrossSizes = new Dictionary<string, List<(string Size, double Ratio)>>();
        string source;
        double? pdn = null, pdnAlloc = null;
        if (size is not null)
        {
            string? chosen = bench.Find(ReportCharts.Encapsulate, BenchmarkIds.Encapsulate.Copy, ("Variant", srv6Variant), ("Size", size)) is not null
                ? srv6Variant
                : bench.OfType(ReportCharts.Encapsulate).Select(c => c.Parameter("Variant")).FirstOrDefault(v => v?.StartsWith("srv6", StringComparison.Ordinal) == true);
            srv6Variant = chosen ?? srv6Variant;
            foreach ((string type, string method, string form) in new[] { (ReportCharts.Encapsulate, BenchmarkIds.Encapsulate.Copy, "encap copy"), (ReportCharts.Encapsulate, BenchmarkIds.Encapsulate.InPlace, "encap in place"), (ReportCharts.Decapsulate, BenchmarkIds.Decapsulate.Method, "decap") })
            {
                if (bench.Find(type, method, ("Variant", srv6Variant), ("Size", size))?.Mpps is double a && bench.Find(type, method, ("Variant", "vxlan-ipv6"), ("Size", size))?.Mpps is double b)
                {
                    forms.Add((form, a, b));
                    acrossSizes[form] = sizes
                        .Select(s => (Size: s, Srv6: bench.Find(type, method, ("Variant", srv6Variant), ("Size", s))?.Mpps, Vxlan: bench.Find(type, method, ("Variant", "vxlan-ipv6"), ("Size", s))?.Mpps))
                        .Where(t => t.Srv6 is not null && t.Vxlan is not null)
                        .Select(t => (t.Size, t.Srv6!.Value / t.Vxlan!.Value))
                        .ToList();
                }
            }
            BenchmarkCase? p = bench.Find(ReportCharts.PacketDotNet, BenchmarkIds.PacketDotNet.VxlanPacket, ("Size", size));
            pdn = p?.Mpps;
            pdnAlloc = p?.Memory?.BytesAllocatedPerOperation;
            source = $"BenchmarkDotNet, {(size == "imix" ? "IMIX" : size + "-byte")} frames, mean; the verdict weighs every charted size";
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
        // SRv6's rate over VXLAN's per form: the geometric mean over the sizes where there are several, else the one figure.
        double Ratio((string Form, double Srv6, double Vxlan) f) =>
            acrossSizes.TryGetValue(f.Form, out var r) && r.Count > 1 ? Math.Exp(r.Average(x => Math.Log(x.Ratio))) : f.Srv6 / f.Vxlan;
        string Sizes((string Form, double Srv6, double Vxlan) f) =>
            acrossSizes.TryGetValue(f.Form, out var r) && r.Count > 1
                ? $"; {string.Join(", ", r.Select(x => $"{N(100 * x.Ratio)} % at {(x.Size == "imix" ? "IMIX" : x.Size + " B")}"))}: geometric mean {N(100 * Ratio(f))} %"
                : "";
        string text = $"{srv6Variant} against vxlan-ipv6, Mpps per core ({source}): " +
            string.Join("; ", forms.Select(f => $"{f.Form} {N(f.Srv6, 2)} vs {N(f.Vxlan, 2)} ({N(100 * f.Srv6 / f.Vxlan)} %{Sizes(f)})")) + ". ";
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
        string verdict = HostCostVerdict(forms.Select(Ratio).ToList());
        bool anyFaster = forms.Any(f => Ratio(f) > FasterRatio);
        text += "Per packet, an SRv6 headend copies a longer header template and patches lengths and the flow label. A VXLAN/IPv6 headend patches lengths and a port, and also sums the whole packet for the UDP checksum an IPv6 underlay requires (RFC 8200 §8.1; RFC 6935 lets a tunnel send zero instead, the catalogue's UdpChecksumPolicy.Off, which the compared variant does not use); its decapsulator verifies that sum again. SRv6 has no checksum over the payload" +
            (anyFaster ? ": that is where it is faster" : "") +
            (context.Inputs.Benchmarks.IsEmpty ? "; the replay passes on a shared machine are noisy, so the BenchmarkDotNet figures, when present, are the ones to trust." : ".");
        return new Finding(topic, verdict, text);
    }
}
