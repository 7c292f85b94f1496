using Overlay.Replay.Tests;
using Overlay.Replay.Tests.Merge;

namespace Overlay.Cli.Tests;

/// <summary>`overlay analyze --threads N` as a user runs it: what one thread prints, exits with and writes.</summary>
public sealed class AnalyzeThreadsTests
{
    [Fact]
    public void A_capture_cut_mid_record_gives_the_same_one_line_error_exit_code_and_figures_on_two_threads_as_on_one()
    {
        string folder = Directory.CreateTempSubdirectory("overlay-threads-").FullName;
        try
        {
            byte[] whole = File.ReadAllBytes(Paths.PublicCapture("traffic/sharppcap_10k_packets.pcap"));
            string cut = Path.Combine(folder, "cut.pcap");
            // Past half the file by a record header and a few bytes: the last record's data ends past the end of the file.
            File.WriteAllBytes(cut, whole[..(whole.Length / 2 + 30)]);
            var runs = new Dictionary<int, OverlayProcess.Result>();
            foreach (int threads in new[] { 1, 2 })
            {
                runs[threads] = OverlayProcess.Run(folder, "analyze", "--in", cut, "--variants", "vxlan-ipv4,srv6-encaps-3sid", "--threads", $"{threads}",
                    "--json", Path.Combine(folder, $"threads-{threads}.json"), "--quiet");
            }
            Assert.Equal(1, runs[1].ExitCode);
            Assert.Equal(runs[1].ExitCode, runs[2].ExitCode);
            string error = Assert.Single(runs[1].Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"overlay: error: {cut}: frame 5001, offset ", error, StringComparison.Ordinal);
            Assert.Equal(error, Assert.Single(runs[2].Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
            Assert.Equal(Figures.Of(File.ReadAllText(Path.Combine(folder, "threads-1.json"))), Figures.Of(File.ReadAllText(Path.Combine(folder, "threads-2.json"))));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
