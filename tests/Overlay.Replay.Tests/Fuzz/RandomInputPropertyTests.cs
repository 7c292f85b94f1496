using CsCheck;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Tests.Support;
using Overlay.Fuzz;

namespace Overlay.Replay.Tests.Fuzz;

/// <summary>
/// The second line behind the fuzzer (fuzz/run.sh): CsCheck feeds random bytes, and valid frames and captures with a few
/// bytes overwritten and their ends cut, to the same targets: the decapsulator on every protocol, SRv6 End and
/// End with NEXT-CSID, the link-type normaliser, the capture reader, and every encapsulator. None may throw or break
/// its contract (see <see cref="FuzzTargets"/>). Single-threaded: the targets share their buffers.
/// </summary>
[Collection(FuzzHarness.Name)]
public class RandomInputPropertyTests
{
    private const int Iterations = 20_000;

    /// <summary>Inner frames of every shape the encapsulators treat differently, and every variant's output for them.</summary>
    private static readonly byte[][] InnerFrames =
    [
        TestFrames.Ip(4, TestFrames.L4.Udp, 100),
        TestFrames.Ip(6, TestFrames.L4.Tcp, 200, vlanTags: 1),
        TestFrames.Ip(4, TestFrames.L4.Icmp, 80, vlanTags: 2, padding: 6),
        TestFrames.Ip(6, TestFrames.L4.Udp, 1514),
    ];

    private static readonly byte[][] Encapsulated = VariantCatalog.All
        .SelectMany(v => InnerFrames.Select(f => Encapsulate(v.Create(), f)))
        .Where(p => p is not null)
        .Select(p => p!)
        .ToArray();

    private static readonly byte[][] Srv6Packets = Encapsulated
        .Where(p => Decapsulator.TryDecapsulate(p, out TunnelPacket t).IsSuccess && t.Protocol == TunnelProtocol.Srv6)
        .ToArray();

    /// <summary>A few bytes overwritten, and sometimes the end cut off.</summary>
    private static Gen<byte[]> Mutated(byte[][] valid) => Gen.Select(
        Gen.Int[0, valid.Length - 1],
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte).Array[1, 6],
        Gen.Frequency((3, (IGen<int>)Gen.Const(0)), (1, Gen.Int[1, 200])),
        (index, writes, cut) =>
        {
            byte[] bytes = (byte[])valid[index].Clone();
            foreach ((int at, byte value) in writes)
            {
                bytes[at % bytes.Length] = value;
            }
            return bytes.AsSpan(0, Math.Max(0, bytes.Length - cut)).ToArray();
        });

    private static readonly Gen<byte[]> RandomBytes = Gen.Byte.Array[0, 300];

    [Fact]
    public void Decapsulator_never_throws_on_random_bytes() =>
        RandomBytes.Sample(bytes => FuzzHarness.Run("decap", bytes), iter: Iterations, threads: 1);

    [Fact]
    public void Decapsulator_never_throws_on_mutated_tunnel_packets_of_every_protocol()
    {
        Assert.Contains(Encapsulated, p => p.Length > 0);
        Assert.Equal(Enum.GetValues<TunnelProtocol>().Length, Encapsulated.Select(p => Decapsulator.TryDecapsulate(p, out TunnelPacket t).IsSuccess ? t.Protocol : TunnelProtocol.None).Distinct().Count(x => x != TunnelProtocol.None) + 1);
        Mutated(Encapsulated).Sample(bytes => FuzzHarness.Run("decap", bytes), iter: Iterations, threads: 1);
    }

    [Fact]
    public void Srv6_End_never_throws_and_leaves_a_refused_packet_untouched()
    {
        Assert.NotEmpty(Srv6Packets);
        Mutated(Srv6Packets).Sample(bytes => FuzzHarness.Run("srv6-end", bytes), iter: Iterations, threads: 1);
        RandomBytes.Sample(bytes => FuzzHarness.Run("srv6-end", bytes), iter: Iterations / 4, threads: 1);
    }

    [Fact]
    public void Srv6_End_with_NEXT_CSID_never_throws_in_any_format()
    {
        Gen.Select(Gen.Byte, Mutated(Srv6Packets), (format, bytes) => (byte[])[format, .. bytes])
            .Sample(bytes => FuzzHarness.Run("srv6-end-csid", bytes), iter: Iterations, threads: 1);
    }

    [Fact]
    public void Link_normaliser_never_throws_on_any_link_type()
    {
        Gen.Select(Gen.Byte, Gen.OneOf(RandomBytes, Mutated(InnerFrames)), (link, bytes) => (byte[])[link, .. bytes])
            .Sample(bytes => FuzzHarness.Run("link-normaliser", bytes), iter: Iterations, threads: 1);
    }

    [Fact]
    public void Every_encapsulator_round_trips_or_refuses_any_frame()
    {
        Gen.Select(Gen.Byte, Gen.OneOf(Mutated(InnerFrames), Mutated(Encapsulated), RandomBytes), (variant, bytes) => (byte[])[variant, .. bytes])
            .Sample(bytes => FuzzHarness.Run("encap", bytes), iter: Iterations, threads: 1);
    }

    [Fact]
    public void Capture_reader_never_throws_on_mutated_pcap_and_pcapng_files()
    {
        byte[][] records = [InnerFrames[0], Encapsulated[0], InnerFrames[1]];
        byte[][] files =
        [
            Seeds.Pcap(1, records, nanoseconds: false),
            Seeds.Pcap(1, records, nanoseconds: true),
            Seeds.Pcap(101, [.. records.Select(r => r[14..])], nanoseconds: false),
            Seeds.PcapNg(1, records, unknownBlock: true),
            Seeds.PcapNg(113, [.. records.Select(r => (byte[])[.. new byte[14], 0x08, 0x00, .. r[14..]])], unknownBlock: false),
        ];
        Mutated(files).Sample(bytes => FuzzHarness.Run("capture-reader", bytes), iter: 3_000, threads: 1);
        RandomBytes.Sample(bytes => FuzzHarness.Run("capture-reader", bytes), iter: 500, threads: 1);
    }

    private static byte[]? Encapsulate(IEncapsulator encapsulator, byte[] frame)
    {
        var output = new byte[frame.Length + encapsulator.HeaderLength];
        return encapsulator.Encapsulate(frame, output, out int written) == System.Buffers.OperationStatus.Done ? output[..written] : null;
    }
}
