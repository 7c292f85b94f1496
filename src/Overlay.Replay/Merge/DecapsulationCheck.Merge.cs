using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>The decapsulation check's counts as a document carries them, and their sum.</summary>
internal sealed partial class DecapsulationCheck
{
    public DecapTally ToTally() => new(_checked, _identical, new SortedDictionary<string, long>(_failures, StringComparer.Ordinal));

    public void Absorb(DecapTally tally)
    {
        _checked += tally.Checked;
        _identical += tally.Identical;
        foreach ((string reason, long count) in tally.Failures)
        {
            _failures[reason] = _failures.GetValueOrDefault(reason) + count;
        }
    }
}
