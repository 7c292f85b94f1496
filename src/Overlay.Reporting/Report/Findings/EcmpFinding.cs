namespace Overlay.Reporting.Report;

/// <summary>How SRv6's flow label spreads flows against the UDP source port, each against an ideal random hash.</summary>
public enum EcmpOutcome
{
    /// <summary>Too few flows: the random-hash band is too wide to tell hashes apart.</summary>
    TooFewFlows,
    /// <summary>Both within the band: no difference measurable here.</summary>
    BothLikeRandom,
    /// <summary>The UDP port within the band, SRv6 above it.</summary>
    Srv6Worse,
    /// <summary>SRv6 within the band, the UDP port above it.</summary>
    Srv6Better,
    /// <summary>Neither within the band.</summary>
    NeitherLikeRandom,
}

public static partial class Findings
{
    /// <summary>The fewest flows at which the finding compares hashes (below, an ideal hash's own band is wider than the differences).</summary>
    public const int MinimumEcmpFlows = 1000;

    /// <summary>The rule: each busiest/mean flow ratio is like a random hash where it is at most the band's 95th percentile.</summary>
    public static EcmpOutcome EcmpRule(int flows, IReadOnlyCollection<(double Ratio, double P95)> srv6, IReadOnlyCollection<(double Ratio, double P95)> udp)
    {
        if (flows < MinimumEcmpFlows || srv6.Count == 0 || udp.Count == 0)
        {
            return EcmpOutcome.TooFewFlows;
        }
        bool srv6Random = srv6.All(s => s.Ratio <= s.P95), udpRandom = udp.All(u => u.Ratio <= u.P95);
        return (srv6Random, udpRandom) switch
        {
            (true, true) => EcmpOutcome.BothLikeRandom,
            (false, true) => EcmpOutcome.Srv6Worse,
            (true, false) => EcmpOutcome.Srv6Better,
            _ => EcmpOutcome.NeitherLikeRandom,
        };
    }

    public static string EcmpVerdict(EcmpOutcome outcome) => outcome switch
    {
        EcmpOutcome.BothLikeRandom => DoesNotSupport + $" (the flow label spreads flows as the UDP port does: {NoDifference})",
        EcmpOutcome.Srv6Worse => Supports + " (the flow label spreads flows worse than a random hash here)",
        EcmpOutcome.Srv6Better => DoesNotSupport + " (the flow label spreads flows better than the UDP port here)",
        EcmpOutcome.NeitherLikeRandom => Partly + " (neither spreads flows like a random hash here)",
        _ => NotMeasured + $" (fewer than {MinimumEcmpFlows:N0} flows: hashes cannot be told apart)",
    };

    private static Finding Entropy(ReportModel model)
    {
        const string topic = "Flow-label entropy and ECMP";
        if (model.Ecmp is not EcmpTable table)
        {
            return new Finding(topic, NotMeasured, "No analysis result with ECMP figures.");
        }
        int k = table.Band.Keys.Where(x => x <= 16).DefaultIfEmpty(table.Band.Keys.Max()).Max();
        // Each row against the band for its own flow count (an IP-in-IP variant carries only one inner family's flows).
        var rows = table.Rows.Where(r => r.ByPaths.ContainsKey(k)).Select(r => (Row: r, Ratio: r.ByPaths[k].Flows,
            Band: RandomHashBand.Of(Math.Max(1, (int)Math.Round(r.Flows)), k))).ToList();
        // The hash policies; Linux's default headend copies the label instead of hashing, and is said apart below.
        var linux = rows.FirstOrDefault(r => r.Row == table.LinuxSeg6Defaults);
        rows = rows.Where(r => r.Row != table.LinuxSeg6Defaults).ToList();
        var srv6 = rows.Where(r => r.Row.IsSrv6).ToList();
        var udp = rows.Where(r => r.Row.Entropy.Contains("udp-source-port", StringComparison.Ordinal)).ToList();
        var label = rows.Where(r => !r.Row.IsSrv6 && r.Row.Entropy == "flow-label").ToList();
        var none = rows.Where(r => r.Row.Entropy == "none").ToList();
        static string Range(IEnumerable<double> v)
        {
            var l = v.ToList();
            return l.Count == 0 ? "-" : l.Min() == l.Max() ? N(l[0], 2) : $"{N(l.Min(), 2)}–{N(l.Max(), 2)}";
        }
        (double p5, double p95) = table.Band[k];
        string text = $"The ECMP flows chart, {table.Capture} ({table.Flows:N0} flows), {k} paths, busiest path's flows over the mean: UDP source port {Range(udp.Select(r => r.Ratio))}, " +
            $"SRv6 flow label {Range(srv6.Select(r => r.Ratio))}, other IPv6 overlays' flow label {Range(label.Select(r => r.Ratio))}" +
            (none.Count == 0 ? "" : $", no entropy {Range(none.Select(r => r.Ratio))}") +
            $"; an ideal random hash gives {N(p5, 2)}–{N(p95, 2)} (5th–95th percentile, the chart's band). ";
        EcmpOutcome outcome = EcmpRule(table.Flows, srv6.Select(r => (r.Ratio, r.Band.P95)).ToList(), udp.Select(r => (r.Ratio, r.Band.P95)).ToList());
        text += "The rule: a hash counts as even where its ratio is at most the band's 95th percentile for its own flow count, and SRv6 is compared with the UDP overlays only so. ";
        text += outcome switch
        {
            EcmpOutcome.BothLikeRandom => $"Both are within the band: {NoDifference} between the flow label and the UDP port, and SRv6 gets that entropy without a UDP header. It holds only where the underlay hashes the flow label (RFC 6438) and the headend sets it.",
            EcmpOutcome.Srv6Worse => "The UDP port is within the band and the flow label is not.",
            EcmpOutcome.Srv6Better => "The flow label is within the band and the UDP port is not.",
            EcmpOutcome.NeitherLikeRandom => "Neither is within the band.",
            _ => "The capture has too few flows for the band to tell hashes apart.",
        };
        text += linux.Row is not null && linux is var l
            ? $" Linux's seg6 headend on its defaults (the linux-seg6 profile, measured on the same capture) copies the label from an IPv6 inner packet and sends 0 for an IPv4 one: {N(l.Ratio, 2)} at {k} paths, against {N(l.Band.P5, 2)}–{N(l.Band.P95, 2)} for its {l.Row.Flows:N0} flows, so {(l.Ratio <= l.Band.P95 ? "this capture's flows still spread like a random hash" : "an operator on defaults does not get the flow label's entropy on this traffic")}."
            : " Linux's seg6 headend on its defaults copies the label from an IPv6 inner packet and sends 0 for an IPv4 one, which leaves IPv4 traffic with no entropy, like the rows with none (not measured here: analyse with `--profile linux-seg6`).";
        return new Finding(topic, EcmpVerdict(outcome), text);
    }
}
