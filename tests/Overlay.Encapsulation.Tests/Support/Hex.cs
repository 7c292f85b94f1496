namespace Overlay.Encapsulation.Tests.Support;

/// <summary>Hex strings as test vectors are written: spaces, newlines and '|' separators are ignored.</summary>
public static class Hex
{
    public static byte[] Parse(string hex)
    {
        var clean = new System.Text.StringBuilder(hex.Length);
        foreach (char ch in hex)
        {
            if (Uri.IsHexDigit(ch))
            {
                clean.Append(ch);
            }
            else if (!char.IsWhiteSpace(ch) && ch is not ('|' or ':' or '-'))
            {
                throw new FormatException($"'{ch}' in a hex vector");
            }
        }
        return Convert.FromHexString(clean.ToString());
    }

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
