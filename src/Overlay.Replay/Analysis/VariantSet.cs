using Overlay.Encapsulation;
using Overlay.Replay.Operator;

namespace Overlay.Replay.Analysis;

/// <summary>
/// The variants of one analysis, fed frame by frame. What does not depend on the variant is done once per frame here:
/// the inner parse and the operator inputs (<see cref="FrameFacts"/>), and the TCP payload per flow, kept in one table
/// that every variant carrying the same frames shares. A variant that does not carry a frame the others do (a frame
/// too long for its outer header, say) takes its own copy of that table then and goes on alone, so its figures stay
/// exactly those of a table of its own.
/// </summary>
internal sealed class VariantSet
{
    private readonly VariantState[] _states;
    private readonly bool[] _carried;
    // Per IP family (0: IPv4, 1: IPv6): a variant that carries only one family leaves the other's table alone.
    private readonly TcpFlowBytes[] _sharedTcpFlows = [new(), new()];

    public VariantSet(IEnumerable<VariantSpec> variants, AnalyzeOptions options)
    {
        // Each variant counts and checks a frame before the next one starts: one scratch buffer serves them all.
        byte[] scratch = new byte[VariantCounts.ScratchLength];
        _states = variants.Select(v => new VariantState(v, options, scratch)).ToArray();
        _carried = new bool[_states.Length];
        foreach (VariantState state in _states)
        {
            state.Operator.ShareTcpFlows(0, _sharedTcpFlows[0]);
            state.Operator.ShareTcpFlows(1, _sharedTcpFlows[1]);
        }
    }

    public IReadOnlyList<VariantState> States => _states;

    /// <summary>Counts one frame (<paramref name="original"/> bytes on the wire, the capture's frame <paramref name="number"/>) in every variant.</summary>
    public void Count(ReadOnlySpan<byte> frame, int original, long number)
    {
        var facts = new FrameFacts(frame, original);
        VariantState[] states = _states;
        bool[] carried = _carried;
        for (int v = 0; v < states.Length; v++)
        {
            carried[v] = states[v].Count(frame, original, facts, number);
        }
        if (facts.TcpPayload > 0)
        {
            AddTcpPayload(facts);
        }
    }

    /// <summary>Adds a carried frame's TCP payload to the shared table once, for every variant that still shares it.</summary>
    private void AddTcpPayload(in FrameFacts facts)
    {
        int family = facts.Inner.IpVersion == 6 ? 1 : 0;
        bool counted = false;
        for (int v = 0; v < _states.Length; v++)
        {
            counted |= _carried[v] && _states[v].Operator.SharesTcpFlows(family);
        }
        if (!counted)
        {
            // No sharer carried it: each would have left it out of its own table, and so does the shared one.
            return;
        }
        for (int v = 0; v < _states.Length; v++)
        {
            if (!_carried[v])
            {
                _states[v].Operator.LeaveTcpFlows(family);
            }
        }
        _sharedTcpFlows[family].Add(facts.Inner.FlowHash, facts.TcpPayload);
    }
}
