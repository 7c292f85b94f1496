using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using System.Text.Json;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Encapsulation.Tests;

/// <summary>
/// Conformance with the Linux kernel: tests/data/kernel-vectors holds frames before and after the kernel
/// encapsulated them (VXLAN, SRv6 H.Encaps / H.Encaps.Red / H.Encaps.L2). Configured like the kernel, our
/// encapsulators must write the same bytes, copy form and in-place form alike. The only bytes exempt are those
/// the vectors' README lists as set per packet or per forwarding hop; for those the test asserts what must hold
/// instead (valid checksums, the kernel's port range, one source port per flow, one hop of forwarding).
/// </summary>
public class KernelVectorTests
{
    /// <summary>Room before the inner frame for the in-place form; more than any outer header here.</summary>
    private const int Headroom = 256;
    /// <summary>Fills every buffer first, so a byte the encapsulator forgets to write shows up in the comparison.</summary>
    private const byte Garbage = 0xA5;
    /// <summary>Linux's default net.ipv4.ip_local_port_range, which its VXLAN driver draws source ports from.</summary>
    private const ushort LinuxPortMin = 32768;
    private const ushort LinuxPortMax = 60999;

    public static TheoryData<string> VectorNames() => new("vxlan4", "vxlan6", "srv6-encap-v6", "srv6-encapred-v4", "srv6-l2encap");

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Encapsulation_reproduces_the_kernel_vector(string name)
    {
        string directory = VectorDirectory();
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, $"kernel-{name}.json")));
        JsonElement vector = document.RootElement;
        List<byte[]> inners = Pcap.Read(Path.Combine(directory, vector.GetProperty("inner_pcap").GetString()!));
        List<byte[]> kernels = Pcap.Read(Path.Combine(directory, vector.GetProperty("encap_pcap").GetString()!));
        int expectedFrames = vector.GetProperty("observed").GetProperty("frames").GetInt32();
        Assert.Equal(expectedFrames, inners.Count);
        Assert.Equal(expectedFrames, kernels.Count);

        // Two instances with the same history, so the per-packet state (the IPv4 Identification) advances
        // alike and the two forms must agree byte for byte, not only outside the exempt fields.
        var copyEncapsulator = (TunnelEncapsulator)CreateLikeKernel(vector);
        var inPlaceEncapsulator = (TunnelEncapsulator)CreateLikeKernel(vector);
        var layout = new OuterLayout(copyEncapsulator);
        var ourSportByFlow = new Dictionary<string, ushort>();
        var kernelSportByFlow = new Dictionary<string, ushort>();

        for (int i = 0; i < inners.Count; i++)
        {
            byte[] inner = inners[i];
            byte[] kernel = kernels[i];
            string frame = $"{name} frame {i + 1}";
            Assert.True(kernel.Length == copyEncapsulator.GetEncapsulatedLength(inner),
                $"{frame}: GetEncapsulatedLength says {copyEncapsulator.GetEncapsulatedLength(inner)}, the kernel wrote {kernel.Length} bytes");

            byte[] destination = new byte[kernel.Length + 64];
            Array.Fill(destination, Garbage);
            OperationStatus copyStatus = copyEncapsulator.Encapsulate(inner, destination, out int written);
            Assert.True(copyStatus == OperationStatus.Done, $"{frame}: copy form returned {copyStatus}");
            byte[] copied = destination[..written];
            CompareWithKernel($"{frame} (copy)", layout, copied, kernel);

            byte[] buffer = new byte[Headroom + inner.Length + 64];
            Array.Fill(buffer, Garbage);
            inner.CopyTo(buffer, Headroom);
            OperationStatus inPlaceStatus = inPlaceEncapsulator.EncapsulateInPlace(buffer, Headroom, inner.Length, out int packetOffset, out int packetLength);
            Assert.True(inPlaceStatus == OperationStatus.Done, $"{frame}: in-place form returned {inPlaceStatus}");
            byte[] inPlace = buffer[packetOffset..(packetOffset + packetLength)];
            CompareWithKernel($"{frame} (in place)", layout, inPlace, kernel);
            if (!inPlace.AsSpan().SequenceEqual(copied))
            {
                Assert.Fail($"{frame}: the in-place form differs from the copy form\n{HexDiff(copied, inPlace, "copy", "in-place", layout)}");
            }

            if (layout.UdpOffset is int udp)
            {
                string flow = FlowKey(inner);
                RecordSport(ourSportByFlow, flow, BinaryPrimitives.ReadUInt16BigEndian(copied.AsSpan(udp)), $"{frame}: our encapsulator");
                RecordSport(kernelSportByFlow, flow, BinaryPrimitives.ReadUInt16BigEndian(kernel.AsSpan(udp)), $"{frame}: the kernel");
            }
        }
    }

    /// <summary>The encapsulator configured as the JSON says the kernel was, with the kernel's defaults where it chose.</summary>
    private static IEncapsulator CreateLikeKernel(JsonElement vector)
    {
        JsonElement observed = vector.GetProperty("observed");
        // The vectors were captured on the wire after the encapsulating host, so the MACs are the ones observed there.
        PhysicalAddress sourceMac = PhysicalAddress.Parse(SingleObserved(observed, "outer_eth_src"));
        PhysicalAddress destinationMac = PhysicalAddress.Parse(SingleObserved(observed, "outer_eth_dst"));
        string protocol = vector.GetProperty("protocol").GetString()!;
        switch (protocol)
        {
            case "vxlan":
            {
                var underlay = new Underlay
                {
                    Source = IPAddress.Parse(vector.GetProperty("local").GetString()!),
                    Destination = IPAddress.Parse(vector.GetProperty("remote").GetString()!),
                    SourceMac = sourceMac,
                    DestinationMac = destinationMac,
                    HopLimit = HopLimitPolicy.Fixed(64),
                    Dscp = DscpPolicy.Fixed(0),
                    DontFragment = false,
                    UdpChecksum = UdpChecksumPolicy.On,
                    SourcePorts = PortRange.Linux,
                    FlowLabel = FlowLabelPolicy.Zero,
                };
                return new VxlanEncapsulator(underlay, vector.GetProperty("vni").GetUInt32(), vector.GetProperty("dstport").GetUInt16());
            }
            case "srv6":
            {
                var underlay = new Underlay
                {
                    Source = IPAddress.Parse(vector.GetProperty("outer_src_expected").GetString()!),
                    SourceMac = sourceMac,
                    DestinationMac = destinationMac,
                    HopLimit = HopLimitPolicy.FromInnerIpv6(64),
                    Dscp = DscpPolicy.FromInnerIpv6(),
                    FlowLabel = FlowLabelPolicy.FromInner,
                };
                string seg6Mode = vector.GetProperty("seg6_mode").GetString()!;
                (PayloadMode mode, bool reduced) = seg6Mode switch
                {
                    "encap" => (PayloadMode.L3, false),
                    "encap.red" => (PayloadMode.L3, true),
                    "l2encap" => (PayloadMode.L2, false),
                    "l2encap.red" => (PayloadMode.L2, true),
                    _ => throw new InvalidDataException($"seg6 mode '{seg6Mode}' has no counterpart here"),
                };
                Assert.Equal(vector.GetProperty("reduced").GetBoolean(), reduced);
                IPAddress[] segments = vector.GetProperty("sids").EnumerateArray().Select(s => IPAddress.Parse(s.GetString()!)).ToArray();
                return new Srv6Encapsulator(underlay, new Srv6Options { Segments = segments, Mode = mode, Reduced = reduced });
            }
            default:
                throw new InvalidDataException($"protocol '{protocol}' has no counterpart here");
        }
    }

    /// <summary>
    /// Asserts that <paramref name="ours"/> equals the kernel's frame outside the exempt fields, and that the exempt
    /// fields hold what they must.
    /// </summary>
    private static void CompareWithKernel(string frame, OuterLayout layout, byte[] ours, byte[] kernel)
    {
        int firstDifference = -1;
        for (int i = 0; i < Math.Min(ours.Length, kernel.Length); i++)
        {
            if (ours[i] != kernel[i] && !layout.IsExempt(i))
            {
                firstDifference = i;
                break;
            }
        }
        if (firstDifference >= 0 || ours.Length != kernel.Length)
        {
            Assert.Fail($"{frame} differs from the kernel's\n{HexDiff(kernel, ours, "kernel", "ours", layout)}");
        }

        if (layout.Ipv4Offset is int ip)
        {
            Assert.True(InternetChecksum.IsValid(ours.AsSpan(ip, Ipv4.MinHeaderLength)), $"{frame}: our outer IPv4 header checksum does not verify");
        }
        if (layout.UdpOffset is int udp)
        {
            ushort ourChecksum = BinaryPrimitives.ReadUInt16BigEndian(ours.AsSpan(udp + Udp.ChecksumOffset));
            Assert.True(ourChecksum != 0, $"{frame}: our UDP checksum is 0 (absent); the kernel computes it");
            Assert.True(UdpChecksumVerifies(ours, layout), $"{frame}: our UDP checksum 0x{ourChecksum:x4} does not verify");
            // The same verifier must accept the kernel's checksum, or it proves nothing about ours.
            Assert.True(UdpChecksumVerifies(kernel, layout), $"{frame}: the kernel's UDP checksum does not verify: the verifier is wrong");
            ushort ourPort = BinaryPrimitives.ReadUInt16BigEndian(ours.AsSpan(udp));
            ushort kernelPort = BinaryPrimitives.ReadUInt16BigEndian(kernel.AsSpan(udp));
            Assert.True(ourPort is >= LinuxPortMin and <= LinuxPortMax, $"{frame}: our UDP source port {ourPort} is outside {LinuxPortMin}-{LinuxPortMax}");
            Assert.True(kernelPort is >= LinuxPortMin and <= LinuxPortMax, $"{frame}: the kernel's UDP source port {kernelPort} is outside {LinuxPortMin}-{LinuxPortMax}");
        }
        if (layout.ForwardedHopLimitOffset is int hop)
        {
            Assert.True(ours[hop] == kernel[hop] + 1,
                $"{frame}: our outer hop limit is {ours[hop]}; one hop after us the kernel's frame reads {kernel[hop]}, so ours should be {kernel[hop] + 1}");
        }
    }

    /// <summary>Verifies a frame's UDP checksum over a pseudo-header built here, not by the encoder under test.</summary>
    private static bool UdpChecksumVerifies(byte[] frame, OuterLayout layout)
    {
        int udp = layout.UdpOffset!.Value;
        int udpLength = frame.Length - udp;
        byte[] pseudo;
        if (layout.Ipv4Offset is int ip)
        {
            // RFC 768: source, destination, zero, protocol, UDP length.
            pseudo = new byte[12];
            frame.AsSpan(ip + Ipv4.SourceOffset, 8).CopyTo(pseudo);
            pseudo[9] = Ipv4.ProtocolUdp;
            BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)udpLength);
        }
        else
        {
            // RFC 8200 §8.1: source, destination, 32-bit upper-layer length, three zero bytes, next header. The
            // destination is the header's only because UDP follows it directly (a Routing header would hold the final one).
            Assert.Equal(Ipv4.ProtocolUdp, frame[Ethernet.HeaderLength + Ipv6.NextHeaderOffset]);
            pseudo = new byte[40];
            frame.AsSpan(Ethernet.HeaderLength + Ipv6.SourceOffset, 32).CopyTo(pseudo);
            BinaryPrimitives.WriteUInt32BigEndian(pseudo.AsSpan(32), (uint)udpLength);
            pseudo[39] = Ipv4.ProtocolUdp;
        }
        return InternetChecksum.IsValid([.. pseudo, .. frame.AsSpan(udp)]);
    }

    /// <summary>Asserts one source port per inner flow, and records the first.</summary>
    private static void RecordSport(Dictionary<string, ushort> sportByFlow, string flow, ushort sport, string who)
    {
        if (sportByFlow.TryGetValue(flow, out ushort earlier))
        {
            Assert.True(earlier == sport, $"{who} gave flow {flow} source port {sport} after {earlier}");
        }
        else
        {
            sportByFlow[flow] = sport;
        }
    }

    /// <summary>
    /// The inner flow, read here independently of <see cref="FlowHash"/>: EtherType, IP addresses, protocol and
    /// TCP/UDP ports; MAC addresses for a frame that is not IP.
    /// </summary>
    private static string FlowKey(byte[] inner)
    {
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(inner.AsSpan(Ethernet.EtherTypeOffset));
        ReadOnlySpan<byte> ip = inner.AsSpan(Ethernet.HeaderLength);
        (string addresses, byte protocol, int l4) = etherType switch
        {
            Ethernet.EtherTypeIPv4 => (Hex.Format(ip.Slice(Ipv4.SourceOffset, 8)), ip[Ipv4.ProtocolOffset], Ipv4.HeaderLength(ip)),
            Ethernet.EtherTypeIPv6 => (Hex.Format(ip.Slice(Ipv6.SourceOffset, 32)), ip[Ipv6.NextHeaderOffset], Ipv6.HeaderLength),
            _ => (Hex.Format(inner.AsSpan(0, 2 * Ethernet.AddressLength)), (byte)0, -1),
        };
        string ports = protocol is Ipv4.ProtocolTcp or Ipv4.ProtocolUdp ? Hex.Format(ip.Slice(l4, 4)) : "";
        return $"{etherType:x4}/{addresses}/{protocol}/{ports}";
    }

    /// <summary>A hex dump around the first difference, rows of 16, with '^' under every differing byte.</summary>
    private static string HexDiff(byte[] expected, byte[] actual, string expectedName, string actualName, OuterLayout layout)
    {
        int common = Math.Min(expected.Length, actual.Length);
        int first = common;
        for (int i = 0; i < common; i++)
        {
            if (expected[i] != actual[i] && !layout.IsExempt(i))
            {
                first = i;
                break;
            }
        }
        var text = new StringBuilder();
        text.Append($"lengths {expectedName} {expected.Length}, {actualName} {actual.Length}; ");
        if (first < common)
        {
            text.AppendLine($"first difference at offset {first} (0x{first:x4}, {layout.Describe(first)}): {expectedName} 0x{expected[first]:x2}, {actualName} 0x{actual[first]:x2}");
        }
        else
        {
            text.AppendLine($"equal over the first {common} bytes");
        }
        text.AppendLine("exempt bytes (set per packet or per hop) are marked '~' where they differ");
        int width = Math.Max(expectedName.Length, actualName.Length);
        int start = Math.Max(0, first / 16 - 2) * 16;
        int end = Math.Min(Math.Max(expected.Length, actual.Length), start + 6 * 16);
        for (int row = start; row < end; row += 16)
        {
            var marks = new StringBuilder();
            text.Append($"{row:x4} {expectedName.PadRight(width)} ");
            for (int i = row; i < row + 16; i++)
            {
                text.Append(i < expected.Length ? $"{expected[i]:x2} " : "-- ");
            }
            text.AppendLine();
            text.Append($"{row:x4} {actualName.PadRight(width)} ");
            for (int i = row; i < row + 16; i++)
            {
                text.Append(i < actual.Length ? $"{actual[i]:x2} " : "-- ");
                bool differs = i >= common ? i < Math.Max(expected.Length, actual.Length) : expected[i] != actual[i];
                marks.Append(!differs ? "   " : i < common && layout.IsExempt(i) ? "~~ " : "^^ ");
            }
            text.AppendLine();
            string marked = marks.ToString().TrimEnd();
            if (marked.Length > 0)
            {
                text.AppendLine($"{new string(' ', 6 + width)}{marked}");
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// Where the outer headers lie in our encapsulator's frames, and which of their bytes the README exempts:
    /// IPv4 Identification and header checksum, UDP source port and checksum (set per packet), and the SRv6
    /// captures' outer hop limit (decremented by the one forwarding step before capture).
    /// </summary>
    private sealed class OuterLayout
    {
        private readonly bool _exemptHopLimit;
        private readonly int _ipEnd;
        private readonly int _tunnelOffset;
        private readonly int _headerLength;

        public OuterLayout(TunnelEncapsulator encapsulator)
        {
            bool ipv6 = encapsulator.Underlay.IsIpv6;
            Ipv4Offset = ipv6 ? null : Ethernet.HeaderLength;
            _ipEnd = Ethernet.HeaderLength + (ipv6 ? Ipv6.HeaderLength : Ipv4.MinHeaderLength);
            UdpOffset = encapsulator is VxlanEncapsulator ? _ipEnd : null;
            _exemptHopLimit = encapsulator is Srv6Encapsulator;
            ForwardedHopLimitOffset = _exemptHopLimit ? Ethernet.HeaderLength + Ipv6.HopLimitOffset : null;
            _tunnelOffset = encapsulator.TunnelOffset;
            _headerLength = encapsulator.HeaderLength;
        }

        public int? Ipv4Offset { get; }
        public int? UdpOffset { get; }
        public int? ForwardedHopLimitOffset { get; }

        public bool IsExempt(int offset) =>
            (Ipv4Offset is int ip && (InField(offset, ip + Ipv4.IdentificationOffset) || InField(offset, ip + Ipv4.ChecksumOffset)))
            || (UdpOffset is int udp && (InField(offset, udp + Udp.SourcePortOffset) || InField(offset, udp + Udp.ChecksumOffset)))
            || offset == ForwardedHopLimitOffset;

        public string Describe(int offset) => offset switch
        {
            < Ethernet.HeaderLength => "outer Ethernet",
            _ when offset < _ipEnd => $"outer IP header byte {offset - Ethernet.HeaderLength}",
            _ when offset < _tunnelOffset => $"UDP byte {offset - _ipEnd}",
            _ when offset < _headerLength => $"tunnel header (VXLAN/SRH) byte {offset - _tunnelOffset}",
            _ => $"payload byte {offset - _headerLength}",
        };

        private static bool InField(int offset, int fieldOffset) => offset == fieldOffset || offset == fieldOffset + 1;
    }

    private static string SingleObserved(JsonElement observed, string field)
    {
        string[] values = observed.GetProperty(field).EnumerateArray().Select(v => v.GetString()!).ToArray();
        Assert.True(values.Length == 1, $"the kernel wrote {values.Length} values of {field} ({string.Join(", ", values)}); one encapsulator writes one");
        return values[0];
    }

    /// <summary>The vectors travel with the repository, in tests/data/kernel-vectors (scripts/record-kernel-vectors.sh writes them).</summary>
    private static string VectorDirectory()
    {
        string vectors = TestData.KernelVectors;
        Assert.True(Directory.Exists(vectors), $"The kernel reference vectors are missing: expected them in {vectors} (tests/data/MANIFEST.md)");
        return vectors;
    }
}
