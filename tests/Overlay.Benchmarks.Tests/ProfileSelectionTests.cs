using Overlay.Benchmarks.Inputs;

namespace Overlay.Benchmarks.Tests;

/// <summary>`--profile` on the benchmarks: the profiles' tunnels become the measured variants, nothing else changes.</summary>
public class ProfileSelectionTests
{
    [Fact]
    public void A_profile_pair_becomes_its_tunnels_as_the_only_variants_of_the_encap_and_decap_benchmarks()
    {
        // Parse, not Take: Take sets the process-wide selection, which the contract tests running beside this one read.
        (string[] rest, IReadOnlyList<string> legs) = ProfileSelection.Parse(["--profile", "aws-gwlb,azure-gwlb-pair", "--job", "short"]);
        Assert.Equal(["aws-gwlb", "azure-gwlb-internal", "azure-gwlb-external"], legs);
        Assert.Equal(["--job", "short", Program.OnlyFlag, "Variant=aws-gwlb,azure-gwlb-internal,azure-gwlb-external",
            "--filter", "*EncapsulateBenchmarks*", "*DecapsulateBenchmarks*"], rest);
        Assert.Equal("geneve-l3-ipv4-opt3x32B", Prepared.Variant("aws-gwlb").Name);
    }

    [Fact]
    public void A_filter_of_the_callers_is_kept_and_a_bad_name_is_refused_with_the_accepted_names()
    {
        Assert.Equal(["--filter", "*Decap*", Program.OnlyFlag, "Variant=srv6-usid"], ProfileSelection.Parse(["--profile", "srv6-usid", "--filter", "*Decap*"]).Remaining);
        var e = Assert.Throws<ArgumentException>(() => ProfileSelection.Parse(["--profile", "gwlb"]));
        Assert.Contains("'gwlb' is not a profile; the profiles are aws-gwlb,", e.Message);
        Assert.Equal(["--job", "dry"], ProfileSelection.Parse(["--job", "dry"]).Remaining);
    }
}
