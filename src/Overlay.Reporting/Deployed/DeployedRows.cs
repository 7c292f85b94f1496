using Overlay.Encapsulation.Profiles;
using Overlay.Results;

namespace Overlay.Reporting.Deployed;

/// <summary>
/// Which analysis results the "as deployed" section speaks of: every deployed profile's tunnels, and the generic
/// variants that compare with them (the SRv6 forms that carry the same service chain, and plain VXLAN/IPv4).
/// </summary>
public static class DeployedRows
{
    /// <summary>The deployed profiles' tunnel names (a pair's two tunnels each), in catalogue order.</summary>
    public static IReadOnlyList<string> ProfileTunnels { get; } = DeployedProfiles.All.SelectMany(p => p.Legs).Select(l => l.Name).Distinct().ToArray();

    /// <summary>True for a generic variant the section sets beside the profiles: SRv6 H.Encaps.Red and NEXT-C-SID with an IP payload, and VXLAN/IPv4.</summary>
    public static bool IsComparator(string variant) =>
        variant == "vxlan-ipv4" || variant.StartsWith("srv6-encaps-red-", StringComparison.Ordinal) || (variant.StartsWith("srv6-csid-", StringComparison.Ordinal) && !variant.Contains("-l2", StringComparison.Ordinal));

    /// <summary>The rows present in <paramref name="results"/>: profiles first (catalogue order), then comparators (as found).</summary>
    public static List<string> Present(IEnumerable<VariantResult> results)
    {
        var names = results.Select(r => r.Variant).Distinct().ToList();
        var rows = ProfileTunnels.Where(names.Contains).ToList();
        rows.AddRange(names.Where(IsComparator));
        return rows;
    }

    /// <summary>The tunnel's bytes inside the underlay MTU for an IPv4 inner packet (the operator figures, else from the header).</summary>
    public static double BytesInMtu(VariantResult r) =>
        r.Operator?.TunnelBytesInMtu.GetValueOrDefault("4")?.Value
        ?? (r.Mode == "L3" ? r.HeaderLength.Value - 14 : r.HeaderLength.Value);

    /// <summary>Encapsulation plus decapsulation per packet from the analysis' timed passes, in ns, or null when not timed.</summary>
    public static double? EdgeWorkNs(VariantResult r) =>
        r.EncapCopy is { MedianPps.Value: > 0 } e && r.Decap is { MedianPps.Value: > 0 } d ? 1e9 / e.MedianPps.Value + 1e9 / d.MedianPps.Value : null;
}
