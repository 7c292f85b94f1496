using Overlay.Encapsulation;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Tests;

namespace Overlay.Cli.Tests;

public class CommandTests
{
    private static string Work => Path.GetTempPath();

    [Theory]
    [InlineData("variants")]
    [InlineData("encap", "--protocol", "--sids", "--flow-label", "--sport-range", "--ttl", "--dscp", "--df", "--udp-checksum", "--option")]
    [InlineData("decap", "--in", "--out")]
    [InlineData("analyze", "--in", "--variants", "--mtu", "--json", "--markdown", "--segment")]
    [InlineData("compare", "--baseline", "--current", "--threshold", "--noise", "--allocations-only", "--markdown", "--json", "--chart", "--rerun-filters")]
    public void Every_verb_has_help(string verb, params string[] options)
    {
        OverlayProcess.Result result = OverlayProcess.Run(Work, verb, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout);
        Assert.Contains("Examples", result.Stdout);
        Assert.Contains("Exit codes: 0 done; 1 the run failed", result.Stdout);
        foreach (string option in options)
        {
            Assert.Contains(option, result.Stdout);
        }
    }

    [Fact]
    public void Variants_lists_every_catalog_name_with_its_header_size()
    {
        OverlayProcess.Result result = OverlayProcess.Run(Work, "variants");
        Assert.Equal(0, result.ExitCode);
        foreach (VariantSpec spec in VariantCatalog.All)
        {
            Assert.Matches($@"(?m)^{System.Text.RegularExpressions.Regex.Escape(spec.Name)}\s+{spec.Create().HeaderLength}\s", result.Stdout);
        }
    }

    [Theory]
    [InlineData(new[] { "--protocol", "vxlan", "--vni", "16777216" }, "--vni 16777216: a VNI is 0..16777215 (decimal or 0x-hex)")]
    [InlineData(new[] { "--protocol", "ipip" }, "--protocol ipip: the protocol is gre, nvgre, vxlan, geneve or srv6")]
    [InlineData(new[] { "--protocol", "srv6", "--sids", "192.0.2.1" }, "--sids 192.0.2.1: segments are 1..16 IPv6 addresses")]
    [InlineData(new[] { "--protocol", "vxlan", "--mode", "l3" }, "--mode l3: vxlan carries Ethernet frames only (l2)")]
    [InlineData(new[] { "--protocol", "gre", "--ttl", "300" }, "--ttl 300: a TTL is 1..255 (decimal or 0x-hex) or inherit or inherit-ipv6")]
    [InlineData(new[] { "--protocol", "geneve", "--option", "1:2:abc" }, "--option 1:2:abc: a GENEVE option is CLASS:TYPE[:HEX]")]
    [InlineData(new[] { "--protocol", "vxlan", "--sport-range", "60000-50000" }, "--sport-range 60000-50000: a port range is A-B with 1 <= A <= B <= 65535")]
    public void Bad_configuration_exits_2_with_a_message(string[] settings, string message)
    {
        string output = Paths.TempFile();
        OverlayProcess.Result result = OverlayProcess.Run(Work, ["encap", .. settings, "--in", Paths.PublicCapture("encapsulated/tcpdump_vxlan.pcap"), "--out", output]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"overlay: error: {message}", result.Stderr.TrimEnd('\n').Split('\n').Single()[..($"overlay: error: {message}".Length)]);
        Assert.Empty(result.Stdout);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Missing_required_option_exits_2()
    {
        OverlayProcess.Result result = OverlayProcess.Run(Work, "encap", "--protocol", "vxlan");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--in", result.Stderr + result.Stdout);
    }

    [Theory]
    [InlineData("vxlan", new string[0])]
    [InlineData("gre", new[] { "--underlay", "ipv6", "--checksum", "--key", "7", "--seq" })]
    [InlineData("nvgre", new[] { "--vsid", "5000" })]
    [InlineData("geneve", new[] { "--option", "0xfff0:0x81:0011223344556677", "--mode", "l3" })]
    [InlineData("srv6", new[] { "--sids", "fc00:0:1::,fc00:0:2::,fc00:0:3::", "--mode", "l2", "--reduced" })]
    [InlineData("srv6", new[] { "--sids", "fc00:0:1::,fc00:0:2::", "--csid", "--flow-label", "zero", "--ttl", "inherit" })]
    public void Encap_then_decap_restores_the_capture(string protocol, string[] settings)
    {
        string input = Paths.PublicCapture("traffic/pcapplusplus_many-protocols.pcap");
        string encapsulated = Paths.TempFile(), decapsulated = Paths.TempFile();
        try
        {
            OverlayProcess.Result encap = OverlayProcess.Run(Work, ["encap", "--protocol", protocol, .. settings, "--in", input, "--out", encapsulated]);
            Assert.True(encap.ExitCode == 0, encap.Stderr);
            OverlayProcess.Result decap = OverlayProcess.Run(Work, "decap", "--in", encapsulated, "--out", decapsulated);
            Assert.True(decap.ExitCode == 0, decap.Stderr);

            List<byte[]> original = Pcap.Read(input), tunnelled = Pcap.Read(encapsulated), restored = Pcap.Read(decapsulated);
            Assert.Equal(tunnelled.Count, restored.Count);
            bool l3 = settings.Contains("l3") || (protocol is "gre" or "srv6" && !settings.Contains("l2"));
            if (!l3)
            {
                Assert.Equal(original.Count, tunnelled.Count);
            }
            // Every restored frame is an original frame (L2) or its IP packet behind a placeholder Ethernet header (L3).
            // NVGRE drops inner VLAN tags (RFC 7637 §3.2).
            var originals = original.Select(f => Convert.ToHexString(l3 ? IpPacket(f) : protocol == "nvgre" ? Untagged(f) : f)).ToHashSet();
            foreach (byte[] frame in restored)
            {
                Assert.Contains(Convert.ToHexString(l3 ? frame[14..] : frame), originals);
            }
            // The decoder's own reading names the kind: NVGRE framing is told from plain GRE.
            // NEXT-C-SID in one container sends no SRH: on the wire that is RFC 2473 IP in IPv6, and decap names it so.
            string kind = protocol switch { "nvgre" => "NVGRE (or GRE-TEB with a key)", "srv6" => settings.Contains("--csid") ? "IP in IP" : "SRv6", "vxlan" => "VXLAN", "geneve" => "GENEVE", _ => "GRE" };
            Assert.Contains($"  {kind}: {restored.Count}", decap.Stderr);
        }
        finally
        {
            File.Delete(encapsulated);
            File.Delete(decapsulated);
        }
    }

    [Fact]
    public void Decap_counts_what_it_cannot_decapsulate_by_reason()
    {
        string output = Paths.TempFile();
        try
        {
            OverlayProcess.Result result = OverlayProcess.Run(Work, "decap", "--in", Paths.PublicCapture("encapsulated/zeek_erspan__gre-teb-key.pcap"), "--out", output);
            Assert.Equal(0, result.ExitCode);
            // 55 of its GRE packets travel as outer IPv4 fragments: an endpoint reassembles them first, so they are reported.
            // GRE-TEB with a key is framed exactly as NVGRE, so the decoder cannot tell them apart and says so.
            Assert.Contains("NVGRE (or GRE-TEB with a key): 232", result.Stderr);
            Assert.Contains("skipped, outer IP fragment (an endpoint reassembles it first): 55", result.Stderr);
            Assert.DoesNotContain("OuterFragment", result.Stderr);
            Assert.Equal(232, Pcap.Read(output).Count);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void Analyze_writes_json_and_markdown()
    {
        string json = Paths.TempFile(".json"), markdown = Paths.TempFile(".md");
        try
        {
            OverlayProcess.Result result = OverlayProcess.Run(Work, "analyze", "--in", Paths.PublicCapture("encapsulated/tcpdump_vxlan.pcap"),
                "--variants", "vxlan-ipv4,srv6-csid-3sid", "--json", json, "--markdown", markdown, "--passes", "1", "--quiet");
            Assert.True(result.ExitCode == 0, result.Stderr);
            var document = Overlay.Results.ResultDocument.FromJson(File.ReadAllText(json));
            Assert.Equal(2, document.Results.Count);
            Assert.Equal("srv6-csid-3sid", document.Results[1].Variant);
            Assert.Equal(10, document.Captures[0].Packets.Value);
            Assert.Contains("| vxlan-ipv4 | 50 |", File.ReadAllText(markdown));
            Assert.Contains("| vxlan-ipv4 | 50 |", result.Stdout);
        }
        finally
        {
            File.Delete(json);
            File.Delete(markdown);
        }
    }

    [Fact]
    public void Analyze_all_in_a_list_is_the_whole_catalogue_followed_by_the_names_after_it_each_once()
    {
        string json = Paths.TempFile(".json");
        try
        {
            OverlayProcess.Result result = OverlayProcess.Run(Work, "analyze", "--in", Paths.PublicCapture("encapsulated/tcpdump_vxlan.pcap"),
                "--variants", "vxlan-ipv4,all,srv6-csid-2sid,vxlan-ipv4", "--json", json, "--no-throughput", "--quiet");
            Assert.True(result.ExitCode == 0, result.Stderr);
            var document = Overlay.Results.ResultDocument.FromJson(File.ReadAllText(json));
            var expected = new List<string> { "vxlan-ipv4" };
            expected.AddRange(Overlay.Encapsulation.VariantCatalog.All.Select(v => v.Name).Where(n => n != "vxlan-ipv4"));
            expected.Add("srv6-csid-2sid");
            Assert.Equal(expected, document.Results.Select(r => r.Variant));
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static byte[] Untagged(byte[] frame)
    {
        Assert.True(InnerFrame.TryParse(frame, out InnerFrame inner));
        return [.. frame[..12], .. frame[(inner.L2HeaderLength - 2)..]];
    }

    private static byte[] IpPacket(byte[] frame)
    {
        Assert.True(InnerFrame.TryParse(frame, out InnerFrame inner));
        return inner.IsIp ? frame.AsSpan(inner.L2HeaderLength, inner.IpLength).ToArray() : [];
    }
}
