using System.Globalization;
using Overlay.Encapsulation;
using Overlay.Replay.Analysis;
using Overlay.Results;

namespace Overlay.Replay.Merge;

/// <summary>One analysis document to merge, and where it came from (a file, or a thread of one run).</summary>
public sealed record MergeInput(string Source, ResultDocument Document);

/// <summary>Inputs that cannot be merged: the reason names the input.</summary>
public sealed class MergeRefusedException(string message) : Exception(message);

/// <summary>
/// Merges analysis documents into one whose every figure is what one analysis over all their frames gives: the
/// shards of one analysis (`--shard i/n`, or the threads of `--threads N`) pair up capture by capture; analyses of
/// different captures (other hosts, other files) are summed into one capture. The figures are computed again from the
/// merged counts by the same code one analysis uses, so nothing is averaged or approximated that one run would not.
/// Timings are not merged: each input's stay, labelled with the input.
/// </summary>
public static class AnalysisMerge
{
    /// <summary>Settings that change nothing counted: inputs may differ in them.</summary>
    private static readonly string[] FreeSettings = ["arenaMiB", "threads", "scaling"];

    /// <param name="inputs">The documents, in the order given.</param>
    /// <param name="resolve">A variant by the name its results carry (the catalogue, a profile's tunnel, or a name `overlay encap` prints).</param>
    /// <param name="tool">The tool the merged document names as its producer.</param>
    public static ResultDocument Merge(IReadOnlyList<MergeInput> inputs, Func<string, VariantSpec?> resolve, string tool)
    {
        if (inputs.Count == 0)
        {
            throw new MergeRefusedException("nothing to merge");
        }
        MergeInput first = inputs[0];
        foreach (MergeInput input in inputs)
        {
            Check(input, first);
        }
        List<List<MergeInput>> runs = ShardSets(inputs);
        bool sharded = runs.Count == 1;
        AnalysisState firstState = first.Document.State!;
        var options = Options(first, resolve);

        // Each run's captures, merged shard by shard, then (across runs) all into one.
        var captures = new List<CaptureMerge>();
        foreach (List<MergeInput> run in runs)
        {
            var merged = run[0].Document.State!.Captures.Select(c => new CaptureMerge(c.Name, options)).ToList();
            foreach (MergeInput shard in run)
            {
                for (int c = 0; c < merged.Count; c++)
                {
                    merged[c].Add(shard, c, sameCapture: true);
                }
            }
            captures.AddRange(merged);
        }
        if (!sharded)
        {
            var total = new CaptureMerge(string.Join("+", captures.Select(c => c.Name).Distinct()), options);
            foreach (CaptureMerge capture in captures)
            {
                total.Add(capture);
            }
            captures = [total];
        }

        List<ShardTiming> timings = [.. inputs.SelectMany(Timings)];
        return new ResultDocument
        {
            Environment = RunEnvironment.Current(tool),
            Settings = new Dictionary<string, string>(first.Document.Settings.Where(s => !FreeSettings.Contains(s.Key))),
            Captures = [.. captures.Select(c => c.Summary())],
            Results = [.. captures.SelectMany(c => c.Results())],
            Merge = new MergeInfo
            {
                Inputs = [.. inputs.Select(Describe)],
                Kind = sharded ? "shards" : "captures",
                DistinctCounts = $"flows and outer keys exact up to {firstState.DistinctCapacity:N0} per variant; past it distinct-sampling estimates "
                    + $"within about {100 / Math.Sqrt(firstState.DistinctCapacity):0.#} % (one standard error), the same sample one analysis keeps",
            },
            ShardTimings = timings.Count > 0 ? timings : null,
            State = firstState with { Captures = [.. captures.Select(c => c.State())] },
        };
    }

    private static string Describe(MergeInput input)
    {
        ResultDocument d = input.Document;
        return $"{input.Source}: shard {d.Shard ?? ShardInfo.Whole} of {string.Join(", ", d.Captures.Select(c => c.Name))}, "
            + $"commit {d.Environment.Commit}, {d.Environment.Machine}";
    }

    private static IEnumerable<ShardTiming> Timings(MergeInput input) =>
        input.Document.Results.Where(r => r.EncapCopy is not null || r.EncapInPlace is not null || r.Decap is not null)
            .Select(r => new ShardTiming
            {
                Source = input.Source,
                Shard = (input.Document.Shard ?? ShardInfo.Whole).ToString(),
                Capture = r.Capture,
                Variant = r.Variant,
                EncapCopy = r.EncapCopy,
                EncapInPlace = r.EncapInPlace,
                Decap = r.Decap,
            });

    /// <summary>The schema, the counts and the settings of <paramref name="input"/> against the first input's.</summary>
    private static void Check(MergeInput input, MergeInput first)
    {
        ResultDocument d = input.Document, f = first.Document;
        if (d.Schema != ResultDocument.CurrentSchema)
        {
            throw new MergeRefusedException($"{input.Source}: schema '{d.Schema}' cannot be merged; only {ResultDocument.CurrentSchema} documents carry the counts a merge needs (analyse again with this version)");
        }
        if (d.State is null)
        {
            throw new MergeRefusedException($"{input.Source}: no counted state (\"state\") to merge; analyse again with this version");
        }
        if (d.Scaling is { Count: > 0 } && d.Results.Count == 0)
        {
            throw new MergeRefusedException($"{input.Source}: a scaling-only run holds no analysis to merge");
        }
        if (d.State.Captures.Count != d.Captures.Count || d.State.Captures.Zip(d.Captures).Any(p => p.First.Name != p.Second.Name))
        {
            throw new MergeRefusedException($"{input.Source}: its counted state does not match its captures");
        }
        if (ReferenceEquals(input, first))
        {
            return;
        }
        string variants = d.Settings.GetValueOrDefault("variants", ""), firstVariants = f.Settings.GetValueOrDefault("variants", "");
        if (variants != firstVariants)
        {
            throw new MergeRefusedException($"{input.Source}: variants {variants} differ from {first.Source}'s {firstVariants}");
        }
        foreach (string key in d.Settings.Keys.Union(f.Settings.Keys).Except(FreeSettings).Order(StringComparer.Ordinal))
        {
            string? mine = d.Settings.GetValueOrDefault(key), theirs = f.Settings.GetValueOrDefault(key);
            if (mine != theirs)
            {
                throw new MergeRefusedException($"{input.Source}: setting {key} is {mine ?? "absent"}, but {theirs ?? "absent"} in {first.Source}");
            }
        }
        AnalysisState s = d.State!, fs = f.State!;
        if (!s.UnderlayMtus.SequenceEqual(fs.UnderlayMtus) || !s.EcmpPaths.SequenceEqual(fs.EcmpPaths)
            || !s.LineRatesGbps.SequenceEqual(fs.LineRatesGbps) || s.DistinctCapacity != fs.DistinctCapacity)
        {
            throw new MergeRefusedException($"{input.Source}: its underlay MTUs, ECMP paths, line rates or distinct-set limit differ from {first.Source}'s");
        }
    }

    /// <summary>
    /// The inputs grouped into complete shard sets: the shards of one analysis hold the same captures (name, length
    /// and frame count); each index of the set must be there exactly once. An unsharded document is a set of one.
    /// </summary>
    private static List<List<MergeInput>> ShardSets(IReadOnlyList<MergeInput> inputs)
    {
        var sets = new Dictionary<string, List<MergeInput>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (MergeInput input in inputs)
        {
            ResultDocument d = input.Document;
            string captures = string.Join("|", d.State!.Captures.Zip(d.Captures,
                (s, c) => $"{s.Name}:{s.FileBytes}:{c.FramesInFile.Value.ToString(CultureInfo.InvariantCulture)}"));
            if (!sets.TryGetValue(captures, out List<MergeInput>? set))
            {
                sets[captures] = set = [];
                order.Add(captures);
            }
            ShardInfo shard = d.Shard ?? ShardInfo.Whole;
            if (set.Count > 0 && (set[0].Document.Shard ?? ShardInfo.Whole) is { } other && other.Count != shard.Count)
            {
                throw new MergeRefusedException($"{input.Source}: shard {shard} of the same captures as {set[0].Source}, which is shard {other}");
            }
            if (set.FirstOrDefault(s => (s.Document.Shard ?? ShardInfo.Whole) == shard) is MergeInput twin)
            {
                throw new MergeRefusedException(shard.Count == 1
                    ? $"{input.Source}: the same analysis of the same captures as {twin.Source}: it would be counted twice"
                    : $"{input.Source}: shard {shard} again (also {twin.Source})");
            }
            set.Add(input);
        }
        foreach (string key in order)
        {
            List<MergeInput> set = sets[key];
            int count = (set[0].Document.Shard ?? ShardInfo.Whole).Count;
            if (set.Count != count)
            {
                var missing = Enumerable.Range(0, count).Except(set.Select(s => (s.Document.Shard ?? ShardInfo.Whole).Index));
                throw new MergeRefusedException($"{set[0].Source}: shards {string.Join(", ", missing.Select(i => $"{i}/{count}"))} of the same captures are missing");
            }
            set.Sort((a, b) => (a.Document.Shard ?? ShardInfo.Whole).Index.CompareTo((b.Document.Shard ?? ShardInfo.Whole).Index));
        }
        return [.. order.Select(k => sets[k])];
    }

    private static AnalyzeOptions Options(MergeInput first, Func<string, VariantSpec?> resolve)
    {
        ResultDocument d = first.Document;
        var specs = new List<VariantSpec>();
        foreach (VariantTally tally in d.State!.Captures.FirstOrDefault()?.Variants ?? [])
        {
            specs.Add(resolve(tally.Variant) ?? throw new MergeRefusedException($"{first.Source}: variant {tally.Variant} is unknown to this build"));
        }
        int mtu = int.TryParse(d.Settings.GetValueOrDefault("interfaceMtu"), NumberStyles.None, CultureInfo.InvariantCulture, out int m) ? m : 1500;
        return new AnalyzeOptions
        {
            Variants = specs,
            InterfaceMtu = mtu,
            UnderlayMtus = d.State.UnderlayMtus,
            EcmpPaths = d.State.EcmpPaths,
            LineRatesGbps = d.State.LineRatesGbps,
        };
    }
}
