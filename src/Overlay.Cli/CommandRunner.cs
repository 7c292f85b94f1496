using Overlay.Replay.Capture;

namespace Overlay.Cli;

/// <summary>
/// Runs a verb's body with the tool's error policy: configuration errors exit 2, unreadable captures and I/O
/// errors exit 1 with the file, frame, offset and reason, Ctrl-C exits 130 after removing partial outputs.
/// </summary>
public static class CommandRunner
{
    public static int Run(CancellationToken cancellation, Func<CancellationToken, int> body)
    {
        try
        {
            return body(cancellation);
        }
        catch (OperationCanceledException)
        {
            RemovePartialOutputs();
            ConsoleUi.Fail("interrupted; no output file was left half-written");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            ConsoleUi.Fail(e.Message);
            return ExitCodes.Usage;
        }
        catch (CaptureException e)
        {
            ConsoleUi.Fail(e.Message);
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SharpPcap.PcapException or DllNotFoundException)
        {
            RemovePartialOutputs();
            ConsoleUi.Fail(e is DllNotFoundException ? $"libpcap is not installed ({e.Message}); install it, e.g. apt-get install libpcap0.8" : e.Message);
            return ExitCodes.Failed;
        }
    }

    private static void RemovePartialOutputs()
    {
        foreach (string path in CaptureWriter.Active.Snapshot())
        {
            File.Delete(path);
        }
    }
}
