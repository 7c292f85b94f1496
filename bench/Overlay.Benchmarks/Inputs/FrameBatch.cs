using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Overlay.Benchmarks.Inputs;

/// <summary>
/// Frames laid out as a NIC's receive buffers are: each at a 64-byte-aligned address with <see cref="Headroom"/>
/// bytes free before it (as DPDK's mbuf headroom), so they can be encapsulated in place. The first
/// <see cref="HeadBytes"/> bytes of every frame are kept aside: in-place encapsulation of an IP payload writes over
/// the inner Ethernet header, and <see cref="RestoreHead"/> puts those bytes back before the frame is used again,
/// as a NIC writing the next frame into the buffer would.
/// </summary>
public sealed class FrameBatch
{
    /// <summary>Room before every frame: more than the longest outer header of any variant or sweep (SRv6, 10 SIDs: 222 bytes).</summary>
    public const int Headroom = 256;

    /// <summary>Bytes at the start of a frame that in-place encapsulation may change (the inner L2 header, tags included, or NVGRE's slid MAC addresses).</summary>
    public const int HeadBytes = 32;

    public const int Alignment = 64;

    private readonly byte[] _heads;

    private FrameBatch(byte[] buffer, int[] offsets, int[] lengths)
    {
        Buffer = buffer;
        Offsets = offsets;
        Lengths = lengths;
        _heads = new byte[offsets.Length * HeadBytes];
        for (int i = 0; i < offsets.Length; i++)
        {
            Frame(i).Slice(0, Math.Min(HeadBytes, lengths[i])).CopyTo(_heads.AsSpan(i * HeadBytes));
        }
    }

    public byte[] Buffer { get; }
    public int[] Offsets { get; }
    public int[] Lengths { get; }
    public int Count => Offsets.Length;
    public int MaxLength => Lengths.Length == 0 ? 0 : Lengths.Max();
    public long TotalBytes => Lengths.Sum(l => (long)l);

    public Span<byte> Frame(int index) => Buffer.AsSpan(Offsets[index], Lengths[index]);

    /// <summary>Lays out <paramref name="frames"/> with headroom before each.</summary>
    public static FrameBatch Create(IReadOnlyList<byte[]> frames, int headroom = Headroom)
    {
        var offsets = new int[frames.Count];
        var lengths = new int[frames.Count];
        long at = 0;
        // Offsets first relative to a 64-byte boundary; the array's own data start is aligned to it below.
        for (int i = 0; i < frames.Count; i++)
        {
            at = Align(at + headroom);
            offsets[i] = checked((int)at);
            lengths[i] = frames[i].Length;
            at += frames[i].Length;
        }
        byte[] buffer = AllocateAligned(checked((int)Align(at + Alignment)), out int start);
        for (int i = 0; i < frames.Count; i++)
        {
            offsets[i] += start;
            frames[i].CopyTo(buffer.AsSpan(offsets[i]));
        }
        return new FrameBatch(buffer, offsets, lengths);
    }

    /// <summary>
    /// A batch of <paramref name="count"/> seeded inner frames of one size parameter ("64".."9000", "imix"): IPv4 + TCP, or
    /// with <paramref name="ipVersion"/> 6 IPv6 (for the variants that carry IPv6 alone).
    /// </summary>
    public static FrameBatch Fixed(string size, int count, int ipVersion = 4)
    {
        int[] lengths = InnerFrames.Lengths(size, count);
        var random = new Random(InnerFrames.Seed);
        var frames = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            frames[i] = new byte[lengths[i]];
            if (ipVersion == 6)
            {
                InnerFrames.WriteIpv6(frames[i], i, random);
            }
            else
            {
                InnerFrames.Write(frames[i], i, random);
            }
        }
        return Create(frames);
    }

    /// <summary>Puts back the first bytes of frame <paramref name="index"/> as they were laid out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RestoreHead(int index)
    {
        // Every frame is at least HeadBytes long or followed by padding to the next aligned frame, and the buffer ends in
        // Alignment spare bytes, so the fixed 32-byte copy (one vector store) never leaves the buffer.
        Unsafe.CopyBlockUnaligned(
            ref MemoryMarshal.GetArrayDataReference(Buffer).AddOffset(Offsets[index]),
            ref MemoryMarshal.GetArrayDataReference(_heads).AddOffset(index * HeadBytes),
            HeadBytes);
    }

    internal static long Align(long value) => (value + Alignment - 1) & ~(long)(Alignment - 1);

    /// <summary>
    /// A zeroed pinned array of at least <paramref name="bytes"/> bytes from <paramref name="start"/> on, where
    /// <paramref name="start"/> is the first index whose address is a multiple of <see cref="Alignment"/>. The runtime
    /// aligns an array's data to 8 bytes only (here it started at address mod 64 = 48), and a frame that straddles one
    /// more cache line than a NIC's buffer would costs every copy and checksum a line. The array is pinned, so the
    /// address, and with it the alignment, holds for the array's life.
    /// </summary>
    internal static byte[] AllocateAligned(int bytes, out int start)
    {
        byte[] buffer = GC.AllocateArray<byte>(checked(bytes + Alignment - 1), pinned: true);
        long address = Marshal.UnsafeAddrOfPinnedArrayElement(buffer, 0);
        start = (int)(-address & (Alignment - 1));
        return buffer;
    }
}

/// <summary>
/// Where copy benchmarks write: one 64-byte-aligned slot per packet of a batch, as a transmit ring's buffers, so a
/// batch writes to distinct memory as a real transmit path does, yet stays in cache across invocations.
/// </summary>
public sealed class OutputRing
{
    public OutputRing(int slots, int slotBytes)
    {
        Slots = slots;
        SlotBytes = checked((int)FrameBatch.Align(slotBytes));
        Buffer = FrameBatch.AllocateAligned(checked(Slots * SlotBytes), out int start);
        Start = start;
    }

    public byte[] Buffer { get; }
    /// <summary>Where slot 0 begins in <see cref="Buffer"/>: its first 64-byte-aligned address.</summary>
    public int Start { get; }
    public int Slots { get; }
    public int SlotBytes { get; }

    public Span<byte> Slot(int index) => Buffer.AsSpan(Start + index * SlotBytes, SlotBytes);
}

internal static class RefExtensions
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref byte AddOffset(ref this byte source, int offset) => ref Unsafe.Add(ref source, offset);
}
