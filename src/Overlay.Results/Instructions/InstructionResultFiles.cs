using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overlay.Results.Instructions;

/// <summary>The one reader and writer of results/instructions.json (the caller writes the text atomically).</summary>
public static class InstructionResultFiles
{
    public const string JsonFile = "instructions.json";
    public const string MarkdownFile = "instructions.md";

    public static string ToJson(InstructionDocument document) =>
        JsonSerializer.Serialize(document, InstructionJsonContext.Default.InstructionDocument);

    /// <summary>Parses an instruction document; a wrong schema or a malformed file is an <see cref="InvalidDataException"/>
    /// naming the file.</summary>
    public static InstructionDocument Parse(string json, string source)
    {
        InstructionDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, InstructionJsonContext.Default.InstructionDocument);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not an instruction count document ({e.Message})", e);
        }
        if (document is null || document.Schema != InstructionDocument.SchemaName)
        {
            throw new InvalidDataException($"{source}: schema '{document?.Schema}' is not {InstructionDocument.SchemaName}");
        }
        string? duplicate = document.Cases.GroupBy(c => c.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new InvalidDataException($"{source}: case '{duplicate}' appears more than once");
        }
        return document;
    }

    /// <summary>Reads <paramref name="path"/>, or <c>instructions.json</c> inside it when it is a folder.</summary>
    public static InstructionDocument Read(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, JsonFile) : path;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{file}: no instruction counts here (bench/instructions.sh writes them)", file);
        }
        return Parse(File.ReadAllText(file), file);
    }
}

/// <summary>Source-generated, so the ahead-of-time compiled driver that writes the file needs no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(InstructionDocument))]
internal sealed partial class InstructionJsonContext : JsonSerializerContext;
