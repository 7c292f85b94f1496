using System.Buffers.Binary;
using Overlay.Encapsulation.Headers;
using Overlay.Encapsulation.Tests.Support;

namespace Overlay.Encapsulation.Tests;

/// <summary>
/// A hostile or cut capture must never crash the decoder: every prefix of every variant's output is a typed
/// failure, never an exception, with an offset inside the bytes it was given.
/// </summary>
public class TruncationTests
{
    public static TheoryData<string> Variants() => new(VariantCatalog.All.Select(v => v.Name));

    /// <summary>The sample frames the variant can carry (all but ARP in L3 mode), encapsulated.</summary>
    private static List<(string Name, byte[] Outer)> Outputs(IEncapsulator encapsulator)
    {
        var outputs = new List<(string, byte[])>();
        foreach ((string name, byte[] inner) in TestFrames.Samples())
        {
            if (encapsulator.GetEncapsulatedLength(inner) < 0)
            {
                Assert.Equal(PayloadMode.L3, encapsulator.Mode);
                continue;
            }
            outputs.Add((name, OuterFrames.Encapsulate(encapsulator, inner)));
        }
        // Every variant carries the six IPv4 samples or the four IPv6 ones at least (an IP-in-IP tunnel carries one family).
        Assert.True(outputs.Count >= 4, $"{encapsulator.Name} carried {outputs.Count} sample frames");
        return outputs;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_truncation_of_the_output_is_a_typed_failure_within_the_frame(string name)
    {
        IEncapsulator encapsulator = VariantCatalog.Find(name)!.Create();
        foreach ((string frameName, byte[] outer) in Outputs(encapsulator))
        {
            Assert.True(Decapsulator.TryDecapsulate(outer, out _).IsSuccess, $"{name}/{frameName} whole");
            for (int length = 0; length < outer.Length; length++)
            {
                DecapResult result = Decapsulate(outer.AsSpan(0, length), name, frameName);
                // An offset equal to the length points at the end: "a header begins here and is missing".
                if (result.IsSuccess || result.Offset < 0 || result.Offset > length)
                {
                    Assert.Fail($"{name}/{frameName} cut to {length} of {outer.Length} bytes: {result}");
                }
            }
        }
    }

    /// <summary>
    /// The harder cut: the outer IP packet shortened by its own length field (and the UDP length), checksums
    /// resealed, so that only the tunnel headers' own checks stand between the decoder and a short read. Every
    /// length that ends inside the tunnel headers, or leaves less than a header of inner frame, must fail.
    /// </summary>
    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_ip_length_that_cuts_into_the_tunnel_headers_is_a_typed_failure(string name)
    {
        IEncapsulator encapsulator = VariantCatalog.Find(name)!.Create();
        foreach ((string frameName, byte[] outer) in Outputs(encapsulator))
        {
            bool ipv6 = BinaryPrimitives.ReadUInt16BigEndian(outer.AsSpan(Ethernet.EtherTypeOffset)) == Ethernet.EtherTypeIPv6;
            int ip = Ethernet.HeaderLength;
            int l4 = ip + (ipv6 ? Ipv6.HeaderLength : Ipv4.MinHeaderLength);
            bool udp = outer[ip + (ipv6 ? Ipv6.NextHeaderOffset : Ipv4.ProtocolOffset)] == Ipv4.ProtocolUdp;
            int leastInner = encapsulator.Mode == PayloadMode.L2 ? Ethernet.HeaderLength : 1;
            for (int payload = 0; payload < encapsulator.HeaderLength - l4 + leastInner; payload++)
            {
                byte[] cut = outer.ToArray();
                if (ipv6)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(cut.AsSpan(ip + Ipv6.PayloadLengthOffset), (ushort)payload);
                }
                else
                {
                    BinaryPrimitives.WriteUInt16BigEndian(cut.AsSpan(ip + Ipv4.TotalLengthOffset), (ushort)(Ipv4.MinHeaderLength + payload));
                }
                if (udp && payload >= Udp.HeaderLength)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(cut.AsSpan(l4 + Udp.LengthOffset), (ushort)payload);
                }
                OuterFrames.Reseal(cut);
                DecapResult result = Decapsulate(cut, name, frameName);
                if (result.IsSuccess || result.Offset < 0 || result.Offset > l4 + payload)
                {
                    Assert.Fail($"{name}/{frameName} with an IP payload of {payload} bytes: {result}");
                }
            }
        }
    }

    private static DecapResult Decapsulate(ReadOnlySpan<byte> frame, string name, string frameName)
    {
        try
        {
            return Decapsulator.TryDecapsulate(frame, out _);
        }
        catch (Exception e)
        {
            Assert.Fail($"{name}/{frameName}, {frame.Length} bytes: {e}");
            throw;
        }
    }
}
