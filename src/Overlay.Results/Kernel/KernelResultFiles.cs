using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overlay.Results.Kernel;

/// <summary>The one reader and writer of results/kernel.json (the caller writes the text atomically).</summary>
public static class KernelResultFiles
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string ToJson(KernelDocument document) => JsonSerializer.Serialize(document, Options);

    /// <summary>Parses a kernel result document; a wrong schema or a malformed file is an <see cref="InvalidDataException"/>
    /// naming the file.</summary>
    public static KernelDocument Parse(string json, string source)
    {
        KernelDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<KernelDocument>(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a kernel result document ({e.Message})", e);
        }
        if (document is null || document.Schema != KernelDocument.SchemaName)
        {
            throw new InvalidDataException($"{source}: schema '{document?.Schema}' is not {KernelDocument.SchemaName}");
        }
        return document;
    }

    public static KernelDocument Read(string path) => Parse(File.ReadAllText(path), path);
}
