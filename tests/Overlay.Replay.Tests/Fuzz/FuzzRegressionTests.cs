using Overlay.Fuzz;

namespace Overlay.Replay.Tests.Fuzz;

/// <summary>
/// Every input the fuzzer ever crashed on (tests/corpus/fuzz/TARGET/NAME, committed with the fix) replayed through its
/// target: none may throw again.
/// </summary>
[Collection(FuzzHarness.Name)]
public class FuzzRegressionTests
{
    public static TheoryData<string, string> Crashes()
    {
        var data = new TheoryData<string, string>();
        foreach (string folder in Directory.EnumerateDirectories(Path.Combine(FuzzHarness.Corpus, "fuzz")).Order(StringComparer.Ordinal))
        {
            foreach (string file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(folder), Path.GetFileName(file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Crashes))]
    public void A_crash_the_fuzzer_found_stays_fixed(string target, string name)
    {
        Assert.Contains(target, FuzzTargets.Names);
        FuzzHarness.Run(target, File.ReadAllBytes(Path.Combine(FuzzHarness.Corpus, "fuzz", target, name)));
    }

    [Fact]
    public void A_timestamp_before_1970_or_beyond_DateTime_is_clamped_not_thrown()
    {
        // Found by fuzzing: libpcap reads seconds as signed, SharpPcap returns them as a ulong near 2^64, and its
        // PosixTimeval.Date throws OverflowException there (and past the year 9999).
        byte[] frame = Overlay.Encapsulation.Tests.Support.TestFrames.Ip(4, Overlay.Encapsulation.Tests.Support.TestFrames.L4.Udp, 100);
        string path = RawPcap.Write(RawPcap.FileHeader(1, nanoseconds: true), RawPcap.Record(frame, seconds: 0xF000_0000, fraction: 5),
            RawPcap.Record(frame, seconds: 1_700_000_000));
        try
        {
            using var reader = new Overlay.Replay.Capture.CaptureReader(path);
            Assert.Equal(Overlay.Replay.Capture.ReadStatus.Frame, reader.Read(out Overlay.Replay.Capture.CapturedFrame first));
            Assert.Equal(DateTime.UnixEpoch.AddSeconds(unchecked((int)0xF000_0000)), first.Timestamp);
            Assert.Equal(Overlay.Replay.Capture.ReadStatus.Frame, reader.Read(out Overlay.Replay.Capture.CapturedFrame second));
            Assert.Equal(DateTime.UnixEpoch.AddSeconds(1_700_000_000), second.Timestamp);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Equal(DateTime.MaxValue.Ticks / TimeSpan.TicksPerSecond,
            Overlay.Replay.Capture.CaptureReader.ToDate(new SharpPcap.PosixTimeval(long.MaxValue / 2, 999_999)).Ticks / TimeSpan.TicksPerSecond);
    }
}
