using System.Buffers;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Tests.Support;

namespace Overlay.Encapsulation.Tests;

/// <summary>
/// The allocation windows run alone: a thread's allocation counter can jump by an allocation context (up to 8 KB) when
/// another test's garbage collection interrupts the window, which would read as allocation by the code under test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationWindows
{
    public const string Name = "allocation windows";
}

/// <summary>
/// The per-packet paths allocate nothing (DESIGN.md: "bytes allocated per packet, target 0"): encapsulation in
/// both forms, decapsulation and the SRv6 endpoint behaviors, measured with the runtime's own per-thread
/// counter after a warm-up, so that JIT tiering and first-call initialisation are not counted (see
/// <see cref="AllocationWindow"/> for the recompilation that can still land after it). Not a timing test.
/// </summary>
[Collection(AllocationWindows.Name)]
public class AllocationTests
{
    private const int Packets = 10_000;
    private const int WarmUp = 2_000;

    public static TheoryData<string> Variants() => new(VariantCatalog.All.Select(v => v.Name));

    private static readonly byte[][] Inners =
    [
        TestFrames.Ip(4, TestFrames.L4.Tcp, 60, padding: 6),
        TestFrames.Ip(6, TestFrames.L4.Udp, 1514, flowLabel: 0x54321),
        TestFrames.Ip(4, TestFrames.L4.Icmp, 300, vlanTags: 2),
        TestFrames.Ip(6, TestFrames.L4.Tcp, 9000, vlanTags: 1),
        TestFrames.Arp(),
    ];

    private static byte[][] Carried(IEncapsulator encapsulator) => Inners.Where(f => encapsulator.GetEncapsulatedLength(f) >= 0).ToArray();

    [Theory]
    [MemberData(nameof(Variants))]
    public void Encapsulating_by_copy_allocates_nothing(string name)
    {
        IEncapsulator encapsulator = VariantCatalog.Find(name)!.Create();
        byte[][] frames = Carried(encapsulator);
        var destination = new byte[16 * 1024];
        Assert.Equal(WarmUp, EncapsulateCopies(encapsulator, frames, destination, WarmUp));

        long allocated = AllocationWindow.Fewest(() => EncapsulateCopies(encapsulator, frames, destination, Packets), Packets);
        Assert.True(allocated == 0, $"{name}: {allocated} bytes over {Packets} copy encapsulations");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Encapsulating_in_place_allocates_nothing(string name)
    {
        IEncapsulator encapsulator = VariantCatalog.Find(name)!.Create();
        byte[][] frames = Carried(encapsulator);
        var buffer = new byte[16 * 1024];
        Assert.Equal(WarmUp, EncapsulateInPlace(encapsulator, frames, buffer, WarmUp));

        long allocated = AllocationWindow.Fewest(() => EncapsulateInPlace(encapsulator, frames, buffer, Packets), Packets);
        Assert.True(allocated == 0, $"{name}: {allocated} bytes over {Packets} in-place encapsulations");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Decapsulating_allocates_nothing(string name)
    {
        IEncapsulator encapsulator = VariantCatalog.Find(name)!.Create();
        byte[][] outers = Carried(encapsulator).Select(f => OuterFrames.Encapsulate(encapsulator, f)).ToArray();
        Assert.Equal(WarmUp, Decapsulate(outers, WarmUp));

        long allocated = AllocationWindow.Fewest(() => Decapsulate(outers, Packets), Packets);
        Assert.True(allocated == 0, $"{name}: {allocated} bytes over {Packets} decapsulations");
    }

    [Theory]
    [InlineData("srv6-encaps-3sid", false)]
    [InlineData("srv6-encaps-red-3sid", false)]
    [InlineData("srv6-encaps-l2-3sid", false)]
    [InlineData("srv6-csid-8sid", true)]
    [InlineData("srv6-csid-l2-3sid", true)]
    public void Srv6_endpoint_steps_allocate_nothing(string name, bool nextCsid)
    {
        byte[] pristine = OuterFrames.Encapsulate(name, Inners[1]);
        var work = new byte[pristine.Length];
        Assert.Equal(WarmUp, EndpointSteps(pristine, work, nextCsid, WarmUp));

        long allocated = AllocationWindow.Fewest(() => EndpointSteps(pristine, work, nextCsid, Packets), Packets);
        Assert.True(allocated == 0, $"{name}: {allocated} bytes over {Packets} {(nextCsid ? "End with NEXT-CSID" : "End")} steps");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Encapsulating_in_batches_allocates_nothing(string name)
    {
        IEncapsulator encapsulator = VariantCatalog.Find(name)!.Create();
        byte[][] frames = Carried(encapsulator);
        // Every carried frame twice, a 2 KB headroom before each: one batch of 6 to 10 frames, run over and over in both forms.
        int n = 2 * frames.Length, slot = 2048 + 9000;
        var source = new byte[n * slot];
        var offsets = new int[n];
        var lengths = new int[n];
        for (int i = 0; i < n; i++)
        {
            (offsets[i], lengths[i]) = (i * slot + 2048, frames[i % frames.Length].Length);
            frames[i % frames.Length].CopyTo(source, offsets[i]);
        }
        byte[] pristine = source.ToArray();
        var destination = new byte[n * 10_000];
        var statuses = new OperationStatus[n];
        var written = new int[n];
        var packetOffsets = new int[n];
        int Run(int rounds)
        {
            int done = 0;
            for (int r = 0; r < rounds; r++)
            {
                encapsulator.EncapsulateBatch(source, offsets, lengths, destination, 10_000, statuses, written);
                done += DoneIn(statuses);
                encapsulator.EncapsulateInPlaceBatch(source, offsets, lengths, packetOffsets, written, statuses);
                done += DoneIn(statuses);
                for (int i = 0; i < n; i++)
                {
                    // Only the heads change in place (outer headers, NVGRE's slid MAC addresses): a short window, few bytes put back.
                    pristine.AsSpan(offsets[i] - 512, 512 + 64).CopyTo(source.AsSpan(offsets[i] - 512));
                }
            }
            return done;
        }
        Assert.Equal(2 * n * (WarmUp / n), Run(WarmUp / n));

        long allocated = AllocationWindow.Fewest(() => Run(Packets / n), 2 * n * (Packets / n));
        Assert.True(allocated == 0, $"{name}: {allocated} bytes over {2 * n * (Packets / n)} batch encapsulations");
    }

    private static int DoneIn(OperationStatus[] statuses)
    {
        int done = 0;
        foreach (OperationStatus status in statuses)
        {
            done += status == OperationStatus.Done ? 1 : 0;
        }
        return done;
    }

    private static int EncapsulateCopies(IEncapsulator encapsulator, byte[][] frames, byte[] destination, int count)
    {
        int done = 0;
        for (int i = 0; i < count; i++)
        {
            if (encapsulator.Encapsulate(frames[i % frames.Length], destination, out int written) == OperationStatus.Done && written > 0)
            {
                done++;
            }
        }
        return done;
    }

    private static int EncapsulateInPlace(IEncapsulator encapsulator, byte[][] frames, byte[] buffer, int count)
    {
        int done = 0;
        int headroom = encapsulator.HeaderLength;
        for (int i = 0; i < count; i++)
        {
            // NVGRE slides the MAC addresses over the tags, so every packet starts from a fresh copy, as in an arena.
            byte[] frame = frames[i % frames.Length];
            frame.CopyTo(buffer.AsSpan(headroom));
            if (encapsulator.EncapsulateInPlace(buffer, headroom, frame.Length, out _, out int length) == OperationStatus.Done && length > 0)
            {
                done++;
            }
        }
        return done;
    }

    private static int Decapsulate(byte[][] outers, int count)
    {
        int done = 0;
        for (int i = 0; i < count; i++)
        {
            if (Decapsulator.TryDecapsulate(outers[i % outers.Length], out TunnelPacket packet).IsSuccess && packet.InnerLength > 0)
            {
                done++;
            }
        }
        return done;
    }

    /// <summary>Walks the path hop by hop, starting again from the headend's packet when the last segment is reached.</summary>
    private static int EndpointSteps(byte[] pristine, byte[] work, bool nextCsid, int count)
    {
        int forwarded = 0;
        pristine.CopyTo(work, 0);
        while (forwarded < count)
        {
            EndResult result = nextCsid ? Srv6Endpoint.EndNextCsid(work, CompressedSidFormat.Default) : Srv6Endpoint.End(work);
            if (result.IsForwarded)
            {
                forwarded++;
            }
            else if (result.Status == EndStatus.SegmentsLeftZero)
            {
                pristine.CopyTo(work, 0);
            }
            else
            {
                return -1;
            }
        }
        return forwarded;
    }
}
