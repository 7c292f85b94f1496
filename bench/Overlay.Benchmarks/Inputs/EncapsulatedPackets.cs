using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Overlay.Encapsulation;

namespace Overlay.Benchmarks.Inputs;

/// <summary>
/// Encapsulated packets for the benchmarks that read them (decapsulation, SRv6 End): each frame of a batch encapsulated by
/// copy once, laid out again without headroom, with a pristine copy of each packet's first <see cref="HeadBytes"/> bytes
/// that <see cref="Restore"/> puts back, so a behaviour that rewrites outer headers sees the same packets every time.
/// </summary>
public sealed class EncapsulatedPackets
{
    /// <summary>Outer Ethernet (14) + IPv6 (40) + an SRH's fixed 8 bytes, rounded up to a cache-friendly 64.</summary>
    public const int HeadBytes = 64;

    private readonly byte[] _heads;

    private EncapsulatedPackets(FrameBatch batch)
    {
        Batch = batch;
        _heads = new byte[batch.Count * HeadBytes];
        for (int i = 0; i < batch.Count; i++)
        {
            batch.Frame(i).Slice(0, Math.Min(HeadBytes, batch.Lengths[i])).CopyTo(_heads.AsSpan(i * HeadBytes));
        }
    }

    /// <summary>The packets, one after another, each at an aligned address.</summary>
    public FrameBatch Batch { get; }

    /// <summary>Every frame of <paramref name="frames"/> encapsulated by <paramref name="encapsulator"/>; throws on a frame it cannot carry.</summary>
    public static EncapsulatedPackets Build(IEncapsulator encapsulator, FrameBatch frames)
    {
        var packets = new byte[frames.Count][];
        var scratch = new byte[frames.MaxLength + encapsulator.HeaderLength];
        for (int i = 0; i < frames.Count; i++)
        {
            if (encapsulator.Encapsulate(frames.Frame(i), scratch, out int written) != OperationStatus.Done)
            {
                throw new InvalidOperationException($"{encapsulator.Name}: frame {i} does not encapsulate.");
            }
            packets[i] = scratch.AsSpan(0, written).ToArray();
        }
        return new EncapsulatedPackets(FrameBatch.Create(packets, headroom: 0));
    }

    /// <summary>Puts packet <paramref name="index"/>'s first bytes back and returns the packet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Restore(int index)
    {
        FrameBatch batch = Batch;
        int offset = batch.Offsets[index];
        Unsafe.CopyBlockUnaligned(
            ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(batch.Buffer), offset),
            ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_heads), index * HeadBytes),
            HeadBytes);
        return batch.Buffer.AsSpan(offset, batch.Lengths[index]);
    }
}
