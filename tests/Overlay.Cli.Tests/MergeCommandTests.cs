using Overlay.Replay.Tests;
using Overlay.Replay.Tests.Merge;
using Overlay.Results;

namespace Overlay.Cli.Tests;

/// <summary>
/// `overlay analyze --shard i/n` in separate processes over every bundled and public capture, merged by `overlay merge`,
/// gives exactly the figures of one `overlay analyze`; the merged document renders; bad merges exit 2 naming the file.
/// </summary>
public sealed class MergeCommandTests
{
    private const string Variants = "gre-teb-ipv4,gre-l3-ipv6-csum-key-seq,nvgre-ipv4,vxlan-ipv6,geneve-l3-ipv4,geneve-ipv6-opt1x12B,ip6in4,srv6-encaps-l2-red-3sid,srv6-csid-8sid";

    [Fact]
    public void Shards_analysed_in_separate_processes_merge_into_the_one_run_figures_on_every_capture()
    {
        string folder = Directory.CreateTempSubdirectory("overlay-merge-").FullName;
        try
        {
            string[] captures = [.. Paths.AllCaptures().Select(p => Path.GetRelativePath(Paths.Repository, p))];
            // One variant of each tunnel family and mode keeps CI fast; ShardMergeTests checks all of them in one process.
            string[] analyze = ["analyze", "--in", .. captures, "--no-throughput", "--quiet", "--variants", Variants];
            OverlayProcess.Result one = OverlayProcess.Run(Paths.Repository, TimeSpan.FromMinutes(5), [.. analyze, "--json", Path.Combine(folder, "one.json")]);
            Assert.True(one.ExitCode == 0, one.Stderr);
            string expected = Figures.Of(File.ReadAllText(Path.Combine(folder, "one.json")));
            foreach (int n in new[] { 1, 3, 7 })
            {
                string[] shards = [.. Enumerable.Range(0, n).Select(i => Path.Combine(folder, $"shard-{i}-of-{n}.json"))];
                // The shards run at once, as an array job's tasks do.
                using var processes = new Processes([.. Enumerable.Range(0, n).Select(i =>
                    OverlayProcess.Start(Paths.Repository, [.. analyze, "--shard", $"{i}/{n}", "--json", shards[i]]))]);
                processes.WaitAll(TimeSpan.FromMinutes(5));
                string merged = Path.Combine(folder, $"merged-{n}.json");
                OverlayProcess.Result merge = OverlayProcess.Run(folder, ["merge", "--in", .. shards.Reverse(), "--out", merged]);
                Assert.True(merge.ExitCode == 0, merge.Stderr);
                Assert.Contains($"shards of {n} documents merged: {captures.Length} captures", merge.Stdout, StringComparison.Ordinal);
                Assert.Equal(expected, Figures.Of(File.ReadAllText(merged)));
            }

            string results = Path.Combine(folder, "results");
            Directory.CreateDirectory(results);
            File.Move(Path.Combine(folder, "merged-7.json"), Path.Combine(results, "analysis.json"));
            OverlayProcess.Result report = OverlayProcess.Run(folder, ["report", "--results", results]);
            Assert.True(report.ExitCode == 0, report.Stderr);
            Assert.Contains("vxlan-ipv4", File.ReadAllText(Path.Combine(results, "REPORT.md")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Refused_merges_exit_2_naming_the_file_and_write_nothing()
    {
        string folder = Directory.CreateTempSubdirectory("overlay-merge-").FullName;
        try
        {
            string capture = Path.Combine(Paths.ProjectCaptures, "dns-udp.pcap");
            string s0 = Path.Combine(folder, "s0.json"), s1 = Path.Combine(folder, "s1.json"), other = Path.Combine(folder, "other.json");
            foreach ((string path, string shard, string variants) in new[] { (s0, "0/2", "vxlan-ipv4,gre-l3-ipv4"), (s1, "1/2", "vxlan-ipv4,gre-l3-ipv4"), (other, "1/2", "vxlan-ipv4") })
            {
                OverlayProcess.Result run = OverlayProcess.Run(folder, ["analyze", "--in", capture, "--no-throughput", "--quiet", "--variants", variants, "--shard", shard, "--json", path]);
                Assert.True(run.ExitCode == 0, run.Stderr);
            }
            string v1 = Path.Combine(folder, "v1.json");
            File.WriteAllText(v1, File.ReadAllText(s1).Replace(ResultDocument.CurrentSchema, ResultDocument.SchemaV1, StringComparison.Ordinal));
            string broken = Path.Combine(folder, "broken.json");
            File.WriteAllText(broken, "{ \"schema\": \"overlay-bench/analyze/v2\", ");
            string output = Path.Combine(folder, "m.json");

            (string[] Inputs, int Exit, string Message)[] cases =
            [
                ([s0, s0, s1], 2, $"refused: {s0}: shard 0/2 again (also {s0})"),
                ([s0], 2, $"refused: {s0}: shards 1/2 of the same captures are missing"),
                ([s0, other], 2, $"refused: {other}: variants vxlan-ipv4 differ from {s0}'s vxlan-ipv4,gre-l3-ipv4"),
                ([s0, v1], 2, $"refused: {v1}: schema 'overlay-bench/analyze/v1' cannot be merged"),
                ([s0, broken], 1, $"{broken}: not a readable analysis document"),
            ];
            foreach ((string[] inputs, int exit, string message) in cases)
            {
                OverlayProcess.Result merge = OverlayProcess.Run(folder, ["merge", "--in", .. inputs, "--out", output]);
                Assert.True(merge.ExitCode == exit, $"{string.Join(' ', inputs)}: exit {merge.ExitCode}\n{merge.Stderr}");
                Assert.Contains(message, merge.Stderr, StringComparison.Ordinal);
                Assert.False(File.Exists(output));
                Assert.Empty(Directory.EnumerateFiles(folder, "*.partial"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Processes run at once, their output read as it comes; all are waited for, and any left are killed.</summary>
    private sealed class Processes : IDisposable
    {
        private readonly System.Diagnostics.Process[] _processes;
        private readonly Task<string>[] _stderr;
        private readonly Task<string>[] _stdout;

        public Processes(System.Diagnostics.Process[] processes)
        {
            _processes = processes;
            _stderr = [.. processes.Select(p => p.StandardError.ReadToEndAsync())];
            _stdout = [.. processes.Select(p => p.StandardOutput.ReadToEndAsync())];
        }

        public void WaitAll(TimeSpan limit)
        {
            for (int i = 0; i < _processes.Length; i++)
            {
                Assert.True(_processes[i].WaitForExit(limit), "a shard hung");
                _processes[i].WaitForExit();
                _stdout[i].Wait();
                Assert.True(_processes[i].ExitCode == 0, _stderr[i].Result);
            }
        }

        public void Dispose()
        {
            foreach (System.Diagnostics.Process process in _processes)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
                process.Dispose();
            }
        }
    }
}
