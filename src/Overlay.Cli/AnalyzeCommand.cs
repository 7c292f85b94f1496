using System.CommandLine;
using System.Globalization;
using Overlay.Encapsulation;
using Overlay.Replay.Analysis;
using Overlay.Replay.Results;
using Overlay.Results;
using Overlay.Reporting.Report;

namespace Overlay.Cli;

/// <summary>`overlay analyze`: every figure of every selected variant over one or more captures.</summary>
public static class AnalyzeCommand
{
    public const string DefaultCaptureFolder = "captures";

    public static Command Create()
    {
        var input = new Option<string[]>("--in") { Description = $"Captures to analyse (default: every pcap/pcapng in ./{DefaultCaptureFolder})", AllowMultipleArgumentsPerToken = true };
        var variants = new Option<string>("--variants") { Description = "all, or a comma-separated list of names from `overlay variants`", DefaultValueFactory = _ => "all" };
        var mtu = new Option<int>("--mtu") { Description = "The capture's interface MTU: IP packets above it are GSO/TSO/GRO super-frames", DefaultValueFactory = _ => 1500 };
        var segment = new Option<bool>("--segment") { Description = "Model TCP super-frames as the MTU-sized segments that crossed the wire" };
        var json = new Option<string?>("--json") { Description = "Write the result document (JSON, docs/results-schema.md) here" };
        var markdown = new Option<string?>("--markdown") { Description = "Write the Markdown summary here (it is printed to standard output too)" };
        var passes = new Option<int>("--passes") { Description = "Timed passes per mode (median, min and max are reported)", DefaultValueFactory = _ => 5 };
        var noThroughput = new Option<bool>("--no-throughput") { Description = "Skip the timed passes (sizes, MTU, ECMP and decap check only)" };
        var arena = new Option<int>("--arena-mib") { Description = "MiB of frames held at once; larger captures stream through in chunks of this size", DefaultValueFactory = _ => 64 };
        var threads = new Option<int>("--threads") { Description = "Also measure multi-core scaling: shard each capture by flow (as RSS does) over 1, 2, 4 … N cores and report the speed-up", DefaultValueFactory = _ => 0 };
        var scalingOnly = new Option<bool>("--scaling-only") { Description = "With --threads: measure only the multi-core scaling (the result file then holds no per-variant figures)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar" };
        var command = new Command("analyze", "Replay captures through every selected variant: overhead, goodput at line rate, MTU, ECMP balance, encap/decap speed and allocations.")
        {
            input, variants, mtu, segment, json, markdown, passes, noThroughput, arena, threads, scalingOnly, quiet,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(cancellation, token =>
        {
            string[] captures = Captures(parse.GetValue(input));
            IReadOnlyList<VariantSpec> selected = SelectVariants(parse.GetValue(variants)!);
            int passCount = parse.GetValue(passes);
            if (passCount < 1)
            {
                throw new ArgumentException("--passes must be at least 1");
            }
            int arenaMiB = parse.GetValue(arena);
            if (arenaMiB is < 1 or > 1024)
            {
                throw new ArgumentException("--arena-mib must be 1..1024");
            }
            var options = new AnalyzeOptions
            {
                Variants = selected,
                InterfaceMtu = parse.GetValue(mtu),
                SegmentSuperFrames = parse.GetValue(segment),
                Passes = passCount,
                MeasureThroughput = !parse.GetValue(noThroughput),
                ArenaBytes = arenaMiB << 20,
            };
            var analyzer = new CaptureAnalyzer(options);
            var summaries = new List<CaptureSummary>();
            var results = new List<VariantResult>();
            var errors = new List<string>();
            bool show = ConsoleUi.ShowProgress(parse.GetValue(quiet));
            bool onlyScaling = parse.GetValue(scalingOnly);
            if (onlyScaling && parse.GetValue(threads) < 1)
            {
                throw new ArgumentException("--scaling-only needs --threads N");
            }
            for (int i = 0; i < captures.Length && !onlyScaling; i++)
            {
                string capture = captures[i];
                string title = $"[{i + 1}/{captures.Length}] {Path.GetFileName(capture)}";
                CaptureAnalysis analysis = ConsoleUi.WithProgress(show, title, report =>
                    analyzer.Analyze(capture, new Progress(report), token));
                summaries.Add(analysis.Summary);
                results.AddRange(analysis.Results);
                if (analysis.Error is not null)
                {
                    errors.Add($"{analysis.Error.Message} (the frames before it were analysed)");
                }
            }
            int maxThreads = parse.GetValue(threads);
            if (maxThreads < 0)
            {
                throw new ArgumentException("--threads must be 1 or more (0: no scaling run)");
            }
            List<ScalingResult>? scaling = null;
            if (maxThreads > 0)
            {
                scaling = [];
                int[] counts = ScalingAnalyzer.ThreadCounts(maxThreads);
                foreach (string capture in captures)
                {
                    for (int v = 0; v < selected.Count; v++)
                    {
                        VariantSpec variant = selected[v];
                        scaling.AddRange(ConsoleUi.WithProgress(show, $"scaling {Path.GetFileName(capture)} {variant.Name}", report =>
                        {
                            report($"1..{maxThreads} threads", (double)v / selected.Count);
                            return ScalingAnalyzer.Measure(capture, variant, counts, options.Passes, options.MinPassTime, token);
                        }));
                    }
                }
            }
            var document = new ResultDocument
            {
                Environment = RunEnvironment.Current($"overlay analyze {typeof(AnalyzeCommand).Assembly.GetName().Version}"),
                Settings = new Dictionary<string, string>
                {
                    ["variants"] = string.Join(",", selected.Select(v => v.Name)),
                    ["interfaceMtu"] = options.InterfaceMtu.ToString(CultureInfo.InvariantCulture),
                    ["segmentSuperFrames"] = options.SegmentSuperFrames.ToString(),
                    ["passes"] = options.Passes.ToString(CultureInfo.InvariantCulture),
                    ["minPassMs"] = options.MinPassTime.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
                    ["throughput"] = options.MeasureThroughput.ToString(),
                    ["arenaMiB"] = (options.ArenaBytes >> 20).ToString(CultureInfo.InvariantCulture),
                    ["threads"] = maxThreads.ToString(CultureInfo.InvariantCulture),
                },
                Captures = summaries,
                Results = results,
                Scaling = scaling,
            };
            string summary = MarkdownSummary.Render(document);
            if (parse.GetValue(json) is string jsonPath)
            {
                OutputFile.WriteAllText(jsonPath, document.ToJson());
            }
            if (parse.GetValue(markdown) is string markdownPath)
            {
                OutputFile.WriteAllText(markdownPath, summary);
            }
            Console.Write(summary);
            foreach (string error in errors)
            {
                ConsoleUi.Fail(error);
            }
            return errors.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        })));
        return command;
    }

    /// <summary>The captures named, or every capture in ./captures; a name that does not exist is a usage error.</summary>
    internal static string[] Captures(string[]? named)
    {
        if (named is { Length: > 0 })
        {
            foreach (string path in named)
            {
                if (!File.Exists(path))
                {
                    throw new ArgumentException($"{path}: no such capture");
                }
            }
            return named;
        }
        if (!Directory.Exists(DefaultCaptureFolder))
        {
            throw new ArgumentException($"no --in given and no ./{DefaultCaptureFolder} folder here: name a capture with --in FILE");
        }
        string[] found = Directory.EnumerateFiles(DefaultCaptureFolder)
            .Where(f => f.EndsWith(".pcap", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".pcapng", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return found.Length > 0 ? found : throw new ArgumentException($"./{DefaultCaptureFolder} holds no .pcap or .pcapng file: name a capture with --in FILE");
    }

    internal static IReadOnlyList<VariantSpec> SelectVariants(string text)
    {
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return VariantCatalog.All;
        }
        var list = new List<VariantSpec>();
        foreach (string name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            list.Add(VariantCatalog.Find(name) ?? throw new ArgumentException($"unknown variant '{name}'; `overlay variants` lists them"));
        }
        return list;
    }

    private sealed class Progress(Action<string, double> report) : IProgress<AnalyzeProgress>
    {
        public void Report(AnalyzeProgress value) => report(value.Stage, value.Fraction);
    }
}
