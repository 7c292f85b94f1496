using Overlay.Encapsulation;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>
/// One variant over a capture, fed arena by arena: its counts (sizes, MTU, ECMP), the check that every output
/// decapsulates back to its frame, and, when throughput is measured, its timing.
/// </summary>
internal sealed class VariantState
{
    private readonly VariantCounts _counts;
    private readonly DecapsulationCheck _check;
    private readonly VariantTiming? _timing;

    public VariantState(VariantSpec spec, AnalyzeOptions options)
    {
        Spec = spec;
        Encapsulator = spec.Create();
        _counts = new VariantCounts(Encapsulator, options);
        _check = new DecapsulationCheck(Encapsulator.Mode);
        _timing = options.MeasureThroughput ? new VariantTiming(Encapsulator, options) : null;
    }

    public VariantSpec Spec { get; }
    public IEncapsulator Encapsulator { get; }

    public void Process(FrameArena arena, CancellationToken cancellation)
    {
        for (int i = 0; i < arena.Count; i++)
        {
            ReadOnlySpan<byte> frame = arena.Frame(i);
            int original = arena.OriginalLength(i);
            ReadOnlySpan<byte> output = _counts.Add(frame, original, out InnerFrame inner);
            if (!output.IsEmpty)
            {
                _counts.Encapsulated(arena.Number(i));
            }
            // Only a whole frame can come back whole.
            if (!output.IsEmpty && original == frame.Length)
            {
                _check.Check(frame, inner, output);
            }
        }
        if (_timing is not null)
        {
            cancellation.ThrowIfCancellationRequested();
            _timing.Time(arena, cancellation);
        }
    }

    /// <summary>The counts behind the figures, for a merge.</summary>
    public VariantTally ToTally() => _counts.ToTally(Spec.Name, _check.ToTally());

    public VariantResult ToResult(string capture) => _counts.ToResult(capture, Spec, _check.ToFigure()) with
    {
        EncapCopy = _timing?.Copy,
        EncapInPlace = _timing?.InPlace,
        Decap = _timing?.Decap,
    };
}
