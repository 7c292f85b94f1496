using System.Runtime.CompilerServices;
using Overlay.Benchmarks.Inputs;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Srv6;

namespace Overlay.Instructions;

/// <summary>
/// The loops Cachegrind counts: the same per-packet work as the BenchmarkDotNet methods of the same name
/// (EncapsulateBenchmarks.Copy and InPlace, DecapsulateBenchmarks.Decapsulate, Srv6EndBenchmarks.End and EndNextCsid),
/// over a batch of <see cref="Batch"/> frames, round after round. Each returns a sum of what it produced, printed by the
/// driver, so no work can be left out. Not inlined, so a per-function Cachegrind listing shows each loop apart.
/// </summary>
internal static class MeasuredLoops
{
    /// <summary>Frames per batch, as the benchmarks: four IMIX cycles.</summary>
    public const int Batch = 48;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Copy(IEncapsulator encapsulator, FrameBatch frames, OutputRing output, int rounds)
    {
        byte[] buffer = frames.Buffer;
        long total = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < Batch; i++)
            {
                encapsulator.Encapsulate(buffer.AsSpan(frames.Offsets[i], frames.Lengths[i]), output.Slot(i), out int written);
                total += written;
            }
        }
        return total;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long InPlace(IEncapsulator encapsulator, FrameBatch frames, int rounds)
    {
        byte[] buffer = frames.Buffer;
        long total = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < Batch; i++)
            {
                encapsulator.EncapsulateInPlace(buffer, frames.Offsets[i], frames.Lengths[i], out _, out int length);
                frames.RestoreHead(i);
                total += length;
            }
        }
        return total;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Decapsulate(FrameBatch packets, int rounds)
    {
        byte[] buffer = packets.Buffer;
        long total = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < Batch; i++)
            {
                Decapsulator.TryDecapsulate(buffer.AsSpan(packets.Offsets[i], packets.Lengths[i]), out TunnelPacket tunnel);
                total += tunnel.InnerLength;
            }
        }
        return total;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long End(EncapsulatedPackets packets, int rounds)
    {
        long forwarded = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < Batch; i++)
            {
                forwarded += Srv6Endpoint.End(packets.Restore(i)).IsForwarded ? 1 : 0;
            }
        }
        return forwarded;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long EndNextCsid(EncapsulatedPackets packets, CompressedSidFormat format, int rounds)
    {
        long forwarded = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < Batch; i++)
            {
                forwarded += Srv6Endpoint.EndNextCsid(packets.Restore(i), format).IsForwarded ? 1 : 0;
            }
        }
        return forwarded;
    }
}
