using System.Reflection;
using BenchmarkDotNet.Attributes;
using Overlay.Results.Benchmarks;

namespace Overlay.Benchmarks.Tests;

/// <summary>
/// The identities Reporting finds benchmarks by (<see cref="BenchmarkIds"/>) are exactly the benchmark project's
/// classes and [Benchmark] methods: a method renamed, added or removed here without its identity fails this test.
/// </summary>
public sealed class BenchmarkIdsTests
{
    private static readonly Dictionary<string, string[]> Declared = typeof(EncapsulateBenchmarks).Assembly.GetTypes()
        .Where(t => !t.IsAbstract)
        .Select(t => (t.Name, Methods: t.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null).Select(m => m.Name).Order(StringComparer.Ordinal).ToArray()))
        .Where(t => t.Methods.Length > 0)
        .ToDictionary(t => t.Name, t => t.Methods, StringComparer.Ordinal);

    [Fact]
    public void Every_benchmark_class_and_method_has_its_identity_and_every_identity_a_benchmark()
    {
        Assert.Equal(Declared.Keys.Order(StringComparer.Ordinal), BenchmarkIds.Methods.Keys.Order(StringComparer.Ordinal));
        foreach ((string type, string[] methods) in Declared)
        {
            Assert.Equal(methods, BenchmarkIds.Methods[type].Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Each_identity_is_the_name_the_compiler_gives_its_benchmark()
    {
        Assert.Equal(nameof(EncapsulateBenchmarks), BenchmarkIds.Encapsulate.Class);
        Assert.Equal(nameof(EncapsulateBenchmarks.Copy), BenchmarkIds.Encapsulate.Copy);
        Assert.Equal(nameof(EncapsulateBenchmarks.InPlace), BenchmarkIds.Encapsulate.InPlace);
        Assert.Equal(nameof(EncapsulateBenchmarks.CopyBaseline), BenchmarkIds.CopyBaseline);
        Assert.Equal(nameof(DecapsulateBenchmarks), BenchmarkIds.Decapsulate.Class);
        Assert.Equal(nameof(DecapsulateBenchmarks.Decapsulate), BenchmarkIds.Decapsulate.Method);
        Assert.Equal(nameof(PacketDotNetBenchmarks), BenchmarkIds.PacketDotNet.Class);
        Assert.Equal(nameof(PacketDotNetBenchmarks.PacketDotNetVxlanPacket), BenchmarkIds.PacketDotNet.VxlanPacket);
        Assert.Equal(nameof(PacketDotNetBenchmarks.PacketDotNetRawPayload), BenchmarkIds.PacketDotNet.RawPayload);
        Assert.Equal(nameof(PacketDotNetBenchmarks.PacketDotNetGre), BenchmarkIds.PacketDotNet.Gre);
        Assert.Equal(nameof(PacketDotNetBenchmarks.OverlayVxlanCopy), BenchmarkIds.PacketDotNet.OverlayVxlanCopy);
        Assert.Equal(nameof(PacketDotNetBenchmarks.OverlayVxlanInPlace), BenchmarkIds.PacketDotNet.OverlayVxlanInPlace);
        Assert.Equal(nameof(PacketDotNetBenchmarks.OverlayGreCopy), BenchmarkIds.PacketDotNet.OverlayGreCopy);
        Assert.Equal(nameof(Srv6EndBenchmarks), BenchmarkIds.Srv6End.Class);
        Assert.Equal(nameof(Srv6EndBenchmarks.End), BenchmarkIds.Srv6End.End);
        Assert.Equal(nameof(Srv6EndBenchmarks.EndNextCsid), BenchmarkIds.Srv6End.EndNextCsid);
        Assert.Equal(nameof(ServiceHopBenchmarks), BenchmarkIds.ServiceHop.Class);
        Assert.Equal(nameof(ServiceHopBenchmarks.Hop), BenchmarkIds.ServiceHop.Hop);
        Assert.Equal(nameof(SweepBenchmarks), BenchmarkIds.Sweep.Class);
        Assert.Equal(nameof(SweepBenchmarks.Copy), BenchmarkIds.Sweep.Copy);
        Assert.Equal(nameof(CaptureReplayBenchmarks), BenchmarkIds.CaptureReplay.Class);
        Assert.Equal(nameof(CaptureReplayBenchmarks.ReplayCopy), BenchmarkIds.CaptureReplay.ReplayCopy);
        Assert.Equal(nameof(CaptureReplayBenchmarks.ReplayInPlace), BenchmarkIds.CaptureReplay.ReplayInPlace);
        Assert.All(BenchmarkIds.Methods[BenchmarkIds.PacketDotNet.Class].Where(m => m.StartsWith(BenchmarkIds.PacketDotNet.PeerPrefix, StringComparison.Ordinal)),
            m => Assert.Contains(m, new[] { BenchmarkIds.PacketDotNet.VxlanPacket, BenchmarkIds.PacketDotNet.RawPayload, BenchmarkIds.PacketDotNet.Gre }));
    }
}
