using System.Buffers.Binary;
using System.Text;
using CsCheck;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Tests.Support;
using static Overlay.Encapsulation.Tests.Support.GoldenFrames;

namespace Overlay.Encapsulation.Tests;

/// <summary>
/// The flow hash is CRC32C of the flow key: the CPU's instruction and the portable table give the same values, both equal
/// a bitwise CRC32C written from the polynomial (<see cref="ReferenceFlowHash"/>) over a key assembled from the rules, and
/// the golden vectors' entropy fields are what that reference derives for the golden flows.
/// </summary>
public class Crc32CFlowHashTests
{
    [Fact]
    public void The_reference_gives_the_standard_check_value()
    {
        // RFC 3720 B.4 / the CRC catalogue's CRC-32/ISCSI: CRC32C("123456789") = 0xE3069283.
        Assert.Equal(0xE3069283u, ReferenceFlowHash.Crc32C(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, ReferenceFlowHash.Crc32C([]));
    }

    [Fact]
    public void Hardware_and_portable_steps_agree_and_chain_to_the_reference() =>
        Gen.Select(Gen.UInt, Gen.ULong, Gen.UInt).Sample((crc, eight, four) =>
        {
            Assert.Equal(PortableCrc32C.Update(crc, eight), HardwareCrc32C.Update(crc, eight));
            Assert.Equal(PortableCrc32C.Update(crc, four), HardwareCrc32C.Update(crc, four));
            var bytes = new byte[12];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, eight);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), four);
            Assert.Equal(ReferenceFlowHash.Crc32C(bytes), ~HardwareCrc32C.Update(HardwareCrc32C.Update(uint.MaxValue, eight), four));
        }, iter: 5000);

    [Fact]
    public void This_machine_hashes_with_the_instruction_where_it_has_one()
    {
        // The agreement above compares two different code paths only where the CPU has the instruction.
        if (System.Runtime.Intrinsics.X86.Sse42.X64.IsSupported || System.Runtime.Intrinsics.Arm.Crc32.Arm64.IsSupported)
        {
            Assert.True(HardwareCrc32C.IsAccelerated);
        }
    }

    /// <summary>A random IPv4 packet: its 5-tuple, options, fragment word and protocol vary; bytes after the ports are random.</summary>
    public sealed record V4(uint Source, uint Destination, byte Protocol, ushort SourcePort, ushort DestinationPort, int OptionWords, ushort FlagsFragment, int Payload)
    {
        public byte[] Packet()
        {
            int ihl = 20 + 4 * OptionWords;
            var packet = new byte[ihl + Payload];
            new Random((int)Source).NextBytes(packet);
            packet[0] = (byte)(0x40 | (ihl / 4));
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(Ipv4.TotalLengthOffset), (ushort)packet.Length);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(Ipv4.FlagsFragmentOffset), FlagsFragment);
            packet[Ipv4.ProtocolOffset] = Protocol;
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(Ipv4.SourceOffset), Source);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(Ipv4.DestinationOffset), Destination);
            if (Payload >= 4)
            {
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(ihl), SourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(ihl + 2), DestinationPort);
            }
            return packet;
        }

        /// <summary>The hash by the rules: ports only for TCP, UDP and SCTP, not in any fragment, not when cut short.</summary>
        public uint Expected()
        {
            bool fragment = (FlagsFragment & 0x3FFF) != 0; // MF or a non-zero offset
            bool ports = Protocol is 6 or 17 or 132 && !fragment && Payload >= 4;
            var source = new byte[4];
            var destination = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(source, Source);
            BinaryPrimitives.WriteUInt32BigEndian(destination, Destination);
            return ReferenceFlowHash.Crc32C(ReferenceFlowHash.IpKey(source, destination, Protocol,
                ports ? SourcePort : (ushort)0, ports ? DestinationPort : (ushort)0));
        }
    }

    private static readonly Gen<byte> Protocols = Gen.Int[0, 5].Select(i => new byte[] { 1, 6, 17, 132, 47, 50 }[i]);

    private static readonly Gen<V4> V4Gen = Gen.Select(Gen.UInt, Gen.UInt, Protocols, Gen.UShort, Gen.UShort, Gen.Int[0, 10],
        Gen.OneOf(Gen.Const((ushort)0), Gen.Const(Ipv4.DontFragmentFlag), Gen.Const(Ipv4.MoreFragmentsFlag), Gen.UShort), Gen.Int[0, 64],
        (s, d, p, sp, dp, o, f, n) => new V4(s, d, p, sp, dp, o, f, n));

    [Fact]
    public void Ipv4_hash_is_the_crc32c_of_the_key_on_both_paths() =>
        V4Gen.Sample(v4 =>
        {
            byte[] packet = v4.Packet();
            uint expected = v4.Expected();
            Assert.Equal(expected, FlowHash.OfIpv4(packet));
            Assert.Equal(expected, FlowHash.OfIpv4<PortableCrc32C>(packet));
        }, iter: 3000);

    /// <summary>A random IPv6 packet, with or without a Hop-by-Hop or Destination Options header before the upper layer.</summary>
    public sealed record V6(byte[] Source, byte[] Destination, byte Protocol, ushort SourcePort, ushort DestinationPort, int ExtensionUnits, bool Fragment, int Payload)
    {
        public byte[] Packet()
        {
            int extensions = (ExtensionUnits > 0 ? 8 * ExtensionUnits : 0) + (Fragment ? 8 : 0);
            var packet = new byte[40 + extensions + Payload];
            new Random(Source[0] | Destination[1] << 8).NextBytes(packet);
            byte first = ExtensionUnits > 0 ? Ipv6.NextHeaderDestinationOptions : Fragment ? Ipv6.NextHeaderFragment : Protocol;
            Ipv6.Write(packet, 0, 0, first, 64, Source, Destination);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(Ipv6.PayloadLengthOffset), (ushort)(packet.Length - 40));
            int at = 40;
            if (ExtensionUnits > 0)
            {
                packet[at] = Fragment ? Ipv6.NextHeaderFragment : Protocol;
                packet[at + 1] = (byte)(ExtensionUnits - 1);
                at += 8 * ExtensionUnits;
            }
            if (Fragment)
            {
                packet[at] = Protocol;
                at += 8;
            }
            if (Payload >= 4)
            {
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at), SourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at + 2), DestinationPort);
            }
            return packet;
        }

        public uint Expected()
        {
            bool ports = Protocol is 6 or 17 or 132 && !Fragment && Payload >= 4;
            return ReferenceFlowHash.Crc32C(ReferenceFlowHash.IpKey(Source, Destination, Protocol,
                ports ? SourcePort : (ushort)0, ports ? DestinationPort : (ushort)0));
        }
    }

    private static readonly Gen<V6> V6Gen = Gen.Select(Gen.Byte.Array[16], Gen.Byte.Array[16], Protocols, Gen.UShort, Gen.UShort,
        Gen.Int[0, 3], Gen.Bool, Gen.Int[0, 64], (s, d, p, sp, dp, e, f, n) => new V6(s, d, p, sp, dp, e, f, n));

    [Fact]
    public void Ipv6_hash_is_the_crc32c_of_the_key_on_both_paths() =>
        V6Gen.Sample(v6 =>
        {
            byte[] packet = v6.Packet();
            uint expected = v6.Expected();
            Assert.Equal(expected, FlowHash.OfIpv6(packet));
            Assert.Equal(expected, FlowHash.OfIpv6<PortableCrc32C>(packet));
        }, iter: 3000);

    [Fact]
    public void Non_ip_hash_is_the_crc32c_of_the_mac_addresses_on_both_paths() =>
        Gen.Byte.Array[12].Sample(macs =>
        {
            uint expected = ReferenceFlowHash.Crc32C(ReferenceFlowHash.MacKey(macs.AsSpan(0, 6), macs.AsSpan(6)));
            Assert.Equal(expected, FlowHash.OfAddresses(macs));
            Assert.Equal(expected, FlowHash.OfAddresses<PortableCrc32C>(macs));
        }, iter: 2000);

    [Fact]
    public void Any_bytes_hash_alike_on_both_paths() =>
        // Whatever the header holds (garbage protocols, extension chains cut short), the two paths never disagree.
        Gen.Select(Gen.Byte.Array[40, 120], Gen.Bool).Sample((packet, six) =>
        {
            if (six)
            {
                Assert.Equal(FlowHash.OfIpv6<PortableCrc32C>(packet), FlowHash.OfIpv6(packet));
            }
            else
            {
                packet[0] = (byte)(0x40 | Math.Max(5, packet[0] & 0x0F));
                if (Ipv4.HeaderLength(packet) <= packet.Length)
                {
                    Assert.Equal(FlowHash.OfIpv4<PortableCrc32C>(packet), FlowHash.OfIpv4(packet));
                }
            }
        }, iter: 3000);

    [Fact]
    public void The_golden_vectors_entropy_follows_from_the_reference()
    {
        uint v4 = ReferenceFlowHash.GoldenV4, v6 = ReferenceFlowHash.GoldenV6, arp = ReferenceFlowHash.GoldenArp;
        Assert.Equal(Convert.ToUInt32(V4FlowLabelHex, 16), ReferenceFlowHash.FlowLabel(v4));
        Assert.Equal(Convert.ToUInt32(V6FlowLabelHex, 16), ReferenceFlowHash.FlowLabel(v6));
        Assert.Equal(Convert.ToUInt16(V4PortHex, 16), ReferenceFlowHash.Port(v4, 49152, 65535));
        Assert.Equal(V4PortLinux, ReferenceFlowHash.Port(v4, 32768, 60999));
        Assert.Equal(Convert.ToUInt16(V6PortHex, 16), ReferenceFlowHash.Port(v6, 49152, 65535));
        Assert.Equal(Convert.ToByte(V4FlowIdHex, 16), ReferenceFlowHash.FlowId(v4));
        Assert.Equal(Convert.ToByte(V6FlowIdHex, 16), ReferenceFlowHash.FlowId(v6));
        Assert.Equal(Convert.ToByte(ArpFlowIdHex, 16), ReferenceFlowHash.FlowId(arp));
        // The reference's keys are the golden frames' flows: the library hashes those frames to the same values.
        Assert.True(InnerFrame.TryParse(InnerV4, out InnerFrame innerV4));
        Assert.True(InnerFrame.TryParse(InnerV6, out InnerFrame innerV6));
        Assert.True(InnerFrame.TryParse(TestFrames.Arp(), out InnerFrame innerArp));
        Assert.Equal((v4, v6, arp), (innerV4.FlowHash, innerV6.FlowHash, innerArp.FlowHash));
    }
}
