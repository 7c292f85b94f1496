using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

namespace Overlay.Replay.Capture;

/// <summary>
/// Writes an Ethernet pcap through SharpPcap under a temporary name beside the target, renamed into place only by
/// <see cref="Complete"/>: an interrupted or failed run leaves no partial output behind (the temporary file is
/// deleted on dispose).
/// </summary>
public sealed class CaptureWriter : IDisposable
{
    private readonly CaptureFileWriterDevice _device;
    private readonly string _temporary;
    private bool _completed;

    public CaptureWriter(string path, LinkLayers linkType = LinkLayers.Ethernet)
    {
        Path = System.IO.Path.GetFullPath(path);
        string? directory = System.IO.Path.GetDirectoryName(Path);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new IOException($"{path}: the folder {directory} does not exist");
        }
        _temporary = System.IO.Path.Combine(directory ?? ".", $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.partial");
        _device = new CaptureFileWriterDevice(_temporary, FileMode.Create);
        _device.Open(new DeviceConfiguration { LinkLayerType = linkType, Snaplen = CaptureReader.MaxFrameLength });
        Active.Add(_temporary);
    }

    public string Path { get; }
    public long FramesWritten { get; private set; }

    /// <summary>Temporary files of writers not yet completed, so a Ctrl-C handler can remove them.</summary>
    public static ConcurrentSet Active { get; } = new();

    public void Write(ReadOnlySpan<byte> frame, DateTime timestamp, int originalLength)
    {
        (uint seconds, uint microseconds) = ToPcapTime(timestamp);
        var header = new PcapHeader(seconds, microseconds, (uint)frame.Length, (uint)Math.Max(originalLength, frame.Length));
        _device.Write(frame, ref header);
        FramesWritten++;
    }

    /// <summary>
    /// A pcap record's 32-bit seconds and microseconds for <paramref name="timestamp"/>. libpcap reads the seconds as
    /// signed, so a time before 1970 (which <see cref="CaptureReader"/> hands out for such a record) is written as its
    /// two's complement and reads back the same; a time outside what 32 bits hold is clamped. SharpPcap's
    /// PosixTimeval(DateTime) throws OverflowException before 1970: a capture with such a record made encap exit 2.
    /// </summary>
    internal static (uint Seconds, uint Microseconds) ToPcapTime(DateTime timestamp)
    {
        DateTime utc = timestamp.Kind == DateTimeKind.Local ? timestamp.ToUniversalTime() : timestamp;
        long ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }
        return seconds < int.MinValue ? (unchecked((uint)int.MinValue), 0)
            : seconds > uint.MaxValue ? (uint.MaxValue, 999_999)
            : (unchecked((uint)seconds), (uint)(remainder / 10));
    }

    /// <summary>Flushes the file and moves it to its final name.</summary>
    public void Complete()
    {
        _device.Close();
        File.Move(_temporary, Path, overwrite: true);
        Active.Remove(_temporary);
        _completed = true;
    }

    public void Dispose()
    {
        _device.Dispose();
        if (!_completed)
        {
            File.Delete(_temporary);
            Active.Remove(_temporary);
        }
    }

    /// <summary>A small thread-safe set of paths.</summary>
    public sealed class ConcurrentSet
    {
        private readonly HashSet<string> _items = [];
        public void Add(string item) { lock (_items) { _items.Add(item); } }
        public void Remove(string item) { lock (_items) { _items.Remove(item); } }
        public string[] Snapshot() { lock (_items) { return [.. _items]; } }
    }
}
