namespace Overlay.Cli;

/// <summary>The tool's exit codes, the same for every verb.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The run could not complete: a corrupt or unreadable capture or result file, an I/O error, nothing to do in the input (decap of a capture with no tunnel), a regression (compare), packets lost (chain).</summary>
    public const int Failed = 1;
    /// <summary>The command line is wrong: an unknown command or option, a bad value, an option that does not apply, an input that does not exist, an output that is an input.</summary>
    public const int Usage = 2;
    /// <summary>Interrupted (Ctrl-C / SIGTERM): no output file was left half-written.</summary>
    public const int Interrupted = 130;

    /// <summary>The exit codes as --help prints them.</summary>
    public const string Summary =
        "Exit codes: 0 done; 1 the run failed (unreadable input, I/O error, nothing usable in the input, a regression or loss found); "
        + "2 the command line is wrong (nothing was read or written); 130 interrupted (no partial output left).";
}
