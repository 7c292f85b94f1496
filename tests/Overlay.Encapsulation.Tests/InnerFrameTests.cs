using CsCheck;
using Overlay.Encapsulation.Tests.Support;

namespace Overlay.Encapsulation.Tests;

/// <summary>
/// The straight-line parse of the common untagged IPv4 / IPv6 frame reads exactly what the general parse reads,
/// field for field, on every frame it accepts; every other frame goes to the general parse.
/// </summary>
public class InnerFrameTests
{
    /// <summary>A valid frame, then damaged: a byte overwritten (version, IHL, lengths, EtherType, next header …), cut, or told longer on the wire.</summary>
    private static readonly Gen<(byte[] Frame, int OriginalLength)> Frames =
        Gen.Select(Gen.Int[4, 6], Gen.Int[0, 2], Gen.Int[38, 300], Gen.Int[0, 2], Gen.Int[0, 100], Gen.Byte, Gen.Int[-1, 3], Gen.Int[0, 80])
            .Select((version, l4, length, tags, at, value, damage, extra) =>
            {
                int ipVersion = version == 5 ? 4 : version;
                var protocol = (TestFrames.L4)(new byte[] { 1, 6, 17 }[l4]);
                byte[] frame = TestFrames.Ip(ipVersion, protocol, Math.Max(length, (ipVersion == 6 ? 62 : 42) + 12 + 4 * tags), vlanTags: tags == 2 ? 1 : 0, seed: at);
                switch (damage)
                {
                    case 0: frame[Math.Min(at, frame.Length - 1)] = value; break;                  // any byte
                    case 1: frame[12 + (at % 12)] = value; break;                                  // EtherType and the first IP header bytes
                    case 2: frame = frame[..Math.Max(14, frame.Length - at)]; break;               // cut short
                    case 3: frame[14 + 6] = value; break;                                          // IPv6 next header / IPv4 flags
                }
                return (frame, frame.Length + (extra > 40 ? extra : 0));
            });

    [Fact]
    public void The_fast_path_agrees_with_the_general_parse()
    {
        int fast = 0, all = 0;
        Frames.Sample((frame, originalLength) =>
        {
            foreach (bool withHash in new[] { true, false })
            {
                bool general = InnerFrame.TryParseAny(frame, originalLength, withHash, out InnerFrame expected);
                if (InnerFrame.TryParseUntagged(frame, originalLength, withHash, out InnerFrame actual))
                {
                    Assert.True(general);
                    Assert.Equal(expected, actual);
                    fast++;
                }
                Assert.True(InnerFrame.TryParse(frame, originalLength, withHash, out InnerFrame either) == general);
                Assert.Equal(expected, either);
                all++;
            }
        }, iter: 20000);
        // Most frames take the fast path, and a good share do not: both sides of the comparison are exercised.
        Assert.InRange(fast, all / 4, all - all / 10);
    }

    /// <summary>IPv6 without an extension header takes the fast path whatever its upper layer (ICMPv6, No Next Header, SCTP
    /// with its ports); an extension header, AH or a fragment header sends the frame to the general walk.</summary>
    [Theory]
    [InlineData(58, true)]
    [InlineData(59, true)]
    [InlineData(132, true)]
    [InlineData(0, false)]
    [InlineData(43, false)]
    [InlineData(44, false)]
    [InlineData(51, false)]
    [InlineData(60, false)]
    public void Ipv6_takes_the_fast_path_unless_an_extension_header_follows(byte nextHeader, bool fast)
    {
        byte[] frame = TestFrames.Ip(6, TestFrames.L4.Udp, 120);
        frame[14 + 6] = nextHeader;
        Assert.Equal(fast, InnerFrame.TryParseUntagged(frame, frame.Length, withFlowHash: true, out InnerFrame actual));
        Assert.True(InnerFrame.TryParseAny(frame, frame.Length, withFlowHash: true, out InnerFrame expected));
        if (fast)
        {
            Assert.Equal(expected, actual);
        }
    }
}
