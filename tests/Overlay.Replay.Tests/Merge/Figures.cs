using System.Text.Json.Nodes;
using Overlay.Results;

namespace Overlay.Replay.Tests.Merge;

/// <summary>
/// A document's figures as canonical JSON, for comparing a merge with one run: every object's members in name order;
/// what says where and when it ran (environment, the merge and shard, timings, thread settings) left out.
/// </summary>
public static class Figures
{
    private static readonly string[] RunOnly = ["environment", "merge", "shard", "shardTimings"];
    private static readonly string[] RunSettings = ["threads", "scaling", "arenaMiB"];

    public static string Of(ResultDocument document) => Of(document.ToJson());

    public static string Of(string json)
    {
        JsonObject root = JsonNode.Parse(json)!.AsObject();
        foreach (string name in RunOnly)
        {
            root.Remove(name);
        }
        if (root["settings"] is JsonObject settings)
        {
            foreach (string name in RunSettings)
            {
                settings.Remove(name);
            }
        }
        return Canonical(root)!.ToJsonString();
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Canonical)]),
        null => null,
        _ => node.DeepClone(),
    };
}
