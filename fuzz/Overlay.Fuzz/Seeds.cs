using System.Buffers.Binary;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Srv6;
using Overlay.Replay.Capture;
using SharpPcap;

namespace Overlay.Fuzz;

/// <summary>
/// Writes a small starting corpus per target (fuzz/run.sh calls it before afl-fuzz): frames from real captures, the
/// same frames encapsulated by every variant, SRv6 packets at every hop, and short pcap/pcapng files of every
/// supported link type. Small and few on purpose: afl-fuzz calibrates every seed and mutates small inputs best.
/// </summary>
public static class Seeds
{
    private const int MaxFrame = 1600;

    public static int Write(string folder, IEnumerable<string> captures)
    {
        List<(LinkType Link, byte[] Record, byte[] Frame)> frames = Sample(captures);
        var encapsulated = new List<byte[]>();
        IEncapsulator[] encapsulators = VariantCatalog.All.Select(v => v.Create()).ToArray();
        var output = new byte[CaptureReader.MaxFrameLength + 1024];
        var ethernet = frames.Where(f => f.Frame.Length <= 600).Select(f => f.Frame).Take(6).ToList();
        for (int v = 0; v < encapsulators.Length; v++)
        {
            foreach (byte[] frame in ethernet.Take(2))
            {
                if (encapsulators[v].Encapsulate(frame, output, out int written) == System.Buffers.OperationStatus.Done)
                {
                    encapsulated.Add(output.AsSpan(0, written).ToArray());
                }
            }
        }

        int count = 0;
        void Save(string target, byte[] data) => File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(folder, target)).FullName, $"seed-{count++:D4}"), data);

        // decap: every variant's output, and real tunnel captures' frames.
        foreach (byte[] packet in encapsulated)
        {
            Save("decap", packet);
        }
        foreach (byte[] frame in frames.Select(f => f.Frame).Take(16))
        {
            Save("decap", frame);
        }

        // srv6-end: SRv6 packets with an SRH, at every hop of the path.
        var srv6 = encapsulated.Where(p => Decapsulator.TryDecapsulate(p, out TunnelPacket t).IsSuccess && t.Protocol == TunnelProtocol.Srv6).ToList();
        foreach (byte[] packet in srv6)
        {
            byte[] hop = (byte[])packet.Clone();
            Save("srv6-end", hop);
            while (Srv6Endpoint.End(hop).IsForwarded)
            {
                Save("srv6-end", (byte[])hop.Clone());
            }
        }
        // srv6-end-csid: a format byte (0x03: 32/16, the catalogue's) before the same packets.
        foreach (byte[] packet in srv6)
        {
            Save("srv6-end-csid", [0x03, .. packet]);
            Save("srv6-end-csid", [0x85, .. packet]);
        }

        // link-normaliser: a link-type byte before records of that type.
        LinkType[] linkTypes = Enum.GetValues<LinkType>();
        foreach ((LinkType link, byte[] record, _) in frames.Take(24))
        {
            Save("link-normaliser", [(byte)Array.IndexOf(linkTypes, link), .. record]);
        }

        // encap: a variant byte before real frames.
        foreach (byte[] frame in frames.Select(f => f.Frame).Take(12))
        {
            for (int v = 0; v < encapsulators.Length; v += 5)
            {
                Save("encap", [(byte)(v + frame.Length), .. frame]);
            }
        }

        // capture-reader: short files in every format and link type the reader knows.
        foreach (IGrouping<LinkType, (LinkType Link, byte[] Record, byte[] Frame)> group in frames.GroupBy(f => f.Link))
        {
            byte[][] records = group.Take(3).Select(f => f.Record).ToArray();
            Save("capture-reader", Pcap((uint)group.Key, records, nanoseconds: false));
            Save("capture-reader", Pcap((uint)group.Key, records, nanoseconds: true));
            Save("capture-reader", PcapNg((uint)group.Key, records, unknownBlock: false));
            Save("capture-reader", PcapNg((uint)group.Key, records, unknownBlock: true));
        }
        return count;
    }

    /// <summary>A few records of every capture (at most 6 of each, none above 1600 bytes).</summary>
    private static List<(LinkType, byte[], byte[])> Sample(IEnumerable<string> captures)
    {
        var sample = new List<(LinkType, byte[], byte[])>();
        foreach (string path in captures)
        {
            try
            {
                using var device = new SharpPcap.LibPcap.CaptureFileReaderDevice(path);
                device.Open();
                var link = (LinkType)(int)device.LinkType;
                var normalised = new byte[CaptureReader.MaxFrameLength + 64];
                int taken = 0;
                while (taken < 6 && device.GetNextPacket(out SharpPcap.PacketCapture capture) == SharpPcap.GetPacketStatus.PacketRead)
                {
                    byte[] record = capture.Data.ToArray();
                    int length = LinkNormalizer.IsSupported((int)link) ? LinkNormalizer.Normalize(link, record, normalised, out _) : -1;
                    if (length > 0 && record.Length <= MaxFrame)
                    {
                        sample.Add((link, record, normalised.AsSpan(0, length).ToArray()));
                        taken++;
                    }
                }
            }
            catch (SharpPcap.PcapException)
            {
                // Not a capture libpcap reads: not a seed.
            }
        }
        return sample;
    }

    public static byte[] Pcap(uint linkType, byte[][] records, bool nanoseconds)
    {
        var file = new List<byte>();
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, nanoseconds ? 0xA1B23C4Du : 0xA1B2C3D4u);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), linkType);
        file.AddRange(header);
        uint second = 1_700_000_000;
        foreach (byte[] record in records)
        {
            var recordHeader = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(recordHeader, second++);
            BinaryPrimitives.WriteUInt32LittleEndian(recordHeader.AsSpan(8), (uint)record.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(recordHeader.AsSpan(12), (uint)record.Length);
            file.AddRange(recordHeader);
            file.AddRange(record);
        }
        return [.. file];
    }

    /// <summary>A pcapng file: section header, one interface, an enhanced packet block per record (and a block of an unknown type).</summary>
    public static byte[] PcapNg(uint linkType, byte[][] records, bool unknownBlock)
    {
        var file = new List<byte>();
        void Block(uint type, byte[] body)
        {
            int padded = (body.Length + 3) & ~3;
            uint total = (uint)(12 + padded);
            var block = new byte[total];
            BinaryPrimitives.WriteUInt32LittleEndian(block, type);
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), total);
            body.CopyTo(block.AsSpan(8));
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan((int)total - 4), total);
            file.AddRange(block);
        }
        var section = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(section, 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(section.AsSpan(4), 1);
        BinaryPrimitives.WriteInt64LittleEndian(section.AsSpan(8), -1);
        Block(0x0A0D0D0A, section);
        var iface = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(iface, (ushort)linkType);
        BinaryPrimitives.WriteUInt32LittleEndian(iface.AsSpan(4), 65535);
        Block(1, iface);
        if (unknownBlock)
        {
            Block(0x0BAD_F00D, [1, 2, 3, 4, 5, 6, 7, 8]);
        }
        foreach (byte[] record in records)
        {
            var packet = new byte[20 + record.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(12), (uint)record.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(16), (uint)record.Length);
            record.CopyTo(packet.AsSpan(20));
            Block(6, packet);
        }
        return [.. file];
    }
}
