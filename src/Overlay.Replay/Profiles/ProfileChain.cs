using System.Buffers;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Profiles;
using Overlay.Replay.Analysis;
using Overlay.Replay.Capture;
using Overlay.Results;

namespace Overlay.Replay.Profiles;

/// <summary>
/// A deployed profile as a service-hop approach of the chain study: every one of the k+1 links between host A, the k
/// services and host B carries the frame in the profile's tunnel, and every service decapsulates and re-encapsulates
/// it, as a GWLB appliance does. A pair alternates its tunnels link by link: in through the first, out through the
/// second. Every hop checks that what it took out is the frame (or its IP packet) byte for byte.
/// </summary>
public sealed class ProfileChain
{
    private readonly IEncapsulator[] _legs;

    public ProfileChain(DeployedProfile profile, int services)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (services is < 0 or > 14)
        {
            throw new ArgumentOutOfRangeException(nameof(services), services, "0..14 services");
        }
        Profile = profile;
        Services = services;
        _legs = profile.Legs.Select(l => l.Create()).ToArray();
    }

    public DeployedProfile Profile { get; }
    public int Services { get; }
    public int IngressHeaderLength => _legs[0].HeaderLength;

    /// <summary>The walk of one frame: whether every hop got it back intact, the failure if not, and the bytes on the wire.</summary>
    public readonly record struct Walk(bool Arrived, string? Failure, long WireBytes);

    /// <summary>Walks <paramref name="frame"/> over the k+1 links; <paramref name="buffer"/> holds one encapsulated frame.</summary>
    public Walk Run(ReadOnlySpan<byte> frame, Span<byte> buffer)
    {
        long wire = 0;
        for (int link = 0; link <= Services; link++)
        {
            IEncapsulator leg = _legs[link % _legs.Length];
            if (leg.Encapsulate(frame, buffer, out int length) != OperationStatus.Done)
            {
                return new Walk(false, $"link {link}: {leg.Mode} tunnel cannot carry the frame", wire);
            }
            wire += Ethernet.WireLength(length);
            ReadOnlySpan<byte> packet = buffer[..length];
            DecapResult result = Decapsulator.TryDecapsulate(packet, out TunnelPacket taken);
            if (!result.IsSuccess)
            {
                return new Walk(false, $"link {link}: {result}", wire);
            }
            ReadOnlySpan<byte> expected = leg.Mode == PayloadMode.L2 ? frame : IpPacket(frame);
            if (!taken.InnerOf(packet).SequenceEqual(expected))
            {
                return new Walk(false, $"link {link}: the inner frame differs", wire);
            }
        }
        return new Walk(true, null, wire);
    }

    private static ReadOnlySpan<byte> IpPacket(ReadOnlySpan<byte> frame)
    {
        InnerFrame.TryParse(frame, frame.Length, out InnerFrame inner);
        return frame.Slice(inner.L2HeaderLength, inner.IpLength);
    }

    /// <summary>
    /// The chain study's rows for <paramref name="profile"/> over a capture: one per chain length, metadata 0. Frames the
    /// profile cannot carry (not IP, for an IP-payload profile) are not among its packets; their reason is in the failures.
    /// </summary>
    public static List<ChainResult> Analyze(string capturePath, DeployedProfile profile, IReadOnlyList<int> services, CancellationToken cancellation = default)
    {
        List<byte[]> frames = CaptureReader.ReadWholeFrames(capturePath);
        string name = Path.GetFileName(capturePath);
        var buffer = new byte[CaptureReader.MaxFrameLength + 512];
        var results = new List<ChainResult>();
        foreach (int k in services)
        {
            var chain = new ProfileChain(profile, k);
            var tally = new ChainTally(k);
            foreach (byte[] frame in frames)
            {
                cancellation.ThrowIfCancellationRequested();
                Walk walk = chain.Run(frame, buffer);
                if (walk.WireBytes == 0)
                {
                    // Not carried at all (an L3 tunnel and an ARP frame): left out of the path's packets, as analyze does.
                    tally.Fail(walk.Failure!);
                    continue;
                }
                tally.Add(frame.Length, walk.WireBytes, walk.Arrived, walk.Failure);
            }
            results.Add(tally.ToResult(name, profile.Name, metadataBytes: 0, chain.IngressHeaderLength));
        }
        return results;
    }
}
