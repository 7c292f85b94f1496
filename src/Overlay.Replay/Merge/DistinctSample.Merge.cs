using Overlay.Replay.Merge;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>The state of a distinct sample as a document carries it, and the exact merge of two samples.</summary>
internal sealed partial class DistinctSample
{
    /// <summary>The sample as it stands: its level, and its keys in ascending order with their values.</summary>
    public DistinctTally ToTally()
    {
        var keys = new ulong[_count];
        var values = new ulong[_count];
        int count = 0;
        for (int i = 0; i < _used.Length; i++)
        {
            if (_used[i])
            {
                keys[count] = _keys[i];
                values[count] = _values[i];
                count++;
            }
        }
        // The keys are distinct, so sorting them (their values alongside) gives the one order a document holds.
        keys.AsSpan(0, count).Sort(values.AsSpan(0, count));
        return new DistinctTally(Level, TallyWords.Encode(keys.AsSpan(0, count)), TallyWords.Encode(values.AsSpan(0, count)));
    }

    /// <summary>
    /// Adds another sample (of other keys, or of the same keys later on): its keys at the higher of the two levels,
    /// raised while over capacity. One sample over both streams ends at the least level at which their union fits,
    /// never below either's, so the result is exactly that sample, and its estimate exactly that estimate.
    /// </summary>
    public void Absorb(DistinctTally tally, string what)
    {
        ulong[] keys = TallyWords.Decode(tally.Keys, what + " keys");
        ulong[] values = TallyWords.Decode(tally.Values, what + " values");
        if (keys.Length != values.Length || tally.Level is < 0 or > 63)
        {
            throw new InvalidDataException($"{what}: {keys.Length} keys, {values.Length} values at level {tally.Level}");
        }
        while (Level < tally.Level)
        {
            Level++;
            Resample();
        }
        for (int i = 0; i < keys.Length; i++)
        {
            Set(keys[i], values[i]);
        }
    }
}
