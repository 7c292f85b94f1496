using System.Globalization;
using System.Text;
using Overlay.Results;

namespace Overlay.Replay.Results;

/// <summary>The operator questions in the Markdown summary: MSS clamp cost and PMTUD black-hole share, per capture and variant.</summary>
public static class OperatorMarkdown
{
    public static void Append(StringBuilder md, ResultDocument document)
    {
        var rows = document.Results.Where(r => r.Operator is not null).ToList();
        if (rows.Count == 0)
        {
            return;
        }
        md.AppendLine("## MSS clamp cost").AppendLine();
        md.AppendLine("The capture's TCP payload re-cut, flow by flow, into segments of the MSS an underlay MTU allows natively (MTU − 40 for IPv4, − 60 for IPv6) "
            + "and of the MSS the tunnel leaves; extra packets per 10^9 bytes of TCP goodput, then what they cost with goodput at line rate: extra packets "
            + "per second, the per-packet budget of one full-size frame, and the share of the link their own headers take.").AppendLine();
        md.AppendLine("| capture | variant | MTU (B) | MSS v4 native → tunnel | TCP flows | extra pkts/GB | extra % | @10G extra Mpps (budget ns) | @100G extra Mpps (budget ns) | @400G extra Mpps (budget ns) | header share of link |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (VariantResult r in rows)
        {
            foreach (MssClampFigure m in r.Operator!.MssClamp.Where(m => m.TcpGoodputBytes.Value > 0))
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Capture} | {r.Variant} | {m.UnderlayMtu.Value:0} | {m.NativeMssIpv4.Value:0} → {m.TunnelMssIpv4.Value:0} | {m.TcpFlows.Value:0} | {m.ExtraPacketsPerGB.Value:0} | {m.ExtraPacketsPercent.Value:0.00} | {string.Join(" | ", m.Cost.Select(Cost))} | {m.Cost.LastOrDefault()?.ExtraHeaderShare.Value:0.000}% |");
            }
        }
        md.AppendLine();
        md.AppendLine("## PMTUD black holes").AppendLine();
        md.AppendLine("Frames that may not be fragmented on the way (IPv4 with DF set, all IPv6) whose encapsulated packet exceeds the underlay MTU: what a path "
            + "that drops ICMP \"packet too big\" silently loses. \"Pushed over\" counts those whose own IP packet fits the MTU: the tunnel's doing.").AppendLine();
        md.AppendLine("| capture | variant | MTU (B) | not fragmentable | over the MTU | pushed over by the tunnel | % of frames | % of bytes |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (VariantResult r in rows)
        {
            foreach (BlackHoleFigure b in r.Operator!.BlackHole)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Capture} | {r.Variant} | {b.UnderlayMtu.Value:0} | {b.NotFragmentable.Value:0} | {b.FramesOver.Value:0} | {b.FramesPushedOver.Value:0} | {b.PercentOfCarried.Value:0.00} | {b.PercentOfBytes.Value:0.00} |");
            }
        }
        md.AppendLine();
    }

    private static string Cost(PacketCostFigure c) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.ExtraPacketsPerSecond.Value / 1e6:0.000} ({c.BudgetPerPacket.Value:0.0})");
}
