using System.CommandLine;
using Overlay.Encapsulation;
using Overlay.Replay.Analysis;
using Overlay.Replay.Capture;
using Overlay.Results;
using Overlay.Reporting.Report;

namespace Overlay.Cli;

/// <summary>`overlay analyze`: every figure of every selected variant over one or more captures.</summary>
public static class AnalyzeCommand
{
    public const string DefaultCaptureFolder = "captures";

    public static Command Create()
    {
        var input = PathOptions.InputFiles("--in", $"Captures to analyse (default: every pcap/pcapng in ./{DefaultCaptureFolder})");
        var variants = VariantOption();
        var profiles = ProfileOptions.List("Deployed encapsulations to analyse, comma-separated (`overlay variants --profiles`) or `all`: with --variants beside those variants, alone instead of all; a pair analyses both its tunnels");
        var mtu = OptionValues.Number("--mtu", "The capture's interface MTU, 68..65535: IP packets above it are GSO/TSO/GRO super-frames", "an MTU", 68, 65535, 1500);
        var segment = new Option<bool>("--segment") { Description = "Model TCP super-frames as the MTU-sized segments that crossed the wire" };
        var json = PathOptions.OptionalOutputFile("--json", "Write the result document (JSON, docs/results-schema.md) here; its folder is created if missing");
        var markdown = PathOptions.OptionalOutputFile("--markdown", "Write the Markdown summary here (it is printed to standard output too)");
        var passes = OptionValues.Number("--passes", "Timed passes per mode, 1..1000 (median, min and max are reported); implies --throughput", "a pass count", 1, 1000, 5);
        var throughput = new Option<bool>("--throughput") { Description = "Also time every variant's encapsulation (copy, in place) and decapsulation over the capture: --passes passes of at least 20 ms each. Off by default: it is a benchmark of this host, a fixed cost per variant, and the analysis of a capture does not need it; --passes N alone turns it on too" };
        var noThroughput = new Option<bool>("--no-throughput") { Description = "No timed passes (the default; sizes, MTU, ECMP, operator figures and decap check only)" };
        var arena = OptionValues.Number("--arena-mib", "MiB of frames held at once, 1..1024; larger captures stream through in chunks of this size", "an arena size", 1, 1024, 64);
        var threads = OptionValues.Number("--threads", "Analyse on N cores, 1..1024: one reader reads each capture once and hands every frame to the worker that owns its inner flow (as --shard i/N splits it), N workers analyse their flows in parallel, and their shards are merged as `overlay merge` merges them (every figure as one thread gives; each worker's timings kept apart)", "a thread count", 1, 1024, 1);
        var shard = OptionValues.Parsed("--shard", "Analyse only shard i of n (0 <= i < n <= 1024): the frames whose inner flow hashes to it, every flow whole in one shard; `overlay merge` combines the n documents", "0/1", ParseShard, ShardForms);
        var scaling = OptionValues.Number("--scaling", "Also measure multi-core scaling: copy encapsulation of each capture sharded by flow (as RSS does) over 1, 2, 4 … N cores, and the speed-up; 0 (the default) means no scaling run", "a thread count", 0, 1024, 0);
        var scalingOnly = new Option<bool>("--scaling-only") { Description = "With --scaling: measure only the multi-core scaling (the result file then holds no per-variant figures)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar" };
        var command = new Command("analyze", "Replay captures through every selected variant: overhead, goodput at line rate, MTU, ECMP balance, operator figures and a decapsulation check of every frame; with --throughput also encap/decap speed and allocations.")
        {
            input, variants, profiles, mtu, segment, json, markdown, throughput, passes, noThroughput, arena, threads, shard, scaling, scalingOnly, quiet,
        };
        command.AddCheck(result =>
        {
            if (result.GetResult(scalingOnly) is { Implicit: false } && result.GetValue(scaling) < 1)
            {
                OptionValues.Report(result, "--scaling-only applies with --scaling N (N >= 1)");
            }
            else if (result.GetResult(throughput) is { Implicit: false } && result.GetResult(noThroughput) is { Implicit: false })
            {
                OptionValues.Report(result, "--throughput and --no-throughput contradict each other: give one");
            }
            else if (result.GetResult(passes) is { Implicit: false } && result.GetResult(noThroughput) is { Implicit: false } && result.GetValue(scaling) < 1)
            {
                OptionValues.Report(result, "--passes applies to timed runs, and --no-throughput turns them off (--scaling N times scaling runs)");
            }
            else if (result.GetValue(threads) > 1 && result.GetValue(shard) is { Count: > 1 } one)
            {
                OptionValues.Report(result, $"--threads {result.GetValue(threads)} with --shard {one}: a shard is analysed on one thread; run more shards instead (--shard i/n with a larger n)");
            }
            else if (result.GetResult(scalingOnly) is { Implicit: false } && result.GetValue(shard) is { Count: > 1 })
            {
                OptionValues.Report(result, "--scaling-only measures whole captures: it takes no --shard");
            }
            PathOptions.RequireDistinct(result, [input], [json, markdown]);
        });
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(cancellation, token =>
        {
            string[] captures = Captures(parse.GetValue(input));
            RequireReadable(captures);
            IReadOnlyList<VariantSpec> selected = Selection(parse.GetValue(variants), parse.GetValue(profiles)!);
            int passCount = parse.GetValue(passes);
            int arenaMiB = parse.GetValue(arena);
            var options = new AnalyzeOptions
            {
                Variants = selected,
                InterfaceMtu = parse.GetValue(mtu),
                SegmentSuperFrames = parse.GetValue(segment),
                Passes = passCount,
                MeasureThroughput = !parse.GetValue(noThroughput) && (parse.GetValue(throughput) || parse.GetResult(passes) is { Implicit: false }),
                ArenaBytes = arenaMiB << 20,
                Shard = parse.GetValue(shard)!,
            };
            bool show = ConsoleUi.ShowProgress(parse.GetValue(quiet));
            var run = new AnalysisRun
            {
                Captures = captures,
                Options = options,
                Tool = $"overlay analyze {typeof(AnalyzeCommand).Assembly.GetName().Version}",
                ScalingThreads = parse.GetValue(scaling),
                Threads = parse.GetValue(threads),
                Profiles = parse.GetValue(profiles)!.Select(p => p.Name).ToList(),
                ScalingOnly = parse.GetValue(scalingOnly),
            };
            AnalysisOutcome outcome = run.Run(new ConsoleProgress(show), token);
            ResultDocument document = outcome.Document;
            string summary = outcome.Markdown;
            if (parse.GetValue(json) is string jsonPath)
            {
                // Streamed: the document of a long capture holds every variant's flow samples (tens of MB as text).
                OutputFile.Write(jsonPath, document.WriteJson);
            }
            if (parse.GetValue(markdown) is string markdownPath)
            {
                OutputFile.WriteAllText(markdownPath, summary);
            }
            Console.Write(summary);
            foreach (CaptureException error in outcome.Errors)
            {
                ConsoleUi.Fail($"{error.Message} (the frames before it were analysed)");
            }
            return outcome.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        })));
        return command.WithExamples(
            "overlay analyze --in captures/http.pcap --variants vxlan-ipv4,srv6-encaps-red-1sid",
            "overlay analyze --in captures/mixed.pcap captures/ipv6.pcap --variants geneve-ipv4-opt1x12B,srv6-encaps-5sid --passes 1 --json out/analysis.json",
            "overlay analyze --in captures/bulk-tcp.pcap --variants vxlan-ipv4 --mtu 1500 --segment --markdown out/bulk.md",
            "overlay analyze --in captures/mixed.pcap --variants vxlan-ipv4,srv6-encaps-red-1sid --profile aws-gwlb,srv6-usid",
            "overlay analyze --in captures/http.pcap --variants vxlan-ipv4 --throughput --passes 3",
            "overlay analyze --in captures/mixed.pcap --threads 2 --json out/analysis.json",
            "overlay analyze --in captures/mixed.pcap --shard 1/4 --json out/shard-1.json");
    }

    private const string ShardForms = "a shard is i/n, shard i of n with 0 <= i < n and 1 <= n <= 1024 (e.g. 0/4 … 3/4)";

    /// <summary>"i/n" as a shard; anything else is an <see cref="ArgumentException"/>.</summary>
    internal static ShardInfo ParseShard(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length == 2 && OptionValues.TryParseNumber(parts[0], out ulong index) && OptionValues.TryParseNumber(parts[1], out ulong count)
            && count is >= 1 and <= 1024 && index < count)
        {
            return new ShardInfo((int)index, (int)count);
        }
        throw new ArgumentException(ShardForms);
    }

    /// <summary>The variants named (all when none is), then the tunnels of every profile named; each name once.</summary>
    internal static IReadOnlyList<VariantSpec> Selection(IReadOnlyList<VariantSpec>? variants, IReadOnlyList<Overlay.Encapsulation.Profiles.DeployedProfile> profiles)
    {
        IEnumerable<VariantSpec> legs = profiles.SelectMany(p => p.Legs);
        IEnumerable<VariantSpec> all = variants is null ? (profiles.Count > 0 ? legs : VariantCatalog.All) : variants.Concat(legs);
        return all.DistinctBy(v => v.Name).ToList();
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

    /// <summary>
    /// Opens each capture file once, so a file that is not a capture fails the run (exit 1) before any figure is
    /// printed. A named pipe is left alone: opening it would consume the stream the analysis is to read.
    /// </summary>
    internal static void RequireReadable(IEnumerable<string> captures)
    {
        foreach (string capture in captures.Where(FileIdentity.IsRegularFile))
        {
            using var reader = new CaptureReader(capture);
        }
    }

    /// <summary>--variants: all, or a comma-separated list of names; every name is checked before the run.</summary>
    private static Option<IReadOnlyList<VariantSpec>?> VariantOption()
    {
        // No default value here: help would print the whole catalogue; the action takes all when none is named.
        var option = new Option<IReadOnlyList<VariantSpec>?>("--variants")
        {
            Description = "all (the default), or a comma-separated list of names from `overlay variants`, or names `overlay encap` prints, such as srv6-encaps-5sid; all in a list stands for the whole catalogue (all,srv6-csid-2sid)",
        };
        option.CustomParser = result =>
        {
            string text = result.Tokens.Count == 0 ? "all" : result.Tokens[^1].Value;
            if (text.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                return VariantCatalog.All;
            }
            var list = new List<VariantSpec>();
            foreach (string name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
                {
                    // The whole catalogue in its place, so that a few more names can follow it (all,srv6-csid-2sid).
                    list.AddRange(VariantCatalog.All.Where(v => !list.Any(l => l.Name == v.Name)));
                    continue;
                }
                if (VariantNames.Resolve(name) is not VariantSpec spec)
                {
                    string? near = Suggestions.Closest(name, VariantCatalog.All.Select(v => v.Name));
                    OptionValues.Report(result, $"--variants {text}: '{name}' is not a variant{(near is null ? "" : $" (did you mean '{near}'?)")}; {VariantNames.Accepted}");
                    return [];
                }
                if (!list.Any(l => l.Name == spec.Name))
                {
                    list.Add(spec);
                }
            }
            return list.Count > 0 ? list : VariantCatalog.All;
        };
        return option;
    }

    /// <summary>A progress bar per capture and per scaling measurement (none when <c>show</c> is false).</summary>
    private sealed class ConsoleProgress(bool show) : IAnalysisProgress
    {
        public CaptureAnalysis Capture(string title, Func<IProgress<AnalyzeProgress>?, CaptureAnalysis> analyze) =>
            ConsoleUi.WithProgress(show, title, report => analyze(new Progress(report)));

        public List<ScalingResult> Scaling(string title, Func<IProgress<AnalyzeProgress>?, List<ScalingResult>> measure) =>
            ConsoleUi.WithProgress(show, title, report => measure(new Progress(report)));
    }

    private sealed class Progress(Action<string, double> report) : IProgress<AnalyzeProgress>
    {
        public void Report(AnalyzeProgress value) => report(value.Stage, value.Fraction);
    }
}
