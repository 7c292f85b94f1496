using Overlay.Encapsulation.Headers;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>
/// One chain of <c>services</c> services over a capture: the bytes its walks put on the wire against the same frames
/// routed natively over the k+1 links, the walks that arrived whole, and why the others did not. Shared by the chain
/// study's own approaches and by deployed profiles used as a service hop, so both count a path the same way.
/// </summary>
internal sealed class ChainTally(int services)
{
    private long _packets, _wire, _native, _arrived;
    private readonly Dictionary<string, long> _failures = [];

    /// <summary>One walk of a frame of <paramref name="frameLength"/> bytes; <paramref name="failure"/> says why when it did not arrive.</summary>
    public void Add(int frameLength, long wireBytes, bool arrived, string? failure)
    {
        _packets++;
        _wire += wireBytes;
        _native += Ethernet.WireLength(frameLength) * (long)(services + 1);
        if (arrived)
        {
            _arrived++;
        }
        else
        {
            Fail(failure!);
        }
    }

    /// <summary>A frame that was not carried at all: counted among the failures, not among the path's packets.</summary>
    public void Fail(string failure) => _failures[failure] = _failures.GetValueOrDefault(failure) + 1;

    public ChainResult ToResult(string capture, string approach, int metadataBytes, int ingressHeaderLength) => new()
    {
        Capture = capture,
        Approach = approach,
        Services = Measure.Count(services),
        MetadataBytes = Measure.Bytes(metadataBytes),
        IngressHeaderLength = Measure.Bytes(ingressHeaderLength),
        Packets = Measure.Packets(_packets),
        Arrived = Measure.Packets(_arrived),
        WireBytes = Measure.Bytes(_wire),
        NativeWireBytes = Measure.Bytes(_native),
        OverheadPercentWire = Measure.Percent(_native == 0 ? 0 : 100.0 * (_wire - _native) / _native),
        Failures = _failures,
    };
}
