using System.Buffers;
using System.Diagnostics;
using Overlay.Encapsulation;
using Overlay.Replay.Capture;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>
/// Multi-core replay: shards a capture by inner flow across N cores, as a NIC's receive-side scaling does (every flow
/// on one queue, so no flow is reordered), gives every shard its own frame arena, output arena and encapsulator (as a
/// queue owns its state), and times copy encapsulation on all shards at once. The speed-up against one core is the
/// figure; the per-shard totals add up to the single-core totals.
/// </summary>
public static class ScalingAnalyzer
{
    /// <summary>1, 2, 4, … up to <paramref name="max"/>, and <paramref name="max"/> itself.</summary>
    public static int[] ThreadCounts(int max)
    {
        var counts = new SortedSet<int>();
        for (int n = 1; n <= max; n *= 2)
        {
            counts.Add(n);
        }
        counts.Add(max);
        return [.. counts];
    }

    public static List<ScalingResult> Measure(string capturePath, VariantSpec variant, IReadOnlyList<int> threadCounts, int passes, TimeSpan minPassTime, CancellationToken cancellation = default)
    {
        List<byte[]> frames = CaptureReader.ReadWholeFrames(capturePath);
        var results = new List<ScalingResult>();
        double singleCorePps = 0;
        foreach (int threads in threadCounts.Order())
        {
            cancellation.ThrowIfCancellationRequested();
            Shard[] shards = Distribute(frames, variant, threads);
            double[] pps = TimeParallel(shards, passes, minPassTime, cancellation);
            Array.Sort(pps);
            double median = pps[pps.Length / 2];
            if (threads == 1 || singleCorePps == 0)
            {
                singleCorePps = median;
            }
            results.Add(new ScalingResult
            {
                Capture = Path.GetFileName(capturePath),
                Variant = variant.Name,
                Threads = Overlay.Results.Measure.Count(threads),
                MedianPps = Overlay.Results.Measure.Pps(median),
                MinPps = Overlay.Results.Measure.Pps(pps[0]),
                MaxPps = Overlay.Results.Measure.Pps(pps[^1]),
                SpeedUp = Overlay.Results.Measure.Ratio(singleCorePps == 0 ? 0 : median / singleCorePps),
                ShardPackets = shards.Select(s => (long)s.Arena.Count).ToList(),
                ShardBytesOut = shards.Select(s => s.BytesOut).ToList(),
                Processors = Overlay.Results.Measure.Count(Environment.ProcessorCount),
            });
        }
        return results;
    }

    /// <summary>One receive queue: its frames, its encapsulator, its output arena.</summary>
    internal sealed class Shard(FrameArena arena, IEncapsulator encapsulator, byte[] output)
    {
        public FrameArena Arena { get; } = arena;
        public IEncapsulator Encapsulator { get; } = encapsulator;
        public byte[] Output { get; } = output;
        public long BytesOut { get; private set; }
        public long FlowsSeen { get; set; }

        /// <summary>One pass of copy encapsulation over the shard; returns the packets done.</summary>
        public long Pass()
        {
            Span<byte> output = Output;
            int position = 0;
            long done = 0;
            for (int i = 0; i < Arena.Count; i++)
            {
                if (Encapsulator.Encapsulate(Arena.Frame(i), output.Slice(position), out int written) == OperationStatus.Done)
                {
                    position += written;
                    done++;
                }
            }
            BytesOut = position;
            return done;
        }
    }

    internal static Shard[] Distribute(IReadOnlyList<byte[]> frames, VariantSpec variant, int threads)
    {
        var lists = Enumerable.Range(0, threads).Select(_ => new List<byte[]>()).ToArray();
        foreach (byte[] frame in frames)
        {
            InnerFrame.TryParse(frame, out InnerFrame inner);
            // The receive queue of the flow: the shard rule of --shard and --threads.
            lists[ShardInfo.Of(inner.FlowHash, threads)].Add(frame);
        }
        return lists.Select(list =>
        {
            IEncapsulator encapsulator = variant.Create();
            long bytes = list.Sum(f => (long)f.Length);
            var arena = new FrameArena(encapsulator.HeaderLength, (int)Math.Min(int.MaxValue, Math.Max(bytes + (long)list.Count * encapsulator.HeaderLength + 1024, encapsulator.HeaderLength + 2L * CaptureReader.MaxFrameLength)));
            foreach (byte[] frame in list)
            {
                arena.TryAdd(frame, frame.Length, 0);
            }
            return new Shard(arena, encapsulator, new byte[bytes + (long)list.Count * encapsulator.HeaderLength]);
        }).ToArray();
    }

    /// <summary>Runs every shard on its own thread from one start signal; each pass's rate is all packets over the wall time.</summary>
    private static double[] TimeParallel(Shard[] shards, int passes, TimeSpan minPassTime, CancellationToken cancellation)
    {
        foreach (Shard shard in shards)
        {
            WarmUp.Run(() => shard.Pass(), minPassTime);
        }
        long total = shards.Sum(s => (long)s.Arena.Count);
        var pps = new double[passes];
        int repeats = 1;
        using var start = new Barrier(shards.Length + 1);
        using var done = new Barrier(shards.Length + 1);
        bool stop = false;
        var workers = shards.Select(shard => new Thread(() =>
        {
            while (true)
            {
                start.SignalAndWait();
                if (Volatile.Read(ref stop))
                {
                    return;
                }
                for (int r = 0; r < Volatile.Read(ref repeats); r++)
                {
                    shard.Pass();
                }
                done.SignalAndWait();
            }
        }) { IsBackground = true, Name = "overlay-shard" }).ToList();
        workers.ForEach(w => w.Start());
        try
        {
            double RunPass()
            {
                long begin = Stopwatch.GetTimestamp();
                start.SignalAndWait();
                done.SignalAndWait();
                return Stopwatch.GetElapsedTime(begin).TotalSeconds;
            }
            double once = Math.Max(RunPass(), 1e-7);
            Volatile.Write(ref repeats, (int)Math.Clamp(Math.Ceiling(minPassTime.TotalSeconds / once), 1, 100_000));
            for (int p = 0; p < passes; p++)
            {
                cancellation.ThrowIfCancellationRequested();
                double seconds = RunPass();
                pps[p] = total * (double)repeats / seconds;
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            start.SignalAndWait();
            workers.ForEach(w => w.Join());
        }
        return pps;
    }
}
