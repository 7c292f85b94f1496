using System.Diagnostics;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Headers;
using Overlay.Replay.Capture;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>
/// The outcome of analysing one capture: its summary, one result per variant, the error that stopped it, if any, and
/// the counts behind the figures (for a merge).
/// </summary>
public sealed record CaptureAnalysis(CaptureSummary Summary, List<VariantResult> Results, CaptureException? Error, CaptureState? State = null);

/// <summary>
/// Replays a capture through every selected encapsulator: loads it into a <see cref="FrameArena"/> (chunk by chunk
/// when it is larger than one), counts overhead, line-rate goodput, MTU and ECMP figures, times copy and in-place
/// encapsulation and decapsulation over repeated passes, and checks that every frame decapsulates back to itself.
/// </summary>
public sealed partial class CaptureAnalyzer(AnalyzeOptions options)
{
    internal static readonly int[] SizeBinBounds = [64, 128, 256, 512, 1024, 1518, 9018];

    public AnalyzeOptions Options { get; } = options;

    public CaptureAnalysis Analyze(string path, IProgress<AnalyzeProgress>? progress = null, CancellationToken cancellation = default)
    {
        var variants = new VariantSet(Options.Variants, Options);
        IReadOnlyList<VariantState> states = variants.States;
        int headroom = states.Count == 0 ? 0 : states.Max(s => s.Encapsulator.HeaderLength);
        // Frames are counted as they are read; only the timed passes replay them, so only they need an arena.
        FrameArena? arena = states.Any(s => s.IsTimed)
            ? new FrameArena(headroom, Math.Max(Options.ArenaBytes, headroom + 2 * CaptureReader.MaxFrameLength))
            : null;
        var sizes = new SizeStatistics();
        string name = Path.GetFileName(path);
        long framesInFile = 0, skipped = 0, truncated = 0, superFrames = 0, segmented = 0;
        var skipReasons = new Dictionary<string, long>();
        CaptureException? error = null;
        string linkType = "unknown";
        var scratch = new byte[CaptureReader.MaxFrameLength + 64];
        string stage = $"{states.Count} variants";

        void Flush(double fraction)
        {
            if (arena is null || arena.Count == 0)
            {
                return;
            }
            arena.Seal();
            for (int v = 0; v < states.Count; v++)
            {
                cancellation.ThrowIfCancellationRequested();
                progress?.Report(new AnalyzeProgress(name, $"timing {states[v].Spec.Name}", fraction));
                states[v].Time(arena, cancellation);
            }
            arena.Clear();
        }

        CaptureReader? open = null;

        void Add(ReadOnlySpan<byte> frame, int originalLength, long number)
        {
            variants.Count(frame, Math.Max(originalLength, frame.Length), number);
            if (arena is not null && !arena.TryAdd(frame, originalLength, number))
            {
                Flush(open?.Fraction ?? 1.0);
                arena.TryAdd(frame, originalLength, number);
            }
            sizes.Add(originalLength);
        }

        try
        {
            using var reader = new CaptureReader(path);
            open = reader;
            linkType = LinkNormalizer.Describe((int)reader.LinkType);
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                ReadStatus status = reader.Read(out CapturedFrame frame);
                if (status == ReadStatus.End)
                {
                    break;
                }
                framesInFile++;
                if (status == ReadStatus.Skipped)
                {
                    skipped++;
                    string reason = reader.SkipReason ?? "unknown";
                    skipReasons[reason] = skipReasons.GetValueOrDefault(reason) + 1;
                    continue;
                }
                if (!InShard(frame))
                {
                    continue;
                }
                if (progress is not null && (framesInFile & 4095) == 1)
                {
                    // The file position costs a system call: read it for progress every few thousand frames only.
                    progress.Report(new AnalyzeProgress(name, stage, reader.Fraction));
                }
                if (frame.IsTruncated)
                {
                    truncated++;
                }
                if (SuperFrameSegmenter.IsSuperFrame(frame.Data, frame.OriginalLength, Options.InterfaceMtu))
                {
                    superFrames++;
                    if (Options.SegmentSuperFrames && !frame.IsTruncated)
                    {
                        long number = frame.Number;
                        bool cut = SuperFrameSegmenter.TrySegment(frame.Data, Options.InterfaceMtu, scratch,
                            segment => Add(segment, segment.Length, number));
                        if (cut)
                        {
                            segmented++;
                            continue;
                        }
                    }
                }
                Add(frame.Data, frame.OriginalLength, frame.Number);
            }
        }
        catch (CaptureException e)
        {
            // Frames before the bad record are still analysed and counted; the caller reports the error and fails.
            error = e;
        }
        open = null;
        Flush(1.0);

        var summary = new CaptureSummary
        {
            File = path,
            Name = name,
            LinkType = linkType,
            Packets = Measure.Packets(sizes.Count),
            FramesInFile = Measure.Packets(framesInFile),
            Skipped = Measure.Packets(skipped),
            SkipReasons = skipReasons,
            Truncated = Measure.Packets(truncated),
            SuperFrames = Measure.Packets(superFrames),
            SuperFramesSegmented = Measure.Packets(segmented),
            InterfaceMtu = Measure.Bytes(Options.InterfaceMtu),
            Bytes = Measure.Bytes(sizes.Bytes),
            FrameMin = Measure.Bytes(sizes.Min),
            FrameMedian = Measure.Bytes(sizes.Median),
            FrameMean = Measure.Bytes(sizes.Mean),
            FrameMax = Measure.Bytes(sizes.Max),
            SizeBins = sizes.Bins(SizeBinBounds),
            Error = error?.Message,
        };
        var state = new CaptureState
        {
            Name = name,
            FileBytes = new FileInfo(path) is { Exists: true } file ? file.Length : 0,
            FrameLengths = sizes.Histogram(),
            Variants = states.Select(s => s.ToTally()).ToList(),
        };
        return new CaptureAnalysis(summary, states.Select(s => s.ToResult(name)).ToList(), error, state);
    }

    /// <summary>Whether a frame's inner flow (its MAC addresses, when not IP) falls in the shard analysed.</summary>
    private bool InShard(in CapturedFrame frame)
    {
        if (Options.Shard.Count == 1)
        {
            return true;
        }
        InnerFrame.TryParse(frame.Data, frame.OriginalLength, out InnerFrame inner);
        return Options.Shard.Holds(inner.FlowHash);
    }

    /// <summary>Exact frame-size statistics from a histogram of lengths (bounded memory whatever the capture's length).</summary>
    internal sealed partial class SizeStatistics
    {
        private readonly long[] _histogram = new long[CaptureReader.MaxFrameLength * 2 + 1];
        public long Count { get; private set; }
        public long Bytes { get; private set; }
        private int _min = int.MaxValue;
        public int Min => Count == 0 ? 0 : _min;
        public int Max { get; private set; }
        public double Mean => Count == 0 ? 0 : (double)Bytes / Count;

        public void Add(int length)
        {
            length = Math.Min(length, _histogram.Length - 1);
            _histogram[length]++;
            Count++;
            Bytes += length;
            _min = Math.Min(_min, length);
            Max = Math.Max(Max, length);
        }

        public double Median
        {
            get
            {
                if (Count == 0)
                {
                    return 0;
                }
                long lower = (Count - 1) / 2, upper = Count / 2, seen = 0;
                int lowerValue = -1;
                for (int length = 0; length < _histogram.Length; length++)
                {
                    seen += _histogram[length];
                    if (lowerValue < 0 && seen > lower)
                    {
                        lowerValue = length;
                    }
                    if (seen > upper)
                    {
                        return (lowerValue + length) / 2.0;
                    }
                }
                return Max;
            }
        }

        public Dictionary<string, long> Bins(int[] bounds)
        {
            var bins = new Dictionary<string, long>();
            int from = 0;
            foreach (int bound in bounds)
            {
                bins[$"<={bound}"] = Sum(_histogram.AsSpan(from, bound + 1 - from));
                from = bound + 1;
            }
            bins[$">{bounds[^1]}"] = Sum(_histogram.AsSpan(from));
            return bins;
        }

        private static long Sum(ReadOnlySpan<long> counts)
        {
            long sum = 0;
            foreach (long count in counts)
            {
                sum += count;
            }
            return sum;
        }
    }
}
