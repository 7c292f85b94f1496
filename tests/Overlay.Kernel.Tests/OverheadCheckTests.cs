using System.Net;
using Overlay.Encapsulation;

namespace Overlay.Kernel.Tests;

public class OverheadCheckTests
{
    private static readonly KernelVariant Vxlan = KernelVariants.All.Single(v => v.Name == "vxlan-ipv4");
    private static readonly KernelVariant Red = KernelVariants.All.Single(v => v.Name == "srv6-encaps-red-1sid");

    /// <summary>What the capture would hold if the kernel wrote exactly what the model writes, and decap gave back each frame.</summary>
    private static (List<byte[]> Outer, List<byte[]> Inner) Wire(KernelVariant variant, int[] sizes, int count)
    {
        IEncapsulator model = VariantCatalog.Find(variant.Name)!.Create();
        var outer = new List<byte[]>();
        var inner = new List<byte[]>();
        for (int i = 0; i < count; i++)
        {
            byte[] sent = OverheadCheck.SentFrame(sizes[i % sizes.Length], IPAddress.Parse(variant.Destination));
            var frame = new byte[model.GetEncapsulatedLength(sent)];
            Assert.Equal(System.Buffers.OperationStatus.Done, model.Encapsulate(sent, frame, out int written));
            Assert.Equal(frame.Length, written);
            outer.Add(frame);
            Assert.True(Decapsulator.TryDecapsulate(frame, out TunnelPacket packet).IsSuccess);
            byte[] back = packet.Inner == InnerKind.Ethernet ? packet.InnerOf(frame).ToArray() : [.. sent.AsSpan(0, 14), .. packet.InnerOf(frame)];
            inner.Add(back);
        }
        return (outer, inner);
    }

    [Theory]
    [InlineData("vxlan-ipv4", 50)]
    [InlineData("srv6-encaps-red-1sid", 40)]
    public void FramesOfTheModelsLengthThatDecapsulateToWhatWasSentAreExact(string name, int overhead)
    {
        KernelVariant variant = KernelVariants.All.Single(v => v.Name == name);
        int[] sizes = TrialRunner.PayloadSizes("imix", variant.InnerFamily);
        var (outer, inner) = Wire(variant, sizes, OverheadCheck.SamplePackets);
        var check = OverheadCheck.Compare(variant, "imix", VariantCatalog.Find(name)!.Create(), sizes, outer, inner);
        Assert.True(check.Exact, check.Problem);
        Assert.Equal([overhead], check.OverheadMeasured);
        Assert.Equal(overhead, check.OverheadModel);
        Assert.Equal(OverheadCheck.SamplePackets, check.LengthMatches);
        Assert.Equal(OverheadCheck.SamplePackets, check.DecapMatches);
    }

    [Fact]
    public void AFrameLongerThanTheModelIsNotExactAndSaysWhichAndByHowMuch()
    {
        int[] sizes = [64];
        var (outer, inner) = Wire(Vxlan, sizes, OverheadCheck.SamplePackets);
        outer[3] = [.. outer[3], 0, 0, 0, 0, 0, 0, 0, 0];
        var check = OverheadCheck.Compare(Vxlan, "64", VariantCatalog.Find("vxlan-ipv4")!.Create(), sizes, outer, inner);
        Assert.False(check.Exact);
        Assert.Equal(OverheadCheck.SamplePackets - 1, check.LengthMatches);
        Assert.Equal([50, 58], check.OverheadMeasured);
        Assert.Contains("frame 4: 164 B on the underlay, the model writes 156 B", check.Problem);
    }

    [Fact]
    public void AnInnerPacketWithOnePayloadByteChangedIsNotGivenBack()
    {
        int[] sizes = [64];
        var (outer, inner) = Wire(Red, sizes, OverheadCheck.SamplePackets);
        inner[5][^1] ^= 0xFF;
        var check = OverheadCheck.Compare(Red, "64", VariantCatalog.Find(Red.Name)!.Create(), sizes, outer, inner);
        Assert.False(check.Exact);
        Assert.Equal(OverheadCheck.SamplePackets - 1, check.DecapMatches);
        Assert.Contains("frame 6: `overlay decap` did not give back", check.Problem);
    }

    [Fact]
    public void ASampleCutShortIsNotExact()
    {
        int[] sizes = [64];
        var (outer, inner) = Wire(Vxlan, sizes, OverheadCheck.SamplePackets - 2);
        var check = OverheadCheck.Compare(Vxlan, "64", VariantCatalog.Find("vxlan-ipv4")!.Create(), sizes, outer, inner);
        Assert.False(check.Exact);
        Assert.StartsWith($"{OverheadCheck.SamplePackets - 2} of {OverheadCheck.SamplePackets} packets captured", check.Problem);
    }

    [Theory]
    [InlineData(14 + 2, 0x01)]   // IP header length
    [InlineData(14 + 9, 6)]      // protocol
    [InlineData(14 + 19, 9)]     // destination address
    [InlineData(14 + 20 + 3, 1)] // destination port
    [InlineData(14 + 20 + 8, 0)] // first payload byte
    public void CarriesSentChecksAddressesPortLengthsAndPayload(int offset, byte value)
    {
        byte[] sent = OverheadCheck.SentFrame(64, IPAddress.Parse("10.200.3.2"));
        Assert.True(OverheadCheck.CarriesSent(sent, sent));
        byte[] changed = [.. sent];
        changed[offset] = changed[offset] == value ? (byte)(value + 1) : value;
        Assert.False(OverheadCheck.CarriesSent(changed, sent));
        Assert.False(OverheadCheck.CarriesSent(sent.AsSpan(0, sent.Length - 1), sent));
    }
}
