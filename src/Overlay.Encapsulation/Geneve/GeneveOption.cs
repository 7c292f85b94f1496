using System.Buffers.Binary;

namespace Overlay.Encapsulation.Geneve;

/// <summary>One GENEVE TLV option (RFC 8926 §3.5): class, type (high bit = critical) and data in 4-byte words.</summary>
public sealed record GeneveOption
{
    public GeneveOption(ushort optionClass, byte type, ReadOnlyMemory<byte> data)
    {
        if (data.Length % GeneveHeader.WordLength != 0)
        {
            throw new ArgumentException($"GENEVE option data must be a multiple of 4 bytes; got {data.Length}.", nameof(data));
        }
        if (data.Length > GeneveHeader.MaxOptionDataLength)
        {
            throw new ArgumentException($"GENEVE option data is at most {GeneveHeader.MaxOptionDataLength} bytes (5-bit length in words); got {data.Length}.", nameof(data));
        }
        Class = optionClass;
        Type = type;
        Data = data.ToArray();
    }

    public ushort Class { get; }
    /// <summary>The Type byte; its high bit is the critical bit.</summary>
    public byte Type { get; }
    public ReadOnlyMemory<byte> Data { get; }
    public bool Critical => (Type & GeneveHeader.OptionCriticalType) != 0;
    public int EncodedLength => GeneveHeader.OptionHeaderLength + Data.Length;

    internal int WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(GeneveHeader.OptionClassOffset), Class);
        destination[GeneveHeader.OptionTypeOffset] = Type;
        destination[GeneveHeader.OptionLengthOffset] = (byte)(Data.Length / GeneveHeader.WordLength);
        Data.Span.CopyTo(destination.Slice(GeneveHeader.OptionHeaderLength));
        return EncodedLength;
    }

    /// <summary>Parses "CLASS:TYPE:HEX" (class and type in hex or decimal, data in hex), as the CLI takes it.</summary>
    public static GeneveOption Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(':');
        if (parts.Length is < 2 or > 3)
        {
            throw new FormatException($"GENEVE option '{text}' is not CLASS:TYPE[:HEX].");
        }
        ushort optionClass = (ushort)ParseNumber(parts[0], ushort.MaxValue, "class", text);
        byte type = (byte)ParseNumber(parts[1], byte.MaxValue, "type", text);
        byte[] data = parts.Length == 3 && parts[2].Length > 0 ? Convert.FromHexString(parts[2]) : [];
        return new GeneveOption(optionClass, type, data);
    }

    private static uint ParseNumber(string s, uint max, string what, string text)
    {
        bool ok = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(s.AsSpan(2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out uint value)
            : uint.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
        if (!ok || value > max)
        {
            throw new FormatException($"GENEVE option '{text}': {what} '{s}' is not a number in 0..{max}.");
        }
        return value;
    }

    public override string ToString() => $"0x{Class:x4}:0x{Type:x2}:{Convert.ToHexString(Data.Span)}";
}
