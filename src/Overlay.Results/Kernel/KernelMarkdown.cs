using System.Globalization;
using System.Text;

namespace Overlay.Results.Kernel;

/// <summary>results/kernel.md: the result document as tables, every figure a median with its spread.</summary>
public static class KernelMarkdown
{
    public static string Render(KernelDocument document)
    {
        var md = new StringBuilder();
        KernelEnvironment env = document.Environment;
        KernelSettings settings = document.Settings;
        md.AppendLine("# The kernel's own cost: Linux tunnels in network namespaces");
        md.AppendLine();
        md.AppendLine(Invariant($"Linux {env.Kernel}, {env.Iproute2}; {env.ProcessorCount} logical cores; sender pinned to cpu{env.SenderCore} in host A, receiver to cpu{env.ReceiverCore} in host B; {env.Tool}{(env.Commit is null ? "" : $" at {env.Commit}")}, {env.Date}."));
        md.AppendLine(Invariant($"{settings.Trials} trials per cell, interleaved across variants; UDP {settings.UdpSeconds:0.##} s and TCP {settings.TcpSeconds:0.##} s per trial; sendmmsg batches of {settings.BatchSize}; underlay veth MTU {settings.UnderlayMtu}, every inner path MTU {settings.InnerMtu}{(settings.Quick ? "; --quick" : "")}."));
        md.AppendLine();
        md.AppendLine("Reproduce: `sudo dotnet run -c Release --project src/Overlay.Cli -- kernel` (see `overlay kernel --help`).");
        md.AppendLine();

        md.AppendLine("## Variants");
        md.AppendLine();
        md.AppendLine("| variant | kernel | inner | baseline | built with (host A) |");
        md.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (KernelVariantStatus v in document.Variants)
        {
            string commands = string.Join("<br>", v.Configuration.Where(c => c.StartsWith("A: ", StringComparison.Ordinal)).Select(c => $"`{c[3..]}`"));
            md.AppendLine($"| {v.Variant} | {(v.Available ? "available" : Escape(v.Unavailable ?? "not available"))} | {v.InnerFamily} | {v.Baseline ?? "—"} | {commands} |");
        }
        md.AppendLine();

        md.AppendLine("## UDP: CPU per packet and rate (one core per side)");
        md.AppendLine();
        md.AppendLine("CPU ns per delivered packet, median [min–max] over the trials; increment = the variant's median minus the native baseline's (same inner family and size): the tunnel's own encap + decap cost. Δ sender / Δ receiver split the increment by core. Own: the run's processes only (the two peers and the pinned cores' ksoftirqd), the figure to trust where others' CPU is high.");
        md.AppendLine();
        md.AppendLine("| variant | payload B | Mpps | CPU ns/packet | baseline | increment | Δ sender core | Δ receiver core | own CPU ns/packet | own increment (sender / receiver) | others' CPU | overhead B (kernel / model) |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (KernelUdpRow r in document.Rows)
        {
            if (!r.Available)
            {
                md.AppendLine($"| {r.Variant} | {r.PayloadSize} | not available in this kernel | | | | | | | | | |");
                continue;
            }
            md.AppendLine(Invariant($"| {r.Variant} | {r.PayloadSize} | {Scaled(r.PacketsPerSecond, 1e-6, "0.000")} | {Scaled(r.CpuNs, 1, "0")} | {Number(r.BaselineCpuNsPerPacket, "0")} | {Number(r.IncrementalCpuNsPerPacket, "0")} | {Number(r.IncrementalSenderCoreNs, "0")} | {Number(r.IncrementalReceiverCoreNs, "0")} | {Scaled(r.OwnCpuNs, 1, "0")} | {Number(r.IncrementalOwnCpuNs, "0")} ({Number(r.IncrementalOwnSenderNs, "0")} / {Number(r.IncrementalOwnReceiverNs, "0")}) | {Percent(r.OtherCpuShare)} | {(r.OverheadMeasured is null ? "—" : $"{r.OverheadMeasured} / {r.OverheadModel}")} |"));
        }
        md.AppendLine();

        md.AppendLine("## TCP: one stream, underlay offloads on (defaults) and off");
        md.AppendLine();
        md.AppendLine("| variant | Gbit/s, offloads on | CPU s/GB, on | own CPU s/GB, on | Gbit/s, offloads off | CPU s/GB, off | own CPU s/GB, off | others' CPU (on / off) |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (string variant in document.Tcp.Select(t => t.Variant).Distinct())
        {
            KernelTcpRow? on = document.Tcp.FirstOrDefault(t => t.Variant == variant && t.Offloads);
            KernelTcpRow? off = document.Tcp.FirstOrDefault(t => t.Variant == variant && !t.Offloads);
            if (on is { Available: false })
            {
                md.AppendLine($"| {variant} | not available in this kernel | | | | | | |");
                continue;
            }
            md.AppendLine(Invariant($"| {variant} | {Scaled(on?.GoodputGbps, 1, "0.00")} | {Scaled(on?.CpuSecondsPerGigabyte, 1, "0.000")} | {Scaled(on?.OwnCpuSecondsPerGigabyte, 1, "0.000")} | {(off?.Unavailable is string why ? Escape(why) : Scaled(off?.GoodputGbps, 1, "0.00"))} | {Scaled(off?.CpuSecondsPerGigabyte, 1, "0.000")} | {Scaled(off?.OwnCpuSecondsPerGigabyte, 1, "0.000")} | {Percent(on?.OtherCpuShare)} / {Percent(off?.OtherCpuShare)} |"));
        }
        md.AppendLine();

        md.AppendLine("## Overhead cross-check (underlay capture against the suite's model)");
        md.AppendLine();
        md.AppendLine("Outer frame bytes minus the inner Ethernet frame's, captured on host A's underlay with `overlay record`; the model is `GetEncapsulatedLength` of the same inner frame; `overlay decap` of the capture must give back every packet sent.");
        md.AppendLine();
        md.AppendLine("| variant | payload B | captured | length = model | decap = sent | overhead kernel | overhead model | exact |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (KernelOverheadCheck c in document.OverheadChecks)
        {
            md.AppendLine($"| {c.Variant} | {c.PayloadSize} | {c.Captured}/{c.Sent} | {c.LengthMatches} | {c.DecapMatches} | {string.Join(", ", c.OverheadMeasured)} | {c.OverheadModel} | {(c.Exact ? "yes" : $"**no**: {Escape(c.Problem ?? "")}")} |");
        }
        md.AppendLine();

        md.AppendLine("## Notes");
        md.AppendLine();
        foreach (string note in document.Notes)
        {
            md.AppendLine($"- {note}");
        }
        return md.ToString();
    }

    private static string Scaled(Spread? spread, double scale, string format) => spread is null
        ? "—"
        : Invariant($"{(spread.Median * scale).ToString(format, CultureInfo.InvariantCulture)} [{(spread.Min * scale).ToString(format, CultureInfo.InvariantCulture)}–{(spread.Max * scale).ToString(format, CultureInfo.InvariantCulture)}]");

    private static string Number(double? value, string format) => value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    private static string Percent(Spread? share) => share is null ? "—" : Invariant($"{100 * share.Median:0.#} % (max {100 * share.Max:0.#} %)");

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
