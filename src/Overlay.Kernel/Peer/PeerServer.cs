using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Overlay.Kernel.Peer;

/// <summary>
/// The traffic peer that runs inside one namespace, pinned to one core (`overlay kernel peer`, started by the run
/// through `ip netns exec NS taskset -c N`). It reads one command a line on standard input and answers one line on
/// standard output; "stop" ends a UDP receive at any time. It exits at end of input, so it never outlives the run.
/// </summary>
public static class PeerServer
{
    public static int Run(TextReader input, TextWriter output)
    {
        var commands = new BlockingCollection<string>();
        int stopRequested = 0;
        var reader = new Thread(() =>
        {
            string? line;
            while ((line = input.ReadLine()) is not null)
            {
                if (line == PeerProtocol.Stop)
                {
                    Volatile.Write(ref stopRequested, 1);
                }
                else
                {
                    commands.Add(line);
                }
            }
            Volatile.Write(ref stopRequested, 1);
            commands.CompleteAdding();
        }) { IsBackground = true, Name = "peer commands" };
        reader.Start();

        void Reply(string line)
        {
            output.WriteLine(line);
            output.Flush();
        }

        foreach (string line in commands.GetConsumingEnumerable())
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }
            if (words[0] == PeerProtocol.Quit)
            {
                break;
            }
            try
            {
                Volatile.Write(ref stopRequested, 0);
                Reply(Execute(words, () => Reply(PeerProtocol.Ready), () => Volatile.Read(ref stopRequested) == 1));
            }
            catch (Exception e) when (e is SocketException or IOException or FormatException or ArgumentException)
            {
                Reply($"{PeerProtocol.Error} {e.Message.ReplaceLineEndings(" ")}");
            }
        }
        return 0;
    }

    private static string Execute(string[] words, Action ready, Func<bool> stop)
    {
        static double Seconds(string text) => double.Parse(text, CultureInfo.InvariantCulture);
        static AddressFamily Family(string text) => text == "6" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        static int Port(string text) => int.Parse(text, CultureInfo.InvariantCulture);
        switch (words[0])
        {
            case PeerProtocol.UdpSend when words.Length == 6:
            {
                int[] sizes = words[3].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                var (sent, errors, seconds) = Datagrams.Send(new IPEndPoint(IPAddress.Parse(words[1]), Port(words[2])), sizes,
                    Seconds(words[4]), long.Parse(words[5], CultureInfo.InvariantCulture));
                return Invariant($"{PeerProtocol.Done} {sent} {errors} {seconds:R}");
            }
            case PeerProtocol.UdpReceive when words.Length == 3:
            {
                var (packets, bytes) = Datagrams.Receive(Family(words[1]), Port(words[2]), ready, stop);
                return Invariant($"{PeerProtocol.Done} {packets} {bytes}");
            }
            case PeerProtocol.TcpSend when words.Length == 4:
            {
                var (bytes, seconds) = Stream.Send(new IPEndPoint(IPAddress.Parse(words[1]), Port(words[2])), Seconds(words[3]));
                return Invariant($"{PeerProtocol.Done} {bytes} {seconds:R}");
            }
            case PeerProtocol.TcpReceive when words.Length == 3:
            {
                var (bytes, seconds) = Stream.Receive(Family(words[1]), Port(words[2]), ready);
                return Invariant($"{PeerProtocol.Done} {bytes} {seconds:R}");
            }
            default:
                throw new FormatException($"unknown peer command '{string.Join(' ', words)}'");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The peer's line protocol, shared by <see cref="PeerServer"/> and <see cref="PeerClient"/>.</summary>
public static class PeerProtocol
{
    /// <summary>udp-send DEST PORT SIZE[,SIZE…] SECONDS MAX-PACKETS → done SENT ERRORS SECONDS</summary>
    public const string UdpSend = "udp-send";
    /// <summary>udp-recv 4|6 PORT → ready … (stop) → done PACKETS BYTES</summary>
    public const string UdpReceive = "udp-recv";
    /// <summary>tcp-send DEST PORT SECONDS → done BYTES SECONDS</summary>
    public const string TcpSend = "tcp-send";
    /// <summary>tcp-recv 4|6 PORT → ready … → done BYTES SECONDS (from accept to the end of the stream)</summary>
    public const string TcpReceive = "tcp-recv";
    public const string Stop = "stop";
    public const string Quit = "quit";
    public const string Ready = "ready";
    public const string Done = "done";
    public const string Error = "error";
}
