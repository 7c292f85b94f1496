using Overlay.Kernel.Accounting;
using Overlay.Kernel.Namespaces;
using Overlay.Kernel.Peer;
using Overlay.Results.Kernel;

namespace Overlay.Kernel;

/// <summary>What `overlay kernel` measures and how long.</summary>
public sealed record KernelRunSettings(
    IReadOnlyList<KernelVariant> Variants,
    IReadOnlyList<string> Sizes,
    int Trials,
    double UdpSeconds,
    double TcpSeconds,
    bool Quick,
    int SenderCore,
    int ReceiverCore,
    string Tool);

/// <summary>The host tools the run drives; ethtool is optional (without it the offloads-off TCP cells are not measured).</summary>
public sealed record KernelTools(string Ip, string Sysctl, string Taskset, string? Ethtool);

/// <summary>Builds the testbed and every variant, cross-checks the overhead, runs the interleaved trials, and returns
/// the result document. The testbed is gone when this returns or throws (cancellation included).</summary>
public static class KernelRun
{
    /// <summary>A bound on every UDP trial besides its duration: no trial sends more than this many packets a second.</summary>
    private const double MaxPacketsPerSecond = 20e6;
    private const string WarmUpSize = "64";

    public static KernelDocument Run(KernelRunSettings settings, KernelTools tools, SelfCommand self, Action<string, double> progress,
        CancellationToken cancellation)
    {
        using Testbed testbed = Testbed.Create(tools.Ip, tools.Sysctl);
        progress($"testbed {testbed.A} / {testbed.B}", 0);
        foreach (string command in KernelVariants.CommonA)
        {
            testbed.In(testbed.A, command);
        }
        foreach (string command in KernelVariants.CommonB)
        {
            testbed.In(testbed.B, command);
        }
        var statuses = settings.Variants.Select(v => Configure(testbed, tools, v)).ToList();
        var available = settings.Variants.Where(v => statuses.Single(s => s.Variant == v.Name).Available).ToList();
        cancellation.ThrowIfCancellationRequested();

        string work = Directory.CreateTempSubdirectory("ovk-").FullName;
        try
        {
            PeerClient sender = testbed.StartPeer(self, tools.Taskset, testbed.A, settings.SenderCore, "sender");
            PeerClient receiver = testbed.StartPeer(self, tools.Taskset, testbed.B, settings.ReceiverCore, "receiver");
            var runner = new TrialRunner(sender, receiver, TrialAccounting.ForHost(settings.SenderCore, settings.ReceiverCore));

            // Warm-up: the peers' code compiled, every path proven to deliver before anything is counted.
            foreach (KernelVariant variant in available)
            {
                progress($"warm-up {variant.Name}", 0.01);
                KernelUdpTrial warm = runner.Udp(variant, WarmUpSize, 0, 0.2, 100_000, cancellation);
                if (warm.PacketsDelivered == 0)
                {
                    throw new KernelRunException($"{variant.Name}: the kernel built it, but none of {warm.PacketsSent} packets reached B");
                }
                runner.Tcp(variant, 0, 0.1, cancellation);
            }

            var udp = available.SelectMany(v => settings.Sizes.Select(s => (v.Name, s))).ToDictionary(key => key, _ => new List<KernelUdpTrial>());
            bool offloadsOff = tools.Ethtool is not null;
            int steps = settings.Trials * available.Count * (settings.Sizes.Count + (offloadsOff ? 2 : 1)), step = 0;
            for (int trial = 1; trial <= settings.Trials; trial++)
            {
                foreach (string size in settings.Sizes)
                {
                    foreach (KernelVariant variant in Rotate(available, trial))
                    {
                        cancellation.ThrowIfCancellationRequested();
                        KernelUdpTrial result = runner.Udp(variant, size, trial, settings.UdpSeconds, (long)(MaxPacketsPerSecond * settings.UdpSeconds), cancellation);
                        udp[(variant.Name, size)].Add(result);
                        progress($"UDP trial {trial}/{settings.Trials} {size} B {variant.Name}: {result.PacketsDelivered / result.Seconds / 1e6:0.00} Mpps, {result.CpuNsPerPacket:0} ns/packet", 0.05 + 0.95 * ++step / steps);
                    }
                }
            }

            var tcp = new Dictionary<(string, bool), List<KernelTcpTrial>>();
            foreach (bool offloads in offloadsOff ? new[] { true, false } : [true])
            {
                if (!offloads)
                {
                    SetOffloads(testbed, tools.Ethtool!, on: false);
                }
                for (int trial = 1; trial <= settings.Trials; trial++)
                {
                    foreach (KernelVariant variant in Rotate(available, trial))
                    {
                        cancellation.ThrowIfCancellationRequested();
                        KernelTcpTrial result = runner.Tcp(variant, trial, settings.TcpSeconds, cancellation);
                        (tcp.TryGetValue((variant.Name, offloads), out var list) ? list : tcp[(variant.Name, offloads)] = []).Add(result);
                        progress($"TCP trial {trial}/{settings.Trials} offloads {(offloads ? "on" : "off")} {variant.Name}: {result.GoodputGbps:0.00} Gbit/s, {result.CpuSecondsPerGigabyte:0.00} CPU s/GB", 0.05 + 0.95 * ++step / steps);
                    }
                }
            }
            // The overhead check runs last, with the underlay's transmit offloads already off: with checksum offload on,
            // a captured frame holds only the pseudo-header sum the kernel leaves for the NIC, and decap rightly rejects it.
            var checks = new List<KernelOverheadCheck>();
            if (offloadsOff)
            {
                var check = new OverheadCheck(testbed, self, sender, receiver, work);
                foreach (KernelVariant variant in available.Where(v => !v.IsBaseline))
                {
                    foreach (string size in settings.Sizes)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        progress($"overhead check {variant.Name} {size}", 1);
                        checks.Add(check.Run(variant, size, cancellation));
                    }
                }
            }
            return KernelSummary.Build(settings, tools, statuses, udp, tcp, checks);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Runs a variant's commands in A and B. A command the kernel or iproute2 refuses because the feature is
    /// missing makes the variant unavailable; any other failure is an error.</summary>
    private static KernelVariantStatus Configure(Testbed testbed, KernelTools tools, KernelVariant variant)
    {
        static string Shown(string command) => command.StartsWith(KernelVariants.EthtoolPrefix, StringComparison.Ordinal) ? command : $"ip {command}";
        var configuration = variant.SetupA.Select(c => $"A: {Shown(c)}").Concat(variant.SetupB.Select(c => $"B: {Shown(c)}")).ToList();
        foreach (var (ns, command) in variant.SetupA.Select(c => (testbed.A, c)).Concat(variant.SetupB.Select(c => (testbed.B, c))))
        {
            bool ethtool = command.StartsWith(KernelVariants.EthtoolPrefix, StringComparison.Ordinal);
            if (ethtool && tools.Ethtool is null)
            {
                return new KernelVariantStatus(variant.Name, variant.Description, false, $"not measured: needs ethtool for `{command}`",
                    configuration, InnerFamilyName(variant), variant.Baseline);
            }
            Shell.Outcome outcome = ethtool
                ? testbed.Exec(ns, tools.Ethtool!, command[KernelVariants.EthtoolPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                : testbed.TryIn(ns, command);
            if (outcome.Ok)
            {
                continue;
            }
            if (IsMissingFeature(outcome.Stderr))
            {
                return new KernelVariantStatus(variant.Name, variant.Description, false,
                    $"not available in this kernel: needs {variant.Requires} (`{Shown(command)}`: {outcome.Stderr.ReplaceLineEndings(" ")})",
                    configuration, InnerFamilyName(variant), variant.Baseline);
            }
            throw new KernelRunException($"{variant.Name}: `{Shown(command)}` in {ns} failed: {outcome.Stderr.ReplaceLineEndings(" ")}");
        }
        return new KernelVariantStatus(variant.Name, variant.Description, true, null, configuration, InnerFamilyName(variant), variant.Baseline);
    }

    /// <summary>How the kernel (rtnetlink) and iproute2 say that a link type, an encapsulation or a mode does not exist.</summary>
    public static bool IsMissingFeature(string stderr) =>
        stderr.Contains("Unknown device type", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("not supported", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("Unknown encap", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("Invalid \"mode\"", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("Unknown mode", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("Unknown action", StringComparison.OrdinalIgnoreCase);

    private static string InnerFamilyName(KernelVariant variant) =>
        variant.InnerFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    /// <summary>The variants in an order that moves one place each trial, so every variant runs in every position.</summary>
    public static IEnumerable<T> Rotate<T>(IReadOnlyList<T> items, int trial) =>
        items.Count == 0 ? [] : Enumerable.Range(0, items.Count).Select(i => items[(i + trial) % items.Count]);

    private static void SetOffloads(Testbed testbed, string ethtool, bool on)
    {
        foreach (string ns in new[] { testbed.A, testbed.B })
        {
            string state = on ? "on" : "off";
            Shell.Outcome outcome = testbed.Exec(ns, ethtool, "-K", Testbed.Underlay, "tso", state, "gso", state, "tx", state);
            if (!outcome.Ok)
            {
                throw new KernelRunException($"`ethtool -K {Testbed.Underlay} tso {state} gso {state} tx {state}` in {ns} failed: {outcome.Stderr}");
            }
        }
    }
}
