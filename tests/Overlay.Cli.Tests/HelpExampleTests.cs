using System.Text;
using Overlay.Encapsulation;
using Overlay.Replay.Tests;

namespace Overlay.Cli.Tests;

/// <summary>
/// Every verb's --help ends with examples, and every example runs as printed, from a folder that holds the bundled
/// captures and results as the repository root does. Variant names agree between `variants`, `encap` and `analyze`.
/// </summary>
public class HelpExampleTests
{
    [Fact]
    public void Every_verb_has_examples_and_every_example_runs()
    {
        string folder = Directory.CreateTempSubdirectory("overlay-examples-").FullName;
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(folder, "captures"), Paths.ProjectCaptures);
            Directory.CreateSymbolicLink(Path.Combine(folder, "results"), Path.Combine(Paths.Repository, "results"));
            foreach (string verb in Verbs())
            {
                OverlayProcess.Result help = OverlayProcess.Run(folder, verb, "--help");
                Assert.Equal(0, help.ExitCode);
                string[] examples = help.Stdout.Split('\n')
                    .SkipWhile(l => !l.StartsWith("Examples", StringComparison.Ordinal)).Skip(1)
                    .TakeWhile(l => l.StartsWith("  overlay ", StringComparison.Ordinal))
                    .Select(l => l.Trim()).ToArray();
                Assert.True(examples.Length > 0, $"overlay {verb} --help shows no example");
                if (verb == "kernel" && !Environment.IsPrivilegedProcess)
                {
                    // It builds network namespaces, which needs root; its own tests say so when skipped.
                    continue;
                }
                foreach (string example in examples)
                {
                    OverlayProcess.Result run = OverlayProcess.Run(folder, TimeSpan.FromMinutes(3), [.. Words(example).Skip(1)]);
                    Assert.True(run.ExitCode == 0, $"{example}: exit {run.ExitCode}\n{run.Stderr}");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Help_explains_special_values()
    {
        Assert.Contains("0 (the default) means no scaling run", OverlayProcess.Run(Path.GetTempPath(), "analyze", "--help").Stdout);
        Assert.Contains("0 (the default) means no limit", OverlayProcess.Run(Path.GetTempPath(), "record", "--help").Stdout);
        Assert.Contains("decimal or 0x-hex", OverlayProcess.Run(Path.GetTempPath(), "encap", "--help").Stdout);
        foreach (string verb in Verbs())
        {
            // Defaults print as the user writes them, never as a runtime type.
            string help = OverlayProcess.Run(Path.GetTempPath(), verb, "--help").Stdout;
            Assert.DoesNotContain("System.", help);
            Assert.DoesNotContain(" { ", help);
        }
    }

    [Fact]
    public void Variants_describes_each_header_as_it_is_built()
    {
        OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), "variants");
        string line = result.Stdout.Split('\n').Single(l => l.StartsWith("geneve-ipv4-opt1x12B ", StringComparison.Ordinal));
        Assert.Contains("one 12-byte option", line);
        Assert.DoesNotContain("8-byte option", line);
    }

    [Theory]
    [InlineData(new[] { "--protocol", "srv6", "--sids", "fc00:0:1::,fc00:0:2::,fc00:0:3::,fc00:0:4::,fc00:0:5::" }, "srv6-encaps-5sid")]
    [InlineData(new[] { "--protocol", "srv6", "--sids", "fc00:0:1::,fc00:0:2::", "--csid", "--mode", "l2" }, "srv6-csid-l2-2sid")]
    [InlineData(new[] { "--protocol", "gre", "--underlay", "ipv6", "--key", "1", "--seq" }, "gre-l3-ipv6-key-seq")]
    [InlineData(new[] { "--protocol", "geneve", "--option", "0x0108:1:0011223344556677", "--option", "0x0108:2" }, "geneve-ipv4-opt2x16B")]
    public void Names_encap_prints_are_accepted_by_analyze(string[] settings, string name)
    {
        string output = Paths.TempFile(), json = Paths.TempFile(".json");
        string capture = Path.Combine(Paths.ProjectCaptures, "icmp.pcap");
        try
        {
            OverlayProcess.Result encap = OverlayProcess.Run(Path.GetTempPath(), ["encap", .. settings, "--in", capture, "--out", output, "-q"]);
            Assert.True(encap.ExitCode == 0, encap.Stderr);
            Assert.Contains($"encapsulated with {name} into", encap.Stderr);
            OverlayProcess.Result analyze = OverlayProcess.Run(Path.GetTempPath(), "analyze", "--in", capture, "--variants", name, "--no-throughput", "--json", json, "-q");
            Assert.True(analyze.ExitCode == 0, analyze.Stderr);
            var result = Overlay.Results.ResultDocument.FromJson(File.ReadAllText(json)).Results.Single();
            Assert.Equal(name, result.Variant);
        }
        finally
        {
            File.Delete(output);
            File.Delete(json);
        }
    }

    [Fact]
    public void Every_catalogue_name_is_accepted_by_analyze()
    {
        Assert.All(VariantCatalog.All, v => Assert.Same(v, VariantNames.Resolve(v.Name)));
        Assert.Null(VariantNames.Resolve("srv6-encaps-17sid"));
        Assert.Null(VariantNames.Resolve("geneve-ipv4-opt1x10B"));
    }

    private static IEnumerable<string> Verbs()
    {
        string help = OverlayProcess.Run(Path.GetTempPath(), "--help").Stdout;
        return help.Split('\n').SkipWhile(l => !l.StartsWith("Commands:", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[0]);
    }

    /// <summary>A command line split as a shell splits it: on spaces, except inside double quotes.</summary>
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }
        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }
        return words;
    }
}
