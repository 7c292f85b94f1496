using System.Runtime.ExceptionServices;
using Overlay.Encapsulation;
using Overlay.Replay.Analysis;
using Overlay.Results;

namespace Overlay.Replay.Merge;

/// <summary>
/// One capture of a merged document: the counts of its parts (the shards of one capture, or whole captures) added
/// into the accumulators one analysis uses, so that its summary and every variant's figures come out of the same code.
/// </summary>
internal sealed class CaptureMerge(string name, AnalyzeOptions options)
{
    private readonly CaptureAnalyzer.SizeStatistics _sizes = new();
    private readonly List<(VariantSpec Spec, VariantCounts Counts, DecapsulationCheck Check)> _variants =
        [.. options.Variants.Select(v => (v, new VariantCounts(v.Create(), options), new DecapsulationCheck(v.Create().Mode)))];
    private readonly List<CaptureSummary> _parts = [];
    private readonly List<bool> _sameCapture = [];
    private readonly Dictionary<string, VariantResult> _described = [];
    private long _fileBytes;

    public string Name { get; } = name;

    /// <summary>Capture <paramref name="index"/> of a document; <paramref name="sameCapture"/>: a shard of the capture this merge is.</summary>
    public void Add(MergeInput input, int index, bool sameCapture)
    {
        CaptureState state = input.Document.State!.Captures[index];
        Add(input.Source, input.Document.Captures[index], state, sameCapture, input.Document.Results.Where(r => r.Capture == state.Name));
    }

    /// <summary>A capture merged already (from its shards), summed into this one.</summary>
    public void Add(CaptureMerge capture) =>
        Add(capture.Name, capture.Summary(), capture.State(), sameCapture: false, capture.Results());

    private void Add(string source, CaptureSummary summary, CaptureState state, bool sameCapture, IEnumerable<VariantResult> results)
    {
        if (state.Variants.Count != _variants.Count || state.Variants.Zip(_variants).Any(p => p.First.Variant != p.Second.Spec.Name))
        {
            throw new MergeRefusedException($"{source}: capture {state.Name} holds variants {string.Join(",", state.Variants.Select(v => v.Variant))}, not {string.Join(",", _variants.Select(v => v.Spec.Name))}");
        }
        string what = $"{source}: capture {state.Name}";
        _sizes.Absorb(state.FrameLengths, what);
        ForEachVariant(v =>
        {
            _variants[v].Counts.Absorb(state.Variants[v], sameCapture, $"{what}, variant {_variants[v].Spec.Name}");
            _variants[v].Check.Absorb(state.Variants[v].Decap);
        });
        foreach (VariantResult result in results)
        {
            _described.TryAdd(result.Variant, result);
        }
        _fileBytes = sameCapture ? state.FileBytes : _fileBytes + state.FileBytes;
        _parts.Add(summary);
        _sameCapture.Add(sameCapture);
    }

    /// <summary>
    /// The capture's summary: frame counts and sizes from the merged counts; what each shard read of the whole file
    /// (frames in it, skipped records, the error) once, and summed across captures.
    /// </summary>
    public CaptureSummary Summary()
    {
        CaptureSummary first = _parts[0];
        bool shards = _sameCapture.All(s => s);
        IEnumerable<CaptureSummary> files = shards ? [first] : _parts;
        var skipReasons = new Dictionary<string, long>();
        foreach ((string reason, long count) in files.SelectMany(p => p.SkipReasons))
        {
            skipReasons[reason] = skipReasons.GetValueOrDefault(reason) + count;
        }
        string? error = string.Join("; ", _parts.Select(p => p.Error).OfType<string>().Distinct());
        return first with
        {
            File = string.Join(" ", _parts.Select(p => p.File).Distinct()),
            Name = Name,
            LinkType = string.Join("+", _parts.Select(p => p.LinkType).Distinct()),
            Packets = Measure.Packets(_sizes.Count),
            FramesInFile = Measure.Packets(files.Sum(p => p.FramesInFile.Value)),
            Skipped = Measure.Packets(files.Sum(p => p.Skipped.Value)),
            SkipReasons = skipReasons,
            Truncated = Measure.Packets(_parts.Sum(p => p.Truncated.Value)),
            SuperFrames = Measure.Packets(_parts.Sum(p => p.SuperFrames.Value)),
            SuperFramesSegmented = Measure.Packets(_parts.Sum(p => p.SuperFramesSegmented.Value)),
            Bytes = Measure.Bytes(_sizes.Bytes),
            FrameMin = Measure.Bytes(_sizes.Min),
            FrameMedian = Measure.Bytes(_sizes.Median),
            FrameMean = Measure.Bytes(_sizes.Mean),
            FrameMax = Measure.Bytes(_sizes.Max),
            SizeBins = _sizes.Bins(CaptureAnalyzer.SizeBinBounds),
            Error = error.Length == 0 ? null : error,
        };
    }

    /// <summary>Every variant's figures from the merged counts, described as the inputs described it; no timings.</summary>
    public IReadOnlyList<VariantResult> Results()
    {
        var results = new VariantResult[_variants.Count];
        ForEachVariant(v =>
        {
            (VariantSpec spec, VariantCounts counts, DecapsulationCheck check) = _variants[v];
            VariantResult result = counts.ToResult(Name, spec, check.ToFigure());
            results[v] = _described.TryGetValue(spec.Name, out VariantResult? described)
                ? result with { Description = described.Description, Mode = described.Mode, Underlay = described.Underlay, HeaderLength = described.HeaderLength }
                : result;
        });
        return results;
    }

    public CaptureState State()
    {
        var tallies = new VariantTally[_variants.Count];
        ForEachVariant(v => tallies[v] = _variants[v].Counts.ToTally(_variants[v].Spec.Name, _variants[v].Check.ToTally()));
        return new CaptureState
        {
            Name = Name,
            FileBytes = _fileBytes,
            FrameLengths = _sizes.Histogram(),
            Variants = [.. tallies],
        };
    }

    /// <summary>
    /// Runs <paramref name="work"/> for every variant on every core (the variants share no state: each has its own
    /// counts, samples and flow tables), then throws what the first variant in order that failed threw, as a loop would.
    /// </summary>
    private void ForEachVariant(Action<int> work)
    {
        var failures = new Exception?[_variants.Count];
        Parallel.For(0, _variants.Count, v =>
        {
            try
            {
                work(v);
            }
            catch (Exception e)
            {
                failures[v] = e;
            }
        });
        if (failures.FirstOrDefault(f => f is not null) is Exception failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }
}
