using System.Globalization;

namespace Overlay.Reporting.Report;

/// <summary>
/// One finding about the claim "SRv6 adds nothing but larger headers": the numbers (filled in from the report model) and
/// what they say about the claim. The verdict is a function of the finding's table by a stated rule, never written in advance.
/// </summary>
public sealed record Finding(string Topic, string Verdict, string Text);

/// <summary>The verdicts, the rules that choose them, and the findings built from the report model (never from a chart's strings).</summary>
public static partial class Findings
{
    public const string Supports = "supports the claim";
    public const string DoesNotSupport = "does not support the claim";
    public const string Partly = "partly supports the claim";
    public const string NotMeasured = "not measured in this run";
    public const string NoDifference = "no difference measurable here";

    /// <summary>
    /// How far apart two benchmark cases can be by process state alone on the machine that ran them (bench/README.md:
    /// each case runs in its own process, and a ratio of two cases can be off by up to about 1.8× either way).
    /// </summary>
    public const double ProcessSpread = 1.8;

    private static string N(double v, int decimals = 0) => v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static List<Finding> Build(ReportModel model) =>
    [
        HeaderBytes(model),
        Compression(model),
        Captures(model.Context),
        Mtu(model.Context),
        Entropy(model),
        PerHop(model.Context),
        HostCost(model.Context),
    ];
}
