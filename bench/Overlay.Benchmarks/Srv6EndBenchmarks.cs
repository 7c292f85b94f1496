using BenchmarkDotNet.Attributes;
using Overlay.Benchmarks.Config;
using Overlay.Benchmarks.Inputs;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Srv6;

namespace Overlay.Benchmarks;

/// <summary>
/// The per-hop work of SRv6 service insertion: End (RFC 8986 §4.1) on H.Encaps packets with 3 SIDs, and End with
/// NEXT-C-SID (RFC 9800) on packets whose 3 C-SIDs travel in the destination address. Each packet's outer headers
/// (the first <see cref="HeadBytes"/> bytes: Ethernet, IPv6 and the SRH's fixed part) are put back before the
/// behaviour runs, so every invocation forwards the same packets; the calibration is that copy alone, so
/// End − CopyBaseline is the behaviour's own cost. Results are per packet.
/// </summary>
[BenchmarkCategory(Categories.Srv6End)]
public class Srv6EndBenchmarks
{
    public const int Batch = EncapsulateBenchmarks.Batch;

    /// <summary>The outer header bytes put back before each behaviour runs.</summary>
    public const int HeadBytes = EncapsulatedPackets.HeadBytes;

    /// <summary>The inner frame size: End reads and writes only outer headers, so the size does not matter.</summary>
    public const int InnerFrameLength = 256;

    private EncapsulatedPackets _end = null!;
    private EncapsulatedPackets _csid = null!;
    private CompressedSidFormat _format;

    [GlobalSetup]
    public void Setup()
    {
        _format = CompressedSidFormat.Default;
        _end = Build("srv6-encaps-3sid");
        _csid = Build("srv6-csid-3sid");
        for (int i = 0; i < Batch; i++)
        {
            Expect(Srv6Endpoint.End(_end.Restore(i)), "End");
            Expect(Srv6Endpoint.EndNextCsid(_csid.Restore(i), _format), "End with NEXT-C-SID");
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int End()
    {
        EncapsulatedPackets packets = _end;
        int forwarded = 0;
        for (int i = 0; i < Batch; i++)
        {
            forwarded += Srv6Endpoint.End(packets.Restore(i)).IsForwarded ? 1 : 0;
        }
        return forwarded;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int EndNextCsid()
    {
        EncapsulatedPackets packets = _csid;
        CompressedSidFormat format = _format;
        int forwarded = 0;
        for (int i = 0; i < Batch; i++)
        {
            forwarded += Srv6Endpoint.EndNextCsid(packets.Restore(i), format).IsForwarded ? 1 : 0;
        }
        return forwarded;
    }

    /// <summary>The calibration: the same header bytes put back, without the behaviour.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Baseline = true), BenchmarkCategory(Categories.Calibration)]
    public int CopyBaseline()
    {
        EncapsulatedPackets packets = _end;
        int total = 0;
        for (int i = 0; i < Batch; i++)
        {
            total += packets.Restore(i).Length;
        }
        return total;
    }

    /// <summary>A batch of <see cref="InnerFrameLength"/>-byte frames encapsulated by <paramref name="variant"/>.</summary>
    public static EncapsulatedPackets Build(string variant) =>
        EncapsulatedPackets.Build(Prepared.Variant(variant), FrameBatch.Fixed(InnerFrameLength.ToString(System.Globalization.CultureInfo.InvariantCulture), Batch));

    private static void Expect(EndResult result, string behaviour)
    {
        if (!result.IsForwarded)
        {
            throw new InvalidOperationException($"{behaviour} did not forward: {result}.");
        }
    }
}
