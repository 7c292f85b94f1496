using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Overlay.Kernel.Peer;

/// <summary>One TCP stream: a sender writing 128 KiB buffers for a set time, a receiver draining to the end.</summary>
internal static class Stream
{
    private const int Chunk = 128 << 10;

    public static (long Bytes, double Seconds) Send(IPEndPoint destination, double seconds)
    {
        using var socket = new Socket(destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = false };
        socket.SendTimeout = 10_000;
        if (!socket.ConnectAsync(destination).Wait(TimeSpan.FromSeconds(5)))
        {
            throw new IOException($"no TCP connection to {destination} within 5 s");
        }
        byte[] buffer = new byte[Chunk];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = Datagrams.PayloadByte(i);
        }
        long bytes = 0;
        long start = Stopwatch.GetTimestamp();
        long deadline = start + (long)(seconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            bytes += socket.Send(buffer);
        }
        socket.Shutdown(SocketShutdown.Send);
        // Wait for the receiver to close, so the time counts every byte delivered.
        socket.ReceiveTimeout = 10_000;
        socket.Receive(new byte[1]);
        return (bytes, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>Listens; <paramref name="ready"/> once listening; accepts one connection and drains it to its end.
    /// Returns the bytes received and the seconds from accepting to the end of the stream.</summary>
    public static (long Bytes, double Seconds) Receive(AddressFamily family, int port, Action ready)
    {
        using var listener = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, port));
        listener.Listen(1);
        ready();
        using Socket connection = listener.Accept();
        connection.ReceiveTimeout = 10_000;
        byte[] buffer = new byte[256 << 10];
        long bytes = 0;
        long start = Stopwatch.GetTimestamp();
        int read;
        while ((read = connection.Receive(buffer)) > 0)
        {
            bytes += read;
        }
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        connection.Shutdown(SocketShutdown.Send);
        return (bytes, elapsed);
    }
}
