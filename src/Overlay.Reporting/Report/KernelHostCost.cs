using System.Globalization;
using Overlay.Results.Kernel;

using Overlay.Reporting.Charts;

namespace Overlay.Reporting.Report;

/// <summary>SRv6 against VXLAN at one payload size in the kernel: more, less, or within the run's own spread.</summary>
public enum KernelDifference
{
    NotMeasurable,
    Srv6CostsMore,
    Srv6CostsLess,
}

/// <summary>
/// The host-cost finding's first measure: the Linux kernel's own SRv6 and VXLAN tunnels, their CPU per packet over native
/// routing (results/kernel.json). A difference counts only where it exceeds the run's own spread: the larger of the two
/// variants' interquartile ranges over their trials at that size.
/// </summary>
public static class KernelHostCost
{
    /// <summary>
    /// The SRv6 and VXLAN variants compared, in order of preference: the like-for-like pair first (an Ethernet payload over
    /// IPv6 both), then, where a run lacks it, pairs that differ in payload or underlay, which the sentence names.
    /// </summary>
    public static IReadOnlyList<(string Srv6, string Vxlan)> Pairs { get; } =
    [
        ("srv6-encaps-l2-1sid", "vxlan-ipv6"),
        ("srv6-encaps-red-1sid", "vxlan-ipv4"),
        ("srv6-encaps-1sid", "vxlan-ipv4"),
        ("srv6-encaps-red-1sid", "vxlan-ipv6"),
    ];

    private static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The rule: a difference within <paramref name="spread"/> is not measurable here.</summary>
    public static KernelDifference Compare(double srv6, double vxlan, double spread) =>
        Math.Abs(srv6 - vxlan) <= spread ? KernelDifference.NotMeasurable
        : srv6 > vxlan ? KernelDifference.Srv6CostsMore
        : KernelDifference.Srv6CostsLess;

    /// <summary>The verdict from the comparison at every size measured, by the same reading as the suite's: the same work or
    /// more supports the claim, less does not.</summary>
    public static string Verdict(IReadOnlyCollection<KernelDifference> sizes)
    {
        bool more = sizes.Contains(KernelDifference.Srv6CostsMore), less = sizes.Contains(KernelDifference.Srv6CostsLess);
        return !more && !less ? Findings.Supports + " (no difference measurable here in the kernel)"
            : !less ? Findings.Supports + " (SRv6 costs the kernel more here)"
            : !more ? Findings.DoesNotSupport + " (SRv6 costs the kernel less here)"
            : Findings.Partly + " (in the kernel SRv6 costs more at one size, less at another)";
    }

    /// <summary>The kernel's sentence and verdict, or null where the run has no pair of SRv6 and VXLAN increments.</summary>
    public static (string Text, string Verdict)? Build(KernelDocument doc)
    {
        string? charted = KernelCharts.ChartedSize(doc);
        KernelUdpRow? Row(string variant, string size) =>
            doc.Rows.FirstOrDefault(r => r.Variant == variant && r.PayloadSize == size && r.IncrementalCpuNsPerPacket is not null);
        foreach ((string srv6, string vxlan) in Pairs)
        {
            // The charted size first, then the others in the order the run measured them.
            var sizes = doc.Rows.Select(r => r.PayloadSize).Distinct().OrderBy(s => s == charted ? 0 : 1)
                .Select(s => (Size: s, Srv6: Row(srv6, s), Vxlan: Row(vxlan, s)))
                .Where(t => t.Srv6 is not null && t.Vxlan is not null)
                .Select(t => (t.Size, Srv6: t.Srv6!.IncrementalCpuNsPerPacket!.Value, Vxlan: t.Vxlan!.IncrementalCpuNsPerPacket!.Value,
                    Spread: Math.Max(Iqr(t.Srv6!.CpuNs), Iqr(t.Vxlan!.CpuNs))))
                .ToList();
            if (sizes.Count == 0)
            {
                continue;
            }
            var outcomes = sizes.Select(s => Compare(s.Srv6, s.Vxlan, s.Spread)).ToList();
            string Say(KernelDifference d) => d switch
            {
                KernelDifference.NotMeasurable => "no difference measurable here",
                KernelDifference.Srv6CostsMore => "SRv6 costs more",
                _ => "SRv6 costs less",
            };
            var first = sizes[0];
            string like = srv6.Contains("-l2-", StringComparison.Ordinal) == false || vxlan.EndsWith("ipv4", StringComparison.Ordinal)
                ? "not like for like: an IP payload against VXLAN's Ethernet payload" + (vxlan.EndsWith("ipv4", StringComparison.Ordinal) ? ", over different underlay families" : "")
                : "like for like: an Ethernet payload over IPv6 both";
            string text = $"In the Linux kernel on this host ({doc.Environment.Kernel}, {doc.Settings.Trials} trials per cell; {like}), {srv6} costs {N(first.Srv6)} ns per packet over native routing against {vxlan}'s {N(first.Vxlan)} ({KernelCharts.SizeName(first.Size)} UDP payloads; a difference of {N(Math.Abs(first.Srv6 - first.Vxlan))} ns against the run's own spread of {N(first.Spread)} ns, the larger interquartile range of the two): {Say(outcomes[0])}.";
            if (sizes.Count > 1)
            {
                text += " At the other sizes: " + string.Join("; ", sizes.Skip(1).Zip(outcomes.Skip(1))
                    .Select(x => $"{KernelCharts.SizeName(x.First.Size)} {N(x.First.Srv6)} against {N(x.First.Vxlan)} ns (spread {N(x.First.Spread)}): {Say(x.Second)}")) + ".";
            }
            text += " The rule: a difference counts only where it exceeds the larger of the two variants' interquartile ranges of CPU per packet over their trials.";
            return (text, Verdict(outcomes));
        }
        return null;
    }

    private static double Iqr(Spread? s) => s is null ? double.PositiveInfinity : s.Q3 - s.Q1;
}
