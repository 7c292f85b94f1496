using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Overlay.Replay.Capture;
using SharpPcap;
using SharpPcap.LibPcap;

namespace Overlay.Cli;

/// <summary>
/// `overlay record`: captures live traffic from one interface with SharpPcap (libpcap) into a pcap, written under a
/// temporary name and renamed into place only when the capture ended normally — at --count frames, after --duration
/// seconds or on SIGUSR1. Ctrl-C (SIGINT/SIGTERM) abandons the capture: exit 130 and no file.
/// </summary>
public static class RecordCommand
{
    /// <summary>Printed on standard error once the interface is open and filtering, so a script knows when to start its traffic.</summary>
    public const string ReadyMessage = "overlay record: capturing";

    /// <summary>libpcap's buffer timeout; reads do not block (see OpenDevice), so this only bounds batching.</summary>
    private const int ReadTimeoutMs = 100;

    public static Command Create()
    {
        var device = new Option<string>("--interface", "-i") { Description = "Interface to capture on (as `ip link` names it; `any` captures every interface as Linux SLL)", Required = true };
        var output = PathOptions.OutputFile("--out", "Pcap to write (link type of the interface, usually Ethernet); its folder is created if missing");
        output.Aliases.Add("-o");
        var count = OptionValues.Number("--count", "Stop after this many frames; 0 (the default) means no limit", "a frame count", 0L, long.MaxValue, 0L);
        count.Aliases.Add("-c");
        var duration = OptionValues.Real("--duration", "Stop after this many seconds; 0 (the default) means no limit", "a duration in seconds", 0, 1e9, inclusive: true, 0);
        duration.Aliases.Add("-d");
        var filter = new Option<string?>("--filter", "-f") { Description = "BPF capture filter, tcpdump syntax (e.g. \"tcp port 5201\")" };
        var snaplen = OptionValues.Number("--snaplen", $"Bytes kept of each frame, 1..{CaptureReader.MaxFrameLength}; a shorter frame is kept whole", "a snap length", 1, CaptureReader.MaxFrameLength, CaptureReader.MaxFrameLength);
        snaplen.Aliases.Add("-s");
        var promiscuous = new Option<bool>("--promiscuous", "-p") { Description = "Put the interface in promiscuous mode (frames not addressed to it too)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var command = new Command("record", "Capture live traffic from an interface into a pcap (libpcap through SharpPcap). " +
            "The file appears only when the capture ends normally: after --count frames, after --duration seconds, or on SIGUSR1 " +
            "(`kill -USR1 PID`, what captures/record.sh uses). Ctrl-C abandons it: exit 130, no file. " +
            "Needs root or CAP_NET_RAW (and CAP_NET_ADMIN for --promiscuous). " +
            "Switch offloads off first (ethtool -K IF tso off gso off gro off) or frames larger than the MTU are recorded.")
        {
            device, output, count, duration, filter, snaplen, promiscuous, quiet,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(cancellation, token =>
        {
            var settings = new RecordSettings(
                parse.GetValue(device)!,
                parse.GetValue(output)!,
                parse.GetValue(count),
                parse.GetValue(duration),
                parse.GetValue(filter),
                parse.GetValue(snaplen),
                parse.GetValue(promiscuous));
            settings.Validate();
            return Record(settings, ConsoleUi.ShowProgress(parse.GetValue(quiet)), token);
        })));
        return command.WithExamples(
            "overlay record --interface lo --duration 1 --out out/lo.pcap",
            "overlay record -i lo -d 1 -c 1000 -f \"udp port 4789\" -o out/vxlan.pcap");
    }

    internal sealed record RecordSettings(string Interface, string Output, long Count, double Duration, string? Filter, int Snaplen, bool Promiscuous)
    {
        public void Validate()
        {
            if (string.IsNullOrWhiteSpace(Interface))
            {
                throw new ArgumentException("--interface must name an interface");
            }
            if (Count < 0)
            {
                throw new ArgumentException("--count must be 0 (no limit) or more");
            }
            if (Duration < 0 || double.IsNaN(Duration) || double.IsInfinity(Duration))
            {
                throw new ArgumentException("--duration must be 0 (no limit) or a positive number of seconds");
            }
            if (Snaplen < 1 || Snaplen > CaptureReader.MaxFrameLength)
            {
                throw new ArgumentException($"--snaplen must be between 1 and {CaptureReader.MaxFrameLength}");
            }
        }
    }

    private static int Record(RecordSettings settings, bool showProgress, CancellationToken cancellation)
    {
        using var signals = new Signals();
        CancellationToken token = cancellation;
        using LibPcapLiveDevice live = OpenDevice(settings);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.Output))!);
        using var writer = new CaptureWriter(settings.Output, live.LinkType);
        ConsoleUi.Info($"{ReadyMessage} on {live.Name} (link type {live.LinkType}{(settings.Filter is null ? "" : $", filter \"{settings.Filter}\"")}) into {settings.Output}");

        long bytes = 0;
        var clock = Stopwatch.StartNew();
        TimeSpan limit = settings.Duration > 0 ? TimeSpan.FromSeconds(settings.Duration) : TimeSpan.MaxValue;
        string reason = ConsoleUi.WithProgress(showProgress, $"record {live.Name}", report =>
        {
            long lastReport = 0;
            while (true)
            {
                token.ThrowIfCancellationRequested();
                if (signals.StopRequested)
                {
                    return "SIGUSR1";
                }
                if (clock.Elapsed >= limit)
                {
                    return $"{settings.Duration.ToString(CultureInfo.InvariantCulture)} s elapsed";
                }
                if (settings.Count > 0 && writer.FramesWritten >= settings.Count)
                {
                    return $"{settings.Count} frames captured";
                }
                GetPacketStatus status = live.GetNextPacket(out PacketCapture packet);
                switch (status)
                {
                    case GetPacketStatus.PacketRead:
                        int length = packet.Header is PcapHeader header ? (int)header.PacketLength : packet.Data.Length;
                        writer.Write(packet.Data, packet.Header.Timeval.Date, length);
                        bytes += length;
                        break;
                    case GetPacketStatus.ReadTimeout:
                        break;
                    case GetPacketStatus.NoRemainingPackets:
                        return "libpcap ended the capture";
                    default:
                        throw new IOException($"{live.Name}: capture failed ({status}): {live.LastError}");
                }
                long now = clock.ElapsedMilliseconds;
                if (now - lastReport >= 200)
                {
                    lastReport = now;
                    double byCount = settings.Count > 0 ? (double)writer.FramesWritten / settings.Count : 0;
                    double byTime = settings.Duration > 0 ? clock.Elapsed.TotalSeconds / settings.Duration : 0;
                    report($"{writer.FramesWritten} frames, {bytes} bytes", Math.Max(byCount, byTime));
                }
            }
        });

        string drops = DropSummary(live);
        writer.Complete();
        ConsoleUi.Info($"{settings.Output}: {writer.FramesWritten} frames, {bytes} bytes in {clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s on {live.Name}; stopped: {reason}{drops}");
        return ExitCodes.Ok;
    }

    /// <summary>Finds and opens the interface; an unknown name lists the interfaces there are, a refusal says what is needed.</summary>
    private static LibPcapLiveDevice OpenDevice(RecordSettings settings)
    {
        LibPcapLiveDeviceList devices = LibPcapLiveDeviceList.New();
        LibPcapLiveDevice live = devices.FirstOrDefault(d => d.Name == settings.Interface)
            ?? throw new ArgumentException(
                $"no interface named '{settings.Interface}' here; the interfaces libpcap can see are: " +
                (devices.Count == 0 ? "(none — is this a network namespace without interfaces, or is libpcap unable to list them?)" : string.Join(", ", devices.Select(d => d.Name))));
        var configuration = new DeviceConfiguration
        {
            Mode = settings.Promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,
            Snaplen = settings.Snaplen,
            ReadTimeout = ReadTimeoutMs,
            Immediate = true,
            BufferSize = 16 << 20,
        };
        try
        {
            live.Open(configuration);
        }
        catch (PcapException e) when (IsPermissionDenied(e))
        {
            live.Dispose();
            throw new UnauthorizedAccessException(
                $"{settings.Interface}: not allowed to capture ({e.Message.Trim()}): run as root, or give the program CAP_NET_RAW" +
                (settings.Promiscuous ? " and CAP_NET_ADMIN" : "") +
                $" (e.g. sudo setcap cap_net_raw,cap_net_admin=eip {Environment.ProcessPath})");
        }
        catch
        {
            live.Dispose();
            throw;
        }
        // Non-blocking reads: SharpPcap polls the descriptor (up to 500 ms) before each read, and a blocking
        // pcap_next_ex on Linux (TPACKET_V3) waits for the next frame however long that takes, ignoring the read
        // timeout, so a stop request on a quiet interface would wait for traffic.
        live.NonBlockingMode = true;
        if (settings.Filter is { Length: > 0 } expression)
        {
            try
            {
                live.Filter = expression;
            }
            catch (PcapException e)
            {
                live.Dispose();
                throw new ArgumentException($"--filter \"{expression}\" is not a valid BPF filter: {e.Message}");
            }
        }
        return live;
    }

    private static bool IsPermissionDenied(PcapException e) =>
        e.Error is PcapError.PermissionDenied or PcapError.PromiscuousPermissionDenied
        || e.Message.Contains("permission", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("not permitted", StringComparison.OrdinalIgnoreCase);

    private static string DropSummary(LibPcapLiveDevice live)
    {
        try
        {
            ICaptureStatistics statistics = live.Statistics;
            if (statistics.DroppedPackets == 0 && statistics.InterfaceDroppedPackets == 0)
            {
                return "; no frames dropped";
            }
            return $"; WARNING: {statistics.DroppedPackets} frames dropped by the capture buffer, {statistics.InterfaceDroppedPackets} by the interface";
        }
        catch (PcapException)
        {
            return "";
        }
    }

    /// <summary>
    /// SIGUSR1 asks for a normal stop: the capture so far is completed and kept (a script cannot know count or
    /// duration in advance). SIGINT and SIGTERM abandon the capture through <see cref="CommandRunner"/> (no file, exit 130).
    /// </summary>
    private sealed class Signals : IDisposable
    {
        private readonly PosixSignalRegistration? _stop;
        private volatile bool _stopRequested;

        public Signals()
        {
            int sigusr1 = OperatingSystem.IsLinux() ? 10 : OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 30 : 0;
            if (sigusr1 != 0)
            {
                _stop = PosixSignalRegistration.Create((PosixSignal)sigusr1, context =>
                {
                    context.Cancel = true;
                    _stopRequested = true;
                });
            }
        }

        public bool StopRequested => _stopRequested;

        public void Dispose() => _stop?.Dispose();
    }
}
