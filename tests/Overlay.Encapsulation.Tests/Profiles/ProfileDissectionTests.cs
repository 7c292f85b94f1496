using System.Buffers;
using Overlay.Encapsulation.Profiles;
using Overlay.Encapsulation.Tests.Support;

namespace Overlay.Encapsulation.Tests.Profiles;

/// <summary>
/// Wireshark dissects every profile's output over a mix of inner frames with checksum validation on: the expected
/// protocol chain, every checksum good, no expert warning or error. Ports Wireshark does not map to VXLAN by default
/// (8472, 10800, 10801) are decoded as VXLAN explicitly, as an operator would.
/// </summary>
public class ProfileDissectionTests
{
    public static TheoryData<string> Legs() => new(DeployedProfiles.All.SelectMany(p => p.Legs).Select(l => l.Name).Distinct());

    [Theory]
    [MemberData(nameof(Legs))]
    public void Every_profile_dissects_cleanly_with_checksums_validated(string leg)
    {
        if (!Tshark.Available)
        {
            return; // tshark absent here: .ci/run installs it, where this test runs in full.
        }
        IEncapsulator encapsulator = DeployedProfileTests.Leg(leg).Create();
        var frames = new List<byte[]>();
        foreach ((_, byte[] inner) in TestFrames.Samples())
        {
            var buffer = new byte[inner.Length + 512];
            if (encapsulator.Encapsulate(inner, buffer, out int written) == OperationStatus.Done)
            {
                frames.Add(buffer[..written]);
            }
        }
        Assert.NotEmpty(frames);
        string[] decodeAs = [$"udp.port=={DeployedPorts.LinuxVxlan},vxlan", $"udp.port=={DeployedPorts.AzureGwlbInternal},vxlan", $"udp.port=={DeployedPorts.AzureGwlbExternal},vxlan"];
        List<Tshark.Dissection> rows = Tshark.Dissect(frames, decodeAs, "ip.checksum.status", "udp.checksum.status", "tcp.checksum.status");
        Assert.Equal(frames.Count, rows.Count);
        string chain = ExpectedChain(encapsulator);
        for (int i = 0; i < rows.Count; i++)
        {
            Tshark.Dissection row = rows[i];
            Assert.True(row.Expert.Length == 0 || !row.Expert.Split(',').Any(s => s is "6291456" or "8388608" or "7340032"),
                $"{leg} frame {i + 1}: expert {row.Expert} in {row.Protocols}");
            Assert.DoesNotContain("malformed", row.Protocols);
            Assert.DoesNotContain("0", row.Fields.Split('|', ','));
            Assert.StartsWith(chain, row.Protocols);
        }
        string expert = Tshark.ExpertInfo(frames, decodeAs);
        Assert.DoesNotContain("Error", expert);
        Assert.DoesNotContain("Warning", expert);
    }

    private static string ExpectedChain(IEncapsulator e) => (e.Underlay.IsIpv6, e) switch
    {
        (true, Overlay.Encapsulation.Srv6.Srv6Encapsulator) => "eth:ethertype:ipv6:",
        (false, Overlay.Encapsulation.Vxlan.VxlanEncapsulator) => "eth:ethertype:ip:udp:vxlan:eth:ethertype:",
        (false, Overlay.Encapsulation.Geneve.GeneveEncapsulator { Mode: PayloadMode.L2 }) => "eth:ethertype:ip:udp:geneve:eth:ethertype:",
        (false, Overlay.Encapsulation.Geneve.GeneveEncapsulator) => "eth:ethertype:ip:udp:geneve:",
        _ => throw new InvalidOperationException(e.Name),
    };
}
