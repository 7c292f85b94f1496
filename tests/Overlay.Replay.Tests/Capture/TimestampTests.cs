using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Capture;

namespace Overlay.Replay.Tests.Capture;

/// <summary>
/// Record times a hostile capture can hold: before 1970 (libpcap reads a pcap record's seconds as signed) and past the
/// year 9999 (pcapng). Found by fuzzing: SharpPcap's PosixTimeval throws OverflowException on both, reading and writing.
/// </summary>
public class TimestampTests
{
    private static readonly byte[] Frame = TestFrames.Ip(4, TestFrames.L4.Udp, 100);

    [Fact]
    public void A_record_before_1970_is_read_as_such_and_written_back_the_same()
    {
        string input = RawPcap.Write(RawPcap.FileHeader(1), RawPcap.Record(Frame, seconds: 0xF000_0000, fraction: 250_000),
            RawPcap.Record(Frame, seconds: 1_700_000_000));
        string output = Paths.TempFile();
        try
        {
            using (var reader = new CaptureReader(input))
            using (var writer = new CaptureWriter(output))
            {
                Assert.Equal(ReadStatus.Frame, reader.Read(out CapturedFrame first));
                Assert.Equal(DateTime.UnixEpoch.AddSeconds(unchecked((int)0xF000_0000) + 0.25), first.Timestamp);
                writer.Write(first.Data, first.Timestamp, first.OriginalLength);
                Assert.Equal(ReadStatus.Frame, reader.Read(out CapturedFrame second));
                Assert.Equal(DateTime.UnixEpoch.AddSeconds(1_700_000_000), second.Timestamp);
                writer.Write(second.Data, second.Timestamp, second.OriginalLength);
                writer.Complete();
            }
            byte[] written = File.ReadAllBytes(output);
            Assert.Equal(File.ReadAllBytes(input).AsSpan(RawPcap.FileHeaderLength).ToArray(), written.AsSpan(RawPcap.FileHeaderLength).ToArray());
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    [Fact]
    public void Times_beyond_what_a_DateTime_or_a_pcap_record_holds_are_clamped()
    {
        Assert.Equal(DateTime.MaxValue.Ticks / TimeSpan.TicksPerSecond,
            CaptureReader.ToDate(new SharpPcap.PosixTimeval(long.MaxValue / 2, 999_999)).Ticks / TimeSpan.TicksPerSecond);
        // A ulong-wrapped negative time plus a fraction that carries it past 2^64: PosixTimeval.Seconds itself throws there.
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1), CaptureReader.ToDate(new SharpPcap.PosixTimeval(ulong.MaxValue, 2_000_000)));
        Assert.Equal((uint.MaxValue, 999_999u), CaptureWriter.ToPcapTime(DateTime.MaxValue));
        Assert.Equal((unchecked((uint)int.MinValue), 0u), CaptureWriter.ToPcapTime(DateTime.MinValue));
        Assert.Equal((1_700_000_000u, 123_456u), CaptureWriter.ToPcapTime(DateTime.UnixEpoch.AddSeconds(1_700_000_000).AddTicks(1_234_567)));
        Assert.Equal((uint.MaxValue, 500_000u), CaptureWriter.ToPcapTime(DateTime.UnixEpoch.AddSeconds(-0.5)));
    }
}
