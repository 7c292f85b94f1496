using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Overlay.Kernel.Peer;

/// <summary>
/// Batched UDP through libc: sendmmsg on a connected socket, recvmmsg after poll on a bound one, so one system call
/// moves a whole batch and the kernel's per-packet work, not the peer's, is what the cores spend their time on.
/// </summary>
internal static unsafe partial class Datagrams
{
    public const int BatchSize = 64;
    private const int MaxDatagram = 2048;
    private const int MsgDontWait = 0x40;
    private const short PollIn = 0x1, PollOut = 0x4;
    private const int EAgain = 11, EIntr = 4, ENoBufs = 105, EConnRefused = 111;

    /// <summary>The payload byte at <paramref name="index"/>: what the receiver side and the overhead check expect.</summary>
    public static byte PayloadByte(int index) => (byte)(index * 7 + 1);

    /// <summary>Sends datagrams whose payload sizes cycle through <paramref name="sizes"/> until <paramref name="seconds"/>
    /// have passed or <paramref name="maxPackets"/> were sent.</summary>
    public static (long Sent, long Errors, double Seconds) Send(IPEndPoint destination, int[] sizes, double seconds, long maxPackets)
    {
        using var socket = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.SendBufferSize = 4 << 20;
        socket.Connect(destination);
        int fd = (int)socket.SafeHandle.DangerousGetHandle();

        int largest = sizes.Max();
        byte* payload = (byte*)NativeMemory.Alloc((nuint)Math.Max(largest, 1));
        var iov = (IoVec*)NativeMemory.AllocZeroed((nuint)(BatchSize * sizeof(IoVec)));
        var messages = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(BatchSize * sizeof(MMsgHdr)));
        try
        {
            for (int i = 0; i < largest; i++)
            {
                payload[i] = PayloadByte(i);
            }
            long sent = 0, errors = 0;
            int next = 0;
            long deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            long start = Stopwatch.GetTimestamp();
            while (sent < maxPackets && Stopwatch.GetTimestamp() < deadline)
            {
                int batch = (int)Math.Min(BatchSize, maxPackets - sent);
                for (int i = 0; i < batch; i++)
                {
                    iov[i].Base = payload;
                    iov[i].Length = (nuint)sizes[(next + i) % sizes.Length];
                    messages[i].Header.Iov = &iov[i];
                    messages[i].Header.IovLength = 1;
                }
                int result = sendmmsg(fd, messages, (uint)batch, 0);
                if (result > 0)
                {
                    sent += result;
                    next = (next + result) % sizes.Length;
                    continue;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno is EAgain or ENoBufs)
                {
                    errors++;
                    var wait = new PollFd { Fd = fd, Events = PollOut };
                    poll(&wait, 1, 10);
                }
                else if (errno is EIntr or EConnRefused)
                {
                    errors++;
                }
                else
                {
                    throw new IOException($"sendmmsg to {destination} failed: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})");
                }
            }
            return (sent, errors, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        finally
        {
            NativeMemory.Free(messages);
            NativeMemory.Free(iov);
            NativeMemory.Free(payload);
        }
    }

    /// <summary>Binds the port; <paramref name="ready"/> is called once it is bound. Receives until <paramref name="stop"/>
    /// says so, then drains what is queued and returns the datagrams and payload bytes received.</summary>
    public static (long Packets, long Bytes) Receive(AddressFamily family, int port, Action ready, Func<bool> stop)
    {
        using var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 32 << 20;
        socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, port));
        int fd = (int)socket.SafeHandle.DangerousGetHandle();
        ready();

        byte* buffers = (byte*)NativeMemory.Alloc((nuint)(BatchSize * MaxDatagram));
        var iov = (IoVec*)NativeMemory.AllocZeroed((nuint)(BatchSize * sizeof(IoVec)));
        var messages = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(BatchSize * sizeof(MMsgHdr)));
        try
        {
            for (int i = 0; i < BatchSize; i++)
            {
                iov[i].Base = buffers + i * MaxDatagram;
                iov[i].Length = MaxDatagram;
                messages[i].Header.Iov = &iov[i];
                messages[i].Header.IovLength = 1;
            }
            long packets = 0, bytes = 0;
            bool draining = false;
            while (true)
            {
                var wait = new PollFd { Fd = fd, Events = PollIn };
                if (!draining && poll(&wait, 1, 20) <= 0)
                {
                    draining = stop();
                    continue;
                }
                int result = recvmmsg(fd, messages, BatchSize, MsgDontWait, null);
                if (result > 0)
                {
                    packets += result;
                    for (int i = 0; i < result; i++)
                    {
                        bytes += messages[i].Length;
                    }
                    continue;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EAgain)
                {
                    if (draining)
                    {
                        return (packets, bytes);
                    }
                    draining = stop();
                    continue;
                }
                if (errno != EIntr)
                {
                    throw new IOException($"recvmmsg on port {port} failed: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})");
                }
            }
        }
        finally
        {
            NativeMemory.Free(messages);
            NativeMemory.Free(iov);
            NativeMemory.Free(buffers);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sendmmsg(int fd, MMsgHdr* messages, uint count, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int recvmmsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(PollFd* fds, nuint count, int timeoutMs);
}
