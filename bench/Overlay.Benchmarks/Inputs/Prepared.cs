using System.Buffers;
using Overlay.Encapsulation;

namespace Overlay.Benchmarks.Inputs;

/// <summary>
/// What a benchmark's GlobalSetup derives from a variant and its frames, checked once so that a timed loop can
/// trust it: every frame encapsulates (copy and in place) to the length the encapsulator predicts, the result
/// decapsulates back to the payload, and where each frame's payload lies (the bytes the calibration copies).
/// </summary>
public static class Prepared
{
    /// <summary>The variant called <paramref name="name"/>, built fresh (an encapsulator keeps per-packet state).</summary>
    public static IEncapsulator Variant(string name) =>
        (Encapsulation.Profiles.DeployedProfiles.FindVariantOrTunnel(name) ?? throw new ArgumentException($"unknown variant '{name}'", nameof(name))).Create();

    /// <summary>
    /// The inner IP version of the fixed-size frames <paramref name="encapsulator"/> is measured with: IPv4, or IPv6 for a
    /// variant that carries IPv6 alone (IPv6 in IPv4 or in IPv6).
    /// </summary>
    public static int InnerIpVersion(IEncapsulator encapsulator) =>
        encapsulator.GetEncapsulatedLength(InnerFrames.Create(InnerFrames.MinFrameLength)) >= 0 ? 4 : 6;

    /// <summary>
    /// Where the payload an encapsulator carries lies in each frame (L3: the IP packet, L2: the frame), or -1 for
    /// a frame it cannot carry; the calibration copies exactly these bytes to where the encapsulation writes them.
    /// </summary>
    public static (int[] Offsets, int[] Lengths) Payloads(IEncapsulator encapsulator, FrameBatch frames)
    {
        var offsets = new int[frames.Count];
        var lengths = new int[frames.Count];
        for (int i = 0; i < frames.Count; i++)
        {
            ReadOnlySpan<byte> frame = frames.Frame(i);
            int length = encapsulator.GetEncapsulatedLength(frame);
            if (length < 0 || !InnerFrame.TryParse(frame, out InnerFrame inner))
            {
                offsets[i] = -1;
                continue;
            }
            offsets[i] = encapsulator.Mode == PayloadMode.L3 ? inner.L2HeaderLength : 0;
            lengths[i] = length - encapsulator.HeaderLength;
        }
        return (offsets, lengths);
    }

    /// <summary>
    /// Encapsulates every frame once by copy and once in place and checks both against the predicted length and
    /// a decapsulation back to the payload; throws (so BenchmarkDotNet reports the case as failed) on any
    /// mismatch. Returns how many frames the variant carries. Leaves the frames as they were.
    /// </summary>
    public static int Validate(IEncapsulator encapsulator, FrameBatch frames, bool requireAll)
    {
        int maxLength = frames.MaxLength + encapsulator.HeaderLength;
        var copy = new byte[maxLength];
        var payloads = Payloads(encapsulator, frames);
        int carried = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            ReadOnlySpan<byte> frame = frames.Frame(i);
            int predicted = encapsulator.GetEncapsulatedLength(frame);
            OperationStatus status = encapsulator.Encapsulate(frame, copy, out int written);
            if (predicted < 0)
            {
                if (requireAll || status == OperationStatus.Done)
                {
                    throw new InvalidOperationException($"{encapsulator.Name}: frame {i} ({frame.Length} B) cannot be carried ({status}).");
                }
                continue;
            }
            if (status != OperationStatus.Done || written != predicted)
            {
                throw new InvalidOperationException($"{encapsulator.Name}: frame {i} encapsulated to {written} B ({status}), predicted {predicted} B.");
            }
            ReadOnlySpan<byte> payload = frame.Slice(payloads.Offsets[i], payloads.Lengths[i]);
            CheckDecapsulates(encapsulator.Name, copy.AsSpan(0, written), payload, i);

            status = encapsulator.EncapsulateInPlace(frames.Buffer, frames.Offsets[i], frames.Lengths[i], out int packetOffset, out int packetLength);
            if (status != OperationStatus.Done || packetLength != predicted)
            {
                throw new InvalidOperationException($"{encapsulator.Name}: frame {i} encapsulated in place to {packetLength} B ({status}), predicted {predicted} B.");
            }
            CheckDecapsulates(encapsulator.Name, frames.Buffer.AsSpan(packetOffset, packetLength), payload, i);
            frames.RestoreHead(i);
            carried++;
        }
        return carried;
    }

    /// <summary>Checks that <paramref name="packet"/> decapsulates to <paramref name="payload"/>.</summary>
    public static void CheckDecapsulates(string name, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> payload, int index)
    {
        DecapResult result = Decapsulator.TryDecapsulate(packet, out TunnelPacket tunnel);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"{name}: frame {index} does not decapsulate: {result}.");
        }
        if (!tunnel.InnerOf(packet).SequenceEqual(payload))
        {
            throw new InvalidOperationException($"{name}: frame {index} decapsulates to other bytes than it carried.");
        }
    }
}
