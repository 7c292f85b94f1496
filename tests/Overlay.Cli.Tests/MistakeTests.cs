using System.Diagnostics;
using System.Security.Cryptography;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Tests;

namespace Overlay.Cli.Tests;

/// <summary>
/// The mistakes a new user makes, each run as the tool is run, in a folder of its own holding a capture, a copy, a
/// symbolic and a hard link to it, a folder, a text file and a foreign JSON file. Every mistake gets one line on
/// standard error naming the option (or verb, or path) and the value as typed, the exit code the tool documents,
/// nothing on standard output (no help dump), no runtime type or parameter name — and no file in the folder changes.
/// </summary>
public class MistakeTests
{
    private static readonly string Results = Path.Combine(Paths.Repository, "results");

    public static TheoryData<string[], int, string[]> Mistakes()
    {
        string baseline = Path.Combine(Results, "baseline");
        var data = new TheoryData<string[], int, string[]>
        {
            // No output may be an input, or another output.
            { ["encap", "--protocol", "vxlan", "--in", "in.pcap", "--out", "in.pcap"], 2, ["--out in.pcap: is the input --in in.pcap"] },
            { ["decap", "--in", "in.pcap", "--out", "in.pcap"], 2, ["--out in.pcap: is the input --in in.pcap"] },
            { ["analyze", "--in", "in.pcap", "--json", "in.pcap", "--no-throughput"], 2, ["--json in.pcap: is the input --in in.pcap"] },
            { ["analyze", "--in", "in.pcap", "--json", "j.json", "--markdown", "j.json"], 2, ["--markdown j.json: is also --json j.json"] },
            { ["analyze", "--in", "copy.pcap", "in.pcap", "--markdown", "in.pcap"], 2, ["--markdown in.pcap: is the input --in in.pcap"] },
            { ["encap", "--protocol", "vxlan", "--in", "link.pcap", "--out", "in.pcap"], 2, ["--out in.pcap: is the input --in link.pcap"] },
            { ["encap", "--protocol", "vxlan", "--in", "in.pcap", "--out", "link.pcap"], 2, ["--out link.pcap: is the input --in in.pcap"] },
            { ["encap", "--protocol", "vxlan", "--in", "hard.pcap", "--out", "in.pcap"], 2, ["--out in.pcap: is the input --in hard.pcap"] },
            { ["encap", "--protocol", "vxlan", "--in", "in.pcap", "--out", "./adir/../in.pcap"], 2, ["--out ./adir/../in.pcap: is the input --in in.pcap"] },
            { ["chain", "--in", "in.pcap", "--json", "in.pcap"], 2, ["--json in.pcap: is the input --in in.pcap"] },
            { ["chain", "--in", "in.pcap", "--json", "c.json", "--markdown", "c.json"], 2, ["--markdown c.json: is also --json c.json"] },
            { ["compare", "--baseline", baseline, "--current", baseline, "--judge", "notes.txt", "--suspects", "notes.txt"], 2, ["--suspects notes.txt: is the input --judge notes.txt"] },
            // Every value checked by its option: the value as typed and what is accepted.
            { ["encap", "--protocol", "vxlan", "--vni", "16777216", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--vni 16777216: a VNI is 0..16777215 (decimal or 0x-hex)"] },
            { ["encap", "--protocol", "srv6", "--sids", "10.0.0.1", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--sids 10.0.0.1:", "IPv6"] },
            { ["encap", "--protocol", "srv6", "--sids", "fc00:0:1::,fc00:1:2::", "--csid", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--sids fc00:0:1::,fc00:1:2:::", "locator block"] },
            { ["encap", "--protocol", "vxlan", "--outer-src", "2001:db8::1", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--outer-src 2001:db8::1: is IPv6, but the underlay is ipv4"] },
            { ["encap", "--protocol", "gre", "--underlay", "ipv6", "--outer-dst", "192.0.2.9", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--outer-dst 192.0.2.9: is IPv4, but the underlay is ipv6"] },
            { ["encap", "--protocol", "vxlan", "--outer-dst", "300.1.1.1", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--outer-dst 300.1.1.1: an address is IPv4"] },
            { ["encap", "--protocol", "vxlan", "--outer-src", "10.1", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--outer-src 10.1: an address is IPv4, four numbers 0..255"] },
            { ["encap", "--protocol", "vxlan", "--outer-src-mac", "02:00:5e:00:00", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--outer-src-mac 02:00:5e:00:00: a MAC address is six hex bytes"] },
            { ["encap", "--protocol", "geneve", "--option", "1:2:abc", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--option 1:2:abc: a GENEVE option is CLASS:TYPE[:HEX]"] },
            { ["encap", "--protocol", "geneve", "--option", "1:2:001122", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--option 1:2:001122:", "a multiple of 4 bytes"] },
            { ["encap", "--protocol", "vxlan", "--underlay", "ipv5", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--underlay ipv5: the underlay is ipv4 or ipv6"] },
            { ["encap", "--protocol", "ipip", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--protocol ipip: the protocol is gre, nvgre, vxlan, geneve or srv6"] },
            { ["encap", "--protocol", "srv6", "--csid", "--csid-format", "33/16", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--csid-format 33/16: the format is BLOCK/CSID bits"] },
            { ["encap", "--protocol", "vxlan", "--in", "in.pcap", "--out", "adir"], 2, ["--out adir: is a folder"] },
            { ["encap", "--protocol", "vxlan", "--in", "in.pcap", "--out", "notes.txt/o.pcap"], 2, ["--out notes.txt/o.pcap:", "is a file, not a folder"] },
            { ["encap", "--protocol", "vxlan", "--in", "adir", "--out", "o.pcap"], 2, ["--in adir: is a folder; name a file"] },
            { ["encap", "--protocol", "vxlan", "--in", "missing.pcap", "--out", "o.pcap"], 2, ["--in missing.pcap: no such file"] },
            { ["decap", "--in", "missing.pcap", "--out", "o.pcap"], 2, ["--in missing.pcap: no such file"] },
            { ["analyze", "--in", "missing.pcap"], 2, ["--in missing.pcap: no such file"] },
            { ["analyze", "--in", "adir"], 2, ["--in adir: is a folder"] },
            { ["chain", "--in", "missing.pcap"], 2, ["--in missing.pcap: no such file"] },
            { ["analyze", "--in", "in.pcap", "--mtu", "0"], 2, ["--mtu 0: an MTU is 68..65535 (decimal or 0x-hex)"] },
            // `kernel` checks its values before it needs root or builds anything.
            { ["kernel", "--trials", "abc"], 2, ["--trials abc: a trial count is 1..100 (decimal or 0x-hex)"] },
            { ["kernel", "--duration", "0"], 2, ["--duration 0: a trial lasts 0.1..30 seconds"] },
            { ["kernel", "--quick", "--json", "k.json", "--markdown", "k.json"], 2, ["--markdown k.json: is also --json k.json"] },
            { ["kernel", "--sizes", "5000"], 2, ["--sizes: '5000' is not a UDP payload size"] },
            { ["analyze", "--in", "in.pcap", "--mtu", "-5"], 2, ["--mtu -5: an MTU is 68..65535"] },
            { ["analyze", "--in", "in.pcap", "--mtu", "70000"], 2, ["--mtu 70000: an MTU is 68..65535"] },
            { ["analyze", "--in", "in.pcap", "--threads", "abc"], 2, ["--threads abc: a thread count is 1..1024"] },
            { ["analyze", "--in", "in.pcap", "--passes", "0"], 2, ["--passes 0: a pass count is 1..1000"] },
            { ["analyze", "--in", "in.pcap", "--shard", "3/3"], 2, ["--shard 3/3: a shard is i/n, shard i of n with 0 <= i < n"] },
            { ["analyze", "--in", "in.pcap", "--shard", "x"], 2, ["--shard x: a shard is i/n"] },
            { ["analyze", "--in", "in.pcap", "--shard", "1/0"], 2, ["--shard 1/0: a shard is i/n"] },
            { ["analyze", "--in", "in.pcap", "--threads", "2", "--shard", "0/2"], 2, ["--threads 2 with --shard 0/2: a shard is analysed on one thread"] },
            { ["analyze", "--in", "in.pcap", "--scaling", "abc"], 2, ["--scaling abc: a thread count is 0..1024"] },
            { ["merge", "--in", "missing.json", "--out", "m.json"], 2, ["--in missing.json: no such file"] },
            { ["merge", "--out", "m.json"], 2, ["--in"] },
            { ["analyze", "--in", "in.pcap", "--variants", "vxlan-ipv4,srv6-encap-5sid"], 2, ["--variants vxlan-ipv4,srv6-encap-5sid: 'srv6-encap-5sid' is not a variant"] },
            { ["chain", "--in", "in.pcap", "--services", "0..x"], 2, ["--services 0..x: chain lengths are 0..14"] },
            { ["chain", "--in", "in.pcap", "--metadata", "6"], 2, ["--metadata 6: metadata sizes are 0..124, multiples of 4"] },
            { ["compare", "--baseline", baseline, "--current", baseline, "--alpha", "0.7"], 2, ["--alpha 0.7: the significance level is a number between 0 and 0.5"] },
            { ["compare", "--baseline", baseline, "--current", baseline, "--threshold", "abc"], 2, ["--threshold abc: a threshold is a percentage"] },
            { ["compare", "--baseline", "nores", "--current", baseline], 2, ["--baseline nores: no such folder"] },
            { ["record", "--interface", "lo", "--snaplen", "0", "--out", "r.pcap"], 2, ["--snaplen 0: a snap length is 1..262144"] },
            { ["record", "--interface", "lo", "--duration", "-1", "--out", "r.pcap"], 2, ["--duration -1: a duration in seconds is 0..1000000000"] },
            { ["report", "--results", "notes.txt"], 2, ["--results notes.txt: is a file"] },
            { ["report", "--results", "nores"], 2, ["--results nores: no such folder"] },
            { ["report", "--results", "foreign", "--out", "notes.txt"], 2, ["--out notes.txt: is a file"] },
            // Options that do not apply to the protocol, mode or underlay chosen.
            { ["encap", "--protocol", "srv6", "--underlay", "ipv4", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--underlay ipv4: srv6 runs over ipv6 only"] },
            { ["encap", "--protocol", "vxlan", "--key", "5", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--key applies to gre, not vxlan"] },
            { ["encap", "--protocol", "nvgre", "--key", "5", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--key applies to gre, not nvgre"] },
            { ["encap", "--protocol", "gre", "--vni", "5", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--vni applies to vxlan or geneve, not gre"] },
            { ["encap", "--protocol", "vxlan", "--option", "1:2:00112233", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--option applies to geneve, not vxlan"] },
            { ["encap", "--protocol", "gre", "--reduced", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--reduced applies to srv6, not gre"] },
            { ["encap", "--protocol", "srv6", "--checksum", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--checksum applies to gre, not srv6"] },
            { ["encap", "--protocol", "srv6", "--outer-dst", "2001:db8::2", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--outer-dst does not apply to srv6"] },
            { ["encap", "--protocol", "gre", "--udp-checksum", "on", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--udp-checksum applies to vxlan or geneve, not gre"] },
            { ["encap", "--protocol", "vxlan", "--flow-label", "zero", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--flow-label applies to an ipv6 underlay"] },
            { ["encap", "--protocol", "srv6", "--df", "on", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--df applies to an ipv4 underlay"] },
            { ["encap", "--protocol", "srv6", "--csid-format", "48/16", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--csid-format applies with --csid"] },
            { ["encap", "--protocol", "nvgre", "--mode", "l3", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--mode l3: nvgre carries Ethernet frames only"] },
            { ["analyze", "--in", "in.pcap", "--scaling-only"], 2, ["--scaling-only applies with --scaling"] },
            { ["compare", "--baseline", baseline, "--current", baseline, "--noise-quantile", "0.9"], 2, ["--noise-quantile applies with --noise-history"] },
            { ["compare", "--baseline", baseline, "--current", baseline, "--allocations-only", "--threshold", "5%"], 2, ["--threshold applies to timings, and --allocations-only compares allocations alone"] },
            { ["compare", "--baseline", baseline, "--current", baseline, "--instructions", "--noise", "1ns"], 2, ["--noise applies to benchmark reports, and --instructions compares instruction counts"] },
            { ["analyze", "--in", "in.pcap", "--no-throughput", "--passes", "3"], 2, ["--passes applies to timed runs, and --no-throughput turns them off"] },
            // Typos: the closest name and a pointer to --help, never the whole help.
            { ["encpa", "--protocol", "vxlan", "--in", "in.pcap", "--out", "o.pcap"], 2, ["unknown command 'encpa'; did you mean 'encap'?", "overlay --help"] },
            { ["analyse", "--in", "in.pcap"], 2, ["unknown command 'analyse'; did you mean 'analyze'?"] },
            { ["in.pcap"], 2, ["unknown command 'in.pcap'; the commands are", "overlay --help"] },
            { [], 2, ["a command is needed", "overlay --help"] },
            { ["encap", "--protocl", "vxlan", "--in", "in.pcap", "--out", "o.pcap"], 2, ["encap: unknown option '--protocl'; did you mean '--protocol'?", "overlay encap --help"] },
            { ["analyze", "--in", "in.pcap", "--jsn", "a.json"], 2, ["unknown option '--jsn'; did you mean '--json'?"] },
            { ["encap", "--protocol", "srv6", "--sids", "--in", "in.pcap", "--out", "o.pcap"], 2, ["--sids needs a value, but the next word is the option --in"] },
            { ["decap", "--in", "in.pcap", "--out"], 2, ["--out needs a value"] },
            { ["encap", "--protocol", "vxlan", "--in", "in.pcap"], 2, ["encap: --out is required", "overlay encap --help"] },
            { ["encap", "--protocol", "vxlan", "--in", "in.pcap", "--out", "o.pcap", "extra"], 2, ["encap: unexpected argument 'extra'"] },
            // Runs that cannot succeed: exit 1, one error line, no output written.
            { ["decap", "--in", "in.pcap", "--out", "d.pcap"], 1, ["in.pcap: none of its", "is a tunnel packet", "d.pcap was not written"] },
            { ["encap", "--protocol", "gre", "--in", "arp.pcap", "--out", "o.pcap"], 1, ["arp.pcap: none of its", "could be encapsulated with gre-l3-ipv4"] },
            { ["analyze", "--in", "notes.txt", "--no-throughput"], 1, ["notes.txt: file header, offset 0: not a readable pcap or pcapng file"] },
            { ["chain", "--in", "notes.txt"], 1, ["notes.txt: file header, offset 0"] },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_mistake_gets_one_line_and_its_exit_code_and_changes_no_file(string[] args, int exitCode, string[] fragments)
    {
        using var folder = new Sandbox();
        Dictionary<string, string> before = folder.Checksums();

        OverlayProcess.Result result = OverlayProcess.Run(folder.Path, args);

        string command = $"overlay {string.Join(' ', args)}";
        Assert.True(result.ExitCode == exitCode, $"{command}: exit {result.ExitCode}, wanted {exitCode}\n{result.Stderr}{result.Stdout}");
        string[] errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("overlay: error: ", StringComparison.Ordinal)).ToArray();
        string error = Assert.Single(errors);
        foreach (string fragment in fragments)
        {
            Assert.True(error.Contains(fragment, StringComparison.Ordinal), $"{command}: '{error}' does not say '{fragment}'");
        }
        foreach (string internals in new[] { "Exception", "(Parameter", "System.", "Actual value", "Unrecognized", "Cannot parse", "Usage:" })
        {
            Assert.DoesNotContain(internals, result.Stderr + result.Stdout);
        }
        if (exitCode == 2)
        {
            // A command line refused is refused whole: one line, nothing else printed, nothing written.
            Assert.Equal(error + "\n", result.Stderr);
            Assert.Empty(result.Stdout);
            Assert.Equal(before.Keys.Order(), folder.Checksums().Keys.Order());
        }
        else
        {
            Assert.Empty(result.Stdout);
            Assert.DoesNotContain(Directory.EnumerateFiles(folder.Path, "*.pcap"), f => !before.ContainsKey(Path.GetFileName(f)));
        }
        Dictionary<string, string> after = folder.Checksums();
        foreach ((string file, string sum) in before)
        {
            Assert.True(after.TryGetValue(file, out string? now) && now == sum, $"{command} changed {file}");
        }
    }

    [Fact]
    public void Report_names_the_json_files_it_ignores()
    {
        using var folder = new Sandbox();
        OverlayProcess.Result result = OverlayProcess.Run(folder.Path, "report", "--results", "foreign", "--out", "rendered");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"warning: {Path.Combine("foreign", "analysis.json")}: ignored, not an analysis, chain, kernel or run result (it names no schema)", result.Stderr);
        Assert.Contains($"from the results folder {Path.Combine(folder.Path, "foreign")}", result.Stderr);
    }

    [Fact]
    public void Outputs_go_into_folders_made_for_them_in_every_verb()
    {
        using var folder = new Sandbox();
        Assert.Equal(0, OverlayProcess.Run(folder.Path, "encap", "--protocol", "vxlan", "--in", "in.pcap", "--out", "new1/o.pcap", "-q").ExitCode);
        Assert.Equal(0, OverlayProcess.Run(folder.Path, "decap", "--in", "new1/o.pcap", "--out", "new2/d.pcap", "-q").ExitCode);
        Assert.Equal(0, OverlayProcess.Run(folder.Path, "analyze", "--in", "in.pcap", "--variants", "vxlan-ipv4", "--no-throughput", "--json", "new3/a.json", "-q").ExitCode);
        Assert.True(File.Exists(Path.Combine(folder.Path, "new1", "o.pcap")));
        Assert.True(File.Exists(Path.Combine(folder.Path, "new2", "d.pcap")));
        Assert.True(File.Exists(Path.Combine(folder.Path, "new3", "a.json")));
    }

    [Fact]
    public async Task A_capture_streamed_through_a_named_pipe_is_read_once()
    {
        // scripts/large-capture.sh streams through a FIFO: checking the input must not consume the stream.
        using var folder = new Sandbox();
        string pipe = Path.Combine(folder.Path, "stream.pcap"), json = Path.Combine(folder.Path, "r.json");
        Sandbox.Run("mkfifo", pipe);
        Task writer = Task.Run(() => File.WriteAllBytes(pipe, File.ReadAllBytes(Path.Combine(folder.Path, "in.pcap"))));
        OverlayProcess.Result result = OverlayProcess.Run(folder.Path, TimeSpan.FromSeconds(60), "analyze", "--in", pipe, "--variants", "vxlan-ipv4", "--no-throughput", "--json", json, "-q");
        await writer;
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(Pcap.Read(Path.Combine(folder.Path, "in.pcap")).Count, Overlay.Results.ResultDocument.FromJson(File.ReadAllText(json)).Captures.Single().Packets.Value);
    }

    /// <summary>A folder of its own with the files the mistakes name; removed when done.</summary>
    private sealed class Sandbox : IDisposable
    {
        public Sandbox()
        {
            Path = Directory.CreateTempSubdirectory("overlay-mistake-").FullName;
            File.Copy(System.IO.Path.Combine(Paths.ProjectCaptures, "icmp.pcap"), Combine("in.pcap"));
            File.Copy(System.IO.Path.Combine(Paths.ProjectCaptures, "icmp.pcap"), Combine("copy.pcap"));
            File.CreateSymbolicLink(Combine("link.pcap"), "in.pcap");
            Run("ln", Combine("in.pcap"), Combine("hard.pcap"));
            Directory.CreateDirectory(Combine("adir"));
            File.WriteAllText(Combine("notes.txt"), "not a capture\n");
            Directory.CreateDirectory(Combine("foreign"));
            File.WriteAllText(Combine("foreign", "analysis.json"), "{\"hello\": \"world\"}\n");
            // One ARP frame: nothing an L3 tunnel can carry.
            byte[] arp = Convert.FromHexString("ffffffffffff0200000000010806000108000604000102000000000100000000000000000000c0000202");
            Pcap.Write(Combine("arp.pcap"), [arp]);
        }

        public string Path { get; }

        public Dictionary<string, string> Checksums() =>
            Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories)
                .ToDictionary(f => System.IO.Path.GetRelativePath(Path, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

        public void Dispose() => Directory.Delete(Path, recursive: true);

        private string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

        public static void Run(string program, params string[] args)
        {
            using Process process = Process.Start(program, args);
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
        }
    }
}
