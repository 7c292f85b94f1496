using System.Runtime.InteropServices;
using SharpPcap;
using SharpPcap.LibPcap;
using Overlay.Encapsulation.Headers;

namespace Overlay.Replay.Capture;

/// <summary>One record of a capture, normalised to an Ethernet frame.</summary>
public readonly ref struct CapturedFrame
{
    /// <summary>1-based frame number in the file.</summary>
    public long Number { get; init; }
    /// <summary>The record's time (read from the record header only when asked: the analysis never needs it).</summary>
    public DateTime Timestamp => Header is null ? default : CaptureReader.ToDate(Header.Timeval);
    /// <summary>The record header as libpcap handed it out.</summary>
    internal ICaptureHeader? Header { get; init; }
    /// <summary>The Ethernet frame (normalised) as far as it was captured.</summary>
    public ReadOnlySpan<byte> Data { get; init; }
    /// <summary>The normalised frame's length on the wire; more than Data.Length when the snap length cut it.</summary>
    public int OriginalLength { get; init; }
    public bool IsTruncated => OriginalLength > Data.Length;
}

public enum ReadStatus
{
    /// <summary>A frame was read.</summary>
    Frame,
    /// <summary>A record that cannot be used (a runt, an unknown payload) was skipped; <see cref="CaptureReader.SkipReason"/> says why.</summary>
    Skipped,
    /// <summary>The end of the capture.</summary>
    End,
}

/// <summary>
/// Reads pcap (micro- and nanosecond) and pcapng through SharpPcap/libpcap and normalises every frame to Ethernet
/// (<see cref="LinkNormalizer"/>). A corrupt record ends the read with a <see cref="CaptureException"/> naming the
/// file, frame and offset; everything read before it has been handed out already.
/// </summary>
public sealed class CaptureReader : IDisposable
{
    private readonly CaptureFileReaderDevice _device;
    private readonly byte[] _frame = new byte[MaxFrameLength + 64];
    private long _number;
    // Where the next record starts, for an error's offset (-1: unknown, as in a pipe). Reading it from libpcap's FILE
    // (ftell) costs a system call per frame, so in a pcap file it is counted instead: libpcap reads the 24-byte file
    // header on open, then each record as its 16-byte header and caplen bytes, and only a record longer than the snap
    // length is cut on reading (its rest skipped), which the count re-reads the position after. The count is checked
    // against the file's position every few thousand frames and dropped for good if they ever differ.
    private long _nextRecord;
    private bool _counted;
    private readonly bool _positionKnown;
    private readonly int _snapLength;

    private const int PcapFileHeaderLength = 24;
    private const int PcapRecordHeaderLength = 16;

    /// <summary>libpcap's own bound on a record (MAXIMUM_SNAPLEN); a longer record is reported as corrupt.</summary>
    public const int MaxFrameLength = 262144;

    public CaptureReader(string path)
    {
        Path = path;
        if (!File.Exists(path))
        {
            throw new CaptureException(path, 0, 0, "no such file");
        }
        // A FIFO also reports length 0: only libpcap's own read of the header tells an empty file from a pipe.
        FileLength = new FileInfo(path).Length;
        _device = new CaptureFileReaderDevice(path);
        try
        {
            _device.Open();
        }
        catch (PcapException e)
        {
            _device.Dispose();
            throw new CaptureException(path, 0, 0, FileLength == 0 && new FileInfo(path).Length == 0
                ? "the file is empty (no pcap or pcapng header)"
                : $"not a readable pcap or pcapng file: {e.Message}");
        }
        int linkType = (int)_device.LinkType;
        if (!LinkNormalizer.IsSupported(linkType))
        {
            _device.Dispose();
            throw new CaptureException(path, 0, 0,
                $"unsupported link type {LinkNormalizer.Describe(linkType)}; supported: Ethernet, Linux SLL and SLL2, raw IPv4/IPv6, BSD loopback (NULL/LOOP)");
        }
        LinkType = (LinkType)linkType;
        _nextRecord = Position;
        _positionKnown = _nextRecord >= 0;
        _snapLength = NativeFilePosition.SnapLength(_device);
        // A pcapng reader has read at least a section header and an interface description (48 bytes) on open.
        _counted = _nextRecord == PcapFileHeaderLength && _snapLength > 0;
    }

    public string Path { get; }
    public LinkType LinkType { get; }
    public long FileLength { get; }

    /// <summary>Frames read or skipped so far.</summary>
    public long FramesRead => _number;

    /// <summary>Why the last record was skipped.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>How far through the file the reader is, 0..1 (0 when the length is unknown, as for a pipe).</summary>
    public double Fraction => FileLength > 0 ? Math.Clamp((double)Position / FileLength, 0, 1) : 0;

    /// <summary>Where the reader stands in the file, for progress (-1 when unknown).</summary>
    public long Position => NativeFilePosition.Of(_device);

    /// <summary>Reads the next record; the frame's data is valid until the next call.</summary>
    public ReadStatus Read(out CapturedFrame frame)
    {
        frame = default;
        SkipReason = null;
        long offset = _counted ? _nextRecord : _positionKnown ? Position : -1;
        GetPacketStatus status = _device.GetNextPacket(out PacketCapture capture);
        switch (status)
        {
            case GetPacketStatus.PacketRead:
                break;
            case GetPacketStatus.NoRemainingPackets:
                return ReadStatus.End;
            default:
                throw new CaptureException(Path, _number + 1, offset, $"corrupt record: {_device.LastError}");
        }
        _number++;
        ReadOnlySpan<byte> data = capture.Data;
        if (_counted)
        {
            CountRecord(data.Length);
        }
        int originalRecordLength = capture.Header is PcapHeader header ? (int)header.PacketLength : data.Length;
        ReadOnlySpan<byte> normalized;
        if (LinkType == LinkType.Ethernet && data.Length >= Ethernet.HeaderLength)
        {
            // An Ethernet frame is handed out as libpcap read it (valid until the next read, as the contract says): no copy.
            normalized = data;
        }
        else
        {
            int length = LinkNormalizer.Normalize(LinkType, data, _frame, out string? reason);
            if (length < 0)
            {
                SkipReason = reason;
                frame = new CapturedFrame { Number = _number };
                return ReadStatus.Skipped;
            }
            normalized = _frame.AsSpan(0, length);
        }
        frame = new CapturedFrame
        {
            Number = _number,
            Header = capture.Header,
            Data = normalized,
            OriginalLength = Math.Max(originalRecordLength - LinkNormalizer.LengthChange(LinkType), normalized.Length),
        };
        return ReadStatus.Frame;
    }

    /// <summary>Moves the counted offset past a record of <paramref name="captured"/> bytes as libpcap handed it out.</summary>
    private void CountRecord(int captured)
    {
        if (captured >= _snapLength)
        {
            // The record may have been longer, its rest skipped by libpcap: where the next one starts is read, not counted.
            _nextRecord = Position;
            return;
        }
        _nextRecord += PcapRecordHeaderLength + captured;
        if ((_number & 4095) == 1 && Position != _nextRecord)
        {
            // Not the layout counted on (a pcap variant with longer record headers): read the position from now on.
            _counted = false;
        }
    }

    public void Dispose() => _device.Dispose();

    /// <summary>Every frame of a capture that was captured whole, normalised to Ethernet (skipped and snap-length-cut frames left out).</summary>
    public static List<byte[]> ReadWholeFrames(string path)
    {
        var frames = new List<byte[]>();
        using var reader = new CaptureReader(path);
        while (true)
        {
            ReadStatus status = reader.Read(out CapturedFrame frame);
            if (status == ReadStatus.End)
            {
                return frames;
            }
            if (status == ReadStatus.Frame && !frame.IsTruncated)
            {
                frames.Add(frame.Data.ToArray());
            }
        }
    }

    /// <summary>The earliest and latest instants a DateTime holds, in seconds from the Unix epoch.</summary>
    private static readonly decimal s_minUnixSeconds = (decimal)(DateTime.MinValue - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerSecond;
    private static readonly decimal s_maxUnixSeconds = (decimal)(DateTime.MaxValue - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerSecond;
    private static readonly decimal s_twoTo63 = (decimal)ulong.MaxValue / 2 + 0.5m;

    /// <summary>
    /// The record's time, clamped to what a DateTime holds. libpcap reads a pcap record's seconds as a signed 32-bit
    /// number, so one at or above 0x80000000 is a time before 1970, which SharpPcap hands over as a ulong near 2^64; and
    /// a pcapng timestamp (64 bits of units of if_tsresol) reaches far past the year 9999. SharpPcap's PosixTimeval.Date
    /// throws OverflowException on both: a hostile capture must not turn a timestamp into a crash (found by fuzzing,
    /// the capture-reader target; tests/corpus/fuzz/capture-reader).
    /// </summary>
    internal static DateTime ToDate(PosixTimeval timeval)
    {
        // Only Value is safe to read: Seconds and Date convert it and throw outside ulong's and DateTime's ranges.
        decimal seconds = timeval.Value;
        if (seconds >= s_twoTo63)
        {
            seconds -= 2 * s_twoTo63;
        }
        seconds = Math.Clamp(seconds, s_minUnixSeconds, s_maxUnixSeconds);
        return DateTime.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
    }

    /// <summary>
    /// The file offset libpcap's reader stands at (pcap_file + ftell), so an error can name where the bad record
    /// starts in pcap and pcapng alike. -1 when the native functions are not available.
    /// </summary>
    private static class NativeFilePosition
    {
        private delegate IntPtr PcapFile(IntPtr pcap);
        private delegate long FTell(IntPtr file);
        private delegate int PcapSnapshot(IntPtr pcap);

        private static readonly PcapFile? s_pcapFile = Load<PcapFile>(["libpcap.so.1", "libpcap.so.0.8", "libpcap.so", "libpcap.dylib"], "pcap_file");
        private static readonly FTell? s_ftell = Load<FTell>(["libc.so.6", "libc.dylib", "libSystem.dylib"], "ftell");
        private static readonly PcapSnapshot? s_snapshot = Load<PcapSnapshot>(["libpcap.so.1", "libpcap.so.0.8", "libpcap.so", "libpcap.dylib"], "pcap_snapshot");

        /// <summary>The snap length libpcap cuts records to (pcap_snapshot); -1 when not available.</summary>
        public static int SnapLength(PcapDevice device) =>
            s_snapshot is null || device.Handle is null || device.Handle.IsInvalid ? -1 : s_snapshot(device.Handle.DangerousGetHandle());

        public static long Of(PcapDevice device)
        {
            if (s_pcapFile is null || s_ftell is null || device.Handle is null || device.Handle.IsInvalid)
            {
                return -1;
            }
            IntPtr file = s_pcapFile(device.Handle.DangerousGetHandle());
            return file == IntPtr.Zero ? -1 : s_ftell(file);
        }

        private static T? Load<T>(string[] libraries, string symbol) where T : Delegate
        {
            foreach (string library in libraries)
            {
                if (NativeLibrary.TryLoad(library, out IntPtr handle) && NativeLibrary.TryGetExport(handle, symbol, out IntPtr address))
                {
                    return Marshal.GetDelegateForFunctionPointer<T>(address);
                }
            }
            return null;
        }
    }
}
