using System.Net;
using System.Net.Sockets;
using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation.Srv6;

/// <summary>The SRv6 headend's settings (RFC 8986 §5).</summary>
public sealed record Srv6Options
{
    /// <summary>The segments in the order the packet visits them; the last is the egress.</summary>
    public required IReadOnlyList<IPAddress> Segments { get; init; }
    /// <summary>L3: H.Encaps / H.Encaps.Red (an IP packet); L2: H.Encaps.L2 / H.Encaps.L2.Red (the Ethernet frame).</summary>
    public PayloadMode Mode { get; init; } = PayloadMode.L3;
    /// <summary>The .Red forms (RFC 8986 §5.2, §5.4): the first segment travels only in the destination address.</summary>
    public bool Reduced { get; init; }
    /// <summary>
    /// NEXT-C-SID (RFC 9800) compression with this layout, or null for full 128-bit SIDs. The first container travels in
    /// the destination address and only the rest in an SRH, so up to <see cref="CompressedSidFormat.CsidsPerContainer"/>
    /// segments need no SRH at all; <see cref="Reduced"/> does not apply.
    /// </summary>
    public CompressedSidFormat? CompressedSids { get; init; }
    public ushort Tag { get; init; }
    /// <summary>SRH TLVs (RFC 8754 §2.1), such as per-packet metadata; padded to the SRH's 8-byte multiple.</summary>
    public IReadOnlyList<SrhTlv> Tlvs { get; init; } = [];
}

/// <summary>
/// SRv6 headend encapsulation (RFC 8986 §5.1-5.4, SRH per RFC 8754, NEXT-C-SID per RFC 9800) over IPv6: outer
/// destination = the first segment, Segment List stored reversed, Segments Left = n−1, next header 4/41/143.
/// </summary>
public sealed class Srv6Encapsulator : TunnelEncapsulator
{
    public const int MaxSegments = 16;

    public Srv6Encapsulator(Underlay underlay, Srv6Options options)
        : this(underlay, options, Plan(underlay, options))
    {
    }

    private Srv6Encapsulator(Underlay underlay, Srv6Options options, EncodedPath path)
        : base(new TunnelSpec
        {
            Name = path.Name,
            Family = TunnelFamily.Srv6,
            Mode = options.Mode,
            Underlay = underlay,
            OuterDestination = path.Destination,
            ForEthernet = path.Header(Ipv4.ProtocolEthernet),
            ForIpv4 = path.Header(Ipv4.ProtocolIpInIp),
            ForIpv6 = path.Header(Ipv4.ProtocolIpv6),
            SegmentEncoding = options.CompressedSids is not null ? SegmentEncoding.Compressed
                : options.Reduced ? SegmentEncoding.Reduced : SegmentEncoding.Full,
        })
    {
        Options = options;
        SrhLength = path.SrhSegments.Length == 0 ? 0
            : SegmentRoutingHeader.FixedLength + path.SrhSegments.Length * SegmentRoutingHeader.SegmentLength + SrhTlv.PaddedLength(options.Tlvs);
    }

    public Srv6Options Options { get; }


    /// <summary>Bytes of SRH, 0 when none is sent.</summary>
    public int SrhLength { get; }

    /// <summary>What the configuration encodes to: the outer destination and the segments that go in the SRH (visit order).</summary>
    private sealed record EncodedPath(string Name, IPAddress Destination, UInt128[] SrhSegments, byte SegmentsLeft, ushort Tag, IReadOnlyList<SrhTlv> Tlvs)
    {
        public TunnelHeader Header(byte payloadProtocol) => SrhSegments.Length == 0
            ? TunnelHeader.None(payloadProtocol)
            : new TunnelHeader(Ipv6.NextHeaderRouting, SegmentRoutingHeader.Build(payloadProtocol, SrhSegments, SegmentsLeft, Tag, Tlvs));
    }

    private static EncodedPath Plan(Underlay underlay, Srv6Options options)
    {
        ArgumentNullException.ThrowIfNull(underlay);
        ArgumentNullException.ThrowIfNull(options);
        if (!underlay.IsIpv6)
        {
            throw new ArgumentException($"SRv6 needs an IPv6 underlay; the source {underlay.Source} is not IPv6.", nameof(underlay));
        }
        if (underlay.Destination is not null)
        {
            throw new ArgumentException("SRv6's outer destination is its first segment: leave the underlay destination unset.", nameof(underlay));
        }
        int n = options.Segments?.Count ?? 0;
        if (n is < 1 or > MaxSegments)
        {
            throw new ArgumentException($"SRv6 takes 1..{MaxSegments} segments; got {n}.", nameof(options));
        }
        var sids = new UInt128[n];
        for (int i = 0; i < n; i++)
        {
            IPAddress sid = options.Segments![i];
            if (sid.AddressFamily != AddressFamily.InterNetworkV6)
            {
                throw new ArgumentException($"Segment {sid} is not an IPv6 address.", nameof(options));
            }
            sids[i] = SegmentRoutingHeader.ToUInt128(sid);
        }

        EncodedPath path = Encode(options, sids);
        if (path.SrhSegments.Length == 0 && (options.Tag != 0 || options.Tlvs.Count != 0))
        {
            // RFC 8986 §5.2: the SRH may be left out only when no flag, tag or TLV is needed.
            throw new ArgumentException($"A tag or TLVs need an SRH, but this path sends none (one segment reduced, or one NEXT-C-SID container).", nameof(options));
        }
        return path;
    }

    private static EncodedPath Encode(Srv6Options options, UInt128[] sids)
    {
        int n = sids.Length;
        string l2 = options.Mode == PayloadMode.L2 ? "-l2" : "";
        string tlvs = options.Tlvs.Count == 0 ? "" : $"-tlv{SrhTlv.PaddedLength(options.Tlvs)}B";
        if (options.CompressedSids is CompressedSidFormat format)
        {
            UInt128[] containers = format.Pack(sids);
            string layout = format == CompressedSidFormat.Default ? "" : $"-b{format.LocatorBlockBits}c{format.CsidBits}";
            return new EncodedPath($"srv6-csid{l2}{layout}-{n}sid{tlvs}", SegmentRoutingHeader.ToAddress(containers[0]),
                containers[1..], (byte)(containers.Length - 1), options.Tag, options.Tlvs);
        }
        string name = $"srv6-encaps{l2}{(options.Reduced ? "-red" : "")}-{n}sid{tlvs}";
        IPAddress first = SegmentRoutingHeader.ToAddress(sids[0]);
        return options.Reduced
            ? new EncodedPath(name, first, sids[1..], (byte)(n - 1), options.Tag, options.Tlvs)
            : new EncodedPath(name, first, sids, (byte)(n - 1), options.Tag, options.Tlvs);
    }
}
