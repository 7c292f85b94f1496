using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Overlay.Results;
using Overlay.Benchmarks.Config;
using Overlay.Benchmarks.Inputs;
using Overlay.Encapsulation;

namespace Overlay.Benchmarks.Tests;

/// <summary>The names, parameters and categories other parts of the suite (the report, the comparer) rely on.</summary>
public class ContractTests
{
    private static readonly Dictionary<string, string[]> Methods = new()
    {
        [nameof(EncapsulateBenchmarks)] = ["Copy", "InPlace", "CopyBatch", "InPlaceBatch", "CopyBaseline"],
        [nameof(DecapsulateBenchmarks)] = ["Decapsulate", "CopyBaseline"],
        [nameof(Srv6EndBenchmarks)] = ["End", "EndNextCsid", "CopyBaseline"],
        [nameof(CaptureReplayBenchmarks)] = ["ReplayCopy", "ReplayInPlace", "CopyBaseline"],
        [nameof(PacketDotNetBenchmarks)] = ["PacketDotNetVxlanPacket", "PacketDotNetRawPayload", "PacketDotNetGre", "OverlayVxlanCopy", "OverlayVxlanInPlace", "OverlayGreCopy", "CopyBaseline"],
        [nameof(SweepBenchmarks)] = ["Copy", "CopyBaseline"],
        [nameof(ServiceHopBenchmarks)] = ["Hop", "CopyBaseline"],
    };

    [Fact]
    public void The_main_job_runs_every_benchmark_class_of_the_assembly()
    {
        var withBenchmarks = typeof(MainJob).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .Select(t => t.Name).Order();
        Assert.Equal(withBenchmarks, MainJob.BenchmarkClasses.Select(t => t.Name).Order());
        Assert.Equal(Methods.Keys.Order(), MainJob.BenchmarkClasses.Select(t => t.Name).Order());
    }

    [Fact]
    public void Classes_have_the_agreed_methods_and_every_case_a_category()
    {
        foreach (Type type in MainJob.BenchmarkClasses)
        {
            BenchmarkRunInfo info = BenchmarkConverter.TypeToBenchmarks(type, BenchConfig.Create());
            Assert.Equal(Methods[type.Name].Order(), info.BenchmarksCases.Select(b => b.Descriptor.WorkloadMethod.Name).Distinct().Order());
            foreach (BenchmarkCase benchmark in info.BenchmarksCases)
            {
                string[] categories = benchmark.Descriptor.Categories;
                Assert.NotEmpty(categories);
                if (benchmark.Descriptor.WorkloadMethod.Name == "CopyBaseline")
                {
                    Assert.Contains(Categories.Calibration, categories);
                    Assert.True(benchmark.Descriptor.Baseline);
                }
                Assert.True(benchmark.Descriptor.OperationsPerInvoke > 1, $"{benchmark.DisplayInfo} is not per packet over a batch");
            }
        }
    }

    [Fact]
    public void Parameters_are_the_agreed_ones()
    {
        string[] variants = VariantCatalog.All.Select(v => v.Name).ToArray();
        string[] sizes = ["64", "128", "256", "512", "1024", "1500", "9000", "imix"];
        Assert.Equal(variants, EncapsulateBenchmarks.Variants);
        Assert.Equal(sizes, EncapsulateBenchmarks.Sizes);
        string[] captures = Directory.GetFiles(RepoPaths.Captures, "*.pcap").Select(Path.GetFileName).Order().ToArray()!;
        Assert.NotEmpty(captures);
        Assert.Equal(captures, CaptureReplayBenchmarks.Captures.Order());

        BenchmarkRunInfo sweeps = BenchmarkConverter.TypeToBenchmarks(typeof(SweepBenchmarks), BenchConfig.Create());
        var points = sweeps.BenchmarksCases.Where(b => b.Descriptor.WorkloadMethod.Name == "Copy")
            .Select(b => ((string)b.Parameters["Sweep"], (int)b.Parameters["Count"])).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(n => ("srv6-encaps", n)), points.Where(p => p.Item1 == "srv6-encaps").OrderBy(p => p.Item2));
        Assert.Equal(Enumerable.Range(1, 10).Select(n => ("srv6-encaps-red", n)), points.Where(p => p.Item1 == "srv6-encaps-red").OrderBy(p => p.Item2));
        Assert.Equal(Enumerable.Range(1, 10).Select(n => ("srv6-csid", n)), points.Where(p => p.Item1 == "srv6-csid").OrderBy(p => p.Item2));
        Assert.Equal(Enumerable.Range(0, 9).Select(n => ("geneve-options", n)), points.Where(p => p.Item1 == "geneve-options").OrderBy(p => p.Item2));
    }

    [Fact]
    public void The_main_job_selects_what_the_targets_need_within_its_budget()
    {
        var cases = MainJob.BenchmarkClasses
            .SelectMany(t => BenchmarkConverter.TypeToBenchmarks(t, BenchConfig.Create()).BenchmarksCases)
            .Where(MainCases.Includes)
            .ToList();
        // The 20-minute budget on 2 cores, at about two seconds a case with the short job.
        Assert.InRange(cases.Count, 100, MainCases.MaxCases);
        foreach (string variant in EncapsulateBenchmarks.Variants)
        {
            bool Has(string method, string size) => cases.Any(b => b.Descriptor.Type == typeof(EncapsulateBenchmarks)
                && b.Descriptor.WorkloadMethod.Name == method && (string)b.Parameters["Variant"] == variant && (string)b.Parameters["Size"] == size);
            Assert.True(Has("InPlace", "64") && Has("InPlace", "9000"), variant);
            foreach (string size in new[] { "64", "512", "1500", "9000" })
            {
                Assert.True(Has("Copy", size) && Has("CopyBaseline", size), $"{variant} {size}");
            }
        }
    }

    [Fact]
    public void Only_narrows_parameters_and_leaves_other_flags_to_BenchmarkDotNet()
    {
        ManualConfig config = BenchConfig.Create();
        string[] rest = Program.TakeOnly(["--filter", "*Encapsulate*", "--only", "Variant=vxlan-ipv4,gre-l3-ipv4", "--only", "Size=64"], config);
        Assert.Equal(["--filter", "*Encapsulate*"], rest);
        var cases = BenchmarkConverter.TypeToBenchmarks(typeof(EncapsulateBenchmarks), config).BenchmarksCases;
        Assert.Equal(10, cases.Length); // 2 variants × 1 size × 5 methods
        Assert.Throws<ArgumentException>(() => Program.TakeOnly(["--only", "Variant"], BenchConfig.Create()));
    }

    [Theory]
    [InlineData("64")]
    [InlineData("imix")]
    [InlineData("9000")]
    public void Every_variant_carries_every_fixed_size_frame_of_its_inner_family(string size)
    {
        // An IPv6-in-IP variant cannot carry the IPv4 frames: it is measured with IPv6 frames of the same sizes.
        foreach (string variant in EncapsulateBenchmarks.Variants)
        {
            IEncapsulator encapsulator = Prepared.Variant(variant);
            int version = Prepared.InnerIpVersion(encapsulator);
            Assert.Equal(variant is "ip6in4" or "ip6ip6" ? 6 : 4, version);
            FrameBatch batch = FrameBatch.Fixed(size, EncapsulateBenchmarks.Batch, version);
            Assert.Equal(batch.Count, Prepared.Validate(encapsulator, batch, requireAll: true));
        }
    }

    [Fact]
    public void Imix_is_seven_four_one_of_40_576_1500_byte_ip_packets()
    {
        int[] lengths = InnerFrames.Lengths("imix", EncapsulateBenchmarks.Batch);
        Assert.Equal(EncapsulateBenchmarks.Batch / 12 * 7, lengths.Count(l => l == 54));
        Assert.Equal(EncapsulateBenchmarks.Batch / 12 * 4, lengths.Count(l => l == 590));
        Assert.Equal(EncapsulateBenchmarks.Batch / 12, lengths.Count(l => l == 1514));
        FrameBatch batch = FrameBatch.Fixed("imix", EncapsulateBenchmarks.Batch);
        for (int i = 0; i < batch.Count; i++)
        {
            Assert.True(InnerFrame.TryParse(batch.Frame(i), out InnerFrame inner));
            Assert.Equal(batch.Lengths[i] - 14, inner.IpLength);
        }
    }

    [Fact]
    public void The_committed_run_json_is_read_by_the_report_and_describes_the_committed_reports()
    {
        // The main job writes run.json and the report reads it: the two must agree on schema, names and titles.
        string results = RepoPaths.Results;
        string json = File.ReadAllText(Path.Combine(results, Overlay.Results.RunDescription.FileName));
        Assert.Contains($"\"schema\": \"{MainJob.RunSchema}\"", json, StringComparison.Ordinal);
        var run = Overlay.Results.RunDescription.FromJson(json);
        Assert.Contains(run.Job!.Id, new[] { BenchConfig.ShortJob.Id, BenchConfig.FullJob.Id });
        Assert.False(string.IsNullOrEmpty(run.Commit));
        Assert.StartsWith("dotnet run -c Release --project bench/Overlay.Benchmarks", run.Command, StringComparison.Ordinal);
        var inputs = Overlay.Reporting.Report.ReportInputs.Load(results);
        Assert.NotNull(inputs.Run); // its titles are those of the reports beside it
        Assert.Equal(run.Commit, inputs.Run.Commit);
        Assert.Equal(inputs.Benchmarks.Reports.Count, run.Benchmarks.Count(b => b.Cases > 0));
        Assert.Equal(run.Benchmarks.Sum(b => b.Cases), inputs.Benchmarks.Reports.Sum(r => r.Benchmarks.Count));
    }

    [Theory]
    [InlineData("64")]
    [InlineData("1500")]
    [InlineData("imix")]
    public void Frames_and_output_slots_start_at_64_byte_aligned_addresses_with_headroom_before_each(string size)
    {
        // Several allocations, so a lucky aligned array start cannot hide an unaligned layout.
        for (int attempt = 0; attempt < 8; attempt++)
        {
            FrameBatch batch = FrameBatch.Fixed(size, 24);
            int previousEnd = 0;
            for (int i = 0; i < batch.Count; i++)
            {
                long address = System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(batch.Buffer, batch.Offsets[i]);
                Assert.Equal(0, address % FrameBatch.Alignment);
                Assert.True(batch.Offsets[i] - previousEnd >= FrameBatch.Headroom, $"frame {i}: {batch.Offsets[i] - previousEnd} bytes of headroom");
                previousEnd = batch.Offsets[i] + batch.Lengths[i];
            }
            Assert.True(batch.Buffer.Length - previousEnd >= FrameBatch.HeadBytes);

            var ring = new OutputRing(4, 100 + attempt);
            for (int i = 0; i < ring.Slots; i++)
            {
                Span<byte> slot = ring.Slot(i);
                long address = System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(ring.Buffer, ring.Start + i * ring.SlotBytes);
                Assert.Equal(0, address % FrameBatch.Alignment);
                Assert.True(slot.Length >= 100 + attempt);
            }
            _ = GC.AllocateArray<byte>(8 + attempt * 8, pinned: true); // shifts where the next pinned array lands
        }
    }

    [Fact]
    public void The_dry_run_covers_every_method_variant_size_capture_and_sweep_point()
    {
        var cases = MainJob.BenchmarkClasses
            .SelectMany(t => BenchmarkConverter.TypeToBenchmarks(t, BenchConfig.Create()).BenchmarksCases)
            .ToList();
        var dry = cases.Where(DryCoverage.Includes).ToList();
        Assert.True(dry.Count < 650, $"{dry.Count} dry cases");
        foreach (var group in cases.GroupBy(b => (b.Descriptor.Type, b.Descriptor.WorkloadMethod.Name)))
        {
            foreach (var parameter in group.SelectMany(b => b.Parameters.Items).GroupBy(p => p.Name))
            {
                foreach (object? value in parameter.Select(p => p.Value).Distinct())
                {
                    Assert.True(dry.Any(b => b.Descriptor.Type == group.Key.Type && b.Descriptor.WorkloadMethod.Name == group.Key.Name
                        && Equals(b.Parameters[parameter.Key], value)), $"{group.Key.Type.Name}.{group.Key.Name} never runs with {parameter.Key}={value}");
                }
            }
        }
    }
}
