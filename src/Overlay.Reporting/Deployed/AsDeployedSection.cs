using System.Globalization;
using System.Text;
using Overlay.Encapsulation.Profiles;
using Overlay.Results;

namespace Overlay.Reporting.Deployed;

/// <summary>
/// REPORT.md's "As deployed" section, from the typed analysis and chain results only: per deployed profile its header
/// bytes, overhead on every capture, the underlay MTU it needs and its per-packet edge work; the finding that answers
/// what the GWLB, Azure and NSX encapsulations cost on this traffic against the SRv6 forms that could carry the same
/// service chain; and the MSS-clamp and PMTUD black-hole figures. Renders nothing when no profile was analysed, so a
/// report of generic variants alone is unchanged.
/// </summary>
public static class AsDeployedSection
{
    public const string Anchor = "as-deployed";
    private static readonly int[] Mtus = [1500, 9000];

    public static string Render(IReadOnlyList<VariantResult> results, IReadOnlyList<ChainResult> chains)
    {
        List<string> rows = DeployedRows.Present(results);
        if (!rows.Any(DeployedRows.ProfileTunnels.Contains))
        {
            return "";
        }
        var md = new StringBuilder();
        List<string> captures = results.Select(r => r.Capture).Distinct().ToList();
        md.AppendLine(CultureInfo.InvariantCulture, $"<a id=\"{Anchor}\"></a>").AppendLine();
        md.AppendLine("## As deployed: cloud and data-centre encapsulations against SRv6").AppendLine();
        md.AppendLine("Each profile is an encapsulation as its public documentation fixes it (`overlay variants --profiles` lists the sources and what is assumed); "
            + "the SRv6 rows are the forms that could carry the same service chain (one service, then the egress). Overhead is on the wire (preamble, FCS and gap counted); "
            + "\"in the MTU\" is what the tunnel adds to an IPv4 packet inside the underlay MTU; edge work is encapsulation plus decapsulation per packet from the "
            + "analysis' timed passes on the machine that ran it (a tunnel-based appliance does both per hop; an SRv6 service does End instead).").AppendLine();

        md.AppendLine("| profile / variant | header (B) | in the MTU (B) | " + string.Join(" | ", captures.Select(c => $"{c} overhead (wire %)")) + " | underlay MTU needed (B) | edge work (ns/pkt) |");
        md.AppendLine("|---|---:|---:|" + string.Concat(captures.Select(_ => "---:|")) + "---:|---:|");
        foreach (string row in rows)
        {
            List<VariantResult> of = results.Where(r => r.Variant == row).ToList();
            VariantResult first = of[0];
            var cells = captures.Select(c => of.FirstOrDefault(r => r.Capture == c) is VariantResult r ? F(r.OverheadPercentWire.Value, "0.00") : "–");
            double? work = of.Select(DeployedRows.EdgeWorkNs).Where(w => w is not null).Select(w => w!.Value).DefaultIfEmpty(double.NaN).Average();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {Label(row)} | {first.HeaderLength.Value:0} | {DeployedRows.BytesInMtu(first):0} | {string.Join(" | ", cells)} | {of.Max(r => r.RequiredUnderlayMtu.Value):0} | {(work is double w && double.IsFinite(w) ? F(w, "0") : "–")} |");
        }
        md.AppendLine();

        ChainTable(md, chains);
        foreach (string line in AsDeployedFinding.Lines(results))
        {
            md.AppendLine(line);
        }
        md.AppendLine();
        OperatorTable(md, results, rows);
        return md.ToString();
    }

    private static void ChainTable(StringBuilder md, IReadOnlyList<ChainResult> chains)
    {
        var profiles = DeployedProfiles.Names.ToHashSet();
        var hop = chains.Where(c => c.Services.Value == 1 && c.MetadataBytes.Value == 0 && (profiles.Contains(c.Approach) || c.Approach.StartsWith("srv6", StringComparison.Ordinal))).ToList();
        if (!hop.Any(c => profiles.Contains(c.Approach)))
        {
            return;
        }
        md.AppendLine("One service hop over the whole path (`overlay chain --services 1 --profile …`): host A, the service, host B; overhead on the wire over both links.").AppendLine();
        md.AppendLine("| capture | approach | ingress header (B) | overhead (wire %) | arrived |");
        md.AppendLine("|---|---|---:|---:|---:|");
        foreach (ChainResult c in hop.OrderBy(c => c.Capture, StringComparer.Ordinal))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {c.Capture} | {c.Approach} | {c.IngressHeaderLength.Value:0} | {F(c.OverheadPercentWire.Value, "0.00")} | {c.Arrived.Value:0}/{c.Packets.Value:0} |");
        }
        md.AppendLine();
    }

    private static void OperatorTable(StringBuilder md, IReadOnlyList<VariantResult> results, List<string> rows)
    {
        var measured = results.Where(r => r.Operator is not null && rows.Contains(r.Variant)).ToList();
        if (measured.Count == 0)
        {
            return;
        }
        md.AppendLine("MSS clamp cost and PMTUD black holes (`analyze`: the capture's TCP payload re-cut flow by flow into the native and the tunnel's MSS; "
            + "frames that may not be fragmented — IPv4 with DF, all IPv6 — whose encapsulated packet exceeds the underlay MTU). "
            + $"Charts: [{AsDeployedCharts.MssId}](#{AsDeployedCharts.MssId}), [{AsDeployedCharts.BlackHoleId}](#{AsDeployedCharts.BlackHoleId}).").AppendLine();
        md.AppendLine("| capture | profile / variant | " + string.Join(" | ", Mtus.Select(m => $"extra pkts/GB @{m}")) + " | extra Mpps @100G, MTU 1500 | "
            + string.Join(" | ", Mtus.Select(m => $"black hole @{m} (% frames)")) + " |");
        md.AppendLine("|---|---|" + string.Concat(Mtus.Select(_ => "---:|")) + "---:|" + string.Concat(Mtus.Select(_ => "---:|")));
        foreach (VariantResult r in measured.OrderBy(r => r.Capture, StringComparer.Ordinal).ThenBy(r => rows.IndexOf(r.Variant)))
        {
            OperatorFigures o = r.Operator!;
            var mss = Mtus.Select(m => o.MssClamp.FirstOrDefault(x => x.UnderlayMtu.Value == m) is { TcpGoodputBytes.Value: > 0 } x ? F(x.ExtraPacketsPerGB.Value, "0") : "–");
            string pps = o.MssClamp.FirstOrDefault(x => x.UnderlayMtu.Value == 1500)?.Cost.FirstOrDefault(c => c.LineRate.Value == 100) is PacketCostFigure c
                ? F(c.ExtraPacketsPerSecond.Value / 1e6, "0.000") : "–";
            var holes = Mtus.Select(m => o.BlackHole.FirstOrDefault(b => b.UnderlayMtu.Value == m) is BlackHoleFigure b ? F(b.PercentOfCarried.Value, "0.00") : "–");
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Capture} | {Label(r.Variant)} | {string.Join(" | ", mss)} | {pps} | {string.Join(" | ", holes)} |");
        }
        md.AppendLine();
    }

    private static string Label(string variant) => DeployedRows.ProfileTunnels.Contains(variant) ? $"**{variant}**" : variant;

    internal static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
