namespace Overlay.Benchmarks;

public sealed class TargetTable
{
    public static TargetTable From(BenchmarkDotNet.Reports.Summary[] summaries) => new();
    public string ToMarkdown() => "";
    public string ToJson() => "{}";
}
