using System.Globalization;
using System.Net.Sockets;
using Overlay.Kernel.Accounting;
using Overlay.Kernel.Peer;
using Overlay.Results.Kernel;

namespace Overlay.Kernel;

/// <summary>
/// Runs one trial between the two pinned peers and accounts for it: the receiver is listening before the counters are
/// read, the sender sends for a set time, the receiver drains what is queued, and the counters are read again.
/// </summary>
public sealed class TrialRunner(PeerClient sender, PeerClient receiver, TrialAccounting accounting)
{
    public const int UdpPort = 5001, TcpPort = 5201;
    private static readonly TimeSpan ReplyLimit = TimeSpan.FromSeconds(15);

    /// <summary>The payload sizes of one size label: a number of bytes, or "imix" — simple IMIX, IP packets of 40, 576
    /// and 1500 B in 7:4:1, interleaved (48 B, the smallest UDP packet, instead of 40 over IPv6).</summary>
    public static int[] PayloadSizes(string label, AddressFamily family)
    {
        int headers = family == AddressFamily.InterNetworkV6 ? 48 : 28;
        if (label == "imix")
        {
            int small = Math.Max(0, 40 - headers), medium = 576 - headers, large = 1500 - headers;
            return [small, medium, small, small, medium, small, large, small, medium, small, small, medium];
        }
        return [int.Parse(label, NumberStyles.None, CultureInfo.InvariantCulture)];
    }

    public KernelUdpTrial Udp(KernelVariant variant, string size, int trial, double seconds, long maxPackets, CancellationToken cancellation) =>
        Named(variant, () => UdpTrial(variant, size, trial, seconds, maxPackets, cancellation));

    public KernelTcpTrial Tcp(KernelVariant variant, int trial, double seconds, CancellationToken cancellation) =>
        Named(variant, () => TcpTrial(variant, trial, seconds, cancellation));

    private static T Named<T>(KernelVariant variant, Func<T> trial)
    {
        try
        {
            return trial();
        }
        catch (KernelRunException e)
        {
            throw new KernelRunException($"{variant.Name}: {e.Message}", e);
        }
    }

    private KernelUdpTrial UdpTrial(KernelVariant variant, string size, int trial, double seconds, long maxPackets, CancellationToken cancellation)
    {
        int[] sizes = PayloadSizes(size, variant.InnerFamily);
        receiver.Send(Invariant($"{PeerProtocol.UdpReceive} {Family(variant)} {UdpPort}"));
        receiver.Expect(PeerProtocol.Ready, ReplyLimit, cancellation);
        CpuSnapshot before = Snapshot();
        sender.Send(Invariant($"{PeerProtocol.UdpSend} {variant.Destination} {UdpPort} {string.Join(',', sizes)} {seconds:R} {maxPackets}"));
        string[] sent = sender.Expect(PeerProtocol.Done, ReplyLimit + TimeSpan.FromSeconds(seconds), cancellation);
        receiver.Send(PeerProtocol.Stop);
        string[] received = receiver.Expect(PeerProtocol.Done, ReplyLimit, cancellation);
        CpuSnapshot after = Snapshot();

        long packetsSent = long.Parse(sent[1], CultureInfo.InvariantCulture);
        double elapsed = double.Parse(sent[3], CultureInfo.InvariantCulture);
        long delivered = long.Parse(received[1], CultureInfo.InvariantCulture);
        TrialCpu cpu = accounting.Measure(before, after);
        double per = delivered > 0 ? 1.0 / delivered : double.NaN;
        return new KernelUdpTrial(trial, packetsSent, delivered, elapsed, cpu.TotalNs * per, cpu.SenderCoreNs * per,
            cpu.ReceiverCoreNs * per, cpu.OwnNs * per, cpu.OwnSenderNs * per, cpu.OwnReceiverNs * per, cpu.OtherShare, cpu.IdleShare);
    }

    private KernelTcpTrial TcpTrial(KernelVariant variant, int trial, double seconds, CancellationToken cancellation)
    {
        receiver.Send(Invariant($"{PeerProtocol.TcpReceive} {Family(variant)} {TcpPort}"));
        receiver.Expect(PeerProtocol.Ready, ReplyLimit, cancellation);
        CpuSnapshot before = Snapshot();
        sender.Send(Invariant($"{PeerProtocol.TcpSend} {variant.Destination} {TcpPort} {seconds:R}"));
        sender.Expect(PeerProtocol.Done, ReplyLimit + TimeSpan.FromSeconds(seconds), cancellation);
        string[] received = receiver.Expect(PeerProtocol.Done, ReplyLimit, cancellation);
        CpuSnapshot after = Snapshot();

        long bytes = long.Parse(received[1], CultureInfo.InvariantCulture);
        double elapsed = double.Parse(received[2], CultureInfo.InvariantCulture);
        TrialCpu cpu = accounting.Measure(before, after);
        return new KernelTcpTrial(trial, bytes, elapsed, bytes * 8 / elapsed / 1e9,
            bytes > 0 ? cpu.TotalNs / bytes : double.NaN, bytes > 0 ? cpu.OwnNs / bytes : double.NaN, cpu.OtherShare);
    }

    private readonly int? _senderSoftIrq = TrialAccounting.SoftIrqThread(accounting.SenderCore);
    private readonly int? _receiverSoftIrq = accounting.ReceiverCore == accounting.SenderCore ? null : TrialAccounting.SoftIrqThread(accounting.ReceiverCore);

    private CpuSnapshot Snapshot()
    {
        static long Ticks(int? pid) => pid is int id ? ProcessTimes.Read(id) ?? 0 : 0;
        return new CpuSnapshot(ProcStat.Read(), Ticks(sender.ProcessId) + Ticks(_senderSoftIrq), Ticks(receiver.ProcessId) + Ticks(_receiverSoftIrq));
    }

    private static string Family(KernelVariant variant) => variant.InnerFamily == AddressFamily.InterNetworkV6 ? "6" : "4";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
