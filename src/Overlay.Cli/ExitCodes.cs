namespace Overlay.Cli;

/// <summary>The tool's exit codes, the same for every verb.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The run could not complete: a corrupt or unreadable capture, an I/O error.</summary>
    public const int Failed = 1;
    /// <summary>The command line or the configuration is wrong.</summary>
    public const int Usage = 2;
    /// <summary>Interrupted (Ctrl-C / SIGTERM): no output file was left half-written.</summary>
    public const int Interrupted = 130;
}
