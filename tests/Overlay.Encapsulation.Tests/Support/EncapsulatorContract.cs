using System.Buffers;

namespace Overlay.Encapsulation.Tests.Support;

/// <summary>
/// The checks every golden vector goes through (the <see cref="IEncapsulator"/> contract): every byte written
/// whatever the destination held, copy and in-place forms identical, lengths agreeing, and a failed call leaving
/// the destination untouched without consuming per-packet state (GRE sequence number, IPv4 Identification).
/// </summary>
public static class EncapsulatorContract
{
    /// <summary>The fills the destination is pre-set to: a field the encoder forgets to write shows up as one of these.</summary>
    public static readonly byte[] Fills = [0x00, 0xA5, 0xFF];

    private const int Slack = 24;

    /// <summary>
    /// Asserts that a fresh encapsulator from <paramref name="create"/> turns <paramref name="inner"/> into exactly
    /// <paramref name="expectedHeader"/> followed by <paramref name="expectedPayload"/>, by every route.
    /// </summary>
    public static void Verify(Func<IEncapsulator> create, byte[] inner, byte[] expectedHeader, byte[] expectedPayload)
    {
        byte[] expected = [.. expectedHeader, .. expectedPayload];

        IEncapsulator probe = create();
        Assert.Equal(expectedHeader.Length, probe.HeaderLength);
        Assert.Equal(expected.Length, probe.GetEncapsulatedLength(inner));

        foreach (byte fill in Fills)
        {
            // Copy form: exactly the vector, nothing written past it.
            var destination = new byte[expected.Length + Slack];
            Array.Fill(destination, fill);
            OperationStatus status = create().Encapsulate(inner, destination, out int written);
            Assert.Equal(OperationStatus.Done, status);
            Assert.Equal(expected.Length, written);
            AssertBytes(expected, destination.AsSpan(0, written), $"copy form, destination filled with 0x{fill:X2}");
            Assert.True(destination.AsSpan(written).IndexOfAnyExcept(fill) < 0, $"copy form wrote past bytesWritten (fill 0x{fill:X2})");

            // In-place form: the frame after generous headroom; the outer headers land in the headroom.
            int headroom = expectedHeader.Length + Slack;
            byte[] buffer = InPlaceBuffer(inner, headroom, fill);
            status = create().EncapsulateInPlace(buffer, headroom, inner.Length, out int offset, out int length);
            Assert.Equal(OperationStatus.Done, status);
            Assert.Equal(expected.Length, length);
            AssertBytes(expected, buffer.AsSpan(offset, length), $"in-place form, headroom filled with 0x{fill:X2}");
            Assert.True(buffer.AsSpan(0, offset).IndexOfAnyExcept(fill) < 0, "in-place form wrote before packetOffset");
            Assert.True(buffer.AsSpan(headroom + inner.Length).IndexOfAnyExcept(fill) < 0, "in-place form wrote after the frame");
        }

        VerifyTooSmall(create, inner, expected);
    }

    /// <summary>
    /// Destination one byte short, headroom one byte short: <see cref="OperationStatus.DestinationTooSmall"/>, nothing
    /// written, and the next successful call still produces the vector (no sequence number or Identification consumed).
    /// </summary>
    private static void VerifyTooSmall(Func<IEncapsulator> create, byte[] inner, byte[] expected)
    {
        IEncapsulator e = create();
        var shortDestination = new byte[expected.Length - 1];
        Array.Fill(shortDestination, (byte)0xA5);
        Assert.Equal(OperationStatus.DestinationTooSmall, e.Encapsulate(inner, shortDestination, out int written));
        Assert.Equal(0, written);
        Assert.True(shortDestination.AsSpan().IndexOfAnyExcept((byte)0xA5) < 0, "a failed copy touched the destination");
        Assert.Equal(OperationStatus.DestinationTooSmall, e.Encapsulate(inner, Span<byte>.Empty, out written));
        Assert.Equal(0, written);

        // The least headroom that works is what the generous run left unused in front of the packet.
        int generous = expected.Length + Slack;
        byte[] probe = InPlaceBuffer(inner, generous, 0);
        Assert.Equal(OperationStatus.Done, create().EncapsulateInPlace(probe, generous, inner.Length, out int probeOffset, out _));
        int minimum = generous - probeOffset;

        byte[] tight = InPlaceBuffer(inner, minimum - 1, 0xA5);
        byte[] before = (byte[])tight.Clone();
        Assert.Equal(OperationStatus.DestinationTooSmall, e.EncapsulateInPlace(tight, minimum - 1, inner.Length, out int offset, out int length));
        Assert.Equal(0, offset);
        Assert.Equal(0, length);
        Assert.Equal(before, tight);

        byte[] exact = InPlaceBuffer(inner, minimum, 0xA5);
        Assert.Equal(OperationStatus.Done, e.EncapsulateInPlace(exact, minimum, inner.Length, out offset, out length));
        Assert.Equal(0, offset);
        AssertBytes(expected, exact.AsSpan(offset, length), "in-place form with the least headroom, after two failed calls");
    }

    /// <summary>The frame cannot be carried (a non-IP frame in L3 mode, an IP header cut short): InvalidData, -1, nothing written.</summary>
    public static void VerifyRejected(IEncapsulator e, byte[] inner)
    {
        Assert.Equal(-1, e.GetEncapsulatedLength(inner));
        var destination = new byte[inner.Length + 512];
        Array.Fill(destination, (byte)0xA5);
        Assert.Equal(OperationStatus.InvalidData, e.Encapsulate(inner, destination, out int written));
        Assert.Equal(0, written);
        Assert.True(destination.AsSpan().IndexOfAnyExcept((byte)0xA5) < 0, "a rejected copy touched the destination");

        byte[] buffer = InPlaceBuffer(inner, 512, 0xA5);
        byte[] before = (byte[])buffer.Clone();
        Assert.Equal(OperationStatus.InvalidData, e.EncapsulateInPlace(buffer, 512, inner.Length, out int offset, out int length));
        Assert.Equal(0, offset);
        Assert.Equal(0, length);
        Assert.Equal(before, buffer);
    }

    /// <summary>Encapsulates with the copy form into a fresh buffer and returns exactly the bytes written.</summary>
    public static byte[] Encapsulate(IEncapsulator e, ReadOnlySpan<byte> inner)
    {
        var destination = new byte[inner.Length + 1024];
        Assert.Equal(OperationStatus.Done, e.Encapsulate(inner, destination, out int written));
        return destination[..written];
    }

    /// <summary><paramref name="headroom"/> bytes of <paramref name="fill"/>, the frame, and some slack of <paramref name="fill"/> after it.</summary>
    public static byte[] InPlaceBuffer(byte[] inner, int headroom, byte fill)
    {
        var buffer = new byte[headroom + inner.Length + Slack];
        Array.Fill(buffer, fill);
        inner.CopyTo(buffer, headroom);
        return buffer;
    }

    /// <summary>Equal bytes, reported as hex with the first differing offset.</summary>
    public static void AssertBytes(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string because = "")
    {
        if (expected.SequenceEqual(actual))
        {
            return;
        }
        int at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
        {
            at++;
        }
        Assert.Fail($"{because}: bytes differ at offset {at} (lengths {expected.Length} / {actual.Length})\nexpected {Hex.Format(expected)}\nactual   {Hex.Format(actual)}");
    }

    /// <summary>The RFC 1071 Internet checksum, written out plainly so tests do not trust the library's vectorised one.</summary>
    public static ushort Rfc1071(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8) | (i + 1 < data.Length ? data[i + 1] : 0u);
        }
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}
