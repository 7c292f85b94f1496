using System.Diagnostics;
using System.Runtime.InteropServices;
using Overlay.Kernel.Namespaces;
using Overlay.Results.Kernel;

namespace Overlay.Kernel.Tests;

/// <summary>A test that builds namespaces: reported as skipped, with the reason, where the tests do not run as root or
/// without iproute2 (CI's .ci/run runs as root).</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || geteuid() != 0)
        {
            Skip = "needs root: `overlay kernel` creates network namespaces (.ci/run runs the tests as root)";
        }
        else if (Shell.Find("ip") is null)
        {
            Skip = "needs iproute2 (`ip`)";
        }
    }

    [DllImport("libc")]
    private static extern uint geteuid();
}

/// <summary>Runs the built `overlay kernel` as a user would, in its own process.</summary>
public class KernelIntegrationTests
{
    private static readonly string[] QuickVariants = ["vxlan-ipv4", "vxlan-ipv6", "srv6-encaps-red-1sid"];

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "overlay.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }

    private static string[] Namespaces(int pid) => Shell.TryRun(Shell.Find("ip")!, ["netns", "list"]).Stdout
        .Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(n => n.StartsWith($"{Testbed.NamePrefix}{pid}-", StringComparison.Ordinal)).ToArray();

    private static HashSet<string> HostLinks() => Shell.TryRun(Shell.Find("ip")!, ["-o", "link", "show"]).Stdout
        .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':')[1].Trim().Split('@')[0]).ToHashSet();

    [RootFact]
    public void QuickRunDeliversMatchesTheModelCostsMoreThanNativeAndLeavesNothingBehind()
    {
        string folder = Directory.CreateTempSubdirectory("overlay-kernel-test-").FullName;
        try
        {
            HashSet<string> linksBefore = HostLinks();
            string json = Path.Combine(folder, "kernel.json"), markdown = Path.Combine(folder, "kernel.md");
            using Process run = Start("kernel", "--quick", "--json", json, "--markdown", markdown);
            Task<string> stdout = run.StandardOutput.ReadToEndAsync(), stderr = run.StandardError.ReadToEndAsync();
            Assert.True(run.WaitForExit(TimeSpan.FromMinutes(3)), "overlay kernel --quick hung");
            Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {stderr.Result}");
            Assert.Empty(Namespaces(run.Id));
            Assert.Subset(linksBefore, HostLinks());

            KernelDocument document = KernelResultFiles.Read(json);
            Assert.True(document.Settings.Quick);
            Assert.True(document.Settings.Trials >= 5);
            Assert.True(File.Exists(markdown));
            Assert.Empty(Directory.EnumerateFiles(folder, ".*"));
            foreach (string variant in QuickVariants)
            {
                KernelUdpRow row = Assert.Single(document.Rows, r => r.Variant == variant);
                Assert.True(row.Available, row.Unavailable);
                Assert.True(row.Trials.Count >= 5);
                Assert.All(row.Trials, t => Assert.True(t.PacketsDelivered > 0, $"{variant} trial {t.Trial} delivered nothing"));
                Assert.True(row.CpuNsPerPacket > 0, $"{variant}: {row.CpuNsPerPacket} ns/packet");
                Assert.True(row.CpuNsPerPacket >= row.BaselineCpuNsPerPacket,
                    $"{variant}: {row.CpuNsPerPacket} ns/packet is below the baseline's {row.BaselineCpuNsPerPacket}");
                KernelOverheadCheck check = Assert.Single(document.OverheadChecks, c => c.Variant == variant);
                Assert.True(check.Exact, $"{variant}: {check.Problem}");
                Assert.Equal(row.OverheadModel, row.OverheadMeasured);
            }
            Assert.Contains(document.Tcp, t => t.Variant == "vxlan-ipv4" && t.Offloads && t.GoodputGbps!.Median > 0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [RootFact]
    public void InterruptedRunsExit130AndRemoveTheirNamespaces()
    {
        foreach (PosixSignal signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            string folder = Directory.CreateTempSubdirectory("overlay-kernel-test-").FullName;
            try
            {
                string json = Path.Combine(folder, "kernel.json");
                using Process run = Start("kernel", "--quick", "--json", json, "--markdown", Path.Combine(folder, "kernel.md"));
                Task<string> stdout = run.StandardOutput.ReadToEndAsync();
                // Wait until the namespaces and peers are up and trials run, then interrupt the run itself.
                string? line;
                var seen = new List<string>();
                while ((line = run.StandardError.ReadLine()) is not null && !line.Contains("UDP trial"))
                {
                    seen.Add(line);
                }
                Assert.True(line is not null, $"no trial started: {string.Join(" | ", seen)}");
                Assert.NotEmpty(Namespaces(run.Id));
                Assert.Equal(0, kill(run.Id, signal == PosixSignal.SIGINT ? 2 : 15));
                Task<string> rest = run.StandardError.ReadToEndAsync();
                Assert.True(run.WaitForExit(TimeSpan.FromSeconds(60)), $"{signal}: the run did not end");
                Assert.True(run.ExitCode == 130, $"{signal}: exit {run.ExitCode}: {rest.Result}");
                Assert.Empty(Namespaces(run.Id));
                Assert.False(File.Exists(json));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static bool NobodyCanRead(string path)
    {
        var start = new ProcessStartInfo("setpriv") { RedirectStandardError = true };
        foreach (string word in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "test", "-r", path })
        {
            start.ArgumentList.Add(word);
        }
        using Process check = Process.Start(start)!;
        check.WaitForExit();
        return check.ExitCode == 0;
    }

    private static (int ExitCode, string Stderr) RunQuick(bool asNobody, string? path)
    {
        bool root = geteuid() == 0;
        var start = new ProcessStartInfo(asNobody && root ? "setpriv" : "/usr/bin/dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asNobody && root)
        {
            foreach (string word in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/dotnet" })
            {
                start.ArgumentList.Add(word);
            }
        }
        foreach (string word in new[] { Path.Combine(AppContext.BaseDirectory, "overlay.dll"), "kernel", "--quick", "--json", "/nonexistent/k.json" })
        {
            start.ArgumentList.Add(word);
        }
        if (path is not null)
        {
            start.Environment["PATH"] = path;
        }
        using Process run = Process.Start(start)!;
        string stderr = run.StandardError.ReadToEnd();
        run.WaitForExit();
        return (run.ExitCode, stderr);
    }

    [Fact]
    public void NotRootExitsTwoWithOneLineSayingSo()
    {
        if (geteuid() == 0 && Shell.Find("setpriv") is null)
        {
            return; // as root without setpriv there is no unprivileged user to run it as
        }
        if (geteuid() == 0 && !NobodyCanRead(Path.Combine(AppContext.BaseDirectory, "overlay.dll")))
        {
            return; // a checkout under a private folder (/root, a mktemp -d) cannot be run by another user at all
        }
        var (exitCode, stderr) = RunQuick(asNobody: true, path: null);
        Assert.Equal(2, exitCode);
        Assert.Equal("overlay: error: overlay kernel needs root (it creates network namespaces, links and routes): run it with sudo", stderr.Trim());
    }

    [RootFact]
    public void WithoutIproute2ExitsTwoWithOneLineSayingSo()
    {
        var (exitCode, stderr) = RunQuick(asNobody: false, path: "/nonexistent");
        Assert.Equal(2, exitCode);
        Assert.Equal("overlay: error: overlay kernel needs iproute2 (`ip` is not on PATH): apt-get install iproute2", stderr.Trim());
    }

    [DllImport("libc")]
    private static extern int kill(int pid, int signal);

    [DllImport("libc")]
    private static extern uint geteuid();
}
