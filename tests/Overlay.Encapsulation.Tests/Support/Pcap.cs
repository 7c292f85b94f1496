using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

namespace Overlay.Encapsulation.Tests.Support;

/// <summary>Capture files through SharpPcap, for tshark and for the kernel's reference vectors.</summary>
public static class Pcap
{
    public static void Write(string path, IEnumerable<byte[]> frames, LinkLayers linkType = LinkLayers.Ethernet)
    {
        using var writer = new CaptureFileWriterDevice(path, FileMode.Create);
        writer.Open(new DeviceConfiguration { LinkLayerType = linkType, Snaplen = 262144 });
        var time = new PosixTimeval(1_700_000_000, 0);
        foreach (byte[] frame in frames)
        {
            writer.Write(new RawCapture(linkType, time, frame));
            time = new PosixTimeval(time.Seconds, time.MicroSeconds + 1);
        }
    }

    public static List<byte[]> Read(string path)
    {
        var frames = new List<byte[]>();
        using var reader = new CaptureFileReaderDevice(path);
        reader.Open();
        while (reader.GetNextPacket(out PacketCapture capture) == GetPacketStatus.PacketRead)
        {
            frames.Add(capture.Data.ToArray());
        }
        return frames;
    }
}
