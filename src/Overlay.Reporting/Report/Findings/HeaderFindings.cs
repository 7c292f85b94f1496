namespace Overlay.Reporting.Report;

/// <summary>What a form of SRv6 is, against the other overlays carrying the same payload over IPv6.</summary>
public enum HeaderOutcome
{
    /// <summary>Even SRv6's smallest form is larger than every other overlay for the same payload.</summary>
    AlwaysLarger,
    /// <summary>SRv6's smallest form is no larger than the smallest other overlay (the same bytes as RFC 2473).</summary>
    ReducedSmallest,
    /// <summary>SRv6's smallest form sits among the others.</summary>
    Among,
}

/// <summary>The header-bytes and compression findings, from the exact header costs and the service-insertion curves.</summary>
public static partial class Findings
{
    /// <summary>The rule, per payload: SRv6's smallest one-SID form against the smallest and largest other IPv6 overlay.</summary>
    public static HeaderOutcome HeaderRule(IReadOnlyCollection<(int Reduced, int OthersMin, int OthersMax)> perPayload) =>
        perPayload.All(p => p.Reduced > p.OthersMax) ? HeaderOutcome.AlwaysLarger
        : perPayload.All(p => p.Reduced <= p.OthersMin) ? HeaderOutcome.ReducedSmallest
        : HeaderOutcome.Among;

    public static string HeaderVerdict(HeaderOutcome outcome) => outcome switch
    {
        HeaderOutcome.AlwaysLarger => Supports,
        HeaderOutcome.ReducedSmallest => Partly + " (the size depends on the SRv6 form: the reduced one-SID form is plain IPv6-in-IPv6 on the wire)",
        _ => Partly + " (SRv6's forms sit among the other overlays' sizes)",
    };

    private static Finding HeaderBytes(ReportModel model)
    {
        const string topic = "Header bytes per packet";
        // Like for like: SRv6 needs an IPv6 underlay, so it is set against every other overlay over IPv6 carrying the same
        // payload (option variants included); the checksum/key/sequence GRE variants are extras of GRE, listed with it.
        var pairs = new List<(string Payload, HeaderCost Reduced, HeaderCost Full, List<HeaderCost> Others)>();
        foreach ((string service, string payload, string reduced, string full) in new[]
                 { ("L3", "an IP packet", "srv6-encaps-red-1sid", "srv6-encaps-1sid"), ("L2", "an Ethernet frame", "srv6-encaps-l2-red-1sid", "srv6-encaps-l2-1sid") })
        {
            var others = model.Headers.Where(c => c.Underlay == "IPv6" && c.Service == service && !c.Family.StartsWith("SRv6", StringComparison.Ordinal))
                .OrderBy(c => c.Overhead).ToList();
            if (model.Header(reduced) is HeaderCost r && model.Header(full) is HeaderCost f && others.Count > 0)
            {
                pairs.Add((payload, r, f, others));
            }
        }
        if (pairs.Count == 0)
        {
            return new Finding(topic, NotMeasured, "The variant catalogue lacks the one-SID SRv6 variants or the IPv6 overlays this finding compares.");
        }
        string Largest((string Payload, HeaderCost Reduced, HeaderCost Full, List<HeaderCost> Others) p) =>
            p.Full.Overhead > p.Others[^1].Overhead ? "the largest of these"
            : $"smaller than {string.Join(", ", p.Others.Where(o => o.Overhead > p.Full.Overhead).Select(o => o.Variant))}";
        string text = "The header-overhead chart, over an IPv6 underlay with one SID: " + string.Join("; ", pairs.Select(p =>
            $"to carry {p.Payload} SRv6 adds {p.Reduced.Overhead} B reduced (the SID in the destination address, no SRH) or {p.Full.Overhead} B with an SRH ({Largest(p)}), " +
            $"against {string.Join(", ", p.Others.Select(o => $"{o.Overhead} B for {o.Variant}"))}")) + ". ";
        if (model.Header("ip6ip6") is HeaderCost plain && model.Header("srv6-encaps-red-1sid") is HeaderCost red1 && model.Header("srv6-encaps-1sid") is HeaderCost full1
            && model.Header("srv6-encaps-3sid") is HeaderCost three)
        {
            text += $"What SRv6 adds over plain IPv6-in-IPv6 (RFC 2473, ip6ip6, {plain.Overhead} B): in bytes, nothing in the reduced one-SID form ({red1.Overhead} B, the same packet on the wire), " +
                $"and the SRH with its segment list otherwise ({full1.Overhead} B with one SID, {three.Overhead} B with three); in work, the same template copy and length patches at the headend, " +
                "plus End processing at every segment endpoint, which a plain tunnel's routers never do; in entropy, nothing: both carry the flow only in the outer IPv6 flow label. " +
                "What it buys is the path named in the packet. ";
        }
        if (model.Header("gre-l3-ipv4") is HeaderCost gre4 && model.Header("ipip-ipv4") is HeaderCost ipip4 && model.Header("vxlan-ipv4") is HeaderCost vx4)
        {
            text += $"Over IPv4, an underlay SRv6 cannot use, the same payloads take {ipip4.Overhead} B (ipip-ipv4), {gre4.Overhead} B (gre-l3-ipv4) and {vx4.Overhead} B (vxlan-ipv4). ";
        }
        HeaderOutcome outcome = HeaderRule(pairs.Select(p => (p.Reduced.Overhead, p.Others[0].Overhead, p.Others[^1].Overhead)).ToList());
        text += outcome switch
        {
            HeaderOutcome.AlwaysLarger => "Even SRv6's smallest form is larger than every other overlay over IPv6 for the same payload.",
            HeaderOutcome.ReducedSmallest => "The rule: SRv6's smallest one-SID form against the other IPv6 overlays for the same payload; it is no larger than the smallest of them, and the forms with an SRH are larger: the size depends on the encapsulation behaviour and the number of SIDs, not on SRv6 as such.",
            _ => "The rule: SRv6's smallest one-SID form against the other IPv6 overlays for the same payload; it is larger than some and smaller than others.",
        };
        return new Finding(topic, HeaderVerdict(outcome), text);
    }

    /// <summary>The rule: compression counts against the claim where it carries more SIDs within VXLAN's header than the uncompressed form does.</summary>
    public static string CompressionVerdict(int compressedWithinVxlan, int uncompressedWithinVxlan) =>
        compressedWithinVxlan > uncompressedWithinVxlan ? DoesNotSupport : Supports;

    private static Finding Compression(ReportModel model)
    {
        const string topic = "NEXT-C-SID compression and service chains";
        const string ip = HeaderCosts.IpPayload, eth = HeaderCosts.EthernetPayload;
        if (model.Sweep(SweepKind.Srv6Compressed, eth) is not SweepCurve csidL2 || model.Sweep(SweepKind.Srv6Encaps, eth) is not SweepCurve encapsL2
            || model.Sweep(SweepKind.Vxlan, eth) is not SweepCurve vxlan || model.Sweep(SweepKind.Srv6Compressed, ip) is not SweepCurve csid
            || model.Sweep(SweepKind.Srv6Encaps, ip) is not SweepCurve encaps || csid.Points.Count == 0)
        {
            return new Finding(topic, NotMeasured, "The service-insertion sweep is missing.");
        }
        int vx = vxlan.Points[0].Bytes;
        int first = csid.Points[0].Bytes;
        int flat = csid.Points.TakeWhile(p => p.Bytes == first).Last().N;
        int maxN = csid.Points[^1].N;
        int csidUpTo = csidL2.UpTo(vx), encapsUpTo = encapsL2.UpTo(vx);
        string text =
            $"The service-insertion chart, over IPv6: NEXT-C-SID (32-bit block, 16-bit C-SIDs) keeps the header at {first} B for an IP payload ({csidL2.Points[0].Bytes} B for an Ethernet payload) for 1 to {flat} SIDs, all in the destination address with no SRH, " +
            $"and at {csid.At(maxN)} B ({csidL2.At(maxN)} B) for {maxN} SIDs, where uncompressed H.Encaps needs {encaps.At(maxN)} B ({encapsL2.At(maxN)} B). ";
        if (model.Sweep(SweepKind.IpInIp, ip) is SweepCurve plain)
        {
            text += $"For an IP payload, up to {csid.UpTo(plain.Points[0].Bytes)} SIDs cost what plain IPv6-in-IPv6 costs ({plain.Points[0].Bytes} B). ";
        }
        text += $"Like for like with VXLAN/IPv6 ({vx} B, Ethernet payload): a compressed path fits within it with up to {csidUpTo} SIDs, an uncompressed one with {(encapsUpTo == 0 ? "none" : $"up to {encapsUpTo}")}; " +
            "a path through k services names k+1 SIDs (the services and the far host), as the service-chain chart's ingress headers show. ";
        if (model.Sweep(SweepKind.GenevePerService, eth) is SweepCurve perService && model.Sweep(SweepKind.GeneveServicePath, eth) is SweepCurve servicePath)
        {
            text += $"GENEVE/IPv6 costs {servicePath.Points[0].Bytes} B with the one service-path option the suite's chain rewrites per hop, and {perService.Points[^1].Bytes} B with one 12-byte option for each of {perService.Points[^1].N} services. ";
        }
        string verdict = CompressionVerdict(csidUpTo, encapsUpTo);
        text += verdict == DoesNotSupport
            ? "The rule: compression counts against the claim where it carries more SIDs within VXLAN's header than the uncompressed form; it does, so a path named in the packet costs no more bytes than a VXLAN tunnel that names none."
            : "The rule: compression counts against the claim where it carries more SIDs within VXLAN's header than the uncompressed form; here it does not.";
        return new Finding(topic, verdict, text);
    }
}
