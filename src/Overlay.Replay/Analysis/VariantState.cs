using Overlay.Encapsulation;
using Overlay.Replay.Operator;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>
/// One variant over a capture: its counts (sizes, MTU, ECMP) and the check that every output decapsulates back to its
/// frame, fed frame by frame; and, when throughput is measured, its timing, fed arena by arena.
/// </summary>
internal sealed class VariantState
{
    private readonly VariantCounts _counts;
    private readonly DecapsulationCheck _check;
    private readonly VariantTiming? _timing;

    /// <summary>The variant's state; <paramref name="scratch"/> takes its encapsulation of each frame (see <see cref="VariantCounts"/>).</summary>
    public VariantState(VariantSpec spec, AnalyzeOptions options, byte[]? scratch = null)
    {
        Spec = spec;
        Encapsulator = spec.Create();
        _counts = new VariantCounts(Encapsulator, options, scratch);
        _check = new DecapsulationCheck(Encapsulator.Mode);
        _timing = options.MeasureThroughput ? new VariantTiming(Encapsulator, options) : null;
    }

    public VariantSpec Spec { get; }
    public IEncapsulator Encapsulator { get; }

    /// <summary>Whether the variant's throughput is timed (over each arena of frames, after they are counted).</summary>
    public bool IsTimed => _timing is not null;

    /// <summary>The operator figures' accumulator (its TCP flow bytes may be shared with the other variants).</summary>
    public OperatorAccumulator Operator => _counts.Operator;

    /// <summary>Counts one frame, read once for every variant into <paramref name="facts"/>, and checks its decapsulation; true when the variant carries it.</summary>
    public bool Count(ReadOnlySpan<byte> frame, int original, in FrameFacts facts, long number)
    {
        bool carried = _counts.Add(frame, original, facts, out ReadOnlySpan<byte> output);
        if (!output.IsEmpty)
        {
            _counts.Encapsulated(number);
        }
        // Only a whole frame can come back whole.
        if (!output.IsEmpty && original == frame.Length)
        {
            _check.Check(frame, facts.Inner, output);
        }
        return carried;
    }

    /// <summary>The timed passes over an arena of frames already counted; the arena is as loaded afterwards.</summary>
    public void Time(FrameArena arena, CancellationToken cancellation)
    {
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
