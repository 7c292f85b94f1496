using System.Diagnostics;
using System.Text.Json;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Tests;

namespace Overlay.Cli.Tests;

/// <summary>
/// Captures from strangers' networks: every verb over every file of the hostile corpus (tests/corpus/hostile, made by its
/// make.py) ends as its MANIFEST.json says, with a clear error (exit 1, the file, frame and offset named) or counted
/// skips (exit 0), never a crash, a hang, or a half-written output file.
/// </summary>
public class HostileInputTests
{
    private static readonly string Corpus = Path.Combine(Paths.Repository, "tests", "corpus", "hostile");

    private static readonly JsonElement Manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Corpus, "MANIFEST.json"))).RootElement.GetProperty("files");

    private static readonly string[] Verbs = ["encap", "decap", "analyze"];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (JsonProperty file in Manifest.EnumerateObject())
        {
            foreach (string verb in Verbs)
            {
                data.Add(file.Name, verb);
            }
        }
        return data;
    }

    [Fact]
    public void The_manifest_names_every_file_of_the_corpus_and_no_other()
    {
        string[] files = Directory.EnumerateFiles(Corpus).Select(Path.GetFileName).Where(f => f is not ("MANIFEST.json" or "make.py")).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(files, Manifest.EnumerateObject().Select(f => f.Name).Order(StringComparer.Ordinal).ToArray());
        foreach (JsonProperty file in Manifest.EnumerateObject())
        {
            Assert.True(file.Value.TryGetProperty("what", out _), $"{file.Name} does not say what it is");
            Assert.All(Verbs, verb => Assert.True(file.Value.TryGetProperty(verb, out _) || file.Value.TryGetProperty("all", out _), $"{file.Name}: no expectation for {verb}"));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_verb_gives_a_clear_error_or_counted_skips_and_leaves_no_partial_file(string file, string verb)
    {
        JsonElement entry = Manifest.GetProperty(file);
        JsonElement expected = entry.TryGetProperty(verb, out JsonElement own) ? own : entry.GetProperty("all");
        int exitCode = expected.GetProperty("exit").GetInt32();
        string folder = Directory.CreateTempSubdirectory("overlay-hostile-").FullName;
        try
        {
            string input = Path.Combine(folder, file);
            File.Copy(Path.Combine(Corpus, file), input);
            string output = Path.Combine(folder, "out.pcap");
            string json = Path.Combine(folder, "out.json");
            string[] args = verb switch
            {
                "encap" => ["encap", "--protocol", "vxlan", "--in", input, "--out", output, "--quiet"],
                "decap" => ["decap", "--in", input, "--out", output, "--quiet"],
                _ => ["analyze", "--in", input, "--variants", "vxlan-ipv4,gre-l3-ipv6", "--passes", "1", "--json", json, "--quiet"],
            };
            OverlayProcess.Result result = OverlayProcess.Run(folder, TimeSpan.FromSeconds(60), args);

            Assert.DoesNotContain("Unhandled exception", result.Stderr);
            Assert.True(result.ExitCode == exitCode, $"{file} {verb}: exit {result.ExitCode}, wanted {exitCode}: {result.Stderr}");
            if (exitCode != 0)
            {
                Assert.Contains(input, result.Stderr);
            }
            if (expected.TryGetProperty("stderr", out JsonElement words))
            {
                foreach (JsonElement word in words.EnumerateArray())
                {
                    Assert.Contains(word.GetString()!, result.Stderr);
                }
            }
            Assert.Empty(Directory.EnumerateFiles(folder, "*.partial", SearchOption.AllDirectories));
            // Whatever was written is a whole, readable file, holding what the manifest says.
            bool nothingWritten = expected.TryGetProperty("stderr", out JsonElement said) && said.EnumerateArray().Any(w => w.GetString() == "none of its");
            if (nothingWritten)
            {
                // No frame could be turned into an output frame: the run fails and writes no (empty) file.
                Assert.False(File.Exists(output), $"{file} {verb}: an empty output file");
            }
            else if (expected.TryGetProperty("frames", out JsonElement frames))
            {
                Assert.True(File.Exists(output), $"{file} {verb}: no output file");
                Assert.Equal(frames.GetInt32(), Pcap.Read(output).Count);
            }
            else if (verb != "analyze")
            {
                Assert.False(File.Exists(output), $"{file} {verb}: an output file from a capture that could not be opened");
            }
            if (verb == "analyze" && !expected.TryGetProperty("packets", out _))
            {
                // A file that is not a capture at all fails before any figure, as encap and decap do: no result document.
                Assert.False(File.Exists(json), $"{file}: a result document for a file that could not be opened");
            }
            else if (verb == "analyze")
            {
                Assert.True(File.Exists(json), $"{file}: analyze wrote no result document");
                Overlay.Results.CaptureSummary summary = Overlay.Results.ResultDocument.FromJson(File.ReadAllText(json)).Captures.Single();
                Assert.Equal(exitCode != 0, summary.Error is not null);
                if (expected.TryGetProperty("packets", out JsonElement packets))
                {
                    Assert.Equal(packets.GetInt32(), summary.Packets.Value);
                }
                if (expected.TryGetProperty("skipped", out JsonElement skipped))
                {
                    Assert.Equal(skipped.GetInt32(), summary.Skipped.Value);
                }
                if (expected.TryGetProperty("truncated", out JsonElement truncated))
                {
                    Assert.Equal(truncated.GetInt32(), summary.Truncated.Value);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Ctrl_C_during_analyze_exits_130_and_leaves_no_output_file(int threads)
    {
        string folder = Directory.CreateTempSubdirectory("overlay-interrupt-").FullName;
        try
        {
            string json = Path.Combine(folder, "result.json");
            using Process process = OverlayProcess.Start(folder, "analyze", "--in", Paths.PublicCapture("traffic/pcapplusplus_tls2.pcap"),
                Paths.PublicCapture("traffic/sharppcap_10k_packets.pcap"), "--passes", "50", "--threads", $"{threads}", "--json", json, "--quiet");
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            Thread.Sleep(TimeSpan.FromSeconds(3));
            Assert.False(process.HasExited, "the analysis finished before it could be interrupted");
            Assert.True(Interrupt(process), "overlay did not stop after SIGINT");
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
            Assert.True(Interrupt(process), "overlay did not stop after SIGINT");
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

    /// <summary>
    /// Sends SIGINT, again every two seconds (as a user presses Ctrl-C again), until the process exits or 30 seconds pass.
    /// Where this test process was itself started with SIGINT ignored (a background job of a non-interactive shell),
    /// overlay inherits the ignored SIGINT and, as Unix programs should, leaves it ignored: then SIGTERM, which overlay
    /// handles the same way, stands in for it.
    /// </summary>
    private static bool Interrupt(Process process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        do
        {
            using (Process kill = Process.Start("kill", [SigIntIgnored() ? "-TERM" : "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }
            if (process.WaitForExit(TimeSpan.FromSeconds(2)))
            {
                return true;
            }
        }
        while (DateTime.UtcNow < deadline);
        return false;
    }

    /// <summary>Whether this process runs with SIGINT ignored (bit 2 of SigIgn in /proc/self/status), as its children then do.</summary>
    private static bool SigIntIgnored()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
    }
}
