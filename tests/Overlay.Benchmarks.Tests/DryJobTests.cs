using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Overlay.Benchmarks.Config;
using Xunit.Abstractions;

namespace Overlay.Benchmarks.Tests;

/// <summary>
/// Runs every benchmark class under BenchmarkDotNet's dry job, in this process, with the suite's own config: a
/// GlobalSetup that throws (every setup checks its frames encapsulate to the predicted length and decapsulate back), a
/// benchmark that cannot run, or a validation error fails the test. Nothing here judges a timing. Every method, variant,
/// size, capture and sweep point runs at least once (<see cref="DryCoverage"/>), not every combination: BenchmarkDotNet's
/// summary grows faster than linearly with the cases, and the full product (about 1,800 cases) takes minutes.
/// </summary>
public class DryJobTests(ITestOutputHelper output)
{
    public static TheoryData<string> Classes => [.. MainJob.BenchmarkClasses.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Classes))]
    public void Every_case_runs_under_the_dry_job(string className)
    {
        Type type = MainJob.BenchmarkClasses.Single(t => t.Name == className);
        string artifacts = Path.Combine(Path.GetTempPath(), "overlay-bench-dry-" + Guid.NewGuid().ToString("N"));
        try
        {
            var log = new AccumulationLogger();
            ManualConfig config = BenchConfig.Create(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance), [log])
                .WithArtifactsPath(artifacts)
                .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.DisableLogFile)
                .AddFilter(new BenchmarkDotNet.Filters.SimpleFilter(DryCoverage.Includes));
            Summary summary = BenchmarkRunner.Run(type, config);

            string[] failed = summary.Reports.Where(r => !r.Success).Select(r => r.BenchmarkCase.DisplayInfo).ToArray();
            if (summary.HasCriticalValidationErrors || failed.Length > 0 || summary.Reports.Length == 0)
            {
                output.WriteLine(Tail(log.GetLog(), 20_000));
            }
            Assert.False(summary.HasCriticalValidationErrors, string.Join("; ", summary.ValidationErrors.Select(e => e.Message)));
            Assert.NotEmpty(summary.Reports);
            Assert.Empty(failed);
            Assert.Equal(summary.BenchmarksCases.Length, summary.Reports.Length);

            // The exporters ran, and the target table can read what they wrote.
            string reports = Path.Combine(artifacts, "results");
            Assert.Single(Directory.GetFiles(reports, "*-report-full.json"));
            Assert.Single(Directory.GetFiles(reports, "*-report.csv"));
            Assert.Single(Directory.GetFiles(reports, "*-report-github.md"));
            Assert.Equal(summary.Reports.Length, TargetTable.Load(reports).Count);
        }
        finally
        {
            if (Directory.Exists(artifacts))
            {
                Directory.Delete(artifacts, recursive: true);
            }
        }
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];
}

/// <summary>
/// Which cases the dry run covers: every variant at one size (rotating through the sizes) plus every size for the variants
/// with the most paths (a UDP checksum over IPv6, GRE with every option, the longest SRv6 header); every variant with one
/// capture (rotating) plus every capture for one variant; every PacketDotNet size, sweep point and End behaviour.
/// </summary>
public static class DryCoverage
{
    private static readonly string[] EverySize = ["vxlan-ipv6", "gre-l3-ipv4-csum-key-seq", "srv6-csid-8sid"];
    private const string EveryCapture = "vxlan-ipv4";

    public static bool Includes(BenchmarkCase benchmark)
    {
        string? Param(string name) => benchmark.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value as string;
        string? variant = Param("Variant");
        if (variant is null)
        {
            return true;
        }
        int index = EncapsulateBenchmarks.Variants.ToList().IndexOf(variant);
        if (Param("Size") is string size)
        {
            string[] sizes = EncapsulateBenchmarks.Sizes.ToArray();
            // The batch forms run every size with one variant only (every variant still runs them at its one size).
            bool batch = benchmark.Descriptor.WorkloadMethod.Name is nameof(EncapsulateBenchmarks.CopyBatch) or nameof(EncapsulateBenchmarks.InPlaceBatch);
            return (batch ? variant == EverySize[0] : EverySize.Contains(variant)) || size == sizes[index % sizes.Length];
        }
        if (Param("Capture") is string capture)
        {
            string[] captures = CaptureReplayBenchmarks.Captures.ToArray();
            return variant == EveryCapture || capture == captures[index % captures.Length];
        }
        return true;
    }
}
