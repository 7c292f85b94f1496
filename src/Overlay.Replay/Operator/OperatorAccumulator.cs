using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;
using Overlay.Replay.Analysis;
using Overlay.Results;

namespace Overlay.Replay.Operator;

/// <summary>
/// Collects, frame by frame, what the MSS-clamp and PMTUD black-hole figures need for one variant: the TCP payload per
/// flow and family, the tunnel's bytes inside the MTU, and the frames that may not be fragmented and no longer fit.
/// Fed by the analysis' per-frame loop with each carried frame and its encapsulated length; allocates only when a new
/// TCP flow appears, and past <see cref="MaxTrackedFlows"/> flows counts payload in bulk (MSS-sized segments, no
/// per-flow rounding), so memory stays bounded on any capture.
/// </summary>
public sealed partial class OperatorAccumulator
{
    public const int MaxTrackedFlows = 1 << 18;
    private const int TcpProtocol = 6;
    private const int Ipv4Headers = 40;   // IPv4 20 + TCP 20, as an MSS is derived from an MTU
    private const int Ipv6Headers = 60;   // IPv6 40 + TCP 20

    private readonly int[] _mtus;
    private readonly double[] _rates;
    private readonly long[] _over;
    private readonly long[] _pushedOver;
    private readonly long[] _overBytes;
    private long _carried, _carriedBytes, _notFragmentable;
    // Per family (0: IPv4, 1: IPv6); shared while another adds to them every frame this accumulator counts too.
    private readonly TcpFlowBytes[] _flowBytes = [new(), new()];
    private readonly bool[] _sharedFlowBytes = new bool[2];
    private readonly int[] _tunnelBytes = [int.MaxValue, int.MaxValue];

    public OperatorAccumulator(IReadOnlyList<int> underlayMtus, IReadOnlyList<double> lineRatesGbps)
    {
        _mtus = underlayMtus.Distinct().Order().ToArray();
        _rates = lineRatesGbps.ToArray();
        _over = new long[_mtus.Length];
        _pushedOver = new long[_mtus.Length];
        _overBytes = new long[_mtus.Length];
    }

    /// <summary>The underlay MTUs an analysis asks about (1500, 9000) and the capture's own (--mtu); line rates 10/100/400 Gbit/s.</summary>
    public static OperatorAccumulator For(AnalyzeOptions options) =>
        new([.. options.UnderlayMtus, options.InterfaceMtu], [10, 100, 400]);

    /// <summary>One carried frame (<paramref name="originalLength"/> on the wire) and the length of its encapsulated frame.</summary>
    public void Add(ReadOnlySpan<byte> frame, int originalLength, int encapsulatedLength) =>
        Add(new FrameFacts(frame, originalLength), originalLength, encapsulatedLength);

    /// <summary>As <see cref="Add(ReadOnlySpan{byte}, int, int)"/>, with the frame read once for every variant.</summary>
    internal void Add(in FrameFacts facts, int originalLength, int encapsulatedLength)
    {
        _carried++;
        _carriedBytes += originalLength;
        if (!facts.IsIp)
        {
            return;
        }
        ref readonly InnerFrame inner = ref facts.Inner;
        int outerIp = encapsulatedLength - Ethernet.HeaderLength;
        int family = inner.IpVersion == 6 ? 1 : 0;
        if (facts.NotFragmentable)
        {
            _notFragmentable++;
            for (int m = 0; m < _mtus.Length; m++)
            {
                if (outerIp > _mtus[m])
                {
                    _over[m]++;
                    _overBytes[m] += originalLength;
                    if (inner.IpLength <= _mtus[m])
                    {
                        _pushedOver[m]++;
                    }
                }
            }
        }
        int payload = facts.TcpPayload;
        if (payload < 0)
        {
            return;
        }
        // The smallest outer-minus-inner over TCP frames is the tunnel's own bytes (an L2 tunnel also carries padding).
        _tunnelBytes[family] = Math.Min(_tunnelBytes[family], outerIp - inner.IpLength);
        if (payload == 0)
        {
            return;
        }
        if (!_sharedFlowBytes[family])
        {
            _flowBytes[family].Add(inner.FlowHash, payload);
        }
    }

    /// <summary>
    /// From now on the TCP flow bytes of a family (0: IPv4, 1: IPv6) are <paramref name="shared"/>, which its owner adds
    /// every frame to that this accumulator is given as well (with a TCP payload): many variants then keep one table.
    /// </summary>
    internal void ShareTcpFlows(int family, TcpFlowBytes shared)
    {
        _flowBytes[family] = shared;
        _sharedFlowBytes[family] = true;
    }

    /// <summary>Takes a copy of a family's shared flow bytes as they stand, to go on alone: this variant did not carry a frame that the sharers did.</summary>
    internal void LeaveTcpFlows(int family)
    {
        if (_sharedFlowBytes[family])
        {
            _flowBytes[family] = _flowBytes[family].Clone();
            _sharedFlowBytes[family] = false;
        }
    }

    /// <summary>Whether a family's flow bytes are still shared.</summary>
    internal bool SharesTcpFlows(int family) => _sharedFlowBytes[family];

    /// <summary>The TCP payload bytes of an IP packet by its own headers, or -1 when it is not TCP (or its headers are cut short).</summary>
    internal static int TcpPayload(ReadOnlySpan<byte> frame, in InnerFrame inner)
    {
        int ip = inner.L2HeaderLength;
        int l4;
        if (inner.IpVersion == 4)
        {
            if (frame.Length < ip + Ipv4.MinHeaderLength || frame[ip + Ipv4.ProtocolOffset] != TcpProtocol)
            {
                return -1;
            }
            l4 = ip + (frame[ip] & 0x0F) * 4;
        }
        else
        {
            if (frame.Length < ip + Ipv6.HeaderLength || frame[ip + Ipv6.NextHeaderOffset] != TcpProtocol)
            {
                return -1;
            }
            l4 = ip + Ipv6.HeaderLength;
        }
        if (frame.Length < l4 + 13)
        {
            return -1;
        }
        int payload = inner.IpLength - (l4 - ip) - (frame[l4 + 12] >> 4) * 4;
        return payload < 0 ? -1 : payload;
    }

    public OperatorFigures ToFigures()
    {
        var mss = new List<MssClampFigure>();
        var holes = new List<BlackHoleFigure>();
        for (int m = 0; m < _mtus.Length; m++)
        {
            int mtu = _mtus[m];
            holes.Add(new BlackHoleFigure
            {
                UnderlayMtu = Measure.Bytes(mtu),
                NotFragmentable = Measure.Packets(_notFragmentable),
                FramesOver = Measure.Packets(_over[m]),
                FramesPushedOver = Measure.Packets(_pushedOver[m]),
                PercentOfCarried = Measure.Percent(_carried == 0 ? 0 : 100.0 * _over[m] / _carried),
                PercentOfBytes = Measure.Percent(_carriedBytes == 0 ? 0 : 100.0 * _overBytes[m] / _carriedBytes),
            });
            if (Mss(mtu) is MssClampFigure figure)
            {
                mss.Add(figure);
            }
        }
        var tunnelBytes = new Dictionary<string, Measure>();
        for (int f = 0; f < 2; f++)
        {
            if (_tunnelBytes[f] != int.MaxValue)
            {
                tunnelBytes[f == 0 ? "4" : "6"] = Measure.Bytes(_tunnelBytes[f]);
            }
        }
        return new OperatorFigures { TunnelBytesInMtu = tunnelBytes, MssClamp = mss, BlackHole = holes };
    }

    private MssClampFigure? Mss(int mtu)
    {
        int[] native = [mtu - Ipv4Headers, mtu - Ipv6Headers];
        int[] tunnel = new int[2];
        double nativeSegments = 0, tunnelSegments = 0;
        long goodput = 0, flows = 0;
        for (int f = 0; f < 2; f++)
        {
            tunnel[f] = _tunnelBytes[f] == int.MaxValue ? native[f] : native[f] - _tunnelBytes[f];
            IReadOnlyCollection<long> flowBytes = _flowBytes[f].Flows;
            long bulkBytes = _flowBytes[f].Bulk;
            if (flowBytes.Count == 0 && bulkBytes == 0)
            {
                continue;
            }
            if (tunnel[f] < 1)
            {
                return null;
            }
            foreach (long bytes in flowBytes)
            {
                nativeSegments += (bytes + native[f] - 1) / native[f];
                tunnelSegments += (bytes + tunnel[f] - 1) / tunnel[f];
                goodput += bytes;
            }
            flows += flowBytes.Count;
            nativeSegments += (double)bulkBytes / native[f];
            tunnelSegments += (double)bulkBytes / tunnel[f];
            goodput += bulkBytes;
        }
        double extra = tunnelSegments - nativeSegments;
        double perGB = goodput == 0 ? 0 : extra / (goodput / 1e9);
        // One extra segment puts its own headers on the wire: Ethernet with preamble, FCS and gap, IP, TCP and the tunnel.
        double perPacketHeaderBits = 8.0 * (Ethernet.PreambleAndSfd + Ethernet.HeaderLength + Ethernet.FrameCheckSequence + Ethernet.InterFrameGap
            + Ipv4Headers + (_tunnelBytes[0] == int.MaxValue ? 0 : _tunnelBytes[0]));
        var cost = _rates.Select(rate =>
        {
            double extraPps = perGB * rate / 8;
            double budgetNs = 8.0 * Ethernet.WireLength(mtu + Ethernet.HeaderLength) / rate;
            return new PacketCostFigure(Measure.Gbps(rate), new Measure(extraPps, "packets/s"), new Measure(budgetNs, "ns"),
                Measure.Percent(100 * extraPps * perPacketHeaderBits / (rate * 1e9)));
        }).ToList();
        return new MssClampFigure
        {
            UnderlayMtu = Measure.Bytes(mtu),
            TcpFlows = Measure.Count(flows),
            TcpGoodputBytes = Measure.Bytes(goodput),
            NativeMssIpv4 = Measure.Bytes(native[0]),
            TunnelMssIpv4 = Measure.Bytes(tunnel[0]),
            NativeMssIpv6 = Measure.Bytes(native[1]),
            TunnelMssIpv6 = Measure.Bytes(tunnel[1]),
            NativeSegments = Measure.Packets(nativeSegments),
            TunnelSegments = Measure.Packets(tunnelSegments),
            ExtraPacketsPerGB = new Measure(perGB, "packets/GB"),
            ExtraPacketsPercent = Measure.Percent(nativeSegments == 0 ? 0 : 100 * extra / nativeSegments),
            Cost = cost,
        };
    }
}
