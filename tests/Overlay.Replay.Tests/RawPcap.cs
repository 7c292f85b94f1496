using System.Buffers.Binary;

namespace Overlay.Replay.Tests;

/// <summary>
/// Byte-exact classic pcap files for hostile-input tests: headers are written by hand so a test can make any
/// record lie (caplen beyond snaplen, a record cut short, an unknown link type), which a well-behaved writer never would.
/// </summary>
public static class RawPcap
{
    public const int FileHeaderLength = 24;
    public const int RecordHeaderLength = 16;

    public static byte[] FileHeader(uint linkType, uint snapLength = 262144, bool nanoseconds = false)
    {
        var header = new byte[FileHeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(header, nanoseconds ? 0xA1B23C4Du : 0xA1B2C3D4u);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), linkType);
        return header;
    }

    public static byte[] Record(ReadOnlySpan<byte> data, uint? capturedLength = null, uint? originalLength = null, uint seconds = 1_700_000_000, uint fraction = 0)
    {
        var record = new byte[RecordHeaderLength + data.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), fraction);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), capturedLength ?? (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), originalLength ?? (uint)data.Length);
        data.CopyTo(record.AsSpan(RecordHeaderLength));
        return record;
    }

    public static string Write(params byte[][] parts)
    {
        string path = Paths.TempFile();
        File.WriteAllBytes(path, parts.SelectMany(p => p).ToArray());
        return path;
    }
}
