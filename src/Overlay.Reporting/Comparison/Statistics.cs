namespace Overlay.Reporting.Comparison;

/// <summary>The few order statistics the comparer needs, with the same quantile definition everywhere (linear, Hyndman–Fan type 7).</summary>
internal static class Statistics
{
    public static double Median(IReadOnlyCollection<double> values) => Quantile(values.Order().ToArray(), 0.5);

    /// <summary>The <paramref name="p"/>-quantile of <paramref name="sorted"/> (ascending, not empty).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("no values", nameof(sorted));
        }
        double h = (sorted.Count - 1) * p;
        int low = (int)Math.Floor(h);
        int high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
    }

    /// <summary>
    /// Drops the values beyond Tukey's fences Q1 − k·IQR and Q3 + k·IQR (k = 3 keeps all but gross outliers:
    /// a descheduled iteration, a GC in the middle of a timed loop). Fewer than four values are kept as they are.
    /// </summary>
    public static double[] WithoutOutliers(IReadOnlyCollection<double> values, double k)
    {
        double[] sorted = values.Order().ToArray();
        if (sorted.Length < 4)
        {
            return sorted;
        }
        double q1 = Quantile(sorted, 0.25);
        double q3 = Quantile(sorted, 0.75);
        double iqr = q3 - q1;
        double low = q1 - k * iqr, high = q3 + k * iqr;
        return sorted.Where(v => v >= low && v <= high).ToArray();
    }

    /// <summary>
    /// The smallest one-sided p-value a Mann–Whitney test of <paramref name="n"/> against <paramref name="m"/> values
    /// can give: 1 / C(n + m, n), when every value of one sample lies above every value of the other.
    /// </summary>
    public static double SmallestMannWhitneyP(int n, int m)
    {
        double combinations = 1;
        for (int i = 1; i <= Math.Min(n, m); i++)
        {
            combinations = combinations * (n + m - Math.Min(n, m) + i) / i;
        }
        return 1 / combinations;
    }
}
