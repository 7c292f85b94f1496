using System.Buffers;
using System.Net;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Chain;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Replay.Analysis;

/// <summary>The ways a packet can be steered from host A through k services to host B.</summary>
public enum ChainApproach
{
    /// <summary>H.Encaps.L2 with k+1 SIDs at the ingress, End at every service (RFC 8986 §4.1).</summary>
    Srv6,
    /// <summary>The same path as NEXT-C-SID micro-SIDs (RFC 9800), End with the NEXT-CSID flavor at every service.</summary>
    Srv6Csid,
    /// <summary>GENEVE with a service-path option (SPI, SI) whose index every service decrements.</summary>
    GeneveServicePath,
    /// <summary>VXLAN stitching: every service decapsulates and re-encapsulates toward the next.</summary>
    VxlanStitching,
}

/// <summary>
/// A service chain of k services between two hosts over an IPv6 underlay, every approach carrying the Ethernet frame
/// (so they compare like for like), with optional per-packet metadata (SRH TLV for SRv6, a GENEVE option for GENEVE).
/// <see cref="Run"/> walks one packet hop by hop and checks it arrives intact.
/// </summary>
public sealed class ServiceChain
{
    public const int Headroom = 512;
    private static readonly CompressedSidFormat CsidFormat = CompressedSidFormat.Default;

    private readonly IEncapsulator _ingress;
    private readonly VxlanEncapsulator[] _stitches;
    private readonly byte[][] _serviceAddresses;

    public ServiceChain(ChainApproach approach, int services, int metadataBytes)
    {
        if (services is < 0 or > 14)
        {
            throw new ArgumentOutOfRangeException(nameof(services), services, "0..14 services");
        }
        if (metadataBytes is < 0 or > 124 || metadataBytes % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(metadataBytes), metadataBytes, "metadata is 0..124 bytes in 4-byte words");
        }
        if (metadataBytes > 0 && approach is ChainApproach.Srv6Csid or ChainApproach.VxlanStitching)
        {
            throw new ArgumentException($"{approach} has nowhere to carry per-packet metadata.", nameof(metadataBytes));
        }
        Approach = approach;
        Services = services;
        MetadataBytes = metadataBytes;
        byte[] metadata = Enumerable.Range(0, metadataBytes).Select(i => (byte)(0xC0 + i)).ToArray();
        var underlay = Underlay.Ipv6("2001:db8:a::1", destination: null);
        // Service i (1-based) and the egress (k+1) as SIDs fc00:0:i:: — valid NEXT-C-SIDs of the default layout.
        IPAddress[] sids = VariantCatalog.Segments(services + 1);
        IPAddress[] hosts = Enumerable.Range(1, services + 1).Select(i => IPAddress.Parse($"2001:db8:5::{i:x}")).ToArray();
        _serviceAddresses = hosts.Select(h => h.GetAddressBytes()).ToArray();
        _stitches = [];
        switch (approach)
        {
            case ChainApproach.Srv6:
                _ingress = new Srv6Encapsulator(underlay, new Srv6Options
                {
                    Segments = sids,
                    Mode = PayloadMode.L2,
                    Tlvs = metadataBytes == 0 ? [] : [new SrhTlv(SrhTlv.ExperimentalMetadata, metadata)],
                });
                break;
            case ChainApproach.Srv6Csid:
                _ingress = new Srv6Encapsulator(underlay, new Srv6Options { Segments = sids, Mode = PayloadMode.L2, CompressedSids = CsidFormat });
                break;
            case ChainApproach.GeneveServicePath:
                var options = new List<GeneveOption> { Encapsulation.Chain.GeneveServicePath.Option(0x00ABCD, (byte)services) };
                if (metadataBytes > 0)
                {
                    options.Add(new GeneveOption(0xFFF2, 0x02, metadata));
                }
                _ingress = new GeneveEncapsulator(underlay with { Destination = hosts[0] }, new GeneveOptions { Vni = VariantCatalog.DefaultVni, Options = options });
                break;
            default:
                _ingress = new VxlanEncapsulator(underlay with { Destination = hosts[0] }, VariantCatalog.DefaultVni);
                _stitches = hosts.Skip(1).Select(h => new VxlanEncapsulator(underlay with { Destination = h }, VariantCatalog.DefaultVni)).ToArray();
                break;
        }
    }

    public ChainApproach Approach { get; }
    public int Services { get; }
    public int MetadataBytes { get; }

    /// <summary>Outer header bytes at the ingress.</summary>
    public int IngressHeaderLength => _ingress.HeaderLength;

    /// <summary>The outcome of walking one packet along the chain.</summary>
    public readonly record struct Walk(bool Arrived, string? Failure, long WireBytes, int Links);

    /// <summary>
    /// Encapsulates <paramref name="frame"/> at the ingress into <paramref name="buffer"/> (which must hold
    /// <see cref="Headroom"/> + the frame), applies every service hop, decapsulates at the egress and checks that the
    /// frame arrived byte for byte. <paramref name="onLink"/> sees the packet on every link.
    /// </summary>
    public Walk Run(ReadOnlySpan<byte> frame, Span<byte> buffer, SpanAction? onLink = null)
    {
        frame.CopyTo(buffer.Slice(Headroom));
        if (_ingress.EncapsulateInPlace(buffer, Headroom, frame.Length, out int offset, out int length) != OperationStatus.Done)
        {
            return new Walk(false, "ingress could not encapsulate", 0, 0);
        }
        long wire = 0;
        int links = 0;
        for (int hop = 0; ; hop++)
        {
            Span<byte> packet = buffer.Slice(offset, length);
            wire += Ethernet.WireLength(length);
            links++;
            onLink?.Invoke(packet, hop);
            bool last = hop == Services;
            string? failure = Approach switch
            {
                ChainApproach.Srv6 => Expect(Srv6Endpoint.End(packet).Status, last ? EndStatus.SegmentsLeftZero : EndStatus.Forwarded),
                ChainApproach.Srv6Csid => Expect(Srv6Endpoint.EndNextCsid(packet, CsidFormat).Status, last ? EndStatus.SegmentsLeftZero : EndStatus.Forwarded),
                ChainApproach.GeneveServicePath => Expect(last ? (Encapsulation.Chain.GeneveServicePath.ServiceIndex(packet) == 0 ? HopStatus.PathEnd : HopStatus.Malformed)
                    : Encapsulation.Chain.GeneveServicePath.Advance(packet, _serviceAddresses[hop + 1]), last ? HopStatus.PathEnd : HopStatus.Forwarded),
                _ => last ? null : Expect(VxlanStitch.Advance(buffer, offset, length, _stitches[hop], out offset, out length), HopStatus.Forwarded),
            };
            if (failure is not null)
            {
                return new Walk(false, $"hop {hop}: {failure}", wire, links);
            }
            if (last)
            {
                break;
            }
        }
        DecapResult result = Decapsulator.TryDecapsulate(buffer.Slice(offset, length), out TunnelPacket egress);
        if (!result.IsSuccess)
        {
            return new Walk(false, $"egress: {result}", wire, links);
        }
        return egress.InnerOf(buffer.Slice(offset, length)).SequenceEqual(frame)
            ? new Walk(true, null, wire, links)
            : new Walk(false, "egress: the inner frame differs", wire, links);
    }

    public delegate void SpanAction(ReadOnlySpan<byte> packet, int link);

    private static string? Expect<T>(T actual, T expected) where T : struct, Enum =>
        EqualityComparer<T>.Default.Equals(actual, expected) ? null : $"{actual}, expected {expected}";
}
