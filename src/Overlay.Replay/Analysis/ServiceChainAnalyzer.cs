using Overlay.Encapsulation.Headers;
using Overlay.Replay.Capture;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>
/// Walks every frame of a capture through service chains of 0..k services for every approach, and sums the bytes on
/// the wire over the whole path (every link, preamble, FCS and IFG counted) against the same frames routed natively.
/// Every walk is checked end to end: the egress must get the frame back byte for byte.
/// </summary>
public static class ServiceChainAnalyzer
{
    public static readonly ChainApproach[] Approaches = Enum.GetValues<ChainApproach>();

    public static List<ChainResult> Analyze(string capturePath, IReadOnlyList<int> services, IReadOnlyList<int> metadata, CancellationToken cancellation = default)
    {
        List<byte[]> frames = CaptureReader.ReadWholeFrames(capturePath);
        string name = Path.GetFileName(capturePath);
        var results = new List<ChainResult>();
        var buffer = new byte[ServiceChain.Headroom + CaptureReader.MaxFrameLength];
        foreach (ChainApproach approach in Approaches)
        {
            foreach (int m in metadata)
            {
                if (m > 0 && approach is ChainApproach.Srv6Csid or ChainApproach.VxlanStitching)
                {
                    continue;
                }
                foreach (int k in services)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var chain = new ServiceChain(approach, k, m);
                    var tally = new ChainTally(k);
                    foreach (byte[] frame in frames)
                    {
                        ServiceChain.Walk walk = chain.Run(frame, buffer);
                        tally.Add(frame.Length, walk.WireBytes, walk.Arrived, walk.Failure);
                    }
                    results.Add(tally.ToResult(name, Name(approach), m, chain.IngressHeaderLength));
                }
            }
        }
        return results;
    }

    /// <summary>The approach's name in results and charts.</summary>
    public static string Name(ChainApproach approach) => approach switch
    {
        ChainApproach.Srv6 => "srv6-end",
        ChainApproach.Srv6Csid => "srv6-csid-end",
        ChainApproach.GeneveServicePath => "geneve-service-path",
        _ => "vxlan-stitching",
    };
}
