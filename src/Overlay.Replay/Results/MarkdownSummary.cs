using System.Globalization;
using System.Text;

using Overlay.Results;

namespace Overlay.Replay.Results;

/// <summary>The Markdown summary of a result document: what ran, the captures, and one table per capture.</summary>
public static class MarkdownSummary
{
    public static string Render(ResultDocument document)
    {
        var md = new StringBuilder();
        RunEnvironment env = document.Environment;
        md.AppendLine("# Overlay analysis").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- machine: {env.Machine}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- OS: {env.Os}; runtime: {env.Runtime}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- commit: {env.Commit}; date: {env.Date:yyyy-MM-dd HH:mm} UTC; tool: {env.Tool}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- settings: {string.Join(", ", document.Settings.Select(kv => $"{kv.Key}={kv.Value}"))}").AppendLine();

        md.AppendLine("## Captures").AppendLine();
        md.AppendLine("| capture | link type | packets | skipped | truncated | super-frames (segmented) | frame min / median / mean / max (B) | error |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---|---|");
        foreach (CaptureSummary c in document.Captures)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {c.Name} | {c.LinkType} | {c.Packets.Value:0} | {c.Skipped.Value:0} | {c.Truncated.Value:0} | {c.SuperFrames.Value:0} ({c.SuperFramesSegmented.Value:0}) | {c.FrameMin.Value:0} / {c.FrameMedian.Value:0.#} / {c.FrameMean.Value:0.#} / {c.FrameMax.Value:0} | {c.Error ?? ""} |");
        }
        md.AppendLine();

        foreach (var group in document.Results.GroupBy(r => r.Capture))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## {group.Key}").AppendLine();
            md.AppendLine("| variant | outer header (B) | added per frame (B) | carried | overhead mean (B/pkt) | overhead (% of frame bytes) | overhead (% of wire bytes) | goodput lost @100G (Gbit/s) | > 1500 MTU % | underlay MTU needed (B) | ECMP max/mean @16 paths (bytes) | entropy | encap copy (Mpps) | encap in place (Mpps) | decap (Mpps) | alloc (B/pkt) | decap identical |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|");
            foreach (VariantResult r in group)
            {
                LineRateFigure? hundred = r.LineRates.FirstOrDefault(l => l.LineRate.Value == 100) ?? r.LineRates.FirstOrDefault();
                MtuFigure? m1500 = r.Mtu.FirstOrDefault(m => m.UnderlayMtu.Value == 1500) ?? r.Mtu.FirstOrDefault();
                EcmpPathsFigure? p16 = r.Ecmp.Paths.FirstOrDefault(p => p.Paths.Value == 16) ?? r.Ecmp.Paths.FirstOrDefault();
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Variant} | {r.HeaderLength.Value:0} | {AddedPerFrame(r):0} | {r.Carried.Value:0}/{r.Packets.Value:0} | {r.OverheadPerPacketMean.Value:0.0} | {r.OverheadPercent.Value:0.00} | {r.OverheadPercentWire.Value:0.00} | {hundred?.GoodputLost.Value:0.00} | {m1500?.PercentOver.Value:0.00} | {r.RequiredUnderlayMtu.Value:0} | {p16?.MaxMeanBytes.Value:0.00} | {r.Ecmp.Entropy} | {Mpps(r.EncapCopy)} | {Mpps(r.EncapInPlace)} | {Mpps(r.Decap)} | {r.EncapCopy?.AllocatedPerPacket.Value.ToString("0.##", CultureInfo.InvariantCulture) ?? "-"} | {r.DecapCheck.Identical.Value:0}/{r.DecapCheck.Checked.Value:0} |");
            }
            md.AppendLine();
        }
        OperatorMarkdown.Append(md, document);
        if (document.Scaling is { Count: > 0 } scaling)
        {
            md.AppendLine("## Multi-core scaling (copy encapsulation, capture sharded by flow)").AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"{scaling[0].Processors.Value:0} logical processors on this machine.").AppendLine();
            md.AppendLine("| capture | variant | threads | Mpps (min–max) | speed-up | packets per shard |");
            md.AppendLine("|---|---|---:|---:|---:|---|");
            foreach (ScalingResult s in scaling)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {s.Capture} | {s.Variant} | {s.Threads.Value:0} | {s.MedianPps.Value / 1e6:0.00} ({s.MinPps.Value / 1e6:0.00}–{s.MaxPps.Value / 1e6:0.00}) | {s.SpeedUp.Value:0.00}× | {string.Join(" / ", s.ShardPackets)} |");
            }
            md.AppendLine();
        }
        md.AppendLine("outer header: the bytes written before the payload, outer Ethernet included; added per frame: those less the 14-byte inner Ethernet header an IP-payload (L3) variant drops, the figure REPORT.md's header-overhead chart plots. Frame bytes are the captured frames' own; wire bytes add preamble, SFD, FCS and the inter-frame gap.");
        return md.ToString();
    }

    /// <summary>What a variant adds to an untagged frame: its outer header less the inner Ethernet header an L3 service drops.</summary>
    private static double AddedPerFrame(VariantResult r) => r.HeaderLength.Value - (r.Mode == "L3" ? 14 : 0);

    private static string Mpps(ThroughputFigure? t) => t is null
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{t.MedianPps.Value / 1e6:0.00} ({t.MinPps.Value / 1e6:0.00}–{t.MaxPps.Value / 1e6:0.00})");
}
