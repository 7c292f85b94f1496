using System.Buffers;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Capture;

namespace Overlay.Replay.Tests.Analysis;

/// <summary>
/// Every variant's output over every public capture and every project capture, dissected by Wireshark with checksum
/// validation on: the outer headers must be clean, and no frame may gain an error its inner frame did not already
/// have (real captures hold frames Wireshark flags on their own, and host captures hold bad TCP checksums from offload).
/// </summary>
public class WiresharkReplayTests
{
    private const string ErrorSeverity = "8388608";

    public static TheoryData<string> Captures() => new(Paths.AllCaptures().Select(p => Path.GetRelativePath(Paths.Repository, p)));

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_variant_over_the_capture_dissects_with_no_new_error_and_good_outer_checksums(string capture)
    {
        Assert.True(Tshark.Available, "tshark is required (.ci/run installs it)");
        List<byte[]> inner = ReadWholeFrames(Path.Combine(Paths.Repository, capture));
        Assert.NotEmpty(inner);
        List<Tshark.Dissection> baseline = Tshark.Dissect(inner);

        var outputs = new List<byte[]>();
        var origin = new List<(VariantSpec Variant, int Frame)>();
        foreach (VariantSpec spec in VariantCatalog.All)
        {
            IEncapsulator encapsulator = spec.Create();
            var buffer = new byte[CaptureReader.MaxFrameLength + 512];
            for (int i = 0; i < inner.Count; i++)
            {
                if (encapsulator.Encapsulate(inner[i], buffer, out int written) == OperationStatus.Done)
                {
                    outputs.Add(buffer[..written]);
                    origin.Add((spec, i));
                }
            }
        }

        List<Tshark.Dissection> rows = Tshark.Dissect(outputs, "ip.checksum.status", "udp.checksum.status", "gre.checksum.status");
        Assert.Equal(outputs.Count, rows.Count);
        var problems = new List<string>();
        for (int i = 0; i < rows.Count; i++)
        {
            (VariantSpec variant, int frame) = origin[i];
            Tshark.Dissection row = rows[i], before = baseline[frame];
            bool error = row.Expert.Split(',').Contains(ErrorSeverity) || row.Protocols.Contains("_ws.malformed");
            bool errorBefore = before.Expert.Split(',').Contains(ErrorSeverity) || before.Protocols.Contains("_ws.malformed");
            if (error && !errorBefore)
            {
                problems.Add($"{variant.Name} frame {frame + 1}: new error ({row.Protocols}, expert {row.Expert})");
            }
            // Checksum statuses (1 good, 0 bad, 3 not present) in field order ip|udp|gre; an outer header's is the
            // first occurrence of its field, so only those are ours to judge (an inner one may be bad in the capture).
            string[] statuses = row.Fields.Split('|');
            bool ipv4Underlay = !variant.Create().Underlay.IsIpv6;
            bool udpTunnel = variant.Name.StartsWith("vxlan") || variant.Name.StartsWith("geneve");
            bool greChecksum = variant.Name.StartsWith("gre") && variant.Name.Contains("csum");
            if (ipv4Underlay && statuses[0].Split(',')[0] != "1")
            {
                problems.Add($"{variant.Name} frame {frame + 1}: outer IPv4 checksum not good ({row.Fields})");
            }
            if (udpTunnel && statuses[1].Split(',')[0] is not ("1" or "3"))
            {
                problems.Add($"{variant.Name} frame {frame + 1}: outer UDP checksum not good or absent ({row.Fields})");
            }
            if (greChecksum && statuses[2].Split(',')[0] != "1")
            {
                problems.Add($"{variant.Name} frame {frame + 1}: GRE checksum not good ({row.Fields})");
            }
            if (!row.Protocols.StartsWith(ipv4Underlay ? "eth:ethertype:ip:" : "eth:ethertype:ipv6:", StringComparison.Ordinal))
            {
                problems.Add($"{variant.Name} frame {frame + 1}: outer chain {row.Protocols}");
            }
        }
        Assert.True(problems.Count == 0, $"{problems.Count} problems in {capture}:\n{string.Join("\n", problems.Take(20))}");
    }

    /// <summary>The capture's frames normalised to Ethernet, leaving out those cut by the snap length.</summary>
    internal static List<byte[]> ReadWholeFrames(string path) => CaptureReader.ReadWholeFrames(path);
}
