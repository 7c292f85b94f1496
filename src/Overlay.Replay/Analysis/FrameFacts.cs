using Overlay.Encapsulation;
using Overlay.Replay.Operator;

namespace Overlay.Replay.Analysis;

/// <summary>
/// What the analysis reads from a captured frame whatever the variant: the inner parse (flow hash, IP version and
/// length) and the operator figures' inputs (whether it may be fragmented, its TCP payload). Read once per frame and
/// handed to every variant, so the per-variant work is only what differs between variants: the encapsulation itself.
/// </summary>
internal readonly struct FrameFacts
{
    /// <summary>The inner frame as an encapsulator reads it; default when <see cref="Parsed"/> is false.</summary>
    public readonly InnerFrame Inner;
    /// <summary>False only when the frame is not even an Ethernet header.</summary>
    public readonly bool Parsed;
    /// <summary>An IP packet that may not be fragmented on the way: IPv6, or IPv4 with Don't Fragment set.</summary>
    public readonly bool NotFragmentable;
    /// <summary>The TCP payload bytes by the packet's own headers; -1 when it is not TCP over IP or its headers are cut short.</summary>
    public readonly int TcpPayload;

    public FrameFacts(ReadOnlySpan<byte> frame, int originalLength)
    {
        Parsed = InnerFrame.TryParse(frame, originalLength, out Inner);
        bool ip = Parsed && Inner.IsIp;
        NotFragmentable = ip && (Inner.IpVersion == 6 || Inner.DontFragmentIn(frame));
        TcpPayload = ip ? OperatorAccumulator.TcpPayload(frame, Inner) : -1;
    }

    /// <summary>An IP packet the operator figures look at.</summary>
    public bool IsIp => Parsed && Inner.IsIp;
}
