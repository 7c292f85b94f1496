using System.CommandLine;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;
using Overlay.Replay.Capture;

namespace Overlay.Cli;

/// <summary>`overlay decap`: strips any tunnel this suite knows and writes the inner frames.</summary>
public static class DecapCommand
{
    public static Command Create()
    {
        var input = PathOptions.InputFile("--in", "Capture of tunnel packets (GRE, NVGRE, VXLAN, GENEVE, SRv6; auto-detected)");
        var output = PathOptions.OutputFile("--out", "Pcap of the inner frames (Ethernet; an inner IP packet gets a placeholder Ethernet header); never one of the inputs; its folder is created if missing");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar" };
        var command = new Command("decap", "Decapsulate every frame of a capture (protocol auto-detected) and report, per reason, the frames that could not be. "
            + "A capture with no tunnel packet at all fails (exit 1) and writes nothing.")
        {
            input, output, quiet,
        };
        command.AddCheck(result => PathOptions.RequireDistinct(result, [input], [output]));
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(cancellation, token =>
            CaptureTransform.Run("decap", parse.GetValue(input)!, parse.GetValue(output)!, ConsoleUi.ShowProgress(parse.GetValue(quiet)),
                CaptureReader.MaxFrameLength + Ethernet.HeaderLength, Decapsulate, "decapsulated",
                "is a tunnel packet this tool knows (GRE, NVGRE, VXLAN, GENEVE, SRv6)", token))));
        return command.WithExamples(
            "overlay encap --protocol nvgre --in captures/http.pcap --out out/http-nvgre.pcap",
            "overlay decap --in out/http-nvgre.pcap --out out/http-inner.pcap");
    }

    private static CaptureTransform.Outcome Decapsulate(CapturedFrame frame, Span<byte> buffer)
    {
        DecapResult result = Decapsulator.TryDecapsulate(frame.Data, out TunnelPacket packet);
        if (!result.IsSuccess)
        {
            string reason = DecapWords.Reason(result.Error);
            return CaptureTransform.Outcome.Skipped(frame.IsTruncated ? $"{reason} (frame cut short by the snap length)" : reason);
        }
        ReadOnlySpan<byte> inner = packet.InnerOf(frame.Data);
        string kind = DecapWords.Kind(packet);
        if (packet.Inner == InnerKind.Ethernet)
        {
            inner.CopyTo(buffer);
            return CaptureTransform.Outcome.Write(inner.Length, kind);
        }
        Ethernet.Write(buffer, LinkNormalizer.PlaceholderDestinationMac, LinkNormalizer.PlaceholderSourceMac,
            packet.Inner == InnerKind.Ipv4 ? Ethernet.EtherTypeIPv4 : Ethernet.EtherTypeIPv6);
        inner.CopyTo(buffer.Slice(Ethernet.HeaderLength));
        return CaptureTransform.Outcome.Write(Ethernet.HeaderLength + inner.Length, kind);
    }
}
