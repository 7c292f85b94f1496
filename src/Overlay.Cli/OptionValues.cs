using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Numerics;
using Overlay.Encapsulation;

namespace Overlay.Cli;

/// <summary>
/// The command line's one validation layer for values. Every option that takes a value is made here with a parser that
/// accepts the forms its description names; anything else becomes one error line naming the option, the value as typed
/// and what is accepted ("--vni 16777216: a VNI is 0..16777215 (decimal or 0x-hex)"). Nothing here throws: the errors
/// are collected by System.CommandLine and <see cref="CommandLine"/> reports the first, before any verb runs.
/// </summary>
internal static class OptionValues
{
    public const string NumberForms = "decimal or 0x-hex";

    /// <summary>An unsigned integer written in decimal or as 0x-hex; no sign, no spaces, no digit separators.</summary>
    public static bool TryParseNumber(string text, out ulong value)
    {
        value = 0;
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? text.Length > 2 && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A number in <paramref name="min"/>..<paramref name="max"/>; <paramref name="noun"/> names it in errors ("a VNI").</summary>
    public static Option<T> Number<T>(string name, string description, string noun, T min, T max, T fallback, string? range = null)
        where T : struct, IBinaryInteger<T>
    {
        var option = new Option<T>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.CustomParser = result => ParseNumber(result, name, noun, min, max, range) ?? fallback;
        return option;
    }

    /// <summary>A number that is absent unless given (a GRE key).</summary>
    public static Option<T?> OptionalNumber<T>(string name, string description, string noun, T min, T max)
        where T : struct, IBinaryInteger<T>
    {
        var option = new Option<T?>(name) { Description = description };
        option.CustomParser = result => ParseNumber(result, name, noun, min, max, null);
        return option;
    }

    private static T? ParseNumber<T>(ArgumentResult result, string name, string noun, T min, T max, string? range)
        where T : struct, IBinaryInteger<T>
    {
        string? text = Single(result);
        if (text is null)
        {
            return null;
        }
        if (TryParseNumber(text, out ulong value) && value >= ulong.CreateTruncating(min) && value <= ulong.CreateTruncating(max))
        {
            return T.CreateTruncating(value);
        }
        Report(result, $"{name} {text}: {noun} is {range ?? $"{min}..{max}"} ({NumberForms})");
        return null;
    }

    /// <summary>One of a few words, case-insensitive; the value is the word in lower case.</summary>
    public static Option<string> Choice(string name, string description, string noun, string? fallback, params string[] words)
    {
        var option = new Option<string>(name) { Description = description };
        if (fallback is not null)
        {
            option.DefaultValueFactory = _ => fallback;
        }
        option.CustomParser = result =>
        {
            string? text = Single(result);
            if (text is null)
            {
                return fallback!;
            }
            string word = text.ToLowerInvariant();
            if (words.Contains(word))
            {
                return word;
            }
            Report(result, $"{name} {text}: {noun} is {Alternatives(words)}");
            return fallback!;
        };
        return option;
    }

    /// <summary>A keyword (inherit, hash …) or a number in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Option<T> KeywordOrNumber<T>(string name, string description, string noun, T fallback,
        IReadOnlyDictionary<string, T> keywords, uint min, uint max, Func<uint, T> fromNumber)
    {
        var option = new Option<T>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.CustomParser = result =>
        {
            string? text = Single(result);
            if (text is null)
            {
                return fallback;
            }
            if (keywords.TryGetValue(text.ToLowerInvariant(), out T? keyword))
            {
                return keyword;
            }
            if (TryParseNumber(text, out ulong value) && value >= min && value <= max)
            {
                return fromNumber((uint)value);
            }
            Report(result, $"{name} {text}: {noun} is {min}..{max} ({NumberForms}) or {Alternatives(keywords.Keys)}");
            return fallback;
        };
        return option;
    }

    /// <summary>An IPv4 address as four decimal numbers (no "10.1" shorthand) or an IPv6 address (no zone).</summary>
    public static Option<IPAddress?> Address(string name, string description)
    {
        var option = new Option<IPAddress?>(name) { Description = description };
        option.CustomParser = result =>
        {
            string? text = Single(result);
            if (text is null)
            {
                return null;
            }
            if (TryParseAddress(text) is IPAddress address)
            {
                return address;
            }
            Report(result, $"{name} {text}: an address is IPv4, four numbers 0..255 (192.0.2.1), or IPv6 (2001:db8::1)");
            return null;
        };
        return option;
    }

    internal static IPAddress? TryParseAddress(string text)
    {
        if (text.Contains(':'))
        {
            return !text.Contains('%') && IPAddress.TryParse(text, out IPAddress? v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        }
        string[] parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is < 1 or > 3 || !p.All(char.IsAsciiDigit) || int.Parse(p, CultureInfo.InvariantCulture) > 255))
        {
            return null;
        }
        return IPAddress.Parse(text);
    }

    /// <summary>A comma-separated list of 1..<paramref name="max"/> IPv6 addresses.</summary>
    public static Option<IPAddress[]?> Ipv6List(string name, string description, int max)
    {
        var option = new Option<IPAddress[]?>(name) { Description = description };
        option.CustomParser = result =>
        {
            string? text = Single(result);
            if (text is null)
            {
                return null;
            }
            string[] items = text.Split(',', StringSplitOptions.TrimEntries);
            var list = new List<IPAddress>();
            foreach (string item in items)
            {
                if (TryParseAddress(item) is not { AddressFamily: AddressFamily.InterNetworkV6 } address)
                {
                    Report(result, $"{name} {text}: segments are 1..{max} IPv6 addresses, comma-separated (fc00:0:1::,fc00:0:2::); '{item}' is not one");
                    return null;
                }
                list.Add(address);
            }
            if (list.Count > max)
            {
                Report(result, $"{name} {text}: segments are 1..{max} IPv6 addresses, comma-separated; this names {list.Count}");
                return null;
            }
            return [.. list];
        };
        return option;
    }

    /// <summary>A MAC address: six hex bytes separated by ':' or '-'.</summary>
    public static Option<PhysicalAddress?> Mac(string name, string description)
    {
        var option = new Option<PhysicalAddress?>(name) { Description = description };
        option.CustomParser = result =>
        {
            string? text = Single(result);
            if (text is null)
            {
                return null;
            }
            string[] bytes = text.Split(text.Contains('-') ? '-' : ':');
            if (bytes.Length == 6 && bytes.All(b => b.Length == 2 && b.All(char.IsAsciiHexDigit)))
            {
                return new PhysicalAddress(Convert.FromHexString(string.Concat(bytes)));
            }
            Report(result, $"{name} {text}: a MAC address is six hex bytes, such as 02:00:5e:00:00:01");
            return null;
        };
        return option;
    }

    /// <summary>A range A-B of numbers (ports), <paramref name="min"/> ≤ A ≤ B ≤ <paramref name="max"/>.</summary>
    public static Option<PortRange> Range(string name, string description, string noun, ushort min, ushort max, PortRange fallback)
    {
        var option = new Option<PortRange>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.CustomParser = result =>
        {
            string? text = Single(result);
            if (text is null)
            {
                return fallback;
            }
            string[] parts = text.Split('-');
            if (parts.Length == 2 && TryParseNumber(parts[0], out ulong a) && TryParseNumber(parts[1], out ulong b) && a >= min && a <= b && b <= max)
            {
                return new PortRange((ushort)a, (ushort)b);
            }
            Report(result, $"{name} {text}: {noun} is A-B with {min} <= A <= B <= {max} ({NumberForms})");
            return fallback;
        };
        return option;
    }

    /// <summary>A range A..B or a comma-separated list of numbers, each in <paramref name="min"/>..<paramref name="max"/> and a multiple of <paramref name="step"/>.</summary>
    public static Option<int[]> NumberList(string name, string description, string noun, int min, int max, int step, string fallback)
    {
        var option = new Option<int[]>(name) { Description = description };
        option.CustomParser = result =>
        {
            string text = Single(result) ?? fallback;
            string[] bounds = text.Split("..");
            string[] items = bounds.Length == 2 ? bounds : text.Split(',', StringSplitOptions.TrimEntries);
            var values = new List<int>();
            foreach (string item in items)
            {
                if (!TryParseNumber(item, out ulong value) || value < (ulong)min || value > (ulong)max || value % (ulong)step != 0)
                {
                    Report(result, $"{name} {text}: {noun} are {min}..{max}{(step > 1 ? $", multiples of {step}" : "")}, as a range A..B or a comma-separated list ({NumberForms})");
                    return [];
                }
                values.Add((int)value);
            }
            if (bounds.Length == 2)
            {
                if (values[0] > values[1])
                {
                    Report(result, $"{name} {text}: a range A..B needs A <= B");
                    return [];
                }
                return Enumerable.Range(values[0], values[1] - values[0] + 1).Where(v => v % step == 0).ToArray();
            }
            return [.. values];
        };
        option.DefaultValueFactory = result => option.CustomParser(result)!;
        return option;
    }

    /// <summary>A real number in (or on) the bounds given.</summary>
    public static Option<double> Real(string name, string description, string noun, double min, double max, bool inclusive, double fallback)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.CustomParser = result =>
        {
            string? text = Single(result);
            if (text is null)
            {
                return fallback;
            }
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
                && (inclusive ? value >= min && value <= max : value > min && value < max))
            {
                return value;
            }
            string bounds = inclusive ? $"{min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}"
                : $"a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (both excluded)";
            Report(result, $"{name} {text}: {noun} is {bounds}");
            return fallback;
        };
        return option;
    }

    /// <summary>A value parsed by a library function that throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static Option<T> Parsed<T>(string name, string description, string fallback, Func<string, T> parse, string accepted)
    {
        var option = new Option<T>(name) { Description = description, DefaultValueFactory = _ => parse(fallback) };
        option.CustomParser = result =>
        {
            string? text = Single(result);
            if (text is null)
            {
                return parse(fallback);
            }
            try
            {
                return parse(text);
            }
            catch (ArgumentException)
            {
                Report(result, $"{name} {text}: {accepted}");
                return parse(fallback);
            }
        };
        return option;
    }

    /// <summary>Adds an error that the reporter shows as it is: one line, already naming the option and the value.</summary>
    public static void Report(SymbolResult result, string message) => result.AddError(Own + message);

    /// <summary>Marks the errors this layer makes, so the reporter prefers them to the parser's consequential ones.</summary>
    internal const string Own = "\u2063";

    private static string? Single(ArgumentResult result) => result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;

    internal static string Alternatives(IEnumerable<string> words)
    {
        string[] list = words.ToArray();
        return list.Length == 1 ? list[0] : $"{string.Join(", ", list[..^1])} or {list[^1]}";
    }
}
