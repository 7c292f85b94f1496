using System.Globalization;
using ScottPlot;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;
using Overlay.Reporting.Report;

namespace Overlay.Reporting.Charts;

/// <summary>
/// Turns a <see cref="ChartSpec"/> into a ScottPlot plot and writes it as PNG and SVG. The plot holds exactly the
/// spec's figures, one plottable per series with the series' name as its legend text, points in the spec's order
/// (an axis on a log scale plots log2 of the value: <see cref="FromAxis"/> undoes it).
/// </summary>
public static class ChartRenderer
{
    /// <summary>The font every chart uses where it is installed (Debian: fonts-dejavu-core).</summary>
    public const string FontName = "DejaVu Sans";

    /// <summary>More bars than this and the value labels are left to the table.</summary>
    public const int MaxValueLabels = 36;

    private static readonly Lock FontLock = new();

    /// <summary>Series colours: the report's main variants keep their colour on every chart.</summary>
    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();
    private static readonly IPalette Wide = new ScottPlot.Palettes.Category20();

    public static double ToAxis(AxisScale scale, double value) => scale == AxisScale.Log2 ? Math.Log2(value) : value;

    public static double FromAxis(AxisScale scale, double value) => scale == AxisScale.Log2 ? Math.Pow(2, value) : value;

    /// <summary>The plot for <paramref name="spec"/>, not yet rendered.</summary>
    public static Plot Build(ChartSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var plot = new Plot();
        lock (FontLock)
        {
            if (string.Equals(Fonts.GetTypeface(FontName, bold: false, italic: false)?.FamilyName, FontName, StringComparison.Ordinal))
            {
                plot.Font.Set(FontName, FontWeight.Normal, FontSlant.Upright, FontSpacing.Normal);
            }
        }
        plot.Title(spec.Title, size: 18);
        plot.Axes.Bottom.Label.Text = spec.XLabel;
        plot.Axes.Left.Label.Text = spec.YLabel;
        plot.Axes.Bottom.Label.FontSize = 14;
        plot.Axes.Left.Label.FontSize = 14;
        switch (spec.Kind)
        {
            case ChartKind.Lines:
                Lines(plot, spec);
                break;
            default:
                Bars(plot, spec);
                break;
        }
        plot.ShowLegend(Edge.Right);
        AddCaption(plot, spec.Caption);
        return plot;
    }

    /// <summary>Writes ID.png and ID.svg into <paramref name="folder"/> (each atomically) and returns their paths.</summary>
    public static (string Png, string Svg) Save(ChartSpec spec, string folder)
    {
        Plot plot = Build(spec);
        string png = Path.Combine(folder, spec.Id + ".png");
        string svg = Path.Combine(folder, spec.Id + ".svg");
        byte[] image;
        string xml;
        lock (FontLock)
        {
            image = plot.GetImageBytes(spec.Width, spec.Height, ImageFormat.Png);
            xml = plot.GetSvgXml(spec.Width, spec.Height);
        }
        OutputFile.WriteAllBytes(png, image);
        OutputFile.WriteAllText(svg, xml);
        return (png, svg);
    }

    private static Color ColorOf(ChartSpec spec, int seriesIndex)
    {
        string name = spec.Series[seriesIndex].Name;
        int paren = name.IndexOf(" (", StringComparison.Ordinal);
        string variant = paren > 0 ? name[..paren] : name;
        int main = ChartSupport.MainVariants.ToList().IndexOf(variant);
        if (main >= 0)
        {
            return Palette.GetColor(main);
        }
        return spec.Series.Count <= 10 ? Palette.GetColor(seriesIndex) : Wide.GetColor(seriesIndex);
    }

    private static string Format(ChartSpec spec, double value) =>
        value.ToString("N" + spec.Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static void Bars(Plot plot, ChartSpec spec)
    {
        bool labelled = spec.Kind == ChartKind.LabelledBars;
        int totalBars = spec.Series.Sum(s => s.Points.Count);
        bool valueLabels = totalBars <= MaxValueLabels;
        var categories = spec.Categories.Count > 0
            ? spec.Categories
            : spec.Series.SelectMany(s => s.Points).Select(p => p.Category ?? "").Distinct().ToList();

        // Lay the bars out group by group: in grouped charts a slot per series present in the group, in labelled
        // charts a slot per point; a one-slot gap between groups.
        var positions = new Dictionary<(int Series, int Point), double>();
        var groupSpans = new List<(string Name, double From, double To)>();
        var ticks = new List<Tick>();
        double next = 0;
        foreach (string category in categories)
        {
            double start = next;
            for (int s = 0; s < spec.Series.Count; s++)
            {
                List<ChartPoint> points = spec.Series[s].Points;
                for (int p = 0; p < points.Count; p++)
                {
                    if (points[p].Category != category)
                    {
                        continue;
                    }
                    positions[(s, p)] = next;
                    if (labelled)
                    {
                        ticks.Add(new Tick(next, points[p].Label ?? spec.Series[s].Name));
                    }
                    next++;
                    if (!labelled)
                    {
                        break;
                    }
                }
            }
            if (next > start)
            {
                groupSpans.Add((category, start, next - 1));
                if (!labelled)
                {
                    ticks.Add(new Tick((start + next - 1) / 2, category));
                }
                next += 1;
            }
        }

        double top = 0;
        for (int s = 0; s < spec.Series.Count; s++)
        {
            Color color = ColorOf(spec, s);
            var bars = new List<Bar>();
            var errorX = new List<double>();
            var errorY = new List<double>();
            var errorUp = new List<double>();
            var errorDown = new List<double>();
            List<ChartPoint> points = spec.Series[s].Points;
            for (int p = 0; p < points.Count; p++)
            {
                if (!positions.TryGetValue((s, p), out double position))
                {
                    continue;
                }
                ChartPoint point = points[p];
                bars.Add(new Bar
                {
                    Position = position,
                    Value = point.Y,
                    Size = 0.85,
                    FillColor = color,
                    LineWidth = 0,
                    ValueLabel = valueLabels ? Format(spec, point.Y) : "",
                });
                top = Math.Max(top, point.High ?? point.Y);
                if (point.Low is double low && point.High is double high)
                {
                    errorX.Add(position);
                    errorY.Add(point.Y);
                    errorUp.Add(Math.Max(0, high - point.Y));
                    errorDown.Add(Math.Max(0, point.Y - low));
                }
            }
            BarPlot barPlot = plot.Add.Bars(bars);
            barPlot.LegendText = spec.Series[s].Name;
            barPlot.ValueLabelStyle.FontSize = 11;
            if (errorX.Count > 0)
            {
                var errors = new ErrorBar(errorX, errorY, null, null, errorUp, errorDown)
                {
                    Color = Colors.Black,
                    LineWidth = 1.2f,
                    CapSize = 4,
                };
                plot.Add.Plottable(errors);
            }
        }

        plot.Axes.Bottom.TickGenerator = new NumericManual(ticks.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        bool rotate = labelled || ticks.Count > 8 || ticks.Any(t => t.Label.Length > 18) || (ticks.Count > 5 && ticks.Any(t => t.Label.Length > 14));
        if (rotate)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -40;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.TickLabelStyle.OffsetY = 4;
            float longest = ticks.Count == 0 ? 0 : ticks.Max(t => t.Label.Length);
            plot.Axes.Bottom.MinimumSize = Math.Min(240, 30 + longest * 5.4f);
        }
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        double headroom = top <= 0 ? 1 : top * (labelled ? 1.16 : 1.10);
        plot.Axes.SetLimitsY(0, headroom);
        plot.Axes.SetLimitsX(labelled ? -1.2 : -0.8, Math.Max(0, next - 1 - 0.2));

        if (labelled && groupSpans.Count > 1)
        {
            // Group names above their bars, separated by dashed lines.
            for (int g = 0; g < groupSpans.Count; g++)
            {
                (string name, double from, double to) = groupSpans[g];
                Text label = plot.Add.Text(name.Replace(", ", "\n", StringComparison.Ordinal), (from + to) / 2, headroom * 0.985);
                label.LabelFontSize = 12;
                label.LabelBold = true;
                label.LabelAlignment = Alignment.UpperCenter;
                if (g > 0)
                {
                    var line = plot.Add.VerticalLine(from - 1);
                    line.LineColor = Colors.Gray;
                    line.LinePattern = LinePattern.Dashed;
                    line.LineWidth = 1;
                }
            }
        }
    }

    private static void Lines(Plot plot, ChartSpec spec)
    {
        for (int s = 0; s < spec.Series.Count; s++)
        {
            ChartSeries series = spec.Series[s];
            double[] xs = series.Points.Select(p => ToAxis(spec.XScale, p.X)).ToArray();
            double[] ys = series.Points.Select(p => ToAxis(spec.YScale, p.Y)).ToArray();
            Color color = ColorOf(spec, s);
            Scatter scatter = plot.Add.Scatter(xs, ys, color);
            scatter.LegendText = series.Name;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 6;
            scatter.MarkerShape = (MarkerShape)(1 + s % 6);
            var withErrors = series.Points.Select((p, i) => (p, i)).Where(t => t.p.Low is not null && t.p.High is not null).ToList();
            if (withErrors.Count > 0)
            {
                var errors = new ErrorBar(
                    withErrors.Select(t => xs[t.i]).ToList(),
                    withErrors.Select(t => ys[t.i]).ToList(),
                    null, null,
                    withErrors.Select(t => ToAxis(spec.YScale, t.p.High!.Value) - ys[t.i]).ToList(),
                    withErrors.Select(t => ys[t.i] - ToAxis(spec.YScale, t.p.Low!.Value)).ToList())
                {
                    Color = color,
                    LineWidth = 1.2f,
                    CapSize = 4,
                };
                plot.Add.Plottable(errors);
            }
        }
        var allX = spec.Series.SelectMany(s => s.Points).Select(p => p.X).ToList();
        var allY = spec.Series.SelectMany(s => s.Points).Select(p => p.Y).ToList();
        if (spec.XTicks is { Count: > 0 } xTicks)
        {
            plot.Axes.Bottom.TickGenerator = new NumericManual(xTicks.Select(x => new Tick(ToAxis(spec.XScale, x), Label(x))).ToArray());
        }
        else if (spec.XScale == AxisScale.Log2 && allX.Count > 0)
        {
            plot.Axes.Bottom.TickGenerator = new NumericManual(Log2Ticks(allX, distinctValues: true));
        }
        else if (allX.Count > 0 && allX.All(x => x == Math.Floor(x)) && allX.Max() - allX.Min() <= 16)
        {
            plot.Axes.Bottom.TickGenerator = new NumericManual(allX.Distinct().Order()
                .Select(x => new Tick(x, x.ToString("0", CultureInfo.InvariantCulture))).ToArray());
        }
        if (spec.YScale == AxisScale.Log2 && allY.Count > 0)
        {
            plot.Axes.Left.TickGenerator = new NumericManual(Log2Ticks(allY, distinctValues: false));
        }
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        if (spec.YScale == AxisScale.Linear && allY.Count > 0 && allY.Min() >= 0)
        {
            plot.Axes.AutoScale();
            plot.Axes.SetLimitsY(0, Math.Max(1e-9, allY.Max() * 1.08));
        }
    }

    /// <summary>Ticks for a log2 axis: at the data's own values when there are few, else at powers of two, labelled in data units.</summary>
    private static Tick[] Log2Ticks(List<double> values, bool distinctValues)
    {
        var distinct = values.Where(v => v > 0).Distinct().Order().ToList();
        if (distinctValues && distinct.Count <= 8)
        {
            return distinct.Select(v => new Tick(Math.Log2(v), Label(v))).ToArray();
        }
        int from = (int)Math.Floor(Math.Log2(distinct[0]));
        int to = (int)Math.Ceiling(Math.Log2(distinct[^1]));
        var ticks = new List<Tick>();
        for (int k = from; k <= to; k++)
        {
            ticks.Add(new Tick(k, Label(Math.Pow(2, k))));
        }
        if (distinctValues && Math.Log2(distinct[^1]) > to - 1 + 0.08 && Math.Abs(Math.Log2(distinct[^1]) - to) > 0.08)
        {
            ticks.Add(new Tick(Math.Log2(distinct[^1]), Label(distinct[^1])));
        }
        return ticks.ToArray();
    }

    private static string Label(double v) => v >= 1
        ? v.ToString("0.##", CultureInfo.InvariantCulture)
        : v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The caption (machine, runtime, date) as a tick-less axis under the X axis.</summary>
    private static void AddCaption(Plot plot, string caption)
    {
        var axis = plot.Axes.AddBottomAxis();
        axis.LabelText = caption;
        axis.LabelFontSize = 11;
        axis.LabelBold = false;
        axis.LabelFontColor = Colors.DimGray;
        axis.TickGenerator = new NumericManual();
        axis.FrameLineStyle.Width = 0;
        axis.MajorTickStyle.Length = 0;
        axis.MinorTickStyle.Length = 0;
    }
}
