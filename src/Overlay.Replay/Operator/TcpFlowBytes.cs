using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Overlay.Replay.Operator;

/// <summary>
/// The TCP payload bytes per flow, per IP family (0: IPv4, 1: IPv6), as the MSS-clamp figure needs them: the first
/// <see cref="OperatorAccumulator.MaxTrackedFlows"/> flows of a family one by one, every later flow's bytes in bulk.
/// It depends only on which frames are counted, not on the tunnel, so the variants of one analysis that carry the same
/// frames share one (<see cref="OperatorAccumulator.ShareTcpFlows"/>).
/// </summary>
public sealed class TcpFlowBytes
{
    private readonly Dictionary<uint, long>[] _flows;
    private readonly long[] _bulk;

    public TcpFlowBytes()
    {
        _flows = [new(), new()];
        _bulk = new long[2];
    }

    private TcpFlowBytes(TcpFlowBytes from)
    {
        _flows = [new(from._flows[0]), new(from._flows[1])];
        _bulk = [.. from._bulk];
    }

    public void Add(int family, uint flow, int payload)
    {
        // One lookup per frame: add the flow while there is room, else only add to a flow already tracked.
        Dictionary<uint, long> flows = _flows[family];
        if (flows.Count < OperatorAccumulator.MaxTrackedFlows)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(flows, flow, out _) += payload;
            return;
        }
        ref long bytes = ref CollectionsMarshal.GetValueRefOrNullRef(flows, flow);
        if (Unsafe.IsNullRef(ref bytes))
        {
            _bulk[family] += payload;
        }
        else
        {
            bytes += payload;
        }
    }

    /// <summary>The bytes of every tracked flow of a family.</summary>
    public IReadOnlyCollection<long> Flows(int family) => _flows[family].Values;

    /// <summary>The bytes of the flows past the tracked ones.</summary>
    public long Bulk(int family) => _bulk[family];

    /// <summary>A copy that goes on by itself from here.</summary>
    public TcpFlowBytes Clone() => new(this);
}
