using System.CommandLine;
using System.Text.Json;
using Overlay.Encapsulation;
using Overlay.Replay.Merge;
using Overlay.Reporting.Report;
using Overlay.Results;

namespace Overlay.Cli;

/// <summary>`overlay merge`: analysis documents of shards, or of captures on other hosts, into one.</summary>
public static class MergeCommand
{
    public static Command Create()
    {
        var input = PathOptions.InputFiles("--in", "Analysis documents to merge (overlay analyze --json, schema overlay-bench/analyze/v2): every shard i/n of one analysis, or analyses of different captures");
        input.Required = true;
        var output = PathOptions.OutputFile("--out", "Where the merged document goes (written whole or not at all); its folder is created if missing");
        var markdown = PathOptions.OptionalOutputFile("--markdown", "Also write the merged document's Markdown summary here");
        var command = new Command("merge", "Merge analysis documents exactly: the shards of one capture (analyze --shard i/n) pair up capture by capture; analyses of different captures are summed into one. Every count, histogram and table is what one analysis of all the frames gives; timings are kept per input, not merged. Inputs with different variants, settings or schemas, a shard given twice or a shard set with one missing are refused.")
        {
            input, output, markdown,
        };
        command.AddCheck(result => PathOptions.RequireDistinct(result, [input], [output, markdown]));
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(cancellation, token =>
        {
            string[] paths = parse.GetValue(input)!;
            var inputs = new List<MergeInput>();
            foreach (string path in paths)
            {
                token.ThrowIfCancellationRequested();
                if (!File.Exists(path))
                {
                    throw new ArgumentException($"--in {path}: no such file");
                }
                try
                {
                    inputs.Add(new MergeInput(path, Read(path)));
                }
                catch (InvalidDataException e)
                {
                    ConsoleUi.Fail(e.Message);
                    return ExitCodes.Failed;
                }
            }
            ResultDocument merged;
            try
            {
                merged = AnalysisMerge.Merge(inputs, VariantNames.Resolve, $"overlay merge {typeof(MergeCommand).Assembly.GetName().Version}");
            }
            catch (MergeRefusedException e)
            {
                ConsoleUi.Fail($"refused: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (InvalidDataException e)
            {
                ConsoleUi.Fail(e.Message);
                return ExitCodes.Failed;
            }
            OutputFile.WriteAllText(parse.GetValue(output)!, merged.ToJson());
            if (parse.GetValue(markdown) is string markdownPath)
            {
                OutputFile.WriteAllText(markdownPath, Overlay.Replay.Results.MarkdownSummary.Render(merged));
            }
            Console.WriteLine($"{parse.GetValue(output)}: {merged.Merge!.Kind} of {inputs.Count} documents merged: {merged.Captures.Count} captures, "
                + $"{merged.Captures.Sum(c => c.Packets.Value):N0} frames, {merged.Results.Count} variant results"
                + (merged.ShardTimings is { Count: > 0 } t ? $"; {t.Count} timings kept per input, not merged" : ""));
            return ExitCodes.Ok;
        })));
        return command.WithExamples(
            "overlay analyze --in captures/mixed.pcap --no-throughput --shard 0/2 --json out/s0.json",
            "overlay analyze --in captures/mixed.pcap --no-throughput --shard 1/2 --json out/s1.json",
            "overlay merge --in out/s0.json out/s1.json --out out/analysis.json",
            "overlay analyze --in captures/http.pcap --no-throughput --json out/http.json",
            "overlay merge --in out/s0.json out/s1.json out/http.json --out out/both.json --markdown out/both.md");
    }

    /// <summary>An analysis document; a file that is not one fails with its name and what is wrong.</summary>
    private static ResultDocument Read(string path)
    {
        string json = File.ReadAllText(path);
        try
        {
            using (JsonDocument probe = JsonDocument.Parse(json))
            {
                string? schema = probe.RootElement.ValueKind == JsonValueKind.Object && probe.RootElement.TryGetProperty("schema", out JsonElement s)
                    && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                if (!ResultDocument.IsAnalysisSchema(schema))
                {
                    throw new ArgumentException($"--in {path}: schema '{schema ?? "none"}' is not an analysis document ({string.Join(" or ", ResultDocument.ReadableSchemas)})");
                }
            }
            return ResultDocument.FromJson(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a readable analysis document ({e.Message})", e);
        }
    }
}
