using System.Buffers.Binary;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Profiles;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Tests;
using Overlay.Results;

namespace Overlay.Cli.Tests;

/// <summary>`--profile` on encap, analyze and chain, and `variants --profiles`, as a user runs them.</summary>
public class ProfileCommandTests
{
    private static string Capture => Path.Combine(Paths.ProjectCaptures, "http.pcap");

    [Fact]
    public void Encap_with_the_aws_profile_adds_68_bytes_to_every_ip_packet_with_the_gwlb_options()
    {
        string output = Paths.TempFile();
        try
        {
            OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), "encap", "--profile", "aws-gwlb", "--in", Capture, "--out", output, "-q");
            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.Contains("encapsulated with aws-gwlb", result.Stdout + result.Stderr);
            List<byte[]> frames = Pcap.Read(output);
            Assert.NotEmpty(frames);
            foreach (byte[] frame in frames)
            {
                Assert.True(Decapsulator.TryDecapsulate(frame, out TunnelPacket packet).IsSuccess);
                Assert.Equal(68, frame.Length - 14 - packet.InnerLength);
                Assert.Equal(32, packet.GeneveOptionsLength);
                Assert.Equal(DeployedProfiles.AwsOptionClass, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(packet.GeneveOptionsOffset)));
            }
        }
        finally
        {
            File.Delete(output);
        }
    }

    public static TheoryData<string[], string> Mistakes() => new()
    {
        { ["encap", "--profile", "aws", "--out", "OUT"], "--profile aws: 'aws' is not a profile (did you mean 'aws-gwlb'?); the profiles are aws-gwlb, azure-gwlb-internal, azure-gwlb-external, azure-gwlb-pair, nsx-geneve, cilium-vxlan, cilium-geneve, cilium-geneve-dsr, linux-vxlan, linux-seg6 or srv6-usid" },
        { ["encap", "--profile", "aws-gwlb", "--vni", "0x10", "--out", "OUT"], "--vni does not combine with --profile aws-gwlb: the profile fixes every setting" },
        { ["encap", "--profile", "aws-gwlb", "--protocol", "geneve", "--out", "OUT"], "--protocol does not combine with --profile aws-gwlb" },
        { ["encap", "--profile", "azure-gwlb-pair", "--out", "OUT"], "--profile azure-gwlb-pair: a pair is two tunnels; encapsulate with azure-gwlb-internal or azure-gwlb-external" },
        { ["encap", "--out", "OUT"], "encap: --protocol is required (gre, nvgre, vxlan, geneve or srv6), or --profile NAME (aws-gwlb," },
        { ["analyze", "--profile", "aws-gwlb,nsx"], "--profile aws-gwlb,nsx: 'nsx' is not a profile (did you mean 'nsx-geneve'?)" },
        { ["chain", "--profile", "cilium"], "--profile cilium: 'cilium' is not a profile" },
        { ["analyze", "--profile", ","], "--profile ,: name a profile: aws-gwlb, azure-gwlb-internal, azure-gwlb-external, azure-gwlb-pair, nsx-geneve, cilium-vxlan, cilium-geneve, cilium-geneve-dsr, linux-vxlan, linux-seg6, srv6-usid or all" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_bad_profile_is_one_line_naming_the_accepted_names_and_exit_2(string[] args, string message)
    {
        string output = Paths.TempFile();
        string[] line = [.. args.Select(a => a == "OUT" ? output : a), "--in", Capture];
        OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), line);
        Assert.Equal(2, result.ExitCode);
        string error = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"overlay: error: {message}", error);
        Assert.Empty(result.Stdout);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Analyze_with_profiles_reports_each_tunnel_under_its_profile_name_and_decapsulates_every_frame()
    {
        string json = Paths.TempFile(".json");
        try
        {
            OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), "analyze", "--in", Capture, "--profile", "aws-gwlb,azure-gwlb-pair,cilium-vxlan",
                "--no-throughput", "--json", json, "-q");
            Assert.True(result.ExitCode == 0, result.Stderr);
            ResultDocument document = ResultDocument.FromJson(File.ReadAllText(json));
            Assert.Equal(["aws-gwlb", "azure-gwlb-internal", "azure-gwlb-external", "cilium-vxlan"], document.Results.Select(r => r.Variant));
            Assert.Equal("aws-gwlb,azure-gwlb-pair,cilium-vxlan", document.Settings["profiles"]);
            foreach (VariantResult r in document.Results)
            {
                Assert.True(r.DecapCheck.Checked.Value > 0);
                Assert.Equal(r.DecapCheck.Checked.Value, r.DecapCheck.Identical.Value);
            }
            Assert.Equal(82, document.Results[0].HeaderLength.Value);
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public void Profile_all_analyses_every_tunnel_of_every_profile_once()
    {
        string json = Paths.TempFile(".json");
        try
        {
            OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), "analyze", "--in", Capture, "--profile", "linux-seg6,all", "--variants", "vxlan-ipv4",
                "--no-throughput", "--json", json, "-q");
            Assert.True(result.ExitCode == 0, result.Stderr);
            ResultDocument document = ResultDocument.FromJson(File.ReadAllText(json));
            var tunnels = Overlay.Encapsulation.Profiles.DeployedProfiles.All.SelectMany(p => p.Legs).Select(l => l.Name).Distinct().ToList();
            Assert.Equal(tunnels.Count + 1, document.Results.Count);
            Assert.Equal(tunnels.Order(), document.Results.Select(r => r.Variant).Where(v => v != "vxlan-ipv4").Order());
            Assert.Contains("vxlan-ipv4", document.Results.Select(r => r.Variant));
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public void A_profile_tunnel_is_also_a_variant_name_as_its_results_carry_it()
    {
        OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), "analyze", "--in", Capture, "--variants", "vxlan-ipv4,azure-gwlb-external", "--no-throughput", "-q");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("| azure-gwlb-external | 50 |", result.Stdout);
    }

    [Fact]
    public void Chain_walks_a_profile_as_the_service_hop()
    {
        string json = Paths.TempFile(".json");
        try
        {
            OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), "chain", "--in", Capture, "--services", "0,2", "--metadata", "0",
                "--profile", "azure-gwlb-pair", "--json", json, "-q");
            Assert.True(result.ExitCode == 0, result.Stderr);
            ChainDocument document = ChainDocument.FromJson(File.ReadAllText(json));
            ChainResult[] rows = document.Results.Where(r => r.Approach == "azure-gwlb-pair").ToArray();
            Assert.Equal([0.0, 2.0], rows.Select(r => r.Services.Value));
            Assert.All(rows, r => Assert.Equal(r.Packets.Value, r.Arrived.Value));
            // Three links at k=2 against one at k=0, each carrying every frame in one 50-byte VXLAN/IPv4 tunnel.
            double Added(ChainResult r) => r.WireBytes.Value - r.NativeWireBytes.Value;
            Assert.Equal(3 * Added(rows[0]), Added(rows[1]));
            Assert.InRange(Added(rows[0]), 40 * rows[0].Packets.Value, 50 * rows[0].Packets.Value);
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public void Variants_lists_every_profile_with_its_sources()
    {
        OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), "variants", "--profiles");
        Assert.Equal(0, result.ExitCode);
        foreach (DeployedProfile profile in DeployedProfiles.All)
        {
            Assert.Contains(profile.Name, result.Stdout);
            Assert.All(profile.Sources, s => Assert.Contains(s.Url, result.Stdout));
        }
        Assert.Matches(@"aws-gwlb\s+82\s+68\s+IP", result.Stdout);
    }
}
