using System.Net;
using System.Net.Sockets;
using Overlay.Kernel.Peer;

namespace Overlay.Kernel.Tests;

/// <summary>The traffic peer over loopback, no root needed: the sendmmsg / recvmmsg message vectors and the line protocol.</summary>
public class PeerTests
{
    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    [Fact]
    public async Task BatchedSendsArriveWholeAndCountedWithEverySizeOfTheCycle()
    {
        int port = FreeUdpPort();
        using var ready = new ManualResetEventSlim();
        bool stop = false;
        var receiving = Task.Run(() => Datagrams.Receive(AddressFamily.InterNetwork, port, ready.Set, () => Volatile.Read(ref stop)));
        Assert.True(ready.Wait(TimeSpan.FromSeconds(10)));
        int[] sizes = [0, 64, 1472];
        // 150 datagrams: more than two batches, a partial last one, and few enough for loopback's default buffer.
        var (sent, errors, _) = Datagrams.Send(new IPEndPoint(IPAddress.Loopback, port), sizes, seconds: 10, maxPackets: 150);
        Volatile.Write(ref stop, true);
        var (packets, bytes) = await receiving;
        Assert.Equal(150, sent);
        Assert.Equal(0, errors);
        Assert.Equal(150, packets);
        Assert.Equal(50L * (0 + 64 + 1472), bytes);
    }

    [Fact]
    public void TheSendTimeBoundsATrial()
    {
        int port = FreeUdpPort();
        using var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sink.Bind(new IPEndPoint(IPAddress.Loopback, port));
        var (sent, _, seconds) = Datagrams.Send(new IPEndPoint(IPAddress.Loopback, port), [64], seconds: 0.2, maxPackets: long.MaxValue);
        Assert.True(sent > 0);
        Assert.InRange(seconds, 0.2, 5);
    }

    [Fact]
    public void ThePeerAnswersOneLineACommandAndAnErrorForAnUnknownOne()
    {
        int port = FreeUdpPort();
        using var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sink.Bind(new IPEndPoint(IPAddress.Loopback, port));
        var output = new StringWriter();
        int exit = PeerServer.Run(new StringReader($"{PeerProtocol.UdpSend} 127.0.0.1 {port} 64,128 5 10\nfly away\n{PeerProtocol.Quit}\n"), output);
        Assert.Equal(0, exit);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        string[] done = lines[0].Split(' ');
        Assert.Equal((PeerProtocol.Done, "10", "0"), (done[0], done[1], done[2]));
        Assert.Equal($"{PeerProtocol.Error} unknown peer command 'fly away'", lines[1]);
    }
}
