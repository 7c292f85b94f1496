using System.Diagnostics;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Tests;

namespace Overlay.Cli.Tests;

/// <summary>
/// Captures from strangers' networks: every verb over every hostile file ends with a clear error (exit 1, the file named)
/// or counted skips (exit 0), never a crash, a hang, or a half-written output file.
/// </summary>
public class HostileInputTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string file in Files.Keys)
        {
            foreach (string verb in new[] { "encap", "decap", "analyze" })
            {
                data.Add(file, verb);
            }
        }
        return data;
    }

    /// <summary>Each hostile file with the exit code every verb must give and a word its message must hold.</summary>
    private static readonly Dictionary<string, (Func<byte[]> Bytes, int ExitCode, string Message)> Files = new()
    {
        ["empty"] = (() => [], 1, "empty"),
        ["random-bytes"] = (() => { var b = new byte[2048]; new Random(7).NextBytes(b); return b; }, 1, "not a readable pcap"),
        ["truncated-file-header"] = (() => RawPcap.FileHeader(1)[..12], 1, "not a readable pcap"),
        ["truncated-record"] = (() => [.. RawPcap.FileHeader(1), .. RawPcap.Record(TestFrames.Ip(4, TestFrames.L4.Udp, 100)), .. RawPcap.Record(new byte[400])[..77]], 1, "frame 2, offset 140"),
        ["unsupported-link-type"] = (() => [.. RawPcap.FileHeader(147), .. RawPcap.Record(new byte[64])], 1, "LINKTYPE 147"),
        ["caplen-beyond-libpcap"] = (() => [.. RawPcap.FileHeader(1, 65535), .. RawPcap.Record(new byte[64], capturedLength: 300_000)], 1, "frame 1"),
        ["caplen-beyond-snaplen"] = (() => [.. RawPcap.FileHeader(1, 64), .. RawPcap.Record(TestFrames.Ip(4, TestFrames.L4.Udp, 500))], 0, ""),
        ["runt-frames"] = (() => [.. RawPcap.FileHeader(1), .. RawPcap.Record(new byte[6]), .. RawPcap.Record(new byte[13]), .. RawPcap.Record(TestFrames.Ip(6, TestFrames.L4.Tcp, 90))], 0, ""),
        ["frame-65535"] = (() => [.. RawPcap.FileHeader(1), .. RawPcap.Record(TestFrames.Ip(4, TestFrames.L4.Udp, 65535))], 0, ""),
        ["ipv4-ihl-below-5"] = (() => { byte[] f = TestFrames.Ip(4, TestFrames.L4.Udp, 100); f[14] = 0x43; return [.. RawPcap.FileHeader(1), .. RawPcap.Record(f)]; }, 0, ""),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_verb_gives_a_clear_error_or_counted_skips_and_leaves_no_partial_file(string file, string verb)
    {
        (Func<byte[]> bytes, int exitCode, string message) = Files[file];
        string folder = Directory.CreateTempSubdirectory("overlay-hostile-").FullName;
        try
        {
            string input = Path.Combine(folder, $"{file}.pcap");
            File.WriteAllBytes(input, bytes());
            string output = Path.Combine(folder, "out.pcap");
            string[] args = verb switch
            {
                "encap" => ["encap", "--protocol", "vxlan", "--in", input, "--out", output, "--quiet"],
                "decap" => ["decap", "--in", input, "--out", output, "--quiet"],
                _ => ["analyze", "--in", input, "--variants", "vxlan-ipv4,gre-l3-ipv6", "--passes", "1", "--json", Path.Combine(folder, "out.json"), "--quiet"],
            };
            OverlayProcess.Result result = OverlayProcess.Run(folder, TimeSpan.FromSeconds(60), args);

            Assert.DoesNotContain("Unhandled exception", result.Stderr);
            Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}, wanted {exitCode}: {result.Stderr}");
            if (exitCode != 0)
            {
                Assert.Contains(input, result.Stderr);
                Assert.Contains(message, result.Stderr);
            }
            Assert.Empty(Directory.EnumerateFiles(folder, "*.partial", SearchOption.AllDirectories));
            // Whatever was written is a whole, readable file.
            foreach (string written in Directory.EnumerateFiles(folder).Where(f => f != input))
            {
                if (written.EndsWith(".pcap", StringComparison.Ordinal))
                {
                    _ = Pcap.Read(written);
                }
                else
                {
                    _ = Overlay.Replay.Results.ResultDocument.FromJson(File.ReadAllText(written));
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Ctrl_C_during_analyze_exits_130_and_leaves_no_output_file()
    {
        string folder = Directory.CreateTempSubdirectory("overlay-interrupt-").FullName;
        try
        {
            string json = Path.Combine(folder, "result.json");
            using Process process = OverlayProcess.Start(folder, "analyze", "--in", Paths.Shared("traffic/pcapplusplus_tls2.pcap"),
                Paths.Shared("traffic/sharppcap_10k_packets.pcap"), "--passes", "50", "--json", json, "--quiet");
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            Thread.Sleep(TimeSpan.FromSeconds(3));
            Assert.False(process.HasExited, "the analysis finished before it could be interrupted");
            using (Process kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "overlay did not stop after SIGINT");
            Assert.Equal(130, process.ExitCode);
            Assert.Contains("interrupted", await stderr);
            Assert.False(File.Exists(json));
            Assert.Empty(Directory.EnumerateFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Ctrl_C_during_encap_exits_130_and_leaves_no_output_file()
    {
        string folder = Directory.CreateTempSubdirectory("overlay-interrupt-").FullName;
        try
        {
            // The capture comes through a FIFO fed frame by frame, so encap is surely mid-run when the signal comes.
            string input = Path.Combine(folder, "feed.pcap");
            using (Process mkfifo = Process.Start("mkfifo", [input]))
            {
                mkfifo.WaitForExit();
            }
            string output = Path.Combine(folder, "out.pcap");
            using Process process = OverlayProcess.Start(folder, "encap", "--protocol", "srv6", "--sids", "fc00:0:1::,fc00:0:2::", "--in", input, "--out", output, "--quiet");
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            using var feeding = new CancellationTokenSource();
            Task feeder = Task.Run(() =>
            {
                byte[] record = RawPcap.Record(TestFrames.Ip(4, TestFrames.L4.Udp, 1000));
                try
                {
                    using FileStream fifo = new(input, FileMode.Open, FileAccess.Write);
                    fifo.Write(RawPcap.FileHeader(1));
                    while (!feeding.IsCancellationRequested)
                    {
                        fifo.Write(record);
                        fifo.Flush();
                        Thread.Sleep(1);
                    }
                }
                catch (IOException)
                {
                    // The reader went away: the pipe is broken, as expected once overlay stops.
                }
            });
            Thread.Sleep(TimeSpan.FromSeconds(1.5));
            Assert.False(process.HasExited, "encap stopped before it could be interrupted");
            using (Process kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "overlay did not stop after SIGINT");
            feeding.Cancel();
            await feeder;
            Assert.Equal(130, process.ExitCode);
            Assert.Contains("interrupted", await stderr);
            Assert.False(File.Exists(output));
            Assert.Equal([input], Directory.EnumerateFiles(folder).ToArray());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
