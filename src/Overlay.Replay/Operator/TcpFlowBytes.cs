using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Overlay.Replay.Operator;

/// <summary>
/// The TCP payload bytes per flow of one IP family, as the MSS-clamp figure needs them: the first
/// <see cref="OperatorAccumulator.MaxTrackedFlows"/> flows one by one, every later flow's bytes in bulk. It depends
/// only on which frames are counted, not on the tunnel, so the variants of one analysis that carry the same frames
/// share one (<see cref="OperatorAccumulator.ShareTcpFlows"/>).
/// </summary>
public sealed class TcpFlowBytes
{
    private readonly Dictionary<uint, long> _flows;

    public TcpFlowBytes()
    {
        _flows = [];
    }

    private TcpFlowBytes(TcpFlowBytes from)
    {
        _flows = new Dictionary<uint, long>(from._flows);
        Bulk = from.Bulk;
    }

    /// <summary>The bytes of every tracked flow.</summary>
    public IReadOnlyCollection<long> Flows => _flows.Values;

    /// <summary>The bytes of the flows past the tracked ones.</summary>
    public long Bulk { get; private set; }

    /// <summary>
    /// The table as a tally carries it, kept until the next frame changes it: every variant sharing the table then
    /// holds one string, not a copy each (the state of a long capture would otherwise hold it once per variant).
    /// </summary>
    internal string? Encoded { get; set; }

    /// <summary>Every tracked flow with its bytes, in ascending flow order (as a document carries them).</summary>
    public (uint[] Flows, long[] Bytes) Ordered()
    {
        var flows = new uint[_flows.Count];
        var bytes = new long[_flows.Count];
        int i = 0;
        foreach ((uint flow, long payload) in _flows)
        {
            flows[i] = flow;
            bytes[i] = payload;
            i++;
        }
        flows.AsSpan().Sort(bytes.AsSpan());
        return (flows, bytes);
    }

    /// <summary>Bytes counted in bulk elsewhere (another shard's flows past its tracked ones).</summary>
    public void AddBulk(long bytes)
    {
        Encoded = null;
        Bulk += bytes;
    }

    public void Add(uint flow, long payload)
    {
        Encoded = null;
        // One lookup per frame: add the flow while there is room, else only add to a flow already tracked.
        if (_flows.Count < OperatorAccumulator.MaxTrackedFlows)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_flows, flow, out _) += payload;
            return;
        }
        ref long bytes = ref CollectionsMarshal.GetValueRefOrNullRef(_flows, flow);
        if (Unsafe.IsNullRef(ref bytes))
        {
            Bulk += payload;
        }
        else
        {
            bytes += payload;
        }
    }

    /// <summary>A copy that goes on by itself from here.</summary>
    public TcpFlowBytes Clone() => new(this);
}
