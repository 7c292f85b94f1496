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
        var input = new Option<string>("--in") { Description = "Capture to read (pcap or pcapng; Ethernet, SLL, SLL2, raw IP, loopback)", Required = true };
        var output = new Option<string>("--out") { Description = "Encapsulated pcap to write (Ethernet)", Required = true };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar" };
        var command = new Command("encap", "Encapsulate every frame of a capture with one variant and write the tunnel packets to a pcap.");
        foreach (Option option in settings.All)
        {
            command.Add(option);
        }
        command.Add(input);
        command.Add(output);
        command.Add(quiet);
        command.SetAction((parse, cancellation) => Task.FromResult(CommandRunner.Run(cancellation, token =>
        {
            IEncapsulator encapsulator = settings.Build(parse);
            return CaptureTransform.Run($"encap {encapsulator.Name}", parse.GetValue(input)!, parse.GetValue(output)!,
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
                        : CaptureTransform.Outcome.Skipped(encapsulator.Mode == PayloadMode.L3 ? "not an IP packet (L3 mode carries IP only)" : $"cannot be carried ({status})");
                },
                $"encapsulated with {encapsulator.Name}", token);
        })));
        return command;
    }
}
