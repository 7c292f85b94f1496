using System.Diagnostics;
using Overlay.Kernel.Peer;

namespace Overlay.Kernel.Namespaces;

/// <summary>Runs the host's tools (ip, ethtool, sysctl) and reports a failure with the exact command and its error.</summary>
public static class Shell
{
    public readonly record struct Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public bool Ok => ExitCode == 0;
    }

    /// <summary>The full path of <paramref name="tool"/> on PATH, or null.</summary>
    public static string? Find(string tool)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (string folder in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    public static Outcome TryRun(string file, IEnumerable<string> arguments, TimeSpan? limit = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start) ?? throw new KernelRunException($"could not start {file}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit ?? TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new KernelRunException($"{Describe(file, arguments)} did not finish in time");
        }
        process.WaitForExit();
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result.Trim());
    }

    public static string Run(string file, IEnumerable<string> arguments)
    {
        string[] words = arguments.ToArray();
        Outcome outcome = TryRun(file, words);
        if (!outcome.Ok)
        {
            throw new KernelRunException($"{Describe(file, words)} failed (exit {outcome.ExitCode}): {outcome.Stderr.ReplaceLineEndings(" ")}");
        }
        return outcome.Stdout;
    }

    public static string Describe(string file, IEnumerable<string> arguments) => $"`{Path.GetFileName(file)} {string.Join(' ', arguments)}`";
}
