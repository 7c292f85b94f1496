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
        var file = new CaptureFile();
        var shard = new Shard(Options, Options.Shard, file, Path.GetFileName(path), progress, cancellation);
        Read(path, shard, file, progress, cancellation);
        return shard.Finish(path);
    }

    /// <summary>
    /// Reads a capture once, counting in <paramref name="file"/> what it holds as a whole (its frames, skipped records,
    /// link type, the error that stopped it), and hands every usable frame to <paramref name="sink"/> in file order.
    /// </summary>
    internal static void Read(string path, IFrameSink sink, CaptureFile file, IProgress<AnalyzeProgress>? progress, CancellationToken cancellation)
    {
        string name = Path.GetFileName(path);
        try
        {
            using var reader = new CaptureReader(path);
            file.LinkType = LinkNormalizer.Describe((int)reader.LinkType);
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                ReadStatus status = reader.Read(out CapturedFrame frame);
                if (status == ReadStatus.End)
                {
                    break;
                }
                file.FramesInFile++;
                if (status == ReadStatus.Skipped)
                {
                    file.Skip(reader.SkipReason ?? "unknown");
                    continue;
                }
                if (progress is not null && (file.FramesInFile & 4095) == 1)
                {
                    // The file position costs a system call: read it for progress every few thousand frames only.
                    file.Fraction = reader.Fraction;
                    progress.Report(new AnalyzeProgress(name, sink.Stage, file.Fraction));
                }
                sink.Add(frame);
            }
        }
        catch (CaptureException e)
        {
            // Frames before the bad record are still analysed and counted; the caller reports the error and fails.
            file.Error = e;
        }
        file.Fraction = 1.0;
    }

    /// <summary>The shard among <paramref name="count"/> that a frame's inner flow (its MAC addresses, when not IP) goes to.</summary>
    internal static int ShardOf(in CapturedFrame frame, int count)
    {
        if (count == 1)
        {
            return 0;
        }
        InnerFrame.TryParse(frame.Data, frame.OriginalLength, out InnerFrame inner);
        return ShardInfo.Of(inner.FlowHash, count);
    }

    /// <summary>
    /// What one shard of a capture counts, frame by frame: every variant's state, the frame sizes, the super-frames,
    /// and the arena of the timed passes. One analysis has one; `--threads N` gives each worker its own.
    /// </summary>
    internal sealed class Shard : IFrameSink
    {
        private readonly AnalyzeOptions _options;
        private readonly ShardInfo _filter;
        private readonly CaptureFile _file;
        private readonly string _name;
        private readonly IProgress<AnalyzeProgress>? _progress;
        private readonly CancellationToken _cancellation;
        private readonly VariantSet _variants;
        private readonly IReadOnlyList<VariantState> _states;
        private readonly FrameArena? _arena;
        private readonly SizeStatistics _sizes = new();
        private readonly byte[] _scratch = new byte[CaptureReader.MaxFrameLength + 64];
        private long _truncated, _superFrames, _segmented;

        /// <summary>
        /// A shard counting the frames of <paramref name="filter"/> it is handed (<see cref="ShardInfo.Whole"/>: every
        /// one), summed up with what the reading of the whole capture finds in <paramref name="file"/>.
        /// </summary>
        public Shard(AnalyzeOptions options, ShardInfo filter, CaptureFile file, string name, IProgress<AnalyzeProgress>? progress, CancellationToken cancellation)
        {
            _options = options;
            _filter = filter;
            _file = file;
            _name = name;
            _progress = progress;
            _cancellation = cancellation;
            _variants = new VariantSet(options.Variants, options);
            _states = _variants.States;
            int headroom = _states.Count == 0 ? 0 : _states.Max(s => s.Encapsulator.HeaderLength);
            // Frames are counted as they are read; only the timed passes replay them, so only they need an arena.
            _arena = _states.Any(s => s.IsTimed)
                ? new FrameArena(headroom, Math.Max(options.ArenaBytes, headroom + 2 * CaptureReader.MaxFrameLength))
                : null;
            Stage = $"{_states.Count} variants";
        }

        public string Stage { get; }

        /// <summary>Counts one frame of the capture, if it is in this shard.</summary>
        public void Add(in CapturedFrame frame)
        {
            if (_filter.Count > 1 && ShardOf(frame, _filter.Count) != _filter.Index)
            {
                return;
            }
            if (frame.IsTruncated)
            {
                _truncated++;
            }
            if (SuperFrameSegmenter.IsSuperFrame(frame.Data, frame.OriginalLength, _options.InterfaceMtu))
            {
                _superFrames++;
                if (_options.SegmentSuperFrames && !frame.IsTruncated)
                {
                    long number = frame.Number;
                    bool cut = SuperFrameSegmenter.TrySegment(frame.Data, _options.InterfaceMtu, _scratch,
                        segment => Add(segment, segment.Length, number));
                    if (cut)
                    {
                        _segmented++;
                        return;
                    }
                }
            }
            Add(frame.Data, frame.OriginalLength, frame.Number);
        }

        private void Add(ReadOnlySpan<byte> frame, int originalLength, long number)
        {
            _variants.Count(frame, Math.Max(originalLength, frame.Length), number);
            if (_arena is not null && !_arena.TryAdd(frame, originalLength, number))
            {
                Flush(_file.Fraction);
                _arena.TryAdd(frame, originalLength, number);
            }
            _sizes.Add(originalLength);
        }

        private void Flush(double fraction)
        {
            if (_arena is null || _arena.Count == 0)
            {
                return;
            }
            _arena.Seal();
            for (int v = 0; v < _states.Count; v++)
            {
                _cancellation.ThrowIfCancellationRequested();
                _progress?.Report(new AnalyzeProgress(_name, $"timing {_states[v].Spec.Name}", fraction));
                _states[v].Time(_arena, _cancellation);
            }
            _arena.Clear();
        }

        /// <summary>Times what is left in the arena, then sums up: call once the capture has been read to its end (or its error).</summary>
        public CaptureAnalysis Finish(string path)
        {
            Flush(1.0);
            CaptureFile file = _file;
            var summary = new CaptureSummary
            {
                File = path,
                Name = _name,
                LinkType = file.LinkType,
                Packets = Measure.Packets(_sizes.Count),
                FramesInFile = Measure.Packets(file.FramesInFile),
                Skipped = Measure.Packets(file.Skipped),
                SkipReasons = new Dictionary<string, long>(file.SkipReasons),
                Truncated = Measure.Packets(_truncated),
                SuperFrames = Measure.Packets(_superFrames),
                SuperFramesSegmented = Measure.Packets(_segmented),
                InterfaceMtu = Measure.Bytes(_options.InterfaceMtu),
                Bytes = Measure.Bytes(_sizes.Bytes),
                FrameMin = Measure.Bytes(_sizes.Min),
                FrameMedian = Measure.Bytes(_sizes.Median),
                FrameMean = Measure.Bytes(_sizes.Mean),
                FrameMax = Measure.Bytes(_sizes.Max),
                SizeBins = _sizes.Bins(SizeBinBounds),
                Error = file.Error?.Message,
            };
            var state = new CaptureState
            {
                Name = _name,
                FileBytes = new FileInfo(path) is { Exists: true } info ? info.Length : 0,
                FrameLengths = _sizes.Histogram(),
                Variants = _states.Select(s => s.ToTally()).ToList(),
            };
            return new CaptureAnalysis(summary, _states.Select(s => s.ToResult(_name)).ToList(), file.Error, state);
        }
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
