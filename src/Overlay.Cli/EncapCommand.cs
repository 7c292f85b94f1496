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
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            var skipped = new SortedDictionary<string, long>();
            long written = 0;
            CaptureException? error = null;
            using var reader = new CaptureReader(inPath);
            using var writer = new CaptureWriter(outPath);
            var buffer = new byte[CaptureReader.MaxFrameLength + encapsulator.HeaderLength];
            ConsoleUi.WithProgress(ConsoleUi.ShowProgress(parse.GetValue(quiet)), $"encap {encapsulator.Name}", report =>
            {
                try
                {
                    while (true)
                    {
                        token.ThrowIfCancellationRequested();
                        ReadStatus status = reader.Read(out CapturedFrame frame);
                        if (status == ReadStatus.End)
                        {
                            break;
                        }
                        if (status == ReadStatus.Skipped)
                        {
                            Count(skipped, reader.SkipReason ?? "unreadable frame");
                            continue;
                        }
                        if (frame.IsTruncated)
                        {
                            Count(skipped, "cut short by the snap length (its bytes cannot be made whole)");
                            continue;
                        }
                        OperationStatus result = encapsulator.Encapsulate(frame.Data, buffer, out int length);
                        if (result != OperationStatus.Done)
                        {
                            Count(skipped, encapsulator.Mode == PayloadMode.L3 ? "not an IP packet (L3 mode carries IP only)" : $"cannot be carried ({result})");
                            continue;
                        }
                        writer.Write(buffer.AsSpan(0, length), frame.Timestamp, length);
                        written++;
                        if ((reader.FramesRead & 0x3FF) == 0)
                        {
                            report($"{reader.FramesRead} frames", (double)reader.Position / reader.FileLength);
                        }
                    }
                }
                catch (CaptureException e)
                {
                    error = e;
                }
                return 0;
            });
            writer.Complete();
            ConsoleUi.Info($"{inPath}: {reader.FramesRead} frames read, {written} encapsulated with {encapsulator.Name} into {outPath}");
            foreach ((string reason, long count) in skipped)
            {
                ConsoleUi.Info($"  skipped {count}: {reason}");
            }
            if (error is not null)
            {
                ConsoleUi.Fail($"{error.Message} (the {written} frames before it were written)");
                return ExitCodes.Failed;
            }
            return ExitCodes.Ok;
        })));
        return command;
    }

    internal static void Count(IDictionary<string, long> counts, string reason) => counts[reason] = counts.TryGetValue(reason, out long n) ? n + 1 : 1;
}
