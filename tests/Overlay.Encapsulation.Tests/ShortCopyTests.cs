namespace Overlay.Encapsulation.Tests;

/// <summary>
/// The encoders' short copy against the runtime's: every length on both sides of each vector width, at misaligned
/// offsets, into a destination pre-filled with a marker (so a byte written past the length shows), and between
/// overlapping spans in both directions, where the result must be memmove's.
/// </summary>
public class ShortCopyTests
{
    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void CopiesEveryLengthExactlyAndNothingBeyond()
    {
        for (int length = 0; length <= 160; length++)
        {
            for (int offset = 0; offset < 4; offset++)
            {
                byte[] source = Pattern(offset + length, length);
                var destination = new byte[offset + length + 40];
                Array.Fill(destination, (byte)0xA5);
                byte[] expected = (byte[])destination.Clone();
                source.AsSpan(offset).CopyTo(expected.AsSpan(offset + 3));

                ShortCopy.CopyTo(source.AsSpan(offset), destination.AsSpan(offset + 3));

                Assert.True(expected.AsSpan().SequenceEqual(destination), $"length {length}, offset {offset}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(7)]
    [InlineData(-7)]
    [InlineData(33)]
    [InlineData(-33)]
    public void OverlappingSpansGiveMemmovesResult(int shift)
    {
        for (int length = 16; length <= 128; length++)
        {
            byte[] buffer = Pattern(length + 80, length);
            byte[] expected = (byte[])buffer.Clone();
            expected.AsSpan(40, length).CopyTo(expected.AsSpan(40 + shift));

            ShortCopy.CopyTo(buffer.AsSpan(40, length), buffer.AsSpan(40 + shift));

            Assert.True(expected.AsSpan().SequenceEqual(buffer), $"length {length}, shift {shift}");
        }
    }

    [Fact]
    public void ADestinationTooShortThrowsAsSpanCopyToDoes()
    {
        byte[] source = Pattern(64, 1);
        Assert.Throws<ArgumentException>(() => ShortCopy.CopyTo(source, new byte[63]));
    }
}
