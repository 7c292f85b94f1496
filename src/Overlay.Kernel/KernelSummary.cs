using System.Globalization;
using Overlay.Kernel.Namespaces;
using Overlay.Results.Kernel;

namespace Overlay.Kernel;

/// <summary>Turns the trials into the result document: medians and spreads per cell, the baseline subtracted, the
/// overhead checks joined, and notes that say what the figures mean on this machine.</summary>
public static class KernelSummary
{
    /// <summary>Below this share of a tunnel's increment, the receiving core is taken to do none of the tunnel's work.</summary>
    public const double ReceiverShareThreshold = 0.15;

    public static KernelDocument Build(KernelRunSettings settings, KernelTools tools, IReadOnlyList<KernelVariantStatus> statuses,
        IReadOnlyDictionary<(string Variant, string Size), List<KernelUdpTrial>> udp,
        IReadOnlyDictionary<(string Variant, bool Offloads), List<KernelTcpTrial>> tcp,
        IReadOnlyList<KernelOverheadCheck> checks)
    {
        var rows = new List<KernelUdpRow>();
        foreach (KernelVariantStatus status in statuses)
        {
            foreach (string size in settings.Sizes)
            {
                rows.Add(UdpRow(status, size, udp, checks));
            }
        }
        var tcpRows = new List<KernelTcpRow>();
        foreach (bool offloads in new[] { true, false })
        {
            foreach (KernelVariantStatus status in statuses)
            {
                string? missing = status.Unavailable ?? (tools.Ethtool is null && !offloads ? "not measured: ethtool is not installed" : null);
                tcp.TryGetValue((status.Variant, offloads), out List<KernelTcpTrial>? trials);
                trials ??= [];
                tcpRows.Add(new KernelTcpRow(status.Variant, status.Available, missing, offloads,
                    Spread.Of(trials.Select(t => t.GoodputGbps)), Spread.Of(trials.Select(t => t.CpuSecondsPerGigabyte)),
                    Spread.Of(trials.Select(t => t.OwnCpuSecondsPerGigabyte)),
                    Spread.Of(trials.Select(t => t.OtherCpuShare)), trials));
            }
        }
        bool receiveOnSender = ReceivePathOnSenderCore(rows);

        var environment = new KernelEnvironment(
            File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            Shell.TryRun(tools.Ip, ["-V"]).Stdout.Trim(),
            Environment.ProcessorCount, settings.SenderCore, settings.ReceiverCore,
            DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
            settings.Tool, Commit(), receiveOnSender);
        var document = new KernelDocument(KernelDocument.SchemaName, environment,
            new KernelSettings(settings.Trials, settings.UdpSeconds, settings.TcpSeconds, settings.Sizes, Testbed.UnderlayMtu,
                KernelVariants.InnerMtu, Peer.Datagrams.BatchSize, settings.Quick),
            statuses, rows, tcpRows, checks, []);
        return document with { Notes = Notes(document) };
    }

    /// <summary>Whether every tunnel's increment ran on the sending side: in every row with a positive increment of the
    /// run's own processes, the receiver peer's share of it is below <see cref="ReceiverShareThreshold"/>. The peers'
    /// own time is the measure, not the cores': other processes' load on a busy machine fills both cores alike.</summary>
    internal static bool ReceivePathOnSenderCore(IEnumerable<KernelUdpRow> rows)
    {
        var tunnels = rows.Where(r => r.Available && r.IncrementalOwnCpuNs is > 0).ToList();
        return tunnels.Count > 0 && tunnels.All(r =>
            Math.Abs(r.IncrementalOwnReceiverNs ?? 0) < ReceiverShareThreshold * r.IncrementalOwnCpuNs!.Value);
    }

    internal static KernelUdpRow UdpRow(KernelVariantStatus status, string size,
        IReadOnlyDictionary<(string, string), List<KernelUdpTrial>> udp, IReadOnlyList<KernelOverheadCheck> checks)
    {
        udp.TryGetValue((status.Variant, size), out List<KernelUdpTrial>? trials);
        trials = trials?.Where(t => t.PacketsDelivered > 0).ToList() ?? [];
        Spread? cpu = Spread.Of(trials.Select(t => t.CpuNsPerPacket));
        Spread? senderCore = Spread.Of(trials.Select(t => t.SenderCoreNsPerPacket));
        Spread? receiverCore = Spread.Of(trials.Select(t => t.ReceiverCoreNsPerPacket));
        List<KernelUdpTrial>? baselineTrials = null;
        if (status.Baseline is not null && udp.TryGetValue((status.Baseline, size), out List<KernelUdpTrial>? found))
        {
            baselineTrials = found.Where(t => t.PacketsDelivered > 0).ToList();
        }
        double? baseline = Spread.Of(baselineTrials?.Select(t => t.CpuNsPerPacket) ?? [])?.Median;
        double? baselineSender = Spread.Of(baselineTrials?.Select(t => t.SenderCoreNsPerPacket) ?? [])?.Median;
        double? baselineReceiver = Spread.Of(baselineTrials?.Select(t => t.ReceiverCoreNsPerPacket) ?? [])?.Median;
        double? Median(IEnumerable<KernelUdpTrial>? of, Func<KernelUdpTrial, double> measure) => of is null ? null : Spread.Of(of.Select(measure))?.Median;
        Spread? own = Spread.Of(trials.Select(t => t.OwnCpuNsPerPacket));
        KernelOverheadCheck? check = checks.FirstOrDefault(c => c.Variant == status.Variant && c.PayloadSize == size);
        return new KernelUdpRow(status.Variant, status.Available, status.Unavailable, size,
            cpu?.Median, baseline, cpu?.Median - baseline,
            senderCore?.Median - baselineSender, receiverCore?.Median - baselineReceiver,
            cpu, senderCore, receiverCore,
            own,
            own?.Median - Median(baselineTrials, t => t.OwnCpuNsPerPacket),
            Median(trials, t => t.OwnSenderNsPerPacket) - Median(baselineTrials, t => t.OwnSenderNsPerPacket),
            Median(trials, t => t.OwnReceiverNsPerPacket) - Median(baselineTrials, t => t.OwnReceiverNsPerPacket),
            Spread.Of(trials.Select(t => t.PacketsDelivered / t.Seconds)),
            Spread.Of(trials.Select(t => t.OtherCpuShare)),
            check is { OverheadMeasured.Count: 1 } ? check.OverheadMeasured[0] : check?.OverheadMeasured.Max(),
            check?.OverheadModel,
            trials);
    }

    internal static List<string> Notes(KernelDocument document)
    {
        var notes = new List<string>
        {
            "CPU per packet: the busy time (user + nice + system + irq + softirq, /proc/stat) of the two pinned cores — the " +
            $"sender's (cpu{document.Environment.SenderCore}, host A) and the receiver's (cpu{document.Environment.ReceiverCore}, host B) — " +
            "over the trial, divided by the packets delivered to B; the increment subtracts the native baseline of the same " +
            "inner family and size. Own CPU counts only the run's processes (both peers and the pinned cores' ksoftirqd).",
        };
        const string Mechanism = "On veth the receive path runs on the sending core: a frame sent on one end is queued on " +
            "that CPU's backlog and its softirq processes it there, decapsulation included, so the receiving core only " +
            "copies datagrams to the socket";
        var shares = document.Rows.Where(r => r.Available && r.IncrementalOwnCpuNs is > 0 && r.IncrementalOwnReceiverNs is not null)
            .Select(r => r.IncrementalOwnReceiverNs!.Value / r.IncrementalOwnCpuNs!.Value).ToList();
        notes.Add(document.Environment.ReceivePathOnSenderCore || Spread.Of(shares) is not Spread share
            ? Mechanism + ". Only the total increment is a tunnel's cost (encap + decap); the split says where it ran."
            : Mechanism + string.Create(CultureInfo.InvariantCulture,
                $". The receiver peer's share of the tunnels' own increments was {100 * share.Min:0}–{100 * share.Max:0} % (median {100 * share.Median:0} %): ") +
              "not decapsulation but the receiver's own per-packet cost (more wake-ups, smaller recvmmsg batches) at a tunnel's lower " +
              "packet rate. The total increment is the tunnel's cost; the split says where it was paid.");
        IEnumerable<double> others = document.Rows.SelectMany(r => r.Trials.Select(t => t.OtherCpuShare))
            .Concat(document.Tcp.SelectMany(r => r.Trials.Select(t => t.OtherCpuShare)));
        if (Spread.Of(others) is Spread busy)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"How busy the machine was: other processes used {100 * busy.Median:0.#} % of the pinned cores' time in the median trial " +
                $"(quartiles {100 * busy.Q1:0.#}–{100 * busy.Q3:0.#} %, at most {100 * busy.Max:0.#} %); each trial records its own share."));
        }
        var unavailable = document.Variants.Where(v => !v.Available).Select(v => v.Variant).ToList();
        if (unavailable.Count > 0)
        {
            notes.Add($"Not available in this kernel (reported, not an error): {string.Join(", ", unavailable)}.");
        }
        if (document.OverheadChecks.Count == 0 && document.Variants.Any(v => v.Available && v.Baseline is not null))
        {
            notes.Add("The overhead cross-check did not run: it needs ethtool to switch the underlay's checksum offload off (apt-get install ethtool).");
        }
        notes.Add("TCP: one stream for the trial's duration; offloads on are the veth's defaults, off is " +
            "`ethtool -K ul tso off gso off tx off` on both ends of the underlay; CPU s/GB is both pinned cores' busy time per 10^9 payload bytes, own CPU s/GB the run's processes' alone.");
        return notes;
    }

    private static string? Commit()
    {
        string? commit = Environment.GetEnvironmentVariable("OVERLAY_COMMIT");
        if (!string.IsNullOrWhiteSpace(commit))
        {
            return commit;
        }
        try
        {
            Shell.Outcome git = Shell.TryRun("git", ["rev-parse", "--short=12", "HEAD"], TimeSpan.FromSeconds(5));
            return git.Ok ? git.Stdout.Trim() : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or Peer.KernelRunException)
        {
            return null;
        }
    }
}
