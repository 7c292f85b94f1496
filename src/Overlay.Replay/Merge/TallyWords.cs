using System.Buffers.Binary;

namespace Overlay.Replay.Merge;

/// <summary>The key and value lists of a tally as compact text: little-endian 64-bit words, base64.</summary>
internal static class TallyWords
{
    public static string Encode(ReadOnlySpan<ulong> words)
    {
        var bytes = new byte[words.Length * sizeof(ulong)];
        for (int i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)), words[i]);
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
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)));
        }
        return words;
    }
}
