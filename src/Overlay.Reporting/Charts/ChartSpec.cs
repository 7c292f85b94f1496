namespace Overlay.Reporting.Charts;

/// <summary>How a chart lays out its points.</summary>
public enum ChartKind
{
    /// <summary>Bars grouped by category: one slot per series in every group (captures × variants, say).</summary>
    GroupedBars,
    /// <summary>One bar per point, each with its own label, grouped by category and coloured by series.</summary>
    LabelledBars,
    /// <summary>Lines over a numeric X, one per series.</summary>
    Lines,
}

/// <summary>How an axis maps values: linearly, or by powers of two (ticks at 1, 2, 4, …).</summary>
public enum AxisScale
{
    Linear,
    Log2,
}

/// <summary>
/// One point of a series: in bar charts a <see cref="Category"/> (and for labelled bars a <see cref="Label"/>), in line
/// charts a numeric <see cref="X"/>; <see cref="Low"/> and <see cref="High"/> are the error bar's ends, when it has one.
/// </summary>
public sealed record ChartPoint
{
    public string? Category { get; init; }
    public string? Label { get; init; }
    public double X { get; init; }
    public required double Y { get; init; }
    public double? Low { get; init; }
    public double? High { get; init; }
}

public sealed record ChartSeries(string Name, List<ChartPoint> Points);

/// <summary>
/// A chart as data: what the renderer plots, what REPORT.md tabulates and what report-data.json records, so the
/// three cannot disagree. Every figure is in the units the axis labels name.
/// </summary>
public sealed record ChartSpec
{
    /// <summary>File stem of the chart (charts/ID.png, charts/ID.svg) and its anchor in REPORT.md.</summary>
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required ChartKind Kind { get; init; }
    public required string XLabel { get; init; }
    public required string YLabel { get; init; }
    /// <summary>The unit of every Y value (also in <see cref="YLabel"/>).</summary>
    public required string YUnit { get; init; }
    public string? XUnit { get; init; }
    public AxisScale XScale { get; init; } = AxisScale.Linear;
    /// <summary>Where the X axis puts its ticks (in data units); null lets the renderer choose.</summary>
    public List<double>? XTicks { get; init; }
    public AxisScale YScale { get; init; } = AxisScale.Linear;
    /// <summary>Bar groups in plotting order (empty for lines).</summary>
    public List<string> Categories { get; init; } = [];
    public required List<ChartSeries> Series { get; init; }
    /// <summary>The machine, runtime, date and commit the figures come from, printed under the chart.</summary>
    public required string Caption { get; init; }
    /// <summary>The one command that reproduces the figure.</summary>
    public required string Command { get; init; }
    /// <summary>The result files the figures were read from (or "exact" for computed header arithmetic).</summary>
    public required string Source { get; init; }
    /// <summary>What the chart shows and how to read it, a sentence or two for REPORT.md.</summary>
    public required string Description { get; init; }
    public int Width { get; init; } = 1200;
    public int Height { get; init; } = 700;
    /// <summary>Digits after the point in value labels and tables.</summary>
    public int Decimals { get; init; } = 2;
}
