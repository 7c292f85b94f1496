using System.Net;
using System.Net.Sockets;
using Overlay.Encapsulation;

namespace Overlay.Kernel.Tests;

public class VariantTests
{
    public static TheoryData<string> Tunnels() => [.. KernelVariants.TunnelNames];

    [Theory]
    [MemberData(nameof(Tunnels))]
    public void EveryKernelTunnelIsMeasuredAgainstTheSuitesOwnVariant(string name)
    {
        Assert.NotNull(VariantCatalog.Find(name));
        KernelVariant variant = KernelVariants.All.Single(v => v.Name == name);
        Assert.NotNull(variant.CaptureFilter);
        Assert.Equal(KernelVariants.BaselineIpv4, variant.Baseline);
        Assert.Equal(AddressFamily.InterNetwork, IPAddress.Parse(variant.Destination).AddressFamily);
    }

    [Theory]
    [InlineData("srv6-encaps-1sid", "encap", 1, "End.DX4 nh4 10.200.")]
    [InlineData("srv6-encaps-3sid", "encap", 3, "End.DX4 nh4 10.200.")]
    [InlineData("srv6-encaps-red-1sid", "encap.red", 1, "End.DX4 nh4 10.200.")]
    [InlineData("srv6-encaps-red-3sid", "encap.red", 3, "End.DX4 nh4 10.200.")]
    [InlineData("srv6-encaps-l2-1sid", "l2encap", 1, "End.DX2 oif l2o")]
    [InlineData("srv6-encaps-l2-3sid", "l2encap", 3, "End.DX2 oif l2o")]
    public void Srv6VariantsUseTheModelsModeAndSidCountAndDecapsulateEverySid(string name, string mode, int sids, string last)
    {
        KernelVariant variant = KernelVariants.All.Single(v => v.Name == name);
        string route = variant.SetupA.Single(c => c.Contains("encap seg6 "));
        Assert.Contains($" mode {mode} ", route);
        string segments = route.Split(" segs ")[1].Split(' ')[0];
        Assert.Equal(sids, segments.Split(',').Length);
        // B holds every SID the route lists: End on all but the last, the decapsulation on the last
        string[] local = variant.SetupB.Where(c => c.Contains("seg6local")).ToArray();
        Assert.Equal(segments.Split(','), local.Select(c => c.Split(' ')[3].Replace("/128", "")));
        Assert.All(local[..^1], c => Assert.Contains("action End dev", c));
        Assert.Contains($"action {last}", local[^1]);
        Assert.Equal(mode == "l2encap", VariantCatalog.Find(name)!.Create().Mode == PayloadMode.L2);
    }

    [Fact]
    public void VariantsLiveSideBySideOnTheirOwnAddresses()
    {
        Assert.Equal(KernelVariants.All.Count, KernelVariants.All.Select(v => v.Name).Distinct().Count());
        Assert.Equal(KernelVariants.All.Count, KernelVariants.All.Select(v => v.Destination).Distinct().Count());
        string[] devices = KernelVariants.All.SelectMany(v => v.SetupA).Where(c => c.StartsWith("link add ")).Select(c => c.Split(' ')[2]).ToArray();
        Assert.Equal(devices.Length, devices.Distinct().Count());
        Assert.All(devices, d => Assert.InRange(d.Length, 1, 15));
    }

    [Fact]
    public void Ip6GreLeavesOutTheEncapsulationLimitOptionTheModelDoesNotWrite()
    {
        Assert.All(KernelVariants.All.Where(v => v.Name.StartsWith("gre-") && v.Name.EndsWith("ipv6")),
            v => Assert.Contains("encaplimit none", v.SetupA[0]));
    }

    [Fact]
    public void SelectKeepsBothBaselinesAndRefusesAnUnknownName()
    {
        IReadOnlyList<KernelVariant> chosen = KernelVariants.Select(["VXLAN-IPV4"]);
        Assert.Equal([KernelVariants.BaselineIpv4, KernelVariants.BaselineIpv6, "vxlan-ipv4"], chosen.Select(v => v.Name));
        Assert.Equal(KernelVariants.All, KernelVariants.Select(null));
        var error = Assert.Throws<ArgumentException>(() => KernelVariants.Select(["vxlan-ipv5"]));
        Assert.Contains("'vxlan-ipv5'", error.Message);
        Assert.Contains("srv6-encaps-red-1sid", error.Message);
    }

    [Theory]
    [InlineData("Error: Unknown device type.", true)]
    [InlineData("Error: Encapsulation type not supported.", true)]
    [InlineData("Error: argument \"encap.red\" is wrong: Invalid \"mode\" value", true)]
    [InlineData("RTNETLINK answers: File exists", false)]
    [InlineData("Error: Nexthop has invalid gateway.", false)]
    public void OnlyAMissingFeatureMakesAVariantUnavailable(string stderr, bool missing)
    {
        Assert.Equal(missing, KernelRun.IsMissingFeature(stderr));
    }

    [Fact]
    public void ImixIsSevenFourOneOfFortyFiveHundredSeventySixAnd1500ByteIpPackets()
    {
        int[] v4 = TrialRunner.PayloadSizes("imix", AddressFamily.InterNetwork);
        Assert.Equal(12, v4.Length);
        Assert.Equal([(12, 7), (548, 4), (1472, 1)], v4.GroupBy(s => s).Select(g => (g.Key, g.Count())).OrderBy(g => g.Key));
        int[] v6 = TrialRunner.PayloadSizes("imix", AddressFamily.InterNetworkV6);
        Assert.Equal([0, 528, 1452], v6.Distinct().Order());
        Assert.Equal([512], TrialRunner.PayloadSizes("512", AddressFamily.InterNetwork));
    }

    [Fact]
    public void EveryVariantRunsInEveryPositionAcrossTrials()
    {
        string[] items = ["a", "b", "c"];
        var positions = Enumerable.Range(1, 3).Select(t => KernelRun.Rotate(items, t).ToArray()).ToArray();
        Assert.All(positions, order => Assert.Equal(items.Order(), order.Order()));
        for (int p = 0; p < items.Length; p++)
        {
            Assert.Equal(items.Order(), positions.Select(order => order[p]).Order());
        }
    }
}
