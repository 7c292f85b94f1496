namespace Overlay.Reporting.Report;

/// <summary>
/// The reference an ECMP figure needs: what an ideal random hash gives. Each of <see cref="Trials"/> seeded trials throws
/// n flows onto k paths uniformly at random and takes the busiest path's flows over the mean; the band is the 5th to the
/// 95th percentile of that ratio. A measured ratio inside the band cannot be told from an ideal hash.
/// </summary>
public static class RandomHashBand
{
    public const int Trials = 4000;
    public const int Seed = 6438;

    /// <summary>The 5th and 95th percentile of busiest-path flows over the mean, n flows over k paths.</summary>
    public static (double P5, double P95) Of(int flows, int paths)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(flows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(paths, 1);
        var random = new Random(Seed);
        var ratios = new double[Trials];
        var load = new int[paths];
        for (int t = 0; t < Trials; t++)
        {
            Array.Clear(load);
            for (int f = 0; f < flows; f++)
            {
                load[random.Next(paths)]++;
            }
            ratios[t] = load.Max() * (double)paths / flows;
        }
        Array.Sort(ratios);
        return (Percentile(ratios, 0.05), Percentile(ratios, 0.95));
    }

    /// <summary>Linear interpolation between closest ranks of sorted values.</summary>
    private static double Percentile(double[] sorted, double p)
    {
        double rank = p * (sorted.Length - 1);
        int low = (int)Math.Floor(rank);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }
}
