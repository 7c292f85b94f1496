using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Overlay.Replay.Merge;

/// <summary>The key and value lists of a tally as compact text: little-endian 64-bit words, base64.</summary>
internal static class TallyWords
{
    public static string Encode(ReadOnlySpan<ulong> words)
    {
        var bytes = new byte[words.Length * sizeof(ulong)];
        Span<ulong> view = MemoryMarshal.Cast<byte, ulong>(bytes.AsSpan());
        if (BitConverter.IsLittleEndian)
        {
            words.CopyTo(view);
        }
        else
        {
            BinaryPrimitives.ReverseEndianness(words, view);
        }
        return Convert.ToBase64String(bytes);
    }

    /// <summary>The words of <paramref name="text"/>; a malformed list is an <see cref="InvalidDataException"/> naming <paramref name="what"/>.</summary>
    public static ulong[] Decode(string? text, string what)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text ?? "");
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{what}: not base64");
        }
        if (bytes.Length % sizeof(ulong) != 0)
        {
            throw new InvalidDataException($"{what}: {bytes.Length} bytes is not a whole number of 64-bit words");
        }
        var words = new ulong[bytes.Length / sizeof(ulong)];
        ReadOnlySpan<ulong> view = MemoryMarshal.Cast<byte, ulong>(bytes.AsSpan());
        if (BitConverter.IsLittleEndian)
        {
            view.CopyTo(words);
        }
        else
        {
            BinaryPrimitives.ReverseEndianness(view, words);
        }
        return words;
    }
}
