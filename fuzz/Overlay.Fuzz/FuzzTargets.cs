using System.Buffers;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Srv6;
using Overlay.Replay;
using Overlay.Replay.Capture;

namespace Overlay.Fuzz;

/// <summary>A target broke one of its own promises on an input: reported to the fuzzer as a crash.</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);

/// <summary>
/// The fuzz targets: each takes arbitrary bytes, drives one parser of hostile input, and throws only when that parser
/// throws or breaks its contract (a typed error whose offset lies outside the frame, an inner frame outside the outer
/// one, an SRv6 endpoint that changed a packet it refused, an encapsulation that does not decapsulate back to its
/// input). The same code runs under AFL++ (Program.cs) and in the test suite, which replays the seed corpus and every
/// crash ever found (tests/corpus/fuzz/TARGET/).
/// </summary>
public static class FuzzTargets
{
    /// <summary>Every target, by the name fuzz/run.sh and the corpus folders use.</summary>
    public static readonly string[] Names = ["decap", "srv6-end", "srv6-end-csid", "capture-reader", "link-normaliser", "encap"];

    private const int MaxInput = CaptureReader.MaxFrameLength;
    private static readonly byte[] s_frame = new byte[MaxInput + 64];
    private static readonly byte[] s_before = new byte[MaxInput + 64];
    private static readonly byte[] s_output = new byte[MaxInput + 1024];
    private static readonly byte[] s_inPlace = new byte[MaxInput + 1024];
    private static readonly byte[] s_scratch = new byte[MaxInput + 64];
    private static readonly byte[] s_untagged = new byte[MaxInput + 64];
    private static IEncapsulator[]? s_encapsulators;
    private static string? s_capturePath;

    /// <summary>The link types the normaliser target picks from (the supported ones, and one it must refuse).</summary>
    private static readonly LinkType[] s_linkTypes = [.. Enum.GetValues<LinkType>(), (LinkType)147];

    public static void Run(string target, ReadOnlySpan<byte> input)
    {
        switch (target)
        {
            case "decap": Decap(input); break;
            case "srv6-end": Srv6End(input); break;
            case "srv6-end-csid": Srv6EndNextCsid(input); break;
            case "capture-reader": CaptureRead(input); break;
            case "link-normaliser": LinkNormalise(input); break;
            case "encap": Encap(input); break;
            default: throw new ArgumentException($"unknown fuzz target '{target}'; targets: {string.Join(", ", Names)}", nameof(target));
        }
    }

    /// <summary>Decapsulator.TryDecapsulate on any bytes: a typed error inside the frame, or an inner frame inside it.</summary>
    public static void Decap(ReadOnlySpan<byte> frame)
    {
        DecapResult result = Decapsulator.TryDecapsulate(frame, out TunnelPacket packet);
        if (!result.IsSuccess)
        {
            Check(result.Offset >= 0 && result.Offset <= frame.Length, $"decap error {result} points outside the {frame.Length}-byte frame");
            return;
        }
        Check(packet.Protocol != TunnelProtocol.None, "decap succeeded without naming a protocol");
        Check(packet.OuterIpVersion is 4 or 6, $"outer IP version {packet.OuterIpVersion}");
        Check(packet.InnerOffset >= packet.OuterIpOffset && packet.InnerLength >= 0 && packet.InnerOffset + packet.InnerLength <= frame.Length,
            $"inner frame {packet.InnerOffset}+{packet.InnerLength} outside the {frame.Length}-byte frame");
        ReadOnlySpan<byte> inner = packet.InnerOf(frame);
        switch (packet.Inner)
        {
            case InnerKind.Ethernet:
                Check(inner.Length >= Ethernet.HeaderLength, $"inner Ethernet frame of {inner.Length} bytes");
                break;
            case InnerKind.Ipv4:
                Check(inner.Length >= 1 && inner[0] >> 4 == 4, "inner IPv4 packet without version 4");
                break;
            case InnerKind.Ipv6:
                Check(inner.Length >= 1 && inner[0] >> 4 == 6, "inner IPv6 packet without version 6");
                break;
        }
        if (packet.SrhOffset >= 0)
        {
            // The protocol is SRv6 when the SRH's payload is the inner packet; over an SRH a UDP or GRE tunnel may also
            // end (an SRv6 underlay steering VXLAN, say), and the SRH is then a routing header on the way.
            Check(packet.SegmentsLeft <= packet.LastEntry + 1, $"Segments Left {packet.SegmentsLeft} beyond Last Entry {packet.LastEntry} + 1");
            Check(packet.SrhOffset + SegmentRoutingHeader.FixedLength + packet.SrhSegmentCount * SegmentRoutingHeader.SegmentLength <= packet.InnerOffset,
                "the SRH's segment list overlaps the inner frame");
            for (int i = 0; i < packet.SrhSegmentCount; i++)
            {
                _ = packet.Segment(frame, i);
            }
        }
        if (packet.GeneveOptionsLength > 0)
        {
            Check(packet.GeneveOptionsOffset + packet.GeneveOptionsLength <= packet.InnerOffset, "GENEVE options overlap the inner frame");
        }
    }

    /// <summary>SRv6 End in place: a refusal leaves the packet as it was; a forward changes Hop Limit, Segments Left and the destination only.</summary>
    public static void Srv6End(ReadOnlySpan<byte> input)
    {
        Span<byte> frame = Load(input);
        EndResult result = Srv6Endpoint.End(frame);
        CheckEnd(result, frame, csid: null);
    }

    /// <summary>End with NEXT-CSID: the first byte picks the C-SID format (block 8..112 bits, C-SID 16 or 32), the rest is the frame.</summary>
    public static void Srv6EndNextCsid(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        int block = 8 * (1 + input[0] % 14);
        int csid = (input[0] & 0x80) != 0 && block <= 96 ? 32 : 16;
        var format = new CompressedSidFormat(block, csid);
        Span<byte> frame = Load(input.Slice(1));
        EndResult result = Srv6Endpoint.EndNextCsid(frame, format);
        CheckEnd(result, frame, format);
    }

    /// <summary>CaptureReader over any file: frames, counted skips, or a CaptureException; every frame then goes through decap.</summary>
    public static void CaptureRead(ReadOnlySpan<byte> input)
    {
        s_capturePath ??= Path.Combine(Environment.GetEnvironmentVariable("OVERLAY_FUZZ_TMP") ?? Path.GetTempPath(),
            $"overlay-fuzz-{Environment.ProcessId}.pcap");
        using (var file = new FileStream(s_capturePath, FileMode.Create, FileAccess.Write, FileShare.Read))
        {
            file.Write(input);
        }
        try
        {
            using var reader = new CaptureReader(s_capturePath);
            long records = 0;
            while (true)
            {
                ReadStatus status = reader.Read(out CapturedFrame frame);
                if (status == ReadStatus.End)
                {
                    break;
                }
                // Every record takes at least a 12-byte header, so a file cannot hold more records than this.
                Check(++records <= input.Length / 12 + 1, $"{records} records out of a {input.Length}-byte file");
                Check(reader.FramesRead == records && frame.Number == records, "frame numbers do not count records");
                if (status == ReadStatus.Skipped)
                {
                    Check(!string.IsNullOrEmpty(reader.SkipReason), "a skipped record without a reason");
                    continue;
                }
                Check(frame.Data.Length >= Ethernet.HeaderLength && frame.Data.Length <= CaptureReader.MaxFrameLength + Ethernet.HeaderLength,
                    $"a normalised frame of {frame.Data.Length} bytes");
                Check(frame.OriginalLength >= frame.Data.Length, $"original length {frame.OriginalLength} below the {frame.Data.Length} bytes captured");
                Decap(frame.Data);
            }
        }
        catch (CaptureException e)
        {
            Check(e.File == s_capturePath && !string.IsNullOrEmpty(e.Reason), "a capture error that names no file or reason");
        }
    }

    /// <summary>
    /// LinkNormalizer.Normalize: the first byte picks the link type (one it supports, or LINKTYPE 147 that it must
    /// refuse), the rest is the captured record.
    /// </summary>
    public static void LinkNormalise(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        LinkType linkType = s_linkTypes[input[0] % s_linkTypes.Length];
        ReadOnlySpan<byte> captured = input.Slice(1, Math.Min(input.Length - 1, MaxInput));
        Span<byte> destination = s_output.AsSpan(0, captured.Length + Ethernet.HeaderLength);
        int length = LinkNormalizer.Normalize(linkType, captured, destination, out string? reason);
        _ = LinkNormalizer.LengthChange(linkType);
        _ = LinkNormalizer.Describe((int)linkType);
        if (length < 0)
        {
            Check(length == -1 && !string.IsNullOrEmpty(reason), "a refusal without a reason");
            return;
        }
        Check(LinkNormalizer.IsSupported((int)linkType), $"unsupported {linkType} normalised");
        Check(length >= Ethernet.HeaderLength && length <= destination.Length, $"normalised length {length} for {captured.Length} bytes");
        Check(length == captured.Length - LinkNormalizer.LengthChange(linkType) || linkType == LinkType.Ethernet,
            $"{linkType}: {captured.Length} bytes became {length}, not {captured.Length} - {LinkNormalizer.LengthChange(linkType)}");
        if (linkType != LinkType.Ethernet)
        {
            ushort etherType = (ushort)(destination[12] << 8 | destination[13]);
            Check(linkType is LinkType.LinuxSll or LinkType.LinuxSll2 || etherType is Ethernet.EtherTypeIPv4 or Ethernet.EtherTypeIPv6,
                $"{linkType} normalised to EtherType 0x{etherType:x4}");
        }
        Decap(destination.Slice(0, length));
    }

    /// <summary>
    /// Every variant over any inner frame (the first byte picks the variant): the encapsulated length is the one
    /// announced, a refusal leaves the destination untouched, the copy and in-place forms agree, and the result
    /// decapsulates back to the frame (L2) or its IP packet (L3). Also the super-frame model on the same frame.
    /// </summary>
    public static void Encap(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        s_encapsulators ??= VariantCatalog.All.Select(v => v.Create()).ToArray();
        IEncapsulator encapsulator = s_encapsulators[input[0] % s_encapsulators.Length];
        ReadOnlySpan<byte> frame = input.Slice(1, Math.Min(input.Length - 1, MaxInput));

        int announced = encapsulator.GetEncapsulatedLength(frame);
        _ = encapsulator.GetEncapsulatedLength(frame, frame.Length + input[0]);
        Span<byte> output = s_output.AsSpan(0, frame.Length + encapsulator.HeaderLength + 64);
        output.Fill(0xA5);
        OperationStatus status = encapsulator.Encapsulate(frame, output, out int written);
        string name = encapsulator.Name;
        if (status != OperationStatus.Done)
        {
            Check(status == OperationStatus.InvalidData, $"{name}: {status} with room to spare");
            Check(announced == -1, $"{name}: refused a frame whose length it announced as {announced}");
            Check(output.IndexOfAnyExcept((byte)0xA5) < 0, $"{name}: a refusal wrote into the destination");
        }
        else
        {
            Check(written == announced, $"{name}: wrote {written} bytes, announced {announced}");
            CheckDecapsulatesTo(encapsulator, output.Slice(0, written), frame);
        }

        int headroom = encapsulator.HeaderLength;
        frame.CopyTo(s_inPlace.AsSpan(headroom));
        OperationStatus inPlace = encapsulator.EncapsulateInPlace(s_inPlace, headroom, frame.Length, out int packetOffset, out int packetLength);
        Check(inPlace == status, $"{name}: in place {inPlace}, copy {status}");
        if (inPlace == OperationStatus.Done)
        {
            Check(packetLength == written && packetOffset >= 0, $"{name}: in place wrote {packetLength} bytes at {packetOffset}, copy {written}");
            CheckDecapsulatesTo(encapsulator, s_inPlace.AsSpan(packetOffset, packetLength), frame);
        }

        int mtu = 68 + input[0] * 8;
        if (SuperFrameSegmenter.IsSuperFrame(frame, frame.Length, mtu))
        {
            int length = frame.Length;
            SuperFrameSegmenter.TrySegment(frame, mtu, s_scratch, segment =>
                Check(segment.Length <= length && segment.Length >= Ethernet.HeaderLength, $"a segment of {segment.Length} bytes from a {length}-byte frame"));
        }
    }

    private static void CheckDecapsulatesTo(IEncapsulator encapsulator, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> frame)
    {
        string name = encapsulator.Name;
        DecapResult result = Decapsulator.TryDecapsulate(packet, out TunnelPacket tunnel);
        Check(result.IsSuccess, $"{name}: its own output does not decapsulate: {result}");
        Decap(packet);
        ReadOnlySpan<byte> expected = frame;
        Check(InnerFrame.TryParse(frame, out InnerFrame inner), $"{name}: carried a frame shorter than an Ethernet header");
        if (encapsulator.Mode == PayloadMode.L3)
        {
            Check(inner.IsIp, $"{name}: carried a frame that is not IP in L3 mode");
            expected = frame.Slice(inner.L2HeaderLength, inner.IpLength);
        }
        else if (encapsulator is Overlay.Encapsulation.Gre.NvgreEncapsulator && inner.L2HeaderLength > Ethernet.HeaderLength)
        {
            // NVGRE carries no 802.1Q tags (RFC 7637 §3.2): the frame comes back without them.
            Span<byte> untagged = s_untagged.AsSpan(0, frame.Length - (inner.L2HeaderLength - Ethernet.HeaderLength));
            frame.Slice(0, 2 * Ethernet.AddressLength).CopyTo(untagged);
            frame.Slice(inner.L2HeaderLength - 2).CopyTo(untagged.Slice(2 * Ethernet.AddressLength));
            expected = untagged;
        }
        Check(tunnel.InnerOf(packet).SequenceEqual(expected), $"{name}: decapsulation does not give back the frame it carried");
    }

    private static void CheckEnd(EndResult result, Span<byte> frame, CompressedSidFormat? csid)
    {
        ReadOnlySpan<byte> before = s_before.AsSpan(0, frame.Length);
        Check(result.Offset >= 0 && result.Offset <= frame.Length, $"End result {result} points outside the {frame.Length}-byte frame");
        if (!result.IsForwarded)
        {
            Check(frame.SequenceEqual(before), $"End refused ({result}) but changed the packet");
            return;
        }
        Check(Ethernet.TryReadL2Header(frame, out _, out int ip), "End forwarded a frame without an Ethernet header");
        int hopLimit = ip + Ipv6.HopLimitOffset, destination = ip + Ipv6.DestinationOffset;
        Check(frame[hopLimit] == before[hopLimit] - 1, "End forwarded without decrementing the Hop Limit");
        int changedFrom = hopLimit, changedTo = destination + Ipv6.AddressLength;
        if (csid is CompressedSidFormat format && result.Offset == destination)
        {
            // A C-SID shift within the destination: the block stays, the rest moves up by one C-SID.
            UInt128 old = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(before.Slice(destination));
            UInt128 now = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(frame.Slice(destination));
            UInt128 blockMask = UInt128.MaxValue << (128 - format.LocatorBlockBits);
            Check(now == ((old & blockMask) | ((old << format.CsidBits) & ~blockMask)), "NEXT-CSID did not shift the C-SIDs");
        }
        else
        {
            int srh = result.Offset - SegmentRoutingHeader.SegmentsLeftOffset;
            Check(srh >= ip + Ipv6.HeaderLength && frame[srh + SegmentRoutingHeader.RoutingTypeOffset] == SegmentRoutingHeader.RoutingType,
                $"End forwarded naming offset {result.Offset}, not an SRH's Segments Left");
            int left = frame[result.Offset];
            Check(left == before[result.Offset] - 1, "End forwarded without decrementing Segments Left");
            Check(frame.Slice(destination, Ipv6.AddressLength).SequenceEqual(SegmentRoutingHeader.Segment(frame.Slice(srh), left)),
                "End did not copy Segment List[Segments Left] into the destination");
            Check(frame.Slice(0, result.Offset).Slice(changedTo).SequenceEqual(before.Slice(0, result.Offset).Slice(changedTo))
                && frame.Slice(result.Offset + 1).SequenceEqual(before.Slice(result.Offset + 1)), "End changed bytes beyond its three fields");
        }
        Check(frame.Slice(0, changedFrom).SequenceEqual(before.Slice(0, changedFrom))
            && frame.Slice(changedFrom + 1, destination - changedFrom - 1).SequenceEqual(before.Slice(changedFrom + 1, destination - changedFrom - 1)),
            "End changed bytes before the destination other than the Hop Limit");
        if (result.Offset == destination)
        {
            Check(frame.Slice(changedTo).SequenceEqual(before.Slice(changedTo)), "NEXT-CSID changed bytes after the destination");
        }
        Decap(frame);
    }

    private static Span<byte> Load(ReadOnlySpan<byte> input)
    {
        input = input.Slice(0, Math.Min(input.Length, MaxInput));
        input.CopyTo(s_frame);
        input.CopyTo(s_before);
        return s_frame.AsSpan(0, input.Length);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }
}
