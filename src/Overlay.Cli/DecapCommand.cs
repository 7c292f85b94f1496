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
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            var failures = new SortedDictionary<string, long>();
            var protocols = new SortedDictionary<string, long>();
            long written = 0;
            CaptureException? error = null;
            using var reader = new CaptureReader(inPath);
            using var writer = new CaptureWriter(outPath);
            var buffer = new byte[CaptureReader.MaxFrameLength + Ethernet.HeaderLength];
            ConsoleUi.WithProgress(ConsoleUi.ShowProgress(parse.GetValue(quiet)), "decap", report =>
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
                            EncapCommand.Count(failures, reader.SkipReason ?? "unreadable frame");
                            continue;
                        }
                        DecapResult result = Decapsulator.TryDecapsulate(frame.Data, out TunnelPacket packet);
                        if (!result.IsSuccess)
                        {
                            EncapCommand.Count(failures, frame.IsTruncated ? $"{result.Error} (frame cut short by the snap length)" : result.Error.ToString());
                            continue;
                        }
                        EncapCommand.Count(protocols, packet.Protocol.ToString());
                        ReadOnlySpan<byte> inner = packet.InnerOf(frame.Data);
                        int length;
                        if (packet.Inner == InnerKind.Ethernet)
                        {
                            inner.CopyTo(buffer);
                            length = inner.Length;
                        }
                        else
                        {
                            Ethernet.Write(buffer, LinkNormalizer.PlaceholderDestinationMac, LinkNormalizer.PlaceholderSourceMac,
                                packet.Inner == InnerKind.Ipv4 ? Ethernet.EtherTypeIPv4 : Ethernet.EtherTypeIPv6);
                            inner.CopyTo(buffer.AsSpan(Ethernet.HeaderLength));
                            length = Ethernet.HeaderLength + inner.Length;
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
            ConsoleUi.Info($"{inPath}: {reader.FramesRead} frames read, {written} decapsulated into {outPath}");
            foreach ((string protocol, long count) in protocols)
            {
                ConsoleUi.Info($"  {protocol}: {count}");
            }
            foreach ((string reason, long count) in failures)
            {
                ConsoleUi.Info($"  not decapsulated, {reason}: {count}");
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
}
