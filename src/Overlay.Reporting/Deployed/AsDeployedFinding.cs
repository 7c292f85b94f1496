using System.Text.RegularExpressions;
using Overlay.Results;
using static Overlay.Reporting.Deployed.AsDeployedSection;

namespace Overlay.Reporting.Deployed;

/// <summary>
/// The finding of the "as deployed" section: what the AWS GWLB, Azure GWLB and NSX encapsulations cost on each capture
/// against the SRv6 forms that could carry the same service chain (H.Encaps.Red and NEXT-C-SID), in bytes, MSS and
/// black-hole share, with a verdict computed from those numbers.
/// </summary>
public static partial class AsDeployedFinding
{
    private static readonly string[] Deployed = ["aws-gwlb", "azure-gwlb-internal", "nsx-geneve"];

    /// <summary>The finding's lines (Markdown), empty when no capture has both a deployed encapsulation and an SRv6 form.</summary>
    public static List<string> Lines(IReadOnlyList<VariantResult> results)
    {
        var lines = new List<string>();
        int cheaper = 0, compared = 0;
        foreach (var capture in results.GroupBy(r => r.Capture))
        {
            var deployed = Deployed.Select(d => capture.FirstOrDefault(r => r.Variant == d)).OfType<VariantResult>().ToList();
            VariantResult? red = Srv6(capture, RedSids());
            VariantResult? csid = capture.FirstOrDefault(r => r.Variant == "srv6-usid") ?? Srv6(capture, CsidSids());
            if (deployed.Count == 0 || (red is null && csid is null))
            {
                continue;
            }
            var srv6 = new[] { red, csid }.OfType<VariantResult>().ToList();
            VariantResult best = srv6.MinBy(r => r.OverheadPercentWire.Value)!;
            string parts = string.Join("; ", deployed.Select(d => $"{Name(d.Variant)} {DeployedRows.BytesInMtu(d):0} B per packet, {F(d.OverheadPercentWire.Value, "0.00")} % on the wire"
                + $" ({F(d.OverheadPercentWire.Value / Math.Max(best.OverheadPercentWire.Value, 1e-9), "0.0")}× {best.Variant})"));
            string forms = string.Join(", ", srv6.Select(s => $"{s.Variant} {DeployedRows.BytesInMtu(s):0} B, {F(s.OverheadPercentWire.Value, "0.00")} %"));
            string operators = Operators(deployed.Concat(srv6));
            lines.Add($"- **{capture.Key}**: {parts}. The same one-service chain in SRv6: {forms}.{operators}");
            compared += deployed.Count;
            cheaper += deployed.Count(d => d.OverheadPercentWire.Value > best.OverheadPercentWire.Value);
        }
        if (lines.Count == 0)
        {
            return lines;
        }
        string verdict = cheaper == compared ? "SRv6 carries the same chain in fewer bytes than every deployed encapsulation on every capture"
            : cheaper == 0 ? "no SRv6 form carries the chain in fewer bytes than the deployed encapsulations"
            : $"SRv6 carries the chain in fewer bytes in {cheaper} of {compared} comparisons";
        lines.Insert(0, $"**Finding — what the deployed encapsulations cost against SRv6** — *{verdict}.* Per capture (AWS GWLB and NSX per tunnel; Azure's pair crosses its two 50-byte tunnels once each per service hop, as a GWLB does its GENEVE tunnel to and from the appliance):");
        lines.Insert(1, "");
        return lines;
    }

    private static string Operators(IEnumerable<VariantResult> rows)
    {
        var parts = rows.Where(r => r.Operator is not null).Select(r =>
        {
            MssClampFigure? m = r.Operator!.MssClamp.FirstOrDefault(x => x.UnderlayMtu.Value == 1500);
            BlackHoleFigure? b = r.Operator.BlackHole.FirstOrDefault(x => x.UnderlayMtu.Value == 1500);
            return m is null || b is null ? null
                : m.TcpGoodputBytes.Value > 0
                    ? $"{r.Variant} MSS {TunnelMss(r.Operator, m)}, {F(m.ExtraPacketsPerGB.Value, "0")} extra packets/GB, {F(b.PercentOfCarried.Value, "0.00")} % of frames in a black hole"
                    : $"{r.Variant} no TCP to clamp, {F(b.PercentOfCarried.Value, "0.00")} % of frames in a black hole";
        }).OfType<string>().ToList();
        return parts.Count == 0 ? "" : $" At a 1500-byte underlay MTU: {string.Join("; ", parts)}.";
    }

    /// <summary>The tunnel's MSS for each inner family the capture carried (a family it never saw has no measured tunnel bytes).</summary>
    private static string TunnelMss(OperatorFigures o, MssClampFigure m)
    {
        var parts = new List<string>();
        if (o.TunnelBytesInMtu.ContainsKey("4"))
        {
            parts.Add($"{m.TunnelMssIpv4.Value:0} (IPv4)");
        }
        if (o.TunnelBytesInMtu.ContainsKey("6"))
        {
            parts.Add($"{m.TunnelMssIpv6.Value:0} (IPv6)");
        }
        return parts.Count == 0 ? "–" : string.Join(" and ", parts);
    }

    private static string Name(string variant) => variant switch
    {
        "aws-gwlb" => "AWS GWLB",
        "azure-gwlb-internal" => "Azure GWLB",
        "nsx-geneve" => "NSX",
        _ => variant,
    };

    /// <summary>The H.Encaps.Red (or NEXT-C-SID) variant with the fewest SIDs that still names a service (2 or more), else the fewest.</summary>
    private static VariantResult? Srv6(IEnumerable<VariantResult> capture, Regex pattern)
    {
        var found = capture.Select(r => (Result: r, Match: pattern.Match(r.Variant))).Where(x => x.Match.Success)
            .Select(x => (x.Result, Sids: int.Parse(x.Match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        return found.Where(x => x.Sids >= 2).OrderBy(x => x.Sids).Select(x => x.Result).FirstOrDefault()
            ?? found.OrderBy(x => x.Sids).Select(x => x.Result).FirstOrDefault();
    }

    [GeneratedRegex("^srv6-encaps-red-([0-9]+)sid$")]
    private static partial Regex RedSids();

    [GeneratedRegex("^srv6-csid-([0-9]+)sid$")]
    private static partial Regex CsidSids();
}
