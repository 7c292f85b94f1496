using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>
/// The counts of one variant as a document carries them, and their merge: sums, minima and maxima, the distinct
/// samples' exact union, bytes per ECMP path added up, and the entropy of the first frame encapsulated.
/// </summary>
internal sealed partial class VariantCounts
{
    private long _entropyFrame = -1;

    /// <summary>Notes the capture's number of a frame just encapsulated: the first one names the entropy.</summary>
    public void Encapsulated(long number)
    {
        if (_entropyFrame < 0)
        {
            _entropyFrame = number;
        }
    }

    public VariantTally ToTally(string variant, DecapTally decap) => new()
    {
        Variant = variant,
        Packets = _packets,
        Carried = _carried,
        BytesIn = _bytesIn,
        BytesOut = _bytesOut,
        WireBytesIn = _wireIn,
        WireBytesOut = _wireOut,
        OverheadMin = _overheadMin,
        OverheadMax = _overheadMax,
        MaxOuterIp = _maxOuterIp,
        OverMtu = [.. _overMtu],
        Entropy = _entropy,
        EntropyFrame = _entropy is null ? -1 : _entropyFrame,
        Flows = _flowKeys.ToTally(),
        OuterKeys = _outerKeys.ToTally(),
        PathBytes = [.. _pathBytes.Select(p => p.ToList())],
        Decap = decap,
        Operator = _operator.ToTally(),
    };

    /// <summary>
    /// Adds a tally counted elsewhere. With <paramref name="sameCapture"/> (shards of one capture) the entropy is the
    /// one of the capture's earliest encapsulated frame, as one run over the capture names it; across captures, the
    /// first one's.
    /// </summary>
    public void Absorb(VariantTally tally, bool sameCapture, string what)
    {
        if (tally.OverMtu.Count != _overMtu.Length || tally.PathBytes.Count != _pathBytes.Length
            || tally.PathBytes.Where((p, k) => p.Count != _pathBytes[k].Length).Any())
        {
            throw new InvalidDataException($"{what}: its MTU or ECMP path lists do not match the analysis settings");
        }
        _packets += tally.Packets;
        _carried += tally.Carried;
        _bytesIn += tally.BytesIn;
        _bytesOut += tally.BytesOut;
        _wireIn += tally.WireBytesIn;
        _wireOut += tally.WireBytesOut;
        _overheadMin = Math.Min(_overheadMin, tally.OverheadMin);
        _overheadMax = Math.Max(_overheadMax, tally.OverheadMax);
        _maxOuterIp = Math.Max(_maxOuterIp, tally.MaxOuterIp);
        for (int m = 0; m < _overMtu.Length; m++)
        {
            _overMtu[m] += tally.OverMtu[m];
        }
        if (tally.Entropy is not null && (_entropy is null || (sameCapture && tally.EntropyFrame < _entropyFrame)))
        {
            _entropy = tally.Entropy;
            _entropyFrame = tally.EntropyFrame;
        }
        _flowKeys.Absorb(tally.Flows, what + " flows");
        _outerKeys.Absorb(tally.OuterKeys, what + " outer keys");
        for (int k = 0; k < _pathBytes.Length; k++)
        {
            for (int p = 0; p < _pathBytes[k].Length; p++)
            {
                _pathBytes[k][p] += tally.PathBytes[k][p];
            }
        }
        _operator.Absorb(tally.Operator, what + " operator figures");
    }
}
