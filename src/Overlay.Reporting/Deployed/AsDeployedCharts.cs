using Overlay.Reporting.Charts;
using Overlay.Results;

namespace Overlay.Reporting.Deployed;

/// <summary>
/// The charts of the "as deployed" section: extra packets per GB of TCP goodput from MSS clamping, and the PMTUD
/// black-hole share, at a 1500-byte underlay MTU, for every profile and comparator, one bar per capture. None when no
/// result carries the operator figures.
/// </summary>
public static class AsDeployedCharts
{
    public const string MssId = "deployed-mss-clamp";
    public const string BlackHoleId = "deployed-black-hole";
    public const int Mtu = 1500;

    /// <param name="results">The analysis results.</param>
    /// <param name="caption">Where the figures come from (machine, runtime, date, commit).</param>
    /// <param name="command">The command that reproduces them.</param>
    /// <param name="source">The result files read.</param>
    public static List<ChartSpec> Build(IReadOnlyList<VariantResult> results, string caption, string command, string source) =>
        [.. new[] { MssId, BlackHoleId }.Select(id => One(id, results, caption, command, source)).OfType<ChartSpec>()];

    /// <summary>The chart <paramref name="id"/> (<see cref="MssId"/> or <see cref="BlackHoleId"/>), or null when no deployed profile carries the operator figures.</summary>
    public static ChartSpec? One(string id, IReadOnlyList<VariantResult> results, string caption, string command, string source)
    {
        var measured = results.Where(r => r.Operator is not null).ToList();
        List<string> rows = DeployedRows.Present(measured);
        if (!rows.Any(DeployedRows.ProfileTunnels.Contains))
        {
            return null;
        }
        List<string> captures = measured.Select(r => r.Capture).Distinct().ToList();
        ChartSpec Chart(string id, string title, string yLabel, string yUnit, string description, Func<OperatorFigures, double?> figure, int decimals) => new()
        {
            Id = id,
            Title = title,
            Kind = ChartKind.GroupedBars,
            XLabel = "capture",
            YLabel = yLabel,
            YUnit = yUnit,
            Categories = captures,
            Series = rows.Select(row => new ChartSeries(row, captures
                .Select(c => measured.FirstOrDefault(r => r.Capture == c && r.Variant == row) is VariantResult r && figure(r.Operator!) is double y
                    ? new ChartPoint { Category = c, Y = y } : null)
                .OfType<ChartPoint>().ToList())).ToList(),
            Caption = caption,
            Command = command,
            Source = source,
            Description = description,
            Decimals = decimals,
            Width = 1500,
            Height = 750,
        };
        return id switch
        {
            MssId => Chart(MssId, $"MSS clamp: extra packets per GB of TCP goodput under a {Mtu}-byte underlay MTU", "extra packets per 10^9 bytes of TCP goodput", "packets/GB",
                $"The capture's TCP payload re-cut flow by flow into segments of the native MSS ({Mtu} − 40 for IPv4, − 60 for IPv6) and of the smaller MSS the tunnel leaves: the packets the overlay adds for the same goodput.",
                o => o.MssClamp.FirstOrDefault(m => m.UnderlayMtu.Value == Mtu) is { TcpGoodputBytes.Value: > 0 } m ? m.ExtraPacketsPerGB.Value : null, 0),
            BlackHoleId => Chart(BlackHoleId, $"PMTUD black hole: frames lost under a {Mtu}-byte underlay MTU when ICMP \"too big\" is dropped", "frames in the black hole (% of frames)", "%",
                $"Frames that may not be fragmented on the way (IPv4 with DF set, all IPv6) whose encapsulated packet exceeds {Mtu} bytes: what a path that filters ICMP \"packet too big\" silently drops.",
                o => o.BlackHole.FirstOrDefault(b => b.UnderlayMtu.Value == Mtu)?.PercentOfCarried.Value, 2),
            _ => throw new ArgumentOutOfRangeException(nameof(id), id, $"not an as-deployed chart; one of {MssId}, {BlackHoleId}"),
        };
    }
}
