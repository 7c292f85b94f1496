using System.CommandLine;
using System.Globalization;
using System.Text;
using Overlay.Replay.Analysis;
using Overlay.Results;
using Overlay.Reporting.Report;

namespace Overlay.Cli;

/// <summary>`overlay chain`: bytes on the wire over a service chain of 0..k services, per approach, on real captures.</summary>
public static class ChainCommand
{
    public static Command Create()
    {
        var input = PathOptions.InputFiles("--in", $"Captures to walk through the chains (default: every pcap/pcapng in ./{AnalyzeCommand.DefaultCaptureFolder})");
        var services = OptionValues.NumberList("--services", "Chain lengths k, 0..14, as a range A..B or a comma-separated list", "chain lengths", 0, 14, 1, "0..8");
        var metadata = OptionValues.NumberList("--metadata", "Per-packet metadata sizes in bytes, multiples of 4 up to 124, carried as an SRH TLV or a GENEVE option; a range A..B or a list", "metadata sizes", 0, 124, 4, "0,8,16,32");
        var profiles = ProfileOptions.List("Also walk the chains with deployed profiles as the service hop, comma-separated (`overlay variants --profiles`) or `all`: every link in the profile's tunnel, a pair in through one and out through the other");
        var json = PathOptions.OptionalOutputFile("--json", "Write the chain result document (JSON) here; its folder is created if missing");
        var markdown = PathOptions.OptionalOutputFile("--markdown", "Write the Markdown table here (it is printed to standard output too)");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar" };
        var command = new Command("chain", "Service insertion: send every frame from host A through k services to host B with SRv6 End, NEXT-C-SID, a GENEVE service path and VXLAN stitching, check it arrives intact, and sum the bytes on the wire over the path.")
        {
            input, services, metadata, profiles, json, markdown, quiet,
        };
        command.AddCheck(result => PathOptions.RequireDistinct(result, [input], [json, markdown]));
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(cancellation, token =>
        {
            string[] captures = AnalyzeCommand.Captures(parse.GetValue(input));
            AnalyzeCommand.RequireReadable(captures);
            int[] k = parse.GetValue(services)!;
            int[] m = parse.GetValue(metadata)!;
            var results = new List<ChainResult>();
            bool show = ConsoleUi.ShowProgress(parse.GetValue(quiet));
            for (int i = 0; i < captures.Length; i++)
            {
                string capture = captures[i];
                results.AddRange(ConsoleUi.WithProgress(show, $"[{i + 1}/{captures.Length}] chain {Path.GetFileName(capture)}", report =>
                    ServiceChainAnalyzer.Analyze(capture, k, m, token)));
                foreach (var profile in parse.GetValue(profiles)!)
                {
                    results.AddRange(ConsoleUi.WithProgress(show, $"[{i + 1}/{captures.Length}] chain {Path.GetFileName(capture)} {profile.Name}", report =>
                        Overlay.Replay.Profiles.ProfileChain.Analyze(capture, profile, k, token)));
                }
            }
            var document = new ChainDocument
            {
                Environment = RunEnvironment.Current($"overlay chain {typeof(ChainCommand).Assembly.GetName().Version}"),
                Results = results,
            };
            string table = Render(document);
            if (parse.GetValue(json) is string jsonPath)
            {
                OutputFile.WriteAllText(jsonPath, document.ToJson());
            }
            if (parse.GetValue(markdown) is string markdownPath)
            {
                OutputFile.WriteAllText(markdownPath, table);
            }
            Console.Write(table);
            long lost = results.Sum(r => (long)(r.Packets.Value - r.Arrived.Value));
            if (lost > 0)
            {
                ConsoleUi.Fail($"{lost} packets did not arrive intact at the egress");
                return ExitCodes.Failed;
            }
            return ExitCodes.Ok;
        })));
        return command.WithExamples(
            "overlay chain --in captures/http.pcap --services 0..4 --metadata 0,16",
            "overlay chain --in captures/mixed.pcap --services 0,2,8 --json out/chain.json --markdown out/chain.md",
            "overlay chain --in captures/http.pcap --services 1 --metadata 0 --profile aws-gwlb,azure-gwlb-pair");
    }

    public static string Render(ChainDocument document)
    {
        var md = new StringBuilder();
        md.AppendLine("# Service chains: bytes on the wire over the whole path").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- machine: {document.Environment.Machine}; runtime: {document.Environment.Runtime}; commit: {document.Environment.Commit}; date: {document.Environment.Date:yyyy-MM-dd HH:mm} UTC").AppendLine();
        foreach (var capture in document.Results.GroupBy(r => r.Capture))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## {capture.Key}").AppendLine();
            md.AppendLine("Overhead on the wire over the whole path, % of the same frames routed with no tunnel (ingress header bytes in brackets).").AppendLine();
            int[] ks = capture.Select(r => (int)r.Services.Value).Distinct().Order().ToArray();
            md.AppendLine("| approach | metadata (B) | " + string.Join(" | ", ks.Select(k => $"k={k}")) + " | arrived |");
            md.AppendLine("|---|---:|" + string.Concat(ks.Select(_ => "---:|")) + "---:|");
            foreach (var row in capture.GroupBy(r => (r.Approach, r.MetadataBytes.Value)))
            {
                var cells = ks.Select(k => row.FirstOrDefault(r => r.Services.Value == k) is ChainResult r
                    ? string.Create(CultureInfo.InvariantCulture, $"{r.OverheadPercentWire.Value:0.0}% ({r.IngressHeaderLength.Value:0})")
                    : "–");
                double arrived = row.Sum(r => r.Arrived.Value), packets = row.Sum(r => r.Packets.Value);
                md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Key.Approach} | {row.Key.Value:0} | {string.Join(" | ", cells)} | {arrived:0}/{packets:0} |");
            }
            md.AppendLine();
        }
        return md.ToString();
    }
}
