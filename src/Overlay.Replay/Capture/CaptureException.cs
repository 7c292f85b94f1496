namespace Overlay.Replay.Capture;

/// <summary>
/// A capture that cannot be read on: names the file, the frame (1-based; 0 for the file header), the byte offset in
/// the file where the bad record starts (-1 when the format does not say), and the reason.
/// </summary>
public sealed class CaptureException(string file, long frame, long offset, string reason)
    : Exception($"{file}: {(frame == 0 ? "file header" : $"frame {frame}")}, offset {(offset >= 0 ? offset.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown")}: {reason}")
{
    public string File { get; } = file;
    public long Frame { get; } = frame;
    public long Offset { get; } = offset;
    public string Reason { get; } = reason;
}
