using Overlay.Replay.Capture;

namespace Overlay.Cli;

/// <summary>
/// The loop `encap` and `decap` share: read every frame of a capture, turn it into an output frame or a counted skip,
/// write the output under a temporary name, rename it when complete, and report. A corrupt record ends the read; the
/// frames before it are written and the run fails with the file, frame, offset and reason. A capture none of whose
/// frames could be transformed fails too, and writes nothing: an empty output would look like a result.
/// </summary>
public static class CaptureTransform
{
    /// <summary>What to do with one frame: write <see cref="Length"/> bytes of the output buffer, or skip it for <see cref="Skip"/>.</summary>
    public readonly record struct Outcome(int Length, string? Skip, string? Kind = null)
    {
        public static Outcome Write(int length, string? kind = null) => new(length, null, kind);
        public static Outcome Skipped(string reason) => new(0, reason);
    }

    public delegate Outcome Transform(CapturedFrame frame, Span<byte> output);

    /// <param name="noneWritten">Why nothing was written, after "FILE: none of its N frames ", e.g. "is a tunnel packet".</param>
    public static int Run(string title, string inPath, string outPath, bool showProgress, int outputCapacity, Transform transform, string verb,
        string noneWritten, CancellationToken token)
    {
        var skipped = new SortedDictionary<string, long>();
        var kinds = new SortedDictionary<string, long>();
        long written = 0;
        CaptureException? error = null;
        using var reader = new CaptureReader(inPath);
        // A missing output folder is created, as every verb that writes does.
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
        using var writer = new CaptureWriter(outPath);
        var buffer = new byte[outputCapacity];
        ConsoleUi.WithProgress(showProgress, title, report =>
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
                    Outcome outcome = status == ReadStatus.Skipped
                        ? Outcome.Skipped(reader.SkipReason ?? "unreadable frame")
                        : transform(frame, buffer);
                    if (outcome.Skip is not null)
                    {
                        Count(skipped, outcome.Skip);
                        continue;
                    }
                    if (outcome.Kind is not null)
                    {
                        Count(kinds, outcome.Kind);
                    }
                    writer.Write(buffer.AsSpan(0, outcome.Length), frame.Timestamp, outcome.Length);
                    written++;
                    if ((reader.FramesRead & 0x3FF) == 0)
                    {
                        report($"{reader.FramesRead} frames", reader.Fraction);
                    }
                }
            }
            catch (CaptureException e)
            {
                error = e;
            }
            return 0;
        });
        bool none = written == 0 && reader.FramesRead > 0 && error is null;
        if (!none)
        {
            writer.Complete();
        }
        ConsoleUi.Info($"{inPath}: {reader.FramesRead} frames read, {written} {verb}{(none ? "" : $" into {outPath}")}");
        foreach ((string kind, long count) in kinds)
        {
            ConsoleUi.Info($"  {kind}: {count}");
        }
        foreach ((string reason, long count) in skipped)
        {
            ConsoleUi.Info($"  skipped, {reason}: {count}");
        }
        if (error is not null)
        {
            ConsoleUi.Fail($"{error.Message} (the {written} frames before it were written)");
            return ExitCodes.Failed;
        }
        if (none)
        {
            ConsoleUi.Fail($"{inPath}: none of its {reader.FramesRead} frames {noneWritten}; {outPath} was not written");
            return ExitCodes.Failed;
        }
        return ExitCodes.Ok;
    }

    private static void Count(IDictionary<string, long> counts, string key) => counts[key] = counts.TryGetValue(key, out long n) ? n + 1 : 1;
}
