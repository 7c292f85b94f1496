using Overlay.Encapsulation;
using Overlay.Results;
using Overlay.Results.Benchmarks;

namespace Overlay.Reporting.Report;

/// <summary>One point of the ECMP table: a variant's busiest path over the mean at k paths, by flows and by bytes.</summary>
public sealed record EcmpRow(string Variant, string Entropy, bool IsSrv6, double Flows, IReadOnlyDictionary<int, (double Flows, double Bytes)> ByPaths);

/// <summary>The ECMP table of the capture with the most flows, with the ideal random hash's band at every k.</summary>
public sealed record EcmpTable(string Capture, int Flows, IReadOnlyList<EcmpRow> Rows, IReadOnlyDictionary<int, (double P5, double P95)> Band)
{
    /// <summary>The table of the capture with the most flows, or null without ECMP figures.</summary>
    public static EcmpTable? From(IEnumerable<VariantResult> all)
    {
        List<VariantResult> results = all.Where(r => r.Ecmp.Paths.Count > 0).ToList();
        if (results.Count == 0)
        {
            return null;
        }
        string capture = results.MaxBy(r => r.Ecmp.Flows.Value)!.Capture;
        var here = results.Where(r => r.Capture == capture).ToList();
        int flows = (int)here.Max(r => r.Ecmp.Flows.Value);
        var rows = here.Select(r => new EcmpRow(r.Variant, r.Ecmp.Entropy, HeaderCosts.FamilyOf(r.Variant) == TunnelFamily.Srv6, r.Ecmp.Flows.Value,
                r.Ecmp.Paths.ToDictionary(p => (int)p.Paths.Value, p => (p.MaxMeanFlows.Value, p.MaxMeanBytes.Value))))
            .ToList();
        var band = rows.SelectMany(r => r.ByPaths.Keys).Distinct().Order().ToDictionary(k => k, k => RandomHashBand.Of(flows, k));
        return new EcmpTable(capture, flows, rows, band);
    }

    /// <summary>The Linux seg6 headend on its defaults (the linux-seg6 profile), when it was analysed: shown beside the hash policies, never counted as one.</summary>
    public EcmpRow? LinuxSeg6Defaults => Rows.FirstOrDefault(r => r.Variant == Encapsulation.Profiles.DeployedProfiles.LinuxSeg6);
}

/// <summary>
/// Everything the report says, built once from its inputs: the exact header costs, the service-insertion curves, the
/// analysis, chain, benchmark and kernel results, and the ECMP table with its reference band. Charts draw it; findings read
/// it (never a chart's titles or series names).
/// </summary>
public sealed class ReportModel
{
    public ReportModel(ReportContext context)
    {
        Context = context;
        Headers = HeaderCosts.Catalog();
        Sweeps = HeaderCosts.SweepCurves();
        Results = context.Inputs.Results.ToList();
        Ecmp = EcmpTable.From(Results);
    }

    public ReportContext Context { get; }
    public ReportInputs Inputs => Context.Inputs;
    public List<HeaderCost> Headers { get; }
    public IReadOnlyList<SweepCurve> Sweeps { get; }
    public IReadOnlyList<VariantResult> Results { get; }
    public BenchmarkSet Benchmarks => Context.Inputs.Benchmarks;
    public EcmpTable? Ecmp { get; }

    public HeaderCost? Header(string variant) => Headers.FirstOrDefault(h => h.Variant == variant);

    public SweepCurve? Sweep(SweepKind kind, string payload) => Sweeps.FirstOrDefault(s => s.Kind == kind && s.Payload == payload);
}
