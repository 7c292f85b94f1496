using Overlay.Replay.Merge;
using Overlay.Results;

namespace Overlay.Replay.Operator;

/// <summary>
/// The operator figures' counts as a document carries them, and their merge: sums, the smaller tunnel bytes, and each
/// flow's TCP payload added up (exact while the flows fit <see cref="MaxTrackedFlows"/> per IP version; past it,
/// further flows count in bulk as they do in one run, but which flows those are depends on the order they came in).
/// </summary>
public sealed partial class OperatorAccumulator
{
    public OperatorTally ToTally() => new()
    {
        Mtus = [.. _mtus],
        LineRatesGbps = [.. _rates],
        Carried = _carried,
        CarriedBytes = _carriedBytes,
        NotFragmentable = _notFragmentable,
        Over = [.. _over],
        PushedOver = [.. _pushedOver],
        OverBytes = [.. _overBytes],
        FlowBytes = [.. _flowBytes.Select(Encode)],
        BulkBytes = [.. _flowBytes.Select(f => f.Bulk)],
        TunnelBytes = [.. _tunnelBytes],
    };

    public void Absorb(OperatorTally tally, string what)
    {
        if (!tally.Mtus.SequenceEqual(_mtus) || !tally.LineRatesGbps.SequenceEqual(_rates) || tally.Over.Count != _mtus.Length
            || tally.PushedOver.Count != _mtus.Length || tally.OverBytes.Count != _mtus.Length
            || tally.FlowBytes.Count != 2 || tally.BulkBytes.Count != 2 || tally.TunnelBytes.Count != 2)
        {
            throw new InvalidDataException($"{what}: MTUs {string.Join(",", tally.Mtus)} or line rates differ from the analysis settings ({string.Join(",", _mtus)})");
        }
        _carried += tally.Carried;
        _carriedBytes += tally.CarriedBytes;
        _notFragmentable += tally.NotFragmentable;
        for (int m = 0; m < _mtus.Length; m++)
        {
            _over[m] += tally.Over[m];
            _pushedOver[m] += tally.PushedOver[m];
            _overBytes[m] += tally.OverBytes[m];
        }
        for (int f = 0; f < 2; f++)
        {
            _tunnelBytes[f] = Math.Min(_tunnelBytes[f], tally.TunnelBytes[f]);
            ulong[] words = TallyWords.Decode(tally.FlowBytes[f], what);
            if (words.Length % 2 != 0)
            {
                throw new InvalidDataException($"{what}: flow bytes are not (flow, bytes) pairs");
            }
            // A merge's accumulator has its own table; one shared with other variants would take their bytes too.
            LeaveTcpFlows(f);
            TcpFlowBytes flows = _flowBytes[f];
            flows.AddBulk(tally.BulkBytes[f]);
            for (int i = 0; i < words.Length; i += 2)
            {
                // Tracked while there is room or the flow is already tracked, else in bulk: as one run counts it.
                flows.Add((uint)words[i], (long)words[i + 1]);
            }
        }
    }

    private static string Encode(TcpFlowBytes flows) => flows.Encoded ??= EncodeOrdered(flows);

    /// <summary>(flow, bytes) pairs in ascending flow order.</summary>
    private static string EncodeOrdered(TcpFlowBytes table)
    {
        (uint[] flows, long[] bytes) = table.Ordered();
        var words = new ulong[2 * flows.Length];
        for (int i = 0; i < flows.Length; i++)
        {
            words[2 * i] = flows[i];
            words[2 * i + 1] = (ulong)bytes[i];
        }
        return TallyWords.Encode(words);
    }
}
