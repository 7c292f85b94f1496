using Overlay.Replay.Capture;

namespace Overlay.Replay.Analysis;

/// <summary>Where the reading of a capture hands its frames: one shard's counts, or the workers of `--threads N`.</summary>
internal interface IFrameSink
{
    /// <summary>What the progress bar says while frames are read.</summary>
    string Stage { get; }

    /// <summary>One usable frame, in file order; its data is valid only during the call.</summary>
    void Add(in CapturedFrame frame);
}

/// <summary>
/// What reading a capture finds about the file as a whole, whichever shard its frames go to: every shard's summary
/// reports it, as every `--shard i/n` run reads the whole file.
/// </summary>
internal sealed class CaptureFile
{
    private double _fraction;

    public string LinkType { get; set; } = "unknown";
    public long FramesInFile { get; set; }
    public long Skipped { get; private set; }
    public Dictionary<string, long> SkipReasons { get; } = [];
    /// <summary>The bad record that stopped the read; the frames before it were handed on.</summary>
    public CaptureException? Error { get; set; }

    /// <summary>How far the read has come, 0..1, for progress; read by the workers while the reader writes it.</summary>
    public double Fraction
    {
        get => Volatile.Read(ref _fraction);
        set => Volatile.Write(ref _fraction, value);
    }

    public void Skip(string reason)
    {
        Skipped++;
        SkipReasons[reason] = SkipReasons.GetValueOrDefault(reason) + 1;
    }
}
