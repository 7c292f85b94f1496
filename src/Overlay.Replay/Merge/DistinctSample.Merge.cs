using Overlay.Replay.Merge;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>The state of a distinct sample as a document carries it, and the exact merge of two samples.</summary>
internal sealed partial class DistinctSample
{
    /// <summary>The sample as it stands: its level, and its keys in ascending order with their values.</summary>
    public DistinctTally ToTally()
    {
        List<(ulong Key, ulong Value)> pairs = Pairs();
        ulong[] keys = new ulong[pairs.Count];
        ulong[] values = new ulong[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
        {
            (keys[i], values[i]) = pairs[i];
        }
        // Keys are distinct: sorting them with their values beside them is the one order whatever the table's layout.
        Array.Sort(keys, values);
        return new DistinctTally(Level, TallyWords.Encode(keys), TallyWords.Encode(values));
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
