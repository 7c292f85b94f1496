using System.Buffers;
using System.CommandLine;
using Overlay.Encapsulation;
using Overlay.Replay.Capture;

namespace Overlay.Cli;

/// <summary>`overlay encap`: encapsulates every frame of a capture and writes the result as an Ethernet pcap.</summary>
public static class EncapCommand
{
    public static Command Create()
    {
        var settings = new EncapsulatorOptions();
        var input = PathOptions.InputFile("--in", "Capture to read (pcap or pcapng; Ethernet, SLL, SLL2, raw IP, loopback)");
        var output = PathOptions.OutputFile("--out", "Encapsulated pcap to write (Ethernet); never one of the inputs; its folder is created if missing");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar" };
        var command = new Command("encap", "Encapsulate every frame of a capture with one variant and write the tunnel packets to a pcap. "
            + "Options that do not apply to the chosen protocol are refused.");
        foreach (Option option in settings.All)
        {
            command.Add(option);
        }
        command.Add(input);
        command.Add(output);
        command.Add(quiet);
        command.AddCheck(result =>
        {
            settings.Validate(result);
            PathOptions.RequireDistinct(result, [input], [output]);
        });
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(cancellation, token =>
        {
            IEncapsulator encapsulator = settings.Build(parse);
            string name = parse.GetValue(settings.Profile)?.Name ?? encapsulator.Name;
            return CaptureTransform.Run($"encap {name}", parse.GetValue(input)!, parse.GetValue(output)!,
                ConsoleUi.ShowProgress(parse.GetValue(quiet)), CaptureReader.MaxFrameLength + encapsulator.HeaderLength,
                (frame, buffer) =>
                {
                    if (frame.IsTruncated)
                    {
                        return CaptureTransform.Outcome.Skipped("cut short by the snap length (its bytes cannot be made whole)");
                    }
                    OperationStatus status = encapsulator.Encapsulate(frame.Data, buffer, out int length);
                    return status == OperationStatus.Done
                        ? CaptureTransform.Outcome.Write(length)
                        : CaptureTransform.Outcome.Skipped(encapsulator.Mode == PayloadMode.L3 ? "not an IP packet (L3 mode carries IP only)" : $"cannot be carried ({DecapWords.Words(status.ToString())})");
                },
                $"encapsulated with {name}", $"could be encapsulated with {name}", token);
        })));
        return command.WithExamples(
            "overlay encap --protocol vxlan --vni 0x1234 --in captures/http.pcap --out out/http-vxlan.pcap",
            "overlay encap --protocol gre --key 0x2a --checksum --underlay ipv6 --in captures/mixed.pcap --out out/mixed-gre.pcap",
            "overlay encap --protocol geneve --option 0x0108:1:0011223344556677 --in captures/dns-udp.pcap --out out/dns-geneve.pcap",
            "overlay encap --protocol srv6 --sids fc00:0:1::,fc00:0:2:: --csid --in captures/ipv6.pcap --out out/ipv6-csid.pcap",
            "overlay encap --profile aws-gwlb --in captures/http.pcap --out out/http-aws-gwlb.pcap");
    }
}
