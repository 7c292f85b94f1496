using System.Globalization;
using Overlay.Reporting.Charts;
using Overlay.Results;
using Overlay.Results.Benchmarks;
using Overlay.Results.Instructions;

namespace Overlay.Reporting.Report;

/// <summary>SRv6 End per hop against the lighter of the GENEVE service-path and VXLAN stitching hops.</summary>
public enum PerHopOutcome
{
    Lighter,
    NoDifference,
    Heavier,
}

/// <summary>Per-hop work and host cost, from the benchmarks and the kernel: a difference counts only beyond the measured spread.</summary>
public static partial class Findings
{
    private static Finding PerHop(ReportContext context)
    {
        const string topic = "Per-hop work";
        const string interpretation =
            "SRv6 is not just an outer header: every segment endpoint on the path does End processing (check the SRH, decrement Segments Left, copy the next SID or shift the next C-SID into the destination), work that VXLAN and GENEVE never ask of a transit router. In exchange a service chain needs no decapsulation and re-encapsulation per service, which VXLAN stitching does at every hop. Header bytes capture neither side of this.";
        BenchmarkSet bench = context.Inputs.Benchmarks;
        List<BenchmarkCase> end = bench.OfType(ChartSupport.Srv6End).Where(c => c.Method != BenchmarkIds.CopyBaseline).ToList();
        if (end.Count == 0)
        {
            return new Finding(topic, DoesNotSupport + " (by design; " + NotMeasured + ")",
                $"No {BenchmarkIds.Srv6End.Class} result in results/benchmarks, so the per-hop cost is not measured in this run. " + interpretation);
        }
        var hops = bench.OfType(ChartSupport.ServiceHop).Where(c => c.Method == BenchmarkIds.ServiceHop.Hop && c.Nanoseconds is not null).ToList();
        var restore = bench.OfType(ChartSupport.ServiceHop).Where(c => c.Method == BenchmarkIds.CopyBaseline && c.Nanoseconds is not null)
            .GroupBy(c => c.Parameter("Approach")).ToDictionary(g => g.Key ?? "", g => g.First().Nanoseconds!.Value);
        double Net(string approach) => hops.FirstOrDefault(c => c.Parameter("Approach") == approach) is BenchmarkCase c
            ? c.Nanoseconds!.Value - restore.GetValueOrDefault(approach) : double.NaN;
        double srv6Hop = Net("srv6-end"), csidHop = Net("srv6-csid-end"), geneveHop = Net("geneve-service-path"), vxlanHop = Net("vxlan-stitching");
        if (!double.IsNaN(srv6Hop) && !double.IsNaN(geneveHop) && !double.IsNaN(vxlanHop))
        {
            PerHopOutcome outcome = PerHopRule(srv6Hop, Math.Min(geneveHop, vxlanHop));
            string chain = $"In a chain of services, passing a packet on costs one core (header restore subtracted) {N(srv6Hop, 1)} ns with SRv6 End, "
                + (double.IsNaN(csidHop) ? "" : $"{N(csidHop, 1)} ns with NEXT-C-SID End, ")
                + $"{N(geneveHop, 1)} ns with a GENEVE service-path hop (parse, index, next address, incremental checksum) and {N(vxlanHop, 1)} ns with VXLAN stitching (decapsulate and re-encapsulate). "
                + "SRv6 does ask work of every segment endpoint on the path — End processing that a plain VXLAN or GENEVE transit router never does — "
                + outcome switch
                {
                    PerHopOutcome.Lighter => "but for service insertion, where every service must touch the packet anyway, it is the lightest of the three. ",
                    PerHopOutcome.Heavier => "and in this run it costs more per hop than the lighter of the other two. ",
                    _ => $"and against the lighter of the other two, {NoDifference}. ",
                }
                + $"The rule: SRv6 End against the lighter of the GENEVE and VXLAN hops, counted only beyond the process-to-process spread of {ProcessSpread.ToString(CultureInfo.InvariantCulture)}× either way (bench/README.md). Header bytes capture neither side of this.";
            chain += EndAgreement(end, srv6Hop, csidHop);
            return new Finding(topic, PerHopVerdict(outcome), chain);
        }
        double fastest = end.Min(c => c.Nanoseconds!.Value), slowest = end.Max(c => c.Nanoseconds!.Value);
        string text = $"An SRv6 End hop costs {N(fastest, 1)}–{N(slowest, 1)} ns per packet on one core across the {end.Count} End case(s) measured. ";
        string? size = end.Select(c => c.Parameter("Size")).FirstOrDefault(s => s is not null) ?? "64";
        BenchmarkCase? encap = bench.Find(ChartSupport.Encapsulate, BenchmarkIds.Encapsulate.InPlace, ("Variant", "vxlan-ipv6"), ("Size", size));
        BenchmarkCase? decap = bench.Find(ChartSupport.Decapsulate, BenchmarkIds.Decapsulate.Method, ("Variant", "vxlan-ipv6"), ("Size", size));
        if (encap is not null && decap is not null)
        {
            double stitch = encap.Nanoseconds!.Value + decap.Nanoseconds!.Value;
            text += $"Stitching a VXLAN/IPv6 chain at a service costs a decapsulation and an in-place encapsulation, {N(stitch, 1)} ns for {size}-byte frames. ";
        }
        return new Finding(topic, DoesNotSupport + " (SRv6 moves work onto the path)", text + interpretation);
    }

    /// <summary>The rule: SRv6 End's net ns per hop against the lighter other approach's, beyond the process spread either way.</summary>
    public static PerHopOutcome PerHopRule(double srv6, double lighterOther) =>
        lighterOther > srv6 * ProcessSpread ? PerHopOutcome.Lighter
        : srv6 > lighterOther * ProcessSpread ? PerHopOutcome.Heavier
        : PerHopOutcome.NoDifference;

    public static string PerHopVerdict(PerHopOutcome outcome) => outcome switch
    {
        PerHopOutcome.Lighter => DoesNotSupport + " (the per-hop work is real, and the lightest for service chains)",
        PerHopOutcome.Heavier => Supports + " (SRv6 moves work onto the path and costs more per hop)",
        _ => Partly + $" (the per-hop work is real; against the other chaining approaches, {NoDifference})",
    };

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

    private const double SlowerRatio = 1 / ProcessSpread, FasterRatio = ProcessSpread;

    /// <summary>
    /// The host-cost verdict from SRv6's rate over VXLAN's in each form measured: each form is slower (below 1/1.8), about
    /// the same, or faster (beyond the process spread of 1.8×), and the verdict follows the mix.
    /// </summary>
    internal static string HostCostVerdict(IReadOnlyCollection<double> srv6OverVxlan)
    {
        bool anySlower = srv6OverVxlan.Any(r => r < SlowerRatio), anyFaster = srv6OverVxlan.Any(r => r > FasterRatio);
        return !anySlower && !anyFaster ? Supports + $" (the host does about the same work: {NoDifference})"
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

    /// <summary>
    /// Like for like: the same payload over an IPv6 underlay, SRv6's one-SID reduced form against the plainest other overlay
    /// that carries it (neither GRE nor SRv6 sums the payload; VXLAN/IPv6 does, RFC 8200 §8.1).
    /// </summary>
    public static IReadOnlyList<(string Payload, string Srv6, string Other)> HostCostPairs { get; } =
    [
        ("IP payload", "srv6-encaps-red-1sid", "gre-l3-ipv6"),
        ("Ethernet payload", "srv6-encaps-l2-red-1sid", "vxlan-ipv6"),
    ];

    private static readonly (string Form, string Type, string Method, Func<VariantResult, ThroughputFigure?> Replay)[] HostForms =
    [
        ("encap copy", ChartSupport.Encapsulate, BenchmarkIds.Encapsulate.Copy, r => r.EncapCopy),
        ("encap in place", ChartSupport.Encapsulate, BenchmarkIds.Encapsulate.InPlace, r => r.EncapInPlace),
        ("decap", ChartSupport.Decapsulate, BenchmarkIds.Decapsulate.Method, r => r.Decap),
    ];

    private static Finding SuiteHostCost(ReportContext context)
    {
        const string topic = "Host cost: encapsulation speed and allocations";
        BenchmarkSet bench = context.Inputs.Benchmarks;
        var ratios = new List<double>();
        var parts = new List<string>();
        string source;
        if (!bench.IsEmpty)
        {
            source = "BenchmarkDotNet means, Mpps per core; each form's ratio is the geometric mean over the charted sizes, each size in its own process";
            foreach ((string payload, string srv6, string other) in HostCostPairs)
            {
                var forms = new List<string>();
                foreach ((string form, string type, string method, _) in HostForms)
                {
                    var sizes = ChartSupport.BenchmarkSizes
                        .Select(size => (Size: size, Srv6: bench.Find(type, method, ("Variant", srv6), ("Size", size))?.Mpps, Other: bench.Find(type, method, ("Variant", other), ("Size", size))?.Mpps))
                        .Where(t => t.Srv6 is not null && t.Other is not null)
                        .Select(t => (t.Size, Srv6: t.Srv6!.Value, Other: t.Other!.Value))
                        .ToList();
                    if (sizes.Count == 0)
                    {
                        continue;
                    }
                    double mean = Math.Exp(sizes.Average(t => Math.Log(t.Srv6 / t.Other)));
                    ratios.Add(mean);
                    forms.Add($"{form} {N(100 * mean)} % ({string.Join(", ", sizes.Select(t => $"{N(t.Srv6, 2)} vs {N(t.Other, 2)} at {(t.Size == "imix" ? "IMIX" : t.Size + " B")}"))})");
                }
                if (forms.Count > 0)
                {
                    parts.Add($"{payload}, {srv6} against {other}: {string.Join("; ", forms)}");
                }
            }
        }
        else
        {
            List<VariantResult> results = context.Inputs.Results.Where(r => r.EncapCopy is not null).ToList();
            if (results.Count == 0)
            {
                return new Finding(topic, NotMeasured, "Neither the analysis nor the benchmarks timed encapsulation.");
            }
            string capture = results.MaxBy(r => r.Packets.Value)!.Capture;
            source = $"capture replay of {capture}, median pass, Mpps";
            foreach ((string payload, string srv6, string other) in HostCostPairs)
            {
                VariantResult? a = results.FirstOrDefault(r => r.Capture == capture && r.Variant == srv6), b = results.FirstOrDefault(r => r.Capture == capture && r.Variant == other);
                var forms = new List<string>();
                foreach ((string form, _, _, Func<VariantResult, ThroughputFigure?> pick) in HostForms)
                {
                    if (a is not null && b is not null && pick(a) is ThroughputFigure x && pick(b) is ThroughputFigure y)
                    {
                        ratios.Add(x.MedianPps.Value / y.MedianPps.Value);
                        forms.Add($"{form} {N(x.MedianPps.Value / 1e6, 2)} vs {N(y.MedianPps.Value / 1e6, 2)}");
                    }
                }
                if (forms.Count > 0)
                {
                    parts.Add($"{payload}, {srv6} against {other}: {string.Join("; ", forms)}");
                }
            }
        }
        if (parts.Count == 0)
        {
            return new Finding(topic, NotMeasured, $"The {source} lack the like-for-like pairs ({string.Join(", ", HostCostPairs.Select(p => $"{p.Srv6} and {p.Other}"))}).");
        }
        string text = $"Like for like over IPv6 ({source}): {string.Join(". ", parts)}. ";
        BenchmarkCase? pdn = bench.Find(ChartSupport.PacketDotNet, BenchmarkIds.PacketDotNet.VxlanPacket, ("Size", ChartSupport.BenchmarkSizes[0]));
        if (pdn?.Mpps is double p)
        {
            text += $"PacketDotNet builds a VXLAN packet at {N(p, 3)} Mpps{(pdn.Memory?.BytesAllocatedPerOperation is double bytes ? $", allocating {N(bytes)} B per packet" : "")}. ";
        }
        double allocated = context.Inputs.Results.SelectMany(r => new[] { r.EncapCopy, r.EncapInPlace, r.Decap })
            .OfType<ThroughputFigure>().Select(t => t.AllocatedPerPacket.Value)
            .Concat(bench.OfType(ChartSupport.Encapsulate).Concat(bench.OfType(ChartSupport.Decapsulate)).Select(c => c.Memory?.BytesAllocatedPerOperation).OfType<double>())
            .DefaultIfEmpty(double.NaN).Max();
        if (!double.IsNaN(allocated))
        {
            text += allocated < 1
                ? "The suite's encap and decap allocate nothing per packet (chart of allocations). "
                : $"The suite's encoders allocated up to {N(allocated, 1)} B per packet. ";
        }
        text += InstructionComparison(context.Inputs.Instructions);
        text += $"The rule: a form counts as slower or faster only beyond the process-to-process spread of {ProcessSpread.ToString(CultureInfo.InvariantCulture)}× either way (bench/README.md); within it, {NoDifference}. " +
            "Per packet, an SRv6 headend copies its header template and patches lengths and the flow label, as a GRE/IPv6 headend does; a VXLAN/IPv6 headend also sums the whole packet for the UDP checksum an IPv6 underlay requires (RFC 8200 §8.1; RFC 6935 lets a tunnel send zero instead, the catalogue's UdpChecksumPolicy.Off, which vxlan-ipv6 does not use), and its decapsulator verifies that sum again.";
        return new Finding(topic, HostCostVerdict(ratios), text);
    }

    private static readonly (string Form, string Operation)[] InstructionForms =
        [("copy", InstructionOperations.Copy), ("in place", InstructionOperations.InPlace), ("decap", InstructionOperations.Decap)];

    /// <summary>
    /// The same pairs in instructions per packet, the measure the machine's noise cannot move: SRv6's count over the
    /// other's per form, the geometric mean over the sizes both were counted at. Empty without counts for the pairs.
    /// </summary>
    internal static string InstructionComparison(InstructionFile? file)
    {
        if (file is null)
        {
            return "";
        }
        var parts = new List<string>();
        foreach ((string payload, string srv6, string other) in HostCostPairs)
        {
            var forms = new List<string>();
            foreach ((string form, string operation) in InstructionForms)
            {
                var sizes = file.Document.Cases.Where(c => c.Operation == operation && c.Variant == srv6)
                    .Select(a => (a.Size, Srv6: a.Instructions, Other: file.Document.Cases.FirstOrDefault(b => b.Operation == operation && b.Variant == other && b.Size == a.Size)?.Instructions))
                    .Where(t => t.Other is > 0)
                    .ToList();
                if (sizes.Count == 0)
                {
                    continue;
                }
                double mean = Math.Exp(sizes.Average(t => Math.Log(t.Srv6 / t.Other!.Value)));
                forms.Add($"{form} {N(100 * mean)} %");
            }
            if (forms.Count > 0)
            {
                parts.Add($"{payload}, {srv6} against {other}: {string.Join(", ", forms)}");
            }
        }
        return parts.Count == 0 ? ""
            : $"Instructions per packet, counted under Cachegrind (deterministic, so no spread to stay within; SRv6's count as a share of the other's, the geometric mean over the sizes counted; `{InstructionCharts.Command}`): {string.Join(". ", parts)}. ";
    }
}
