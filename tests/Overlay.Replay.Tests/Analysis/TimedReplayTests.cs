using Overlay.Encapsulation;
using Overlay.Replay.Analysis;
using Overlay.Results;

namespace Overlay.Replay.Tests.Analysis;

/// <summary>
/// The timed passes run alone: the allocation counter of a thread can jump by an allocation context when another
/// test's garbage collection interrupts the window, which would read as allocation by the code under test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimedReplay
{
    public const string Name = "timed replay";
}

[Collection(TimedReplay.Name)]
public sealed class TimedReplayTests
{
    [Fact]
    public void Timed_replay_allocates_nothing_per_packet()
    {
        var analyzer = new CaptureAnalyzer(new AnalyzeOptions
        {
            Variants = VariantCatalog.All,
            Passes = 2,
            MinPassTime = TimeSpan.Zero,
            MeasureThroughput = true,
        });
        CaptureAnalysis analysis = analyzer.Analyze(Paths.PublicCapture("traffic/pcapplusplus_many-protocols.pcap"));
        foreach (VariantResult r in analysis.Results)
        {
            Assert.NotNull(r.EncapCopy);
            Assert.True(r.EncapCopy!.MedianPps.Value > 0, r.Variant);
            Assert.True(r.EncapInPlace!.MedianPps.Value > 0, r.Variant);
            Assert.True(r.Decap!.MedianPps.Value > 0, r.Variant);
            Assert.True(r.EncapCopy.AllocatedPerPacket.Value == 0, $"{r.Variant} allocated {r.EncapCopy.AllocatedPerPacket.Value} B per packet");
        }
    }
}
