using System.Runtime.ExceptionServices;
using Overlay.Replay.Capture;
using Overlay.Results;

namespace Overlay.Replay.Analysis;

/// <summary>
/// One capture analysed on N cores (`overlay analyze --threads N`): the calling thread reads every frame once and
/// hands it to the worker that owns its inner flow, by the rule of `--shard i/N`, so every flow lies whole and in
/// file order in one worker; each worker counts its frames in a shard of its own, exactly as `--shard i/N` would.
/// The N analyses are then merged as `overlay merge` merges shards.
/// </summary>
internal static class FlowWorkers
{
    /// <summary>
    /// The analysis of each of <paramref name="workers"/> flow shards of the capture, shard i at index i. A bad
    /// record stops the read as it stops one thread's (every shard then reports it); an exception in a worker or the
    /// reader, or <paramref name="cancellation"/>, stops them all and is thrown once all have stopped.
    /// </summary>
    public static CaptureAnalysis[] Analyze(AnalyzeOptions options, string path, int workers, IProgress<AnalyzeProgress>? progress, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var file = new CaptureFile();
        string name = Path.GetFileName(path);
        var lanes = new FrameLane[workers];
        var tasks = new Task<CaptureAnalysis>[workers];
        try
        {
            for (int w = 0; w < workers; w++)
            {
                // Each worker counts every frame it is handed: the reader has chosen them by the shard rule already.
                // Only the first reports its timed passes, beside the reader's progress.
                var shard = new CaptureAnalyzer.Shard(options, ShardInfo.Whole, file, name, w == 0 ? progress : null, stop.Token);
                FrameLane lane = lanes[w] = new FrameLane();
                tasks[w] = Task.Factory.StartNew(() => Work(shard, lane, path, stop), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            Exception? readFailure = null;
            try
            {
                var router = new Router(lanes, $"{options.Variants.Count} variants on {workers} threads", stop.Token);
                CaptureAnalyzer.Read(path, router, file, progress, stop.Token);
                foreach (FrameLane lane in lanes)
                {
                    lane.Complete(stop.Token);
                }
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                // A worker failed and stopped the others: its exception is the one to report.
            }
            catch (Exception e)
            {
                readFailure = e;
                stop.Cancel();
            }
            return Join(tasks, readFailure, cancellation);
        }
        finally
        {
            foreach (FrameLane? lane in lanes)
            {
                lane?.Dispose();
            }
        }
    }

    /// <summary>A worker: counts the batches of its lane until the reader completes it, then times its last arena and sums up.</summary>
    private static CaptureAnalysis Work(CaptureAnalyzer.Shard shard, FrameLane lane, string path, CancellationTokenSource stop)
    {
        try
        {
            while (lane.TryTake(out FrameBatch batch, stop.Token))
            {
                for (int i = 0; i < batch.Count; i++)
                {
                    shard.Add(batch[i]);
                }
                lane.Return(batch);
            }
            return shard.Finish(path);
        }
        catch
        {
            // The reader and the other workers stop at their next frame or batch rather than run on for nothing.
            stop.Cancel();
            throw;
        }
    }

    /// <summary>Waits for every worker, then returns their analyses, or throws the failure that stopped the run.</summary>
    private static CaptureAnalysis[] Join(Task<CaptureAnalysis>[] tasks, Exception? readFailure, CancellationToken cancellation)
    {
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException)
        {
            // Looked at below, with the reader's failure first.
        }
        Exception? failure = readFailure
            ?? tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException).FirstOrDefault(e => e is not OperationCanceledException);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
        cancellation.ThrowIfCancellationRequested();
        if (tasks.FirstOrDefault(t => !t.IsCompletedSuccessfully) is Task<CaptureAnalysis> stopped)
        {
            // Cancelled without a failure of its own or the caller's cancellation: cannot happen, but must not pass as a result.
            throw new OperationCanceledException("a worker stopped before the end of the capture");
        }
        return [.. tasks.Select(t => t.Result)];
    }

    /// <summary>The reader's side: each frame to the lane of the worker that owns its inner flow.</summary>
    private sealed class Router(FrameLane[] lanes, string stage, CancellationToken cancellation) : IFrameSink
    {
        public string Stage => stage;

        public void Add(in CapturedFrame frame) => lanes[CaptureAnalyzer.ShardOf(frame, lanes.Length)].Add(frame, cancellation);
    }
}
