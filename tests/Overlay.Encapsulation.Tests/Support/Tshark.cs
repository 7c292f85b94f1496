using System.Diagnostics;

namespace Overlay.Encapsulation.Tests.Support;

/// <summary>
/// Wireshark's dissector as the independent decoder: every frame's protocol chain, with checksum validation on
/// for every protocol that has one, and every expert message of severity warning or error.
/// </summary>
public static class Tshark
{
    // Checksum validation on for every protocol that has it (GRE's is always on). TCP sequence analysis and
    // reassembly off: tests replay the same flows through many variants, which would read as retransmissions.
    private static readonly string[] ChecksumPreferences =
    [
        "ip.check_checksum:TRUE", "udp.check_checksum:TRUE", "tcp.check_checksum:TRUE",
        "tcp.analyze_sequence_numbers:FALSE", "tcp.desegment_tcp_streams:FALSE",
    ];

    public sealed record Dissection(int Frame, string Protocols, string Expert, string Fields);

    /// <summary>True when tshark is on PATH; CI installs it (.ci/run), so there a missing tshark is a failure, not a skip.</summary>
    public static bool Available { get; } = Probe();

    /// <summary>Dissects <paramref name="frames"/> and returns one row per frame with the extra <paramref name="fields"/> joined by '|'.</summary>
    public static List<Dissection> Dissect(IEnumerable<byte[]> frames, params string[] fields) => Dissect(frames, [], fields);

    /// <summary>As <see cref="Dissect(IEnumerable{byte[]}, string[])"/>, with "Decode As" rules (udp.port==8472,vxlan) for ports Wireshark does not map.</summary>
    public static List<Dissection> Dissect(IEnumerable<byte[]> frames, IReadOnlyList<string> decodeAs, params string[] fields)
    {
        string path = Path.Combine(Path.GetTempPath(), $"overlay-tshark-{Guid.NewGuid():N}.pcap");
        try
        {
            Pcap.Write(path, frames);
            var args = new List<string> { "-n", "-r", path, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,",
                "-e", "frame.number", "-e", "frame.protocols", "-e", "_ws.expert.severity" };
            foreach (string rule in decodeAs)
            {
                args.Add("-d");
                args.Add(rule);
            }
            foreach (string pref in ChecksumPreferences)
            {
                args.Add("-o");
                args.Add(pref);
            }
            foreach (string field in fields)
            {
                args.Add("-e");
                args.Add(field);
            }
            string output = Run(args);
            var rows = new List<Dissection>();
            foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] cells = line.Split('\t');
                rows.Add(new Dissection(int.Parse(cells[0]), cells[1], cells[2], string.Join("|", cells.Skip(3))));
            }
            return rows;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The expert messages (severity, group, text) tshark raises for the capture, one per line.</summary>
    public static string ExpertInfo(IEnumerable<byte[]> frames, IReadOnlyList<string>? decodeAs = null)
    {
        string path = Path.Combine(Path.GetTempPath(), $"overlay-tshark-{Guid.NewGuid():N}.pcap");
        try
        {
            Pcap.Write(path, frames);
            var args = new List<string> { "-n", "-r", path, "-q", "-z", "expert,warn" };
            foreach (string rule in decodeAs ?? [])
            {
                args.Add("-d");
                args.Add(rule);
            }
            foreach (string pref in ChecksumPreferences)
            {
                args.Add("-o");
                args.Add(pref);
            }
            return Run(args);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Run(List<string> args)
    {
        var start = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tshark exited {process.ExitCode}: {stderr.Result}");
        }
        return stdout;
    }

    private static bool Probe()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("tshark", "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
