using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Overlay.Kernel;
using Overlay.Kernel.Namespaces;
using Overlay.Kernel.Peer;
using Overlay.Results.Kernel;
using Overlay.Reporting.Report;

namespace Overlay.Cli;

/// <summary>`overlay kernel`: the Linux kernel's own tunnels, built in two network namespaces and measured side by side.</summary>
public static class KernelCommand
{
    public static readonly string[] QuickVariants = ["vxlan-ipv4", "vxlan-ipv6", "srv6-encaps-red-1sid"];
    public static readonly string[] DefaultSizes = ["64", "512", "1400", "imix"];

    public static Command Create()
    {
        var variants = new Option<string?>("--variants") { Description = $"Comma-separated tunnels to build (default: all — {string.Join(", ", KernelVariants.TunnelNames)}); both native baselines always run" };
        var sizes = new Option<string?>("--sizes") { Description = $"Comma-separated UDP payload sizes in bytes (0..1472) and/or imix (default: {string.Join(",", DefaultSizes)})" };
        var trials = OptionValues.OptionalNumber<int>("--trials", "Trials per cell, interleaved across variants (at least 5 for the median and spread; default 5)", "a trial count", 1, 100);
        var duration = new Option<double?>("--duration") { Description = "Seconds per trial, UDP and TCP (0.1..30; default 1, --quick 0.3)" };
        duration.CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds is >= 0.1 and <= 30)
            {
                return seconds;
            }
            OptionValues.Report(result, $"--duration {text}: a trial lasts 0.1..30 seconds");
            return null;
        };
        var quick = new Option<bool>("--quick") { Description = $"A short check: {string.Join(", ", QuickVariants)} at 64 B, 5 trials of 0.3 s (well under a minute)" };
        var cpus = new Option<string?>("--cpus") { Description = "The sender's and the receiver's core, SENDER,RECEIVER (default 0,1)" };
        var json = PathOptions.OutputFile("--json", "Write the result document here (default results/kernel.json)", required: false);
        json.DefaultValueFactory = _ => "results/kernel.json";
        var markdown = PathOptions.OutputFile("--markdown", "Write the Markdown tables here (default results/kernel.md)", required: false);
        markdown.DefaultValueFactory = _ => "results/kernel.md";
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress on standard error" };
        var command = new Command("kernel", "Measure the Linux kernel's own tunnels (VXLAN, SRv6 seg6, GRE, GENEVE where the kernel has them) in two " +
            "fresh network namespaces joined by a veth pair: CPU ns per packet over native routing, UDP rate, TCP goodput with and " +
            "without offloads, and the outer bytes checked against the suite's model. Needs root and iproute2; leaves nothing behind.")
        {
            variants, sizes, trials, duration, quick, cpus, json, markdown, quiet, CreatePeer(),
        };
        command.AddCheck(result => PathOptions.RequireDistinct(result, [], [json, markdown]));
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(cancellation, token =>
        {
            bool isQuick = parse.GetValue(quick);
            string? variantList = parse.GetValue(variants) ?? (isQuick ? string.Join(',', QuickVariants) : null);
            var settings = new KernelRunSettings(
                KernelVariants.Select(Split(variantList)),
                ParseSizes(parse.GetValue(sizes) ?? (isQuick ? "64" : string.Join(',', DefaultSizes))),
                ParseTrials(parse.GetValue(trials) ?? 5),
                ParseDuration(parse.GetValue(duration) ?? (isQuick ? 0.3 : 1.0)),
                ParseDuration(parse.GetValue(duration) ?? (isQuick ? 0.3 : 1.0)),
                isQuick,
                0, 0, $"overlay kernel {typeof(KernelCommand).Assembly.GetName().Version}");
            (int sender, int receiver) = ParseCpus(parse.GetValue(cpus));
            settings = settings with { SenderCore = sender, ReceiverCore = receiver };
            KernelTools tools = FindTools();
            bool progress = !parse.GetValue(quiet);
            try
            {
                KernelDocument document = ConsoleUi.WithProgress(progress && ConsoleUi.ShowProgress(false), "kernel", report =>
                    KernelRun.Run(settings, tools, Self(), (stage, fraction) =>
                    {
                        report(stage, fraction);
                        if (progress && Console.IsErrorRedirected)
                        {
                            ConsoleUi.Info($"overlay kernel: {stage}");
                        }
                    }, token));
                OutputFile.WriteAllText(parse.GetValue(json)!, KernelResultFiles.ToJson(document) + "\n");
                OutputFile.WriteAllText(parse.GetValue(markdown)!, KernelMarkdown.Render(document));
                PrintSummary(document);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (token.IsCancellationRequested && e is not OperationCanceledException)
            {
                // Ctrl-C reaches the peers too; their ending is the interruption, not a failure.
                throw new OperationCanceledException(token);
            }
            catch (KernelRunException e)
            {
                ConsoleUi.Fail(e.Message);
                return ExitCodes.Failed;
            }
        })));
        // Examples write under out/: the defaults are the committed results/kernel.* a full run replaces.
        return command.WithExamples(
            "overlay kernel --quick --json out/kernel.json --markdown out/kernel.md",
            "overlay kernel --variants vxlan-ipv4,srv6-encaps-red-1sid --sizes 64 --duration 0.3 --json out/k.json --markdown out/k.md");
    }

    /// <summary>The hidden traffic peer the run starts inside each namespace.</summary>
    private static Command CreatePeer()
    {
        var peer = new Command("peer", "Internal: the traffic peer `overlay kernel` runs inside a namespace (commands on standard input).") { Hidden = true };
        peer.SetAction(_ =>
        {
            // Ctrl-C reaches the whole process group: the run, not the terminal, ends the peer (by closing its input).
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
            return PeerServer.Run(Console.In, Console.Out);
        });
        return peer;
    }

    private static KernelTools FindTools()
    {
        if (!OperatingSystem.IsLinux() || geteuid() != 0)
        {
            throw new ArgumentException("overlay kernel needs root (it creates network namespaces, links and routes): run it with sudo");
        }
        string ip = Shell.Find("ip") ?? throw new ArgumentException("overlay kernel needs iproute2 (`ip` is not on PATH): apt-get install iproute2");
        string sysctl = Shell.Find("sysctl") ?? throw new ArgumentException("overlay kernel needs sysctl: apt-get install procps");
        string taskset = Shell.Find("taskset") ?? throw new ArgumentException("overlay kernel needs taskset: apt-get install util-linux");
        if (!Shell.TryRun(ip, ["netns", "list"]).Ok)
        {
            throw new ArgumentException($"overlay kernel needs an iproute2 with network namespaces (`{ip} netns list` failed)");
        }
        return new KernelTools(ip, sysctl, taskset, Shell.Find("ethtool"));
    }

    /// <summary>This tool, as a child process starts it: the apphost, or `dotnet overlay.dll`.</summary>
    private static SelfCommand Self()
    {
        string process = Environment.ProcessPath ?? throw new KernelRunException("cannot tell which executable this process runs");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? new SelfCommand(process, [Assembly.GetEntryAssembly()!.Location])
            : new SelfCommand(process, []);
    }

    private static string[]? Split(string? list) => list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static IReadOnlyList<string> ParseSizes(string list)
    {
        string[] sizes = Split(list)!;
        if (sizes.Length == 0)
        {
            throw new ArgumentException($"--sizes '{list}': give sizes in bytes (0..1472) and/or imix, comma-separated");
        }
        foreach (string size in sizes)
        {
            if (size != "imix" && !(int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out int bytes) && bytes <= 1472))
            {
                throw new ArgumentException($"--sizes: '{size}' is not a UDP payload size (0..1472 bytes: the inner MTU is 1500) or imix");
            }
        }
        return sizes.Distinct().ToArray();
    }

    internal static int ParseTrials(int trials) => trials is >= 1 and <= 100
        ? trials
        : throw new ArgumentException($"--trials {trials}: give 1..100 (5 or more for a median and spread)");

    internal static double ParseDuration(double seconds) => seconds is >= 0.1 and <= 30
        ? seconds
        : throw new ArgumentException($"--duration {seconds.ToString(CultureInfo.InvariantCulture)}: give 0.1..30 seconds");

    internal static (int Sender, int Receiver) ParseCpus(string? text)
    {
        if (text is null)
        {
            return Environment.ProcessorCount > 1 ? (0, 1) : (0, 0);
        }
        string[] parts = text.Split(',');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int sender)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int receiver)
            && sender < Environment.ProcessorCount && receiver < Environment.ProcessorCount)
        {
            return (sender, receiver);
        }
        throw new ArgumentException($"--cpus '{text}': give SENDER,RECEIVER, two core numbers below {Environment.ProcessorCount}");
    }

    private static void PrintSummary(KernelDocument document)
    {
        Console.WriteLine("variant                  payload  increment ns/packet  (variant / baseline)   overhead kernel/model");
        foreach (KernelUdpRow row in document.Rows.Where(r => r.BaselineCpuNsPerPacket is not null || !r.Available))
        {
            Console.WriteLine(row.Available
                ? string.Create(CultureInfo.InvariantCulture, $"{row.Variant,-24} {row.PayloadSize,7}  {row.IncrementalCpuNsPerPacket,19:0}  ({row.CpuNsPerPacket:0} / {row.BaselineCpuNsPerPacket:0})  {row.OverheadMeasured}/{row.OverheadModel}")
                : $"{row.Variant,-24} {row.PayloadSize,7}  {row.Unavailable}");
        }
    }

    [DllImport("libc")]
    private static extern uint geteuid();
}
