using System.Runtime.CompilerServices;
using Overlay.Encapsulation;

namespace Overlay.Benchmarks.Inputs;

/// <summary>
/// The timed loops that several benchmark classes share: the copy encapsulation of a batch into its output ring, and
/// the calibration that copies the same payload bytes to the same place. Inlined into each benchmark method, so every
/// class times the same machine code and their ratios compare.
/// </summary>
public static class BatchLoops
{
    /// <summary>Encapsulates every frame of <paramref name="frames"/> into its slot of <paramref name="output"/>; returns the bytes written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int EncapsulateCopy(IEncapsulator encapsulator, FrameBatch frames, OutputRing output)
    {
        byte[] buffer = frames.Buffer;
        int total = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            encapsulator.Encapsulate(buffer.AsSpan(frames.Offsets[i], frames.Lengths[i]), output.Slot(i), out int written);
            total += written;
        }
        return total;
    }

    /// <summary>
    /// The calibration: copies each frame's payload (<paramref name="payloadOffsets"/>, <paramref name="payloadLengths"/>,
    /// from <see cref="Prepared.Payloads"/>) to <paramref name="header"/> bytes into its slot, where the encapsulation writes it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CopyPayloads(FrameBatch frames, int[] payloadOffsets, int[] payloadLengths, OutputRing output, int header)
    {
        byte[] buffer = frames.Buffer;
        int total = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            int length = payloadLengths[i];
            buffer.AsSpan(frames.Offsets[i] + payloadOffsets[i], length).CopyTo(output.Slot(i).Slice(header));
            total += length;
        }
        return total;
    }
}
