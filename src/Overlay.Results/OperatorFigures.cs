namespace Overlay.Results;

/// <summary>
/// The two questions operators ask of an overlay on their traffic: what its smaller TCP MSS costs in extra packets,
/// and how much of the traffic a path that drops ICMP "too big" would silently lose.
/// </summary>
public sealed record OperatorFigures
{
    /// <summary>The tunnel's bytes inside the underlay MTU, per inner IP version ("4", "6"): outer IP packet minus inner IP packet.</summary>
    public required Dictionary<string, Measure> TunnelBytesInMtu { get; init; }
    public required List<MssClampFigure> MssClamp { get; init; }
    public required List<BlackHoleFigure> BlackHole { get; init; }
}

/// <summary>
/// MSS clamping under one underlay MTU: the capture's TCP payload re-cut into segments of the native MSS (MTU − 40 for
/// IPv4, − 60 for IPv6) and of the MSS the tunnel leaves (that minus the tunnel's bytes), flow by flow.
/// </summary>
public sealed record MssClampFigure
{
    public required Measure UnderlayMtu { get; init; }
    public required Measure TcpFlows { get; init; }
    /// <summary>TCP payload bytes in the capture (goodput).</summary>
    public required Measure TcpGoodputBytes { get; init; }
    public required Measure NativeMssIpv4 { get; init; }
    public required Measure TunnelMssIpv4 { get; init; }
    public required Measure NativeMssIpv6 { get; init; }
    public required Measure TunnelMssIpv6 { get; init; }
    public required Measure NativeSegments { get; init; }
    public required Measure TunnelSegments { get; init; }
    /// <summary>Extra segments per 10^9 bytes of TCP goodput.</summary>
    public required Measure ExtraPacketsPerGB { get; init; }
    public required Measure ExtraPacketsPercent { get; init; }
    public required List<PacketCostFigure> Cost { get; init; }
}

/// <summary>What the extra packets cost at one line rate, with TCP goodput filling the link.</summary>
/// <param name="LineRate">The link speed.</param>
/// <param name="ExtraPacketsPerSecond">Extra segments per second the smaller MSS causes at that goodput.</param>
/// <param name="BudgetPerPacket">The time one full-size tunnel frame occupies the link (preamble, FCS and gap counted): the per-packet processing budget.</param>
/// <param name="ExtraHeaderShare">The share of the link the extra packets' own headers take (extra pps × the wire bytes of one segment's Ethernet, IP, TCP and tunnel headers).</param>
public sealed record PacketCostFigure(Measure LineRate, Measure ExtraPacketsPerSecond, Measure BudgetPerPacket, Measure ExtraHeaderShare);

/// <summary>
/// PMTUD black holes under one underlay MTU: frames that may not be fragmented on the way (IPv4 with DF set, and all
/// IPv6: RFC 8200 routers never fragment) whose encapsulated packet exceeds the MTU.
/// </summary>
public sealed record BlackHoleFigure
{
    public required Measure UnderlayMtu { get; init; }
    /// <summary>Carried frames that may not be fragmented.</summary>
    public required Measure NotFragmentable { get; init; }
    /// <summary>Of those, the ones whose encapsulated IP packet exceeds the MTU.</summary>
    public required Measure FramesOver { get; init; }
    /// <summary>Of those, the ones the tunnel pushed over: their own IP packet fits the MTU.</summary>
    public required Measure FramesPushedOver { get; init; }
    /// <summary><see cref="FramesOver"/> as a share of every carried frame.</summary>
    public required Measure PercentOfCarried { get; init; }
    /// <summary><see cref="FramesOver"/> as a share of carried bytes.</summary>
    public required Measure PercentOfBytes { get; init; }
}
