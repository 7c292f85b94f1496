using System.CommandLine;
using System.CommandLine.Parsing;
using Overlay.Encapsulation.Geneve;

namespace Overlay.Cli;

/// <summary>The repeatable `--option CLASS:TYPE[:HEX]` of GENEVE, checked whole: each TLV and their total length.</summary>
internal static class GeneveOptionValues
{
    private const string Accepted = "a GENEVE option is CLASS:TYPE[:HEX]: class 0..0xFFFF, type 0..0xFF (decimal or 0x-hex; type's high bit = critical), "
        + "data whole hex bytes, a multiple of 4 bytes up to 124";

    public static Option<GeneveOption[]> Create(string name)
    {
        var option = new Option<GeneveOption[]>(name)
        {
            Description = "GENEVE TLV option CLASS:TYPE[:HEX], class 0..0xFFFF, type 0..0xFF (high bit = critical), data a multiple of 4 bytes; repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        option.CustomParser = result =>
        {
            var options = new List<GeneveOption>();
            foreach (Token token in result.Tokens)
            {
                if (Parse(token.Value) is not GeneveOption parsed)
                {
                    OptionValues.Report(result, $"{name} {token.Value}: {Accepted}");
                    return [];
                }
                options.Add(parsed);
            }
            int total = options.Sum(o => o.EncodedLength);
            if (total > GeneveHeader.MaxOptionsLength)
            {
                OptionValues.Report(result, $"{name} {string.Join(' ', result.Tokens.Select(t => t.Value))}: the options take {total} bytes; GENEVE allows {GeneveHeader.MaxOptionsLength} at most (RFC 8926 §3.4)");
                return [];
            }
            return [.. options];
        };
        return option;
    }

    private static GeneveOption? Parse(string text)
    {
        string[] parts = text.Split(':');
        if (parts.Length is < 2 or > 3
            || !OptionValues.TryParseNumber(parts[0], out ulong optionClass) || optionClass > ushort.MaxValue
            || !OptionValues.TryParseNumber(parts[1], out ulong type) || type > byte.MaxValue)
        {
            return null;
        }
        string hex = parts.Length == 3 ? parts[2] : "";
        if (hex.Length % 8 != 0 || hex.Length / 2 > GeneveHeader.MaxOptionDataLength || !hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }
        return new GeneveOption((ushort)optionClass, (byte)type, Convert.FromHexString(hex));
    }
}
