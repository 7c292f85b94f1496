using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>The verification of one variant: every output frame decapsulates back to the frame it was made from.</summary>
internal sealed partial class DecapsulationCheck(PayloadMode mode)
{
    private long _checked, _identical;
    private readonly Dictionary<string, long> _failures = [];

    /// <summary>Decapsulates <paramref name="output"/> and compares what comes out with <paramref name="frame"/>.</summary>
    public void Check(ReadOnlySpan<byte> frame, in InnerFrame inner, ReadOnlySpan<byte> output)
    {
        _checked++;
        DecapResult result = Decapsulator.TryDecapsulate(output, out TunnelPacket packet);
        if (!result.IsSuccess)
        {
            string reason = result.Error.ToString();
            _failures[reason] = _failures.GetValueOrDefault(reason) + 1;
            return;
        }
        ReadOnlySpan<byte> decapsulated = packet.InnerOf(output);
        bool identical;
        if (mode == PayloadMode.L3)
        {
            identical = decapsulated.SequenceEqual(frame.Slice(inner.L2HeaderLength, inner.IpLength));
        }
        else if (decapsulated.Length == frame.Length)
        {
            identical = decapsulated.SequenceEqual(frame);
        }
        else
        {
            // NVGRE drops VLAN tags (RFC 7637 §3.2): the frame must come back as its MAC addresses and the rest after the tags.
            int tags = inner.L2HeaderLength - Ethernet.HeaderLength;
            identical = decapsulated.Length == frame.Length - tags
                && decapsulated.Slice(0, 12).SequenceEqual(frame.Slice(0, 12))
                && decapsulated.Slice(12).SequenceEqual(frame.Slice(12 + tags));
        }
        if (identical)
        {
            _identical++;
        }
        else
        {
            _failures["InnerFrameDiffers"] = _failures.GetValueOrDefault("InnerFrameDiffers") + 1;
        }
    }

    public DecapCheckFigure ToFigure() => new()
    {
        Checked = Measure.Packets(_checked),
        Identical = Measure.Packets(_identical),
        Failed = Measure.Packets(_checked - _identical),
        Reasons = _failures,
    };
}
