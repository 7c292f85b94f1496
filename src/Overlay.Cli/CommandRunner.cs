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
        // The body runs synchronously, so SIGINT/SIGTERM are caught here: they cancel the run instead of killing the
        // process, and the cancellation path below removes partial outputs and exits 130.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        void OnSignal(System.Runtime.InteropServices.PosixSignalContext context)
        {
            context.Cancel = true;
            interrupt.Cancel();
        }
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, OnSignal);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, OnSignal);
        try
        {
            return body(interrupt.Token);
        }
        catch (OperationCanceledException)
        {
            RemovePartialOutputs();
            ConsoleUi.Fail("interrupted; no output file was left half-written");
            return ExitCodes.Interrupted;
        }
        catch (ArgumentException e)
        {
            ConsoleUi.Fail(UserMessage(e));
            return ExitCodes.Usage;
        }
        catch (FormatException e)
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

    /// <summary>
    /// An argument error's message for the user: its first line, without the runtime's " (Parameter 'name')" and
    /// "Actual value was …" additions, which name the code's parameters, not the user's options.
    /// </summary>
    public static string UserMessage(ArgumentException e)
    {
        string message = e.Message.Split('\n')[0].TrimEnd();
        if (e.ParamName is not null)
        {
            message = message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
        }
        return message;
    }

    private static void RemovePartialOutputs()
    {
        foreach (string path in CaptureWriter.Active.Snapshot())
        {
            File.Delete(path);
        }
    }
}
