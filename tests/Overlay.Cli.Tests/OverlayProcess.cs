using System.Diagnostics;

namespace Overlay.Cli.Tests;

/// <summary>Runs the built `overlay` tool as a user would, in its own process, with a time limit.</summary>
public static class OverlayProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    private static string ToolPath => Path.Combine(AppContext.BaseDirectory, "overlay.dll");

    public static Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, TimeSpan.FromMinutes(2), args);

    public static Result Run(string workingDirectory, TimeSpan limit, params string[] args)
    {
        using Process process = Start(workingDirectory, args);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"overlay {string.Join(' ', args)} hung for {limit}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Process Start(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(ToolPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }
}
