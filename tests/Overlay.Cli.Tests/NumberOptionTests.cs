using System.Buffers.Binary;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Tests;

namespace Overlay.Cli.Tests;

/// <summary>
/// Numbers as engineers write them: every numeric option takes decimal and 0x-hex, and the value written in hex is the
/// value on the wire (read back by the decoder from the encap output). A bad number is one line naming the option, the
/// value and the accepted forms, exit 2.
/// </summary>
public class NumberOptionTests
{
    private static string Capture => Path.Combine(Paths.ProjectCaptures, "icmp.pcap");

    public static TheoryData<string, string[], string> HexValues() => new()
    {
        { "vni", ["--protocol", "vxlan", "--vni", "0xABCDEF"], "0xABCDEF" },
        { "geneve-vni", ["--protocol", "geneve", "--vni", "0x00FF01"], "0xFF01" },
        { "key", ["--protocol", "gre", "--key", "0xDEADBEEF"], "0xDEADBEEF" },
        { "vsid", ["--protocol", "nvgre", "--vsid", "0xFFFFFE"], "0xFFFFFE" },
        { "flow-label", ["--protocol", "gre", "--underlay", "ipv6", "--flow-label", "0xFEDCB"], "0xFEDCB" },
        { "dscp", ["--protocol", "gre", "--dscp", "0x2e"], "0x2E" },
        { "ttl", ["--protocol", "gre", "--ttl", "0x21"], "0x21" },
        { "option", ["--protocol", "geneve", "--option", "0x0108:0x81:00112233"], "0x0108:0x81" },
        { "sport-range", ["--protocol", "vxlan", "--sport-range", "0xC000-0xC00F"], "0xC000-0xC00F" },
        { "dport", ["--protocol", "vxlan", "--dport", "0x2118"], "0x2118" },
        { "dport", ["--protocol", "geneve", "--dport", "0x17c1"], "0x17C1" },
    };

    [Theory]
    [MemberData(nameof(HexValues))]
    public void A_hex_value_reaches_the_wire(string field, string[] settings, string expected)
    {
        string output = Paths.TempFile();
        try
        {
            OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), ["encap", .. settings, "--in", Capture, "--out", output, "-q"]);
            Assert.True(result.ExitCode == 0, result.Stderr);
            List<byte[]> frames = Pcap.Read(output);
            Assert.NotEmpty(frames);
            foreach (byte[] frame in frames)
            {
                Assert.True(Decapsulator.TryDecapsulate(frame, out TunnelPacket packet).IsSuccess);
                int ip = packet.OuterIpOffset;
                string actual = field switch
                {
                    "vni" or "geneve-vni" => $"0x{packet.Vni:X}",
                    "key" => $"0x{packet.Key:X}",
                    "vsid" => $"0x{packet.Vsid:X}",
                    "flow-label" => $"0x{packet.FlowLabel:X}",
                    "dscp" => $"0x{frame[ip + 1] >> 2:X}",
                    "ttl" => $"0x{frame[ip + 8]:X}",
                    "dport" => $"0x{BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(ip + 20 + 2)):X}",
                    "option" => $"0x{BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(packet.GeneveOptionsOffset)):X4}:0x{frame[packet.GeneveOptionsOffset + 2]:X2}",
                    _ => packet.UdpSourcePort is >= 0xC000 and <= 0xC00F ? expected : $"0x{packet.UdpSourcePort:X}",
                };
                Assert.Equal(expected, actual);
            }
        }
        finally
        {
            File.Delete(output);
        }
    }

    public static TheoryData<string[], string> BadNumbers() => new()
    {
        { ["encap", "--protocol", "vxlan", "--vni", "0x1000000"], "--vni 0x1000000: a VNI is 0..16777215 (decimal or 0x-hex)" },
        { ["encap", "--protocol", "vxlan", "--vni", "0x"], "--vni 0x: a VNI is 0..16777215 (decimal or 0x-hex)" },
        { ["encap", "--protocol", "vxlan", "--vni", "1e3"], "--vni 1e3: a VNI is 0..16777215 (decimal or 0x-hex)" },
        { ["encap", "--protocol", "gre", "--key", "0x1_0000"], "--key 0x1_0000: a GRE key is 0..4294967295 (decimal or 0x-hex)" },
        { ["encap", "--protocol", "gre", "--key", "4294967296"], "--key 4294967296: a GRE key is 0..4294967295 (decimal or 0x-hex)" },
        { ["encap", "--protocol", "nvgre", "--vsid", "0xFFF"], "--vsid 0xFFF: an NVGRE VSID is 0x1000..0xFFFFFE (4096..16777214) (decimal or 0x-hex)" },
        { ["encap", "--protocol", "nvgre", "--vsid", "0xFFFFFF"], "--vsid 0xFFFFFF: an NVGRE VSID is 0x1000..0xFFFFFE" },
        { ["encap", "--protocol", "gre", "--underlay", "ipv6", "--flow-label", "0x100000"], "--flow-label 0x100000: a flow label is 0..1048575 (decimal or 0x-hex) or hash, zero or inherit" },
        { ["encap", "--protocol", "gre", "--dscp", "0x40"], "--dscp 0x40: a DSCP is 0..63 (decimal or 0x-hex) or inherit or inherit-ipv6" },
        { ["encap", "--protocol", "gre", "--ttl", "0"], "--ttl 0: a TTL is 1..255 (decimal or 0x-hex)" },
        { ["encap", "--protocol", "geneve", "--option", "0x10000:1:00112233"], "--option 0x10000:1:00112233: a GENEVE option is CLASS:TYPE[:HEX]: class 0..0xFFFF, type 0..0xFF (decimal or 0x-hex" },
        { ["encap", "--protocol", "geneve", "--option", "0x0108:0x100:00112233"], "--option 0x0108:0x100:00112233: a GENEVE option is CLASS:TYPE[:HEX]" },
        { ["encap", "--protocol", "vxlan", "--sport-range", "0-100"], "--sport-range 0-100: a port range is A-B with 1 <= A <= B <= 65535 (decimal or 0x-hex)" },
        { ["encap", "--protocol", "vxlan", "--sport-range", "0xC000-0x10000"], "--sport-range 0xC000-0x10000: a port range is A-B" },
        { ["encap", "--protocol", "vxlan", "--dport", "0"], "--dport 0: a UDP port is 1..65535 (decimal or 0x-hex)" },
        { ["encap", "--protocol", "geneve", "--dport", "0x10000"], "--dport 0x10000: a UDP port is 1..65535 (decimal or 0x-hex)" },
        { ["analyze", "--mtu", "0x43"], "--mtu 0x43: an MTU is 68..65535 (decimal or 0x-hex)" },
        { ["analyze", "--passes", "-1"], "--passes -1: a pass count is 1..1000 (decimal or 0x-hex)" },
        { ["analyze", "--arena-mib", "0x401"], "--arena-mib 0x401: an arena size is 1..1024 (decimal or 0x-hex)" },
        { ["chain", "--services", "0x0..0xF"], "--services 0x0..0xF: chain lengths are 0..14" },
    };

    [Theory]
    [MemberData(nameof(BadNumbers))]
    public void A_bad_number_is_one_line_naming_the_option_value_and_forms(string[] args, string message)
    {
        string output = Paths.TempFile();
        string[] io = args[0] == "encap" ? ["--in", Capture, "--out", output] : ["--in", Capture];
        OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), [.. args, .. io]);
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"overlay: error: {message}", line);
        Assert.Empty(result.Stdout);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("analyze", "--mtu", "0x5DC", "interfaceMtu", "1500")]
    [InlineData("analyze", "--arena-mib", "0x10", "arenaMiB", "16")]
    public void Analyze_takes_hex_numbers(string verb, string option, string value, string setting, string expected)
    {
        string json = Paths.TempFile(".json");
        try
        {
            OverlayProcess.Result result = OverlayProcess.Run(Path.GetTempPath(), verb, "--in", Capture, option, value,
                "--variants", "vxlan-ipv4", "--no-throughput", "--json", json, "-q");
            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.Equal(expected, Overlay.Results.ResultDocument.FromJson(File.ReadAllText(json)).Settings[setting]);
        }
        finally
        {
            File.Delete(json);
        }
    }
}
