using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;
using Overlay.Kernel.Namespaces;
using Overlay.Kernel.Peer;
using Overlay.Results.Kernel;
using Overlay.Replay.Capture;

namespace Overlay.Kernel;

/// <summary>
/// The overhead cross-check: captures a bounded sample of one variant's outer packets on A's underlay with
/// `overlay record` (SharpPcap, inside A), then
/// <list type="bullet">
/// <item>checks that every outer frame is exactly as long as the suite's model writes for the inner frame that was sent
/// (<see cref="IEncapsulator.GetEncapsulatedLength(ReadOnlySpan{byte})"/>), and</item>
/// <item>runs `overlay decap` over the capture and checks that each inner packet it gives back is the one that was sent:
/// its addresses, port, lengths and every payload byte.</item>
/// </list>
/// </summary>
public sealed class OverheadCheck(Testbed testbed, SelfCommand self, PeerClient sender, PeerClient receiver, string workFolder)
{
    public const int SamplePackets = 24;
    /// <summary>What `overlay record` prints on standard error once it captures.</summary>
    public const string RecordReady = "overlay record: capturing";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public KernelOverheadCheck Run(KernelVariant variant, string size, CancellationToken cancellation)
    {
        if (variant.InnerFamily != AddressFamily.InterNetwork || variant.CaptureFilter is null)
        {
            throw new ArgumentException($"{variant.Name}: the overhead check sends IPv4 inside a tunnel");
        }
        IEncapsulator model = VariantCatalog.Find(variant.Name)?.Create()
            ?? throw new ArgumentException($"{variant.Name}: no variant of that name in the suite's catalogue");
        int[] sizes = TrialRunner.PayloadSizes(size, variant.InnerFamily);
        string stem = Path.Combine(workFolder, $"{variant.Name}-{size}");
        string outer = stem + "-underlay.pcap", inner = stem + "-inner.pcap";

        using (Process record = StartRecord(variant, outer))
        {
            receiver.Send($"{PeerProtocol.UdpReceive} 4 {TrialRunner.UdpPort}");
            receiver.Expect(PeerProtocol.Ready, Limit, cancellation);
            sender.Send($"{PeerProtocol.UdpSend} {variant.Destination} {TrialRunner.UdpPort} {string.Join(',', sizes)} 5 {SamplePackets}");
            sender.Expect(PeerProtocol.Done, Limit, cancellation);
            receiver.Send(PeerProtocol.Stop);
            receiver.Expect(PeerProtocol.Done, Limit, cancellation);
            if (!record.WaitForExit(Limit))
            {
                record.Kill();
                throw new KernelRunException($"{variant.Name}: `overlay record` did not see {SamplePackets} packets on the underlay");
            }
            if (record.ExitCode != 0)
            {
                throw new KernelRunException($"{variant.Name}: `overlay record` failed ({record.ExitCode}): {record.StandardError.ReadToEnd().Trim()}");
            }
        }
        ProcessStartInfo decap = self.StartInfo([], ["decap", "--in", outer, "--out", inner, "--quiet"]);
        Shell.Outcome decapped = Shell.TryRun(decap.FileName, decap.ArgumentList, Limit);
        if (!decapped.Ok)
        {
            throw new KernelRunException($"{variant.Name}: `overlay decap --in {outer}` failed ({decapped.ExitCode}): {decapped.Stderr}");
        }
        KernelOverheadCheck result = Compare(variant, size, model, sizes, CaptureReader.ReadWholeFrames(outer), CaptureReader.ReadWholeFrames(inner));
        if (result.DecapMatches < result.Captured)
        {
            string report = string.Join("; ", (decapped.Stdout + "\n" + decapped.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            result = result with { Problem = $"{result.Problem}; `overlay decap` said: {report}" };
        }
        return result;
    }

    /// <summary>Compares the captured outer frames and the inner frames decap gave back with what was sent (frame i
    /// carried payload size sizes[i mod n]).</summary>
    public static KernelOverheadCheck Compare(KernelVariant variant, string size, IEncapsulator model, int[] sizes,
        IReadOnlyList<byte[]> outerFrames, IReadOnlyList<byte[]> innerFrames)
    {
        var measured = new SortedSet<int>();
        int lengthMatches = 0, decapMatches = 0, modelOverhead = -1;
        var problems = new List<string>();
        IPAddress destination = IPAddress.Parse(variant.Destination);
        for (int i = 0; i < outerFrames.Count; i++)
        {
            byte[] sent = SentFrame(sizes[i % sizes.Length], destination);
            int modelLength = model.GetEncapsulatedLength(sent);
            modelOverhead = modelLength - sent.Length;
            measured.Add(outerFrames[i].Length - sent.Length);
            if (outerFrames[i].Length == modelLength)
            {
                lengthMatches++;
            }
            else if (problems.Count < 3)
            {
                problems.Add($"frame {i + 1}: {outerFrames[i].Length} B on the underlay, the model writes {modelLength} B");
            }
            if (i < innerFrames.Count && CarriesSent(innerFrames[i], sent))
            {
                decapMatches++;
            }
            else if (problems.Count < 3)
            {
                problems.Add($"frame {i + 1}: `overlay decap` did not give back the packet that was sent");
            }
        }
        if (outerFrames.Count < SamplePackets)
        {
            problems.Insert(0, $"{outerFrames.Count} of {SamplePackets} packets captured on the underlay");
        }
        bool exact = outerFrames.Count >= SamplePackets && lengthMatches == outerFrames.Count && decapMatches == outerFrames.Count
            && innerFrames.Count == outerFrames.Count;
        if (modelOverhead < 0)
        {
            modelOverhead = model.GetEncapsulatedLength(SentFrame(sizes[0], destination)) - SentFrame(sizes[0], destination).Length;
        }
        return new KernelOverheadCheck(variant.Name, size, SamplePackets, outerFrames.Count, lengthMatches, decapMatches,
            [.. measured], modelOverhead, exact, problems.Count > 0 ? string.Join("; ", problems) : null);
    }

    /// <summary>The inner Ethernet frame of a datagram of <paramref name="payload"/> bytes to <paramref name="destination"/>,
    /// as the model takes it (addresses and checksums do not change a length).</summary>
    public static byte[] SentFrame(int payload, IPAddress destination)
    {
        var frame = new byte[Ethernet.HeaderLength + Ipv4.MinHeaderLength + Udp.HeaderLength + payload];
        Ethernet.Write(frame, [2, 0, 0, 0, 0, 2], [2, 0, 0, 0, 0, 1], Ethernet.EtherTypeIPv4);
        Span<byte> ip = frame.AsSpan(Ethernet.HeaderLength);
        Ipv4.Write(ip, 0, true, 64, Ipv4.ProtocolUdp, [10, 201, 0, 1], destination.GetAddressBytes());
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(Ipv4.TotalLengthOffset), (ushort)(frame.Length - Ethernet.HeaderLength));
        Ipv4.WriteChecksum(ip);
        Span<byte> udp = ip.Slice(Ipv4.MinHeaderLength);
        Udp.Write(udp, 40000, TrialRunner.UdpPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(Udp.LengthOffset), (ushort)(Udp.HeaderLength + payload));
        for (int i = 0; i < payload; i++)
        {
            udp[Udp.HeaderLength + i] = Datagrams.PayloadByte(i);
        }
        return frame;
    }

    /// <summary>Whether a decapsulated frame carries the sent datagram: IPv4 to the same address, UDP to the same port,
    /// the same lengths and every payload byte the same (the source address and port, identification and checksums are
    /// the kernel's own choice).</summary>
    public static bool CarriesSent(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> sent)
    {
        if (frame.Length < Ethernet.HeaderLength + Ipv4.MinHeaderLength + Udp.HeaderLength
            || BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12)) != Ethernet.EtherTypeIPv4)
        {
            return false;
        }
        ReadOnlySpan<byte> ip = frame.Slice(Ethernet.HeaderLength), sentIp = sent.Slice(Ethernet.HeaderLength);
        if (Ipv4.Version(ip) != 4 || Ipv4.HeaderLength(ip) != Ipv4.MinHeaderLength || Ipv4.TotalLength(ip) != Ipv4.TotalLength(sentIp)
            || ip[Ipv4.ProtocolOffset] != Ipv4.ProtocolUdp || ip.Length < Ipv4.TotalLength(sentIp)
            || !ip.Slice(Ipv4.DestinationOffset, 4).SequenceEqual(sentIp.Slice(Ipv4.DestinationOffset, 4)))
        {
            return false;
        }
        ReadOnlySpan<byte> udp = ip.Slice(Ipv4.MinHeaderLength, Ipv4.TotalLength(ip) - Ipv4.MinHeaderLength);
        ReadOnlySpan<byte> sentUdp = sentIp.Slice(Ipv4.MinHeaderLength);
        return udp.Slice(Udp.DestinationPortOffset, 4).SequenceEqual(sentUdp.Slice(Udp.DestinationPortOffset, 4))
            && udp.Slice(Udp.HeaderLength).SequenceEqual(sentUdp.Slice(Udp.HeaderLength));
    }

    private Process StartRecord(KernelVariant variant, string path)
    {
        ProcessStartInfo start = self.StartInfo([testbed.Ip, "netns", "exec", testbed.A], ["record", "--interface", Testbed.Underlay,
            "--out", path, "--count", SamplePackets.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "15",
            "--filter", variant.CaptureFilter!, "--quiet"]);
        Process process = Process.Start(start) ?? throw new KernelRunException("could not start `overlay record`");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Limit)
        {
            string? line = process.StandardError.ReadLine();
            if (line is null)
            {
                break;
            }
            if (line.StartsWith(RecordReady, StringComparison.Ordinal))
            {
                return process;
            }
        }
        process.WaitForExit(2000);
        string rest = process.StandardError.ReadToEnd();
        process.Dispose();
        throw new KernelRunException($"`overlay record` did not start capturing in {testbed.A}: {rest.Trim()}");
    }
}
