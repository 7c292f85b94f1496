using Overlay.Encapsulation.Tests.Support;
using Overlay.Replay.Capture;

namespace Overlay.Replay.Tests.Capture;

public class CaptureReaderTests
{
    [Theory]
    [InlineData("traffic/pcapplusplus_many-protocols.pcap", "Ethernet", 4709)]
    [InlineData("traffic/ndpi_alexa-app.pcapng", "Ethernet", 3103)]
    [InlineData("traffic/ndpi_KakaoTalk_talk_sll.pcap", "LinuxSll", 3203)]
    [InlineData("traffic/suricata-verify_decode-sll2-02_sll2.pcap", "LinuxSll2", 159)]
    [InlineData("traffic/ndpi_ocs_rawip.pcap", "RawDlt", 946)]
    [InlineData("traffic/suricata-verify_smb-length-5770_null.pcap", "Null", 3519)]
    public void Reads_every_frame_of_every_supported_link_type_as_an_Ethernet_frame(string file, string linkType, int frames)
    {
        // Frame counts are capinfos' (tests/data/captures/MANIFEST.md); every frame must come out as IPv4/IPv6/other Ethernet.
        using var reader = new CaptureReader(Paths.PublicCapture(file));
        Assert.Equal(linkType, reader.LinkType.ToString());
        int read = 0;
        while (reader.Read(out CapturedFrame frame) != ReadStatus.End)
        {
            read++;
            Assert.True(frame.Data.Length >= 14);
            Assert.Equal(read, frame.Number);
            Assert.False(frame.IsTruncated);
        }
        Assert.Equal(frames, read);
    }

    [Fact]
    public void Nanosecond_pcap_is_read()
    {
        byte[] frame = TestFrames.Ip(4, TestFrames.L4.Udp, 100);
        string path = RawPcap.Write(RawPcap.FileHeader(1, nanoseconds: true), RawPcap.Record(frame, fraction: 999_999_999));
        try
        {
            using var reader = new CaptureReader(path);
            Assert.Equal(ReadStatus.Frame, reader.Read(out CapturedFrame read));
            Assert.Equal(frame, read.Data.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Empty_file_is_a_clear_error_naming_the_file()
    {
        string path = RawPcap.Write([]);
        try
        {
            var e = Assert.Throws<CaptureException>(() => new CaptureReader(path));
            Assert.Equal(path, e.File);
            Assert.Equal(0, e.Frame);
            Assert.Contains("empty", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Random_bytes_are_a_clear_error()
    {
        var random = new Random(42);
        var bytes = new byte[4096];
        random.NextBytes(bytes);
        string path = RawPcap.Write(bytes);
        try
        {
            var e = Assert.Throws<CaptureException>(() => new CaptureReader(path));
            Assert.Contains("not a readable pcap or pcapng", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Truncated_file_header_is_a_clear_error()
    {
        string path = RawPcap.Write(RawPcap.FileHeader(1)[..10]);
        try
        {
            Assert.Throws<CaptureException>(() => new CaptureReader(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Unsupported_link_type_is_named()
    {
        string path = RawPcap.Write(RawPcap.FileHeader(147), RawPcap.Record(new byte[60]));
        try
        {
            var e = Assert.Throws<CaptureException>(() => new CaptureReader(path));
            Assert.Contains("unsupported link type LINKTYPE 147", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Truncated_record_ends_the_read_with_frame_and_offset_after_the_frames_before_it()
    {
        byte[] first = TestFrames.Ip(4, TestFrames.L4.Tcp, 80);
        byte[] second = TestFrames.Ip(6, TestFrames.L4.Udp, 120);
        byte[] cut = RawPcap.Record(TestFrames.Ip(4, TestFrames.L4.Udp, 200))[..100];
        string path = RawPcap.Write(RawPcap.FileHeader(1), RawPcap.Record(first), RawPcap.Record(second), cut);
        try
        {
            using var reader = new CaptureReader(path);
            Assert.Equal(ReadStatus.Frame, reader.Read(out CapturedFrame a));
            Assert.Equal(first, a.Data.ToArray());
            Assert.Equal(ReadStatus.Frame, reader.Read(out CapturedFrame b));
            Assert.Equal(second, b.Data.ToArray());
            var e = Assert.Throws<CaptureException>(() => reader.Read(out _));
            Assert.Equal(3, e.Frame);
            Assert.Equal(RawPcap.FileHeaderLength + 2 * RawPcap.RecordHeaderLength + first.Length + second.Length, e.Offset);
            Assert.Contains("truncated", e.Reason);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Offset_of_a_bad_record_is_where_it_starts_after_records_cut_to_the_snap_length()
    {
        // The reader counts record offsets rather than asking libpcap's FILE for each: a record longer than the snap
        // length is cut on reading and its rest skipped, so the count must still land on the bad record's first byte.
        byte[] cutShort = TestFrames.Ip(4, TestFrames.L4.Udp, 1000);
        byte[] whole = TestFrames.Ip(6, TestFrames.L4.Tcp, 90);
        byte[] bad = RawPcap.Record(TestFrames.Ip(4, TestFrames.L4.Udp, 200))[..100];
        string path = RawPcap.Write(RawPcap.FileHeader(1, snapLength: 128), RawPcap.Record(whole), RawPcap.Record(cutShort),
            RawPcap.Record(cutShort), RawPcap.Record(whole), bad);
        try
        {
            using var reader = new CaptureReader(path);
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(ReadStatus.Frame, reader.Read(out _));
            }
            var e = Assert.Throws<CaptureException>(() => reader.Read(out _));
            Assert.Equal(5, e.Frame);
            Assert.Equal(RawPcap.FileHeaderLength + 4 * RawPcap.RecordHeaderLength + 2 * cutShort.Length + 2 * whole.Length, e.Offset);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Record_longer_than_libpcap_allows_is_a_clear_error()
    {
        // caplen 300000 > 262144 (libpcap's maximum): the record cannot be trusted.
        string path = RawPcap.Write(RawPcap.FileHeader(1, snapLength: 65535), RawPcap.Record(new byte[64], capturedLength: 300_000));
        try
        {
            using var reader = new CaptureReader(path);
            var e = Assert.Throws<CaptureException>(() => reader.Read(out _));
            Assert.Equal(1, e.Frame);
            Assert.Equal(RawPcap.FileHeaderLength, e.Offset);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Caplen_above_the_snap_length_is_cut_to_the_snap_length_and_counted_as_truncated()
    {
        // A writer that lied about its snap length: libpcap hands out snaplen bytes of the record and skips the rest,
        // so the frame is read as one cut short, and the next record is still found.
        byte[] frame = TestFrames.Ip(4, TestFrames.L4.Udp, 1000);
        byte[] next = TestFrames.Ip(4, TestFrames.L4.Udp, 100);
        string path = RawPcap.Write(RawPcap.FileHeader(1, snapLength: 128), RawPcap.Record(frame), RawPcap.Record(next));
        try
        {
            using var reader = new CaptureReader(path);
            Assert.Equal(ReadStatus.Frame, reader.Read(out CapturedFrame read));
            Assert.Equal(frame[..128], read.Data.ToArray());
            Assert.True(read.IsTruncated);
            Assert.Equal(frame.Length, read.OriginalLength);
            Assert.Equal(ReadStatus.Frame, reader.Read(out CapturedFrame second));
            Assert.Equal(next, second.Data.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Runt_frames_are_skipped_and_counted_with_a_reason()
    {
        byte[] good = TestFrames.Ip(4, TestFrames.L4.Udp, 100);
        string path = RawPcap.Write(RawPcap.FileHeader(1), RawPcap.Record(new byte[8]), RawPcap.Record(good));
        try
        {
            using var reader = new CaptureReader(path);
            Assert.Equal(ReadStatus.Skipped, reader.Read(out _));
            Assert.Contains("runt", reader.SkipReason);
            Assert.Equal(ReadStatus.Frame, reader.Read(out CapturedFrame read));
            Assert.Equal(2, read.Number);
            Assert.Equal(ReadStatus.End, reader.Read(out _));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Frames_cut_by_the_snap_length_keep_their_original_length()
    {
        byte[] frame = TestFrames.Ip(4, TestFrames.L4.Tcp, 1514);
        string path = RawPcap.Write(RawPcap.FileHeader(1, snapLength: 96), RawPcap.Record(frame[..96], originalLength: 1514));
        try
        {
            using var reader = new CaptureReader(path);
            Assert.Equal(ReadStatus.Frame, reader.Read(out CapturedFrame read));
            Assert.True(read.IsTruncated);
            Assert.Equal(96, read.Data.Length);
            Assert.Equal(1514, read.OriginalLength);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_65535_byte_frame_is_read_whole()
    {
        byte[] frame = TestFrames.Ip(4, TestFrames.L4.Udp, 65535 + 14 - 14);
        string path = RawPcap.Write(RawPcap.FileHeader(1), RawPcap.Record(frame));
        try
        {
            using var reader = new CaptureReader(path);
            Assert.Equal(ReadStatus.Frame, reader.Read(out CapturedFrame read));
            Assert.Equal(65535, read.Data.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
