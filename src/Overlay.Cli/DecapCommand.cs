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
        var input = new Option<string>("--in") { Description = "Capture of tunnel packets (GRE, NVGRE, VXLAN, GENEVE, SRv6; auto-detected)", Required = true };
        var output = new Option<string>("--out") { Description = "Pcap of the inner frames (Ethernet; an inner IP packet gets a placeholder Ethernet header)", Required = true };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar" };
        var command = new Command("decap", "Decapsulate every frame of a capture (protocol auto-detected) and report, per reason, the frames that could not be.")
        {
            input, output, quiet,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(cancellation, token =>
            CaptureTransform.Run("decap", parse.GetValue(input)!, parse.GetValue(output)!, ConsoleUi.ShowProgress(parse.GetValue(quiet)),
                CaptureReader.MaxFrameLength + Ethernet.HeaderLength, Decapsulate, "decapsulated", token))));
        return command;
    }

    private static CaptureTransform.Outcome Decapsulate(CapturedFrame frame, Span<byte> buffer)
    {
        DecapResult result = Decapsulator.TryDecapsulate(frame.Data, out TunnelPacket packet);
        if (!result.IsSuccess)
        {
            return CaptureTransform.Outcome.Skipped(frame.IsTruncated ? $"{result.Error} (frame cut short by the snap length)" : result.Error.ToString());
        }
        ReadOnlySpan<byte> inner = packet.InnerOf(frame.Data);
        if (packet.Inner == InnerKind.Ethernet)
        {
            inner.CopyTo(buffer);
            return CaptureTransform.Outcome.Write(inner.Length, packet.Protocol.ToString());
        }
        Ethernet.Write(buffer, LinkNormalizer.PlaceholderDestinationMac, LinkNormalizer.PlaceholderSourceMac,
            packet.Inner == InnerKind.Ipv4 ? Ethernet.EtherTypeIPv4 : Ethernet.EtherTypeIPv6);
        inner.CopyTo(buffer.Slice(Ethernet.HeaderLength));
        return CaptureTransform.Outcome.Write(Ethernet.HeaderLength + inner.Length, packet.Protocol.ToString());
    }
}
