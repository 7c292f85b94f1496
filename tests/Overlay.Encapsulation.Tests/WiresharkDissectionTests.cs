using System.Buffers;
using Overlay.Encapsulation.Tests.Support;

namespace Overlay.Encapsulation.Tests;

/// <summary>
/// Wireshark is the independent decoder: the output of every variant, over a mix of inner frames, must dissect
/// into the expected protocol chain with every checksum validated good and no expert warning or error.
/// </summary>
public class WiresharkDissectionTests
{
    public static TheoryData<string> Variants() => new(VariantCatalog.All.Select(v => v.Name));

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_variant_dissects_cleanly_with_checksums_validated(string name)
    {
        Assert.True(Tshark.Available, "tshark is required (.ci/run installs it)");
        IEncapsulator encapsulator = VariantCatalog.Find(name)!.Create();
        var frames = new List<byte[]>();
        var inners = new List<byte[]>();
        foreach ((_, byte[] inner) in TestFrames.Samples())
        {
            var buffer = new byte[inner.Length + 512];
            if (encapsulator.Encapsulate(inner, buffer, out int written) == OperationStatus.Done)
            {
                frames.Add(buffer[..written]);
                inners.Add(inner);
            }
        }
        Assert.NotEmpty(frames);

        List<Tshark.Dissection> rows = Tshark.Dissect(frames, "ip.checksum.status", "udp.checksum.status", "gre.checksum.status", "tcp.checksum.status");
        Assert.Equal(frames.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Tshark.Dissection row = rows[i];
            Assert.True(row.Expert.Length == 0 || !row.Expert.Split(',').Any(s => s is "6291456" or "8388608" or "7340032"),
                $"{name} frame {i + 1}: expert {row.Expert} in {row.Protocols}");
            Assert.DoesNotContain("malformed", row.Protocols);
            // Wireshark's checksum status: 0 bad, 1 good, 2 unverified, 3 not present.
            Assert.DoesNotContain("0", row.Fields.Split('|', ','));
            System.Console.WriteLine($"{name} {i + 1}: {row.Protocols} {row.Fields}");
            Assert.StartsWith(ExpectedOuterChain(encapsulator), row.Protocols);
        }
        string expert = Tshark.ExpertInfo(frames);
        Assert.DoesNotContain("Error", expert);
        Assert.DoesNotContain("Warning", expert);
    }

    private static string ExpectedOuterChain(IEncapsulator e) => e.Name switch
    {
        var n when n.StartsWith("vxlan-ipv4") => "eth:ethertype:ip:udp:vxlan:eth:ethertype",
        var n when n.StartsWith("vxlan-ipv6") => "eth:ethertype:ipv6:udp:vxlan:eth:ethertype",
        var n when n.StartsWith("geneve-l3-ipv4") => "eth:ethertype:ip:udp:geneve:",
        var n when n.StartsWith("geneve-l3-ipv6") => "eth:ethertype:ipv6:udp:geneve:",
        var n when n.StartsWith("geneve-ipv4") => "eth:ethertype:ip:udp:geneve:eth:ethertype",
        var n when n.StartsWith("geneve-ipv6") => "eth:ethertype:ipv6:udp:geneve:eth:ethertype",
        var n when n.StartsWith("gre-teb-ipv4") || n.StartsWith("nvgre-ipv4") => "eth:ethertype:ip:gre:eth:ethertype",
        var n when n.StartsWith("gre-teb-ipv6") || n.StartsWith("nvgre-ipv6") => "eth:ethertype:ipv6:gre:eth:ethertype",
        var n when n.StartsWith("gre-l3-ipv4") => "eth:ethertype:ip:gre:ip",
        var n when n.StartsWith("gre-l3-ipv6") => "eth:ethertype:ipv6:gre:ip",
        var n when n.StartsWith("srv6") => "eth:ethertype:ipv6:",
        // IP in IP: the outer header, then the inner packet directly (Wireshark names IPv4 "ip").
        "ipip-ipv4" => "eth:ethertype:ip:ip:",
        "ip6in4" => "eth:ethertype:ip:ipv6:",
        "ip4in6" => "eth:ethertype:ipv6:ip:",
        "ip6ip6" => "eth:ethertype:ipv6:ipv6:",
        _ => throw new InvalidOperationException(e.Name),
    };
}
