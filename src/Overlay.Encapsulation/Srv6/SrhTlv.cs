namespace Overlay.Encapsulation.Srv6;

/// <summary>
/// One SRH TLV (RFC 8754 §2.1): Type, Length (of the data, in bytes) and data, after the segment list. The SRH is
/// padded to a multiple of 8 bytes with Pad1 / PadN TLVs (§2.1.1).
/// </summary>
public sealed record SrhTlv
{
    public const byte Pad1 = 0;
    public const byte PadN = 4;
    /// <summary>Types 124-126 are reserved for experimentation (RFC 8754 §8.2): opaque per-packet metadata uses 124.</summary>
    public const byte ExperimentalMetadata = 124;
    public const int HeaderLength = 2;

    public SrhTlv(byte type, ReadOnlyMemory<byte> data)
    {
        if (type is Pad1 or PadN)
        {
            throw new ArgumentException("Padding TLVs are added by the encoder, not configured.", nameof(type));
        }
        if (data.Length > byte.MaxValue)
        {
            throw new ArgumentException($"An SRH TLV carries at most 255 bytes of data; got {data.Length}.", nameof(data));
        }
        Type = type;
        Data = data.ToArray();
    }

    public byte Type { get; }
    public ReadOnlyMemory<byte> Data { get; }
    public int EncodedLength => HeaderLength + Data.Length;

    /// <summary>Bytes the TLVs take once padded to the SRH's 8-byte multiple.</summary>
    public static int PaddedLength(IReadOnlyList<SrhTlv> tlvs)
    {
        int length = 0;
        foreach (SrhTlv tlv in tlvs)
        {
            length += tlv.EncodedLength;
        }
        return (length + 7) & ~7;
    }

    /// <summary>Writes the TLVs and the padding that fills <paramref name="destination"/> (its length is the padded length).</summary>
    internal static void WriteAll(IReadOnlyList<SrhTlv> tlvs, Span<byte> destination)
    {
        int at = 0;
        foreach (SrhTlv tlv in tlvs)
        {
            destination[at] = tlv.Type;
            destination[at + 1] = (byte)tlv.Data.Length;
            tlv.Data.Span.CopyTo(destination.Slice(at + HeaderLength));
            at += tlv.EncodedLength;
        }
        int padding = destination.Length - at;
        if (padding == 1)
        {
            destination[at] = Pad1;
        }
        else if (padding > 1)
        {
            destination[at] = PadN;
            destination[at + 1] = (byte)(padding - HeaderLength);
            destination.Slice(at + HeaderLength, padding - HeaderLength).Clear();
        }
    }
}
