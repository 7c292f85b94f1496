using ScottPlot;

namespace Overlay.Reporting.Comparison;

/// <summary>
/// A bar chart of the comparison: the change of every judged benchmark's median, coloured by its verdict, with the
/// threshold either side; allocations that grew are marked. PNG or SVG by the file's extension.
/// </summary>
public static class ComparisonChart
{
    private static readonly Color SlowerColor = Color.FromHex("#d62728");
    private static readonly Color FasterColor = Color.FromHex("#2ca02c");
    private static readonly Color SameColor = Color.FromHex("#7f7f7f");

    /// <summary>Writes the chart; returns false (and writes nothing) when no benchmark was judged on time.</summary>
    public static bool Save(ComparisonReport report, string path)
    {
        BenchmarkComparison[] rows = report.Benchmarks
            .Where(b => b.Time is TimeVerdict.Same or TimeVerdict.Slower or TimeVerdict.Faster && b.Timing?.Ratio is not null)
            .OrderBy(b => b.Timing!.Ratio)
            .ToArray();
        if (rows.Length == 0)
        {
            return false;
        }
        var plot = new Plot();
        var bars = new List<Bar>();
        for (int i = 0; i < rows.Length; i++)
        {
            BenchmarkComparison row = rows[i];
            bars.Add(new Bar
            {
                Position = i,
                Value = (row.Timing!.Ratio!.Value - 1) * 100,
                FillColor = row.Time switch { TimeVerdict.Slower => SlowerColor, TimeVerdict.Faster => FasterColor, _ => SameColor },
                LineColor = row.Allocation == AllocationVerdict.Increased ? Colors.Black : Colors.Transparent,
                LineWidth = row.Allocation == AllocationVerdict.Increased ? 3 : 0,
            });
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;

        double threshold = report.Options.Threshold * 100;
        foreach (double x in new[] { threshold, -threshold })
        {
            var line = plot.Add.VerticalLine(x);
            line.LineColor = Colors.Black.WithAlpha(0.6);
            line.LinePattern = LinePattern.Dashed;
            line.LineWidth = 1;
        }
        plot.Add.VerticalLine(0).LineColor = Colors.Black;

        double[] positions = Enumerable.Range(0, rows.Length).Select(i => (double)i).ToArray();
        string[] labels = rows.Select(r => Shorten(r.Benchmark.DisplayName)).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Grid.YAxisStyle.IsVisible = false;

        string geometric = report.GeometricMean is double g ? $", geometric mean {(g - 1) * 100:+0.0;−0.0} %" : "";
        plot.Title($"Change of the median time per operation against the baseline{geometric}");
        plot.XLabel($"change (%), dashed: ±{threshold:0.#} % threshold");
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "slower (regression)", FillColor = SlowerColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "faster", FillColor = FasterColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "same (within noise)", FillColor = SameColor });
        if (rows.Any(r => r.Allocation == AllocationVerdict.Increased))
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "black outline: allocates more", FillColor = Colors.White, OutlineColor = Colors.Black, OutlineWidth = 3 });
        }
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.LowerRight;

        int width = 1200, height = Math.Max(360, 120 + 26 * rows.Length);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full) ?? ".");
        if (full.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            plot.SaveSvg(full, width, height);
        }
        else
        {
            plot.SavePng(full, width, height);
        }
        return true;
    }

    private static string Shorten(string name) => name.Length <= 70 ? name : name[..67] + "…";
}
