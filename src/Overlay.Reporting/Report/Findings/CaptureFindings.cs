using System.Globalization;
using Overlay.Reporting.Charts;
using Overlay.Results;
using Overlay.Results.Benchmarks;

namespace Overlay.Reporting.Report;

/// <summary>Overhead, goodput and MTU on the captures: each verdict asks whether the measured figure follows the header bytes.</summary>
public static partial class Findings
{
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
        int captures = results.Select(r => r.Capture).Distinct().Count();
        string text =
            $"Over {captures} capture(s), the overhead runs from {N(low.OverheadPercent.Value, 2)} % ({low.Variant} on {low.Capture}) to {N(high.OverheadPercent.Value, 2)} % ({high.Variant} on {high.Capture}) of the frames' bytes (the capture-overhead chart and the appendix). ";
        // Like for like on the capture with the most packets: the charted variants over IPv6, grouped by payload.
        string busiest = results.MaxBy(r => r.Packets.Value)!.Capture;
        var costs = HeaderCosts.Catalog().ToDictionary(c => c.Variant);
        var groups = ChartSupport.MainVariants.Where(v => costs.TryGetValue(v, out HeaderCost? c) && c.Underlay == "IPv6")
            .Select(v => results.FirstOrDefault(r => r.Capture == busiest && r.Variant == v)).OfType<VariantResult>()
            .GroupBy(r => costs[r.Variant].Service).OrderBy(g => g.Key == "L3" ? 0 : 1)
            .Select(g => $"{(g.Key == "L3" ? "IP" : "Ethernet")} payload: " + string.Join(", ", g.Select(r =>
                $"{r.Variant} {N(r.OverheadPercent.Value, 2)} % ({N(r.LineRates.FirstOrDefault(l => l.LineRate.Value == 100)?.GoodputLost.Value ?? double.NaN, 2)} Gbit/s lost at 100 GbE)")))
            .ToList();
        if (groups.Count > 0)
        {
            text += $"Like for like on {busiest}, over IPv6: {string.Join("; ", groups)}. ";
        }
        var partial = results.Where(r => r.Capture == busiest && r.Carried.Value < 0.9 * r.Packets.Value).Select(r => r.Variant).Distinct().ToList();
        if (partial.Count > 0)
        {
            text += $"{string.Join(", ", partial)} carry only one inner IP family's frames of {busiest}, so their percentages are over those frames, not all of them. ";
        }
        var onBusiest = results.Where(r => r.Capture == busiest && r.NotCarried.Value == 0)
            .Select(r => (Nominal: HeaderCosts.AddedBytes(r), Measured: r.OverheadPercent.Value))
            .ToList();
        bool tracks = FollowsHeaderBytes(onBusiest);
        text += tracks
            ? $"The rule: the verdict asks whether, on {busiest}, the variants that carry every frame (on a capture with ARP, only the Ethernet-payload ones) rank by measured overhead as by the bytes they add; they do: on real traffic an overlay costs its header times its packet rate, so for the same payload SRv6 costs more where its header is larger (an SRH) and less where it is smaller (.Red with one SID, NEXT-C-SID)."
            : $"The rule: the verdict asks whether, on {busiest}, the variants that carry every frame (on a capture with ARP, only the Ethernet-payload ones) rank by measured overhead as by the bytes they add; they do not (L3 variants drop VLAN tags, and frames differ), so compare the table rather than the header sizes.";
        return new Finding(topic, tracks ? Supports + " (bytes are the whole of this cost)" : Partly + " (measured overhead does not follow header bytes on every capture)", text);
    }

    /// <summary>The rule of the capture and MTU findings: a measured figure follows the bytes added where no variant with more bytes measures less.</summary>
    public static bool FollowsHeaderBytes(IReadOnlyList<(double Nominal, double Measured)> variants)
    {
        var ordered = variants.OrderBy(t => t.Nominal).ToList();
        return ordered.Count > 1 && ordered.Zip(ordered.Skip(1)).All(pair => pair.First.Nominal == pair.Second.Nominal || pair.First.Measured <= pair.Second.Measured);
    }

    private static Finding Mtu(ReportContext context)
    {
        const string topic = "MTU";
        List<VariantResult> results = context.Inputs.Results.Where(r => r.Mtu.Count > 0 && r.Carried.Value > 0).ToList();
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
        bool tracks = FollowsHeaderBytes(results.GroupBy(r => r.Variant)
            .Select(g => (HeaderCosts.AddedBytes(g.First()), g.Max(r => r.RequiredUnderlayMtu.Value))).ToList());
        return tracks
            ? new Finding(topic, Supports + " (no difference in kind)", text + " The MTU each variant needs rises with the bytes it adds, whatever the protocol: SRv6 changes only how many bytes of extra MTU the underlay needs, as any other overlay does.")
            : new Finding(topic, Partly, text + " The MTU the variants need does not rise with the bytes they add on every capture (L3 variants drop VLAN tags, and frames differ), so read the table rather than the header sizes.");
    }
}
