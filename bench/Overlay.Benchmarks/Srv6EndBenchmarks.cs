using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>Outer Ethernet (14) + IPv6 (40) + the SRH's fixed 8 bytes, rounded up to a cache-friendly 64.</summary>
    public const int HeadBytes = 64;

    /// <summary>The inner frame size: End reads and writes only outer headers, so the size does not matter.</summary>
    public const int InnerFrameLength = 256;

    private Packets _end = null!;
    private Packets _csid = null!;
    private CompressedSidFormat _format;

    [GlobalSetup]
    public void Setup()
    {
        _format = CompressedSidFormat.Default;
        _end = Packets.Build(Prepared.Variant("srv6-encaps-3sid"));
        _csid = Packets.Build(Prepared.Variant("srv6-csid-3sid"));
        for (int i = 0; i < Batch; i++)
        {
            Expect(Srv6Endpoint.End(_end.Restore(i)), "End");
            Expect(Srv6Endpoint.EndNextCsid(_csid.Restore(i), _format), "End with NEXT-C-SID");
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int End()
    {
        Packets packets = _end;
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
        Packets packets = _csid;
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
        Packets packets = _end;
        int total = 0;
        for (int i = 0; i < Batch; i++)
        {
            total += packets.Restore(i).Length;
        }
        return total;
    }

    private static void Expect(EndResult result, string behaviour)
    {
        if (!result.IsForwarded)
        {
            throw new InvalidOperationException($"{behaviour} did not forward: {result}.");
        }
    }

    /// <summary>A batch of encapsulated packets and a pristine copy of each one's outer headers.</summary>
    private sealed class Packets(FrameBatch batch, byte[] heads)
    {
        public static Packets Build(IEncapsulator encapsulator)
        {
            FrameBatch frames = FrameBatch.Fixed(InnerFrameLength.ToString(System.Globalization.CultureInfo.InvariantCulture), Batch);
            var packets = new byte[Batch][];
            var scratch = new byte[frames.MaxLength + encapsulator.HeaderLength];
            for (int i = 0; i < Batch; i++)
            {
                if (encapsulator.Encapsulate(frames.Frame(i), scratch, out int written) != OperationStatus.Done)
                {
                    throw new InvalidOperationException($"{encapsulator.Name}: frame {i} does not encapsulate.");
                }
                packets[i] = scratch.AsSpan(0, written).ToArray();
            }
            FrameBatch batch = FrameBatch.Create(packets, headroom: 0);
            var heads = new byte[Batch * HeadBytes];
            for (int i = 0; i < Batch; i++)
            {
                batch.Frame(i).Slice(0, HeadBytes).CopyTo(heads.AsSpan(i * HeadBytes));
            }
            return new Packets(batch, heads);
        }

        /// <summary>Puts packet <paramref name="index"/>'s outer headers back and returns the packet.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Span<byte> Restore(int index)
        {
            int offset = batch.Offsets[index];
            Unsafe.CopyBlockUnaligned(
                ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(batch.Buffer), offset),
                ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(heads), index * HeadBytes),
                HeadBytes);
            return batch.Buffer.AsSpan(offset, batch.Lengths[index]);
        }
    }
}
