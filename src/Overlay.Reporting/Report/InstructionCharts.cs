using System.Globalization;
using System.Text;
using Overlay.Reporting.Charts;
using Overlay.Results.Instructions;

namespace Overlay.Reporting.Report;

/// <summary>
/// Instructions per packet (results/instructions.json, bench/instructions.sh): a chart and its table per variant and
/// operation, and the section that says what the counts are and why they are not time. The deterministic measure of
/// host cost beside the benchmarks' timings: a timing on a shared machine varies 1.5–2× between processes, a count does
/// not move by 0.1 %.
/// </summary>
public static class InstructionCharts
{
    public const string Id = "instructions-per-packet";
    public const string Title = "Instructions per packet (Cachegrind, deterministic): encapsulation by copy and in place, decapsulation";

    /// <summary>The size charted: simple IMIX where counted, else the first size of the document.</summary>
    public const string PreferredSize = "imix";

    public const string Command = "bench/instructions.sh";

    /// <summary>Why instructions are not time, and where the two disagree: the text under the chart and in the section.</summary>
    public const string NotTime =
        "Instructions are not time. A count says how much work the code asks of the core, the same on every run; a timing adds "
        + "what the work waits for. Memory: a copy or checksum of 1500 bytes is a few dozen AVX2 instructions, 32 bytes each, "
        + "but its time follows the bytes moved and where they are in the cache hierarchy, and a miss costs hundreds of cycles "
        + "and no instruction (--cache-sim counts the misses). Width: the counts are of x86-64-v3 (AVX2) code, compiled ahead of "
        + "time; a benchmark machine whose JIT uses AVX-512 copies with half the instructions in much the same time. Parallelism: "
        + "a core retires three or four independent instructions a cycle but one of a dependent chain (a checksum's carries), and a "
        + "mispredicted branch costs 15–20 cycles. So where a count and a timing disagree the count says whether the code does "
        + "more work, the timing what that work costs on the machine measured: by copy, the count rises little from 64 to 1500 "
        + "bytes while the time rises with the bytes copied; in place, the count is the same at every size, and so, within noise, "
        + "is the time.";

    /// <summary>Why the chart is not drawn when the results folder has no counts.</summary>
    public static string Absent => $"no instruction counts (schema {InstructionDocument.SchemaName}, from `{Command}`, results/{InstructionResultFiles.JsonFile}) in the results folder";

    /// <summary>Grouped bars: one group per variant, one bar per operation, at <see cref="ChartedSize"/>; null without such cases.</summary>
    public static ChartSpec? Chart(InstructionFile file)
    {
        InstructionDocument doc = file.Document;
        if (ChartedSize(doc) is not string size)
        {
            return null;
        }
        string[] operations = [InstructionOperations.Copy, InstructionOperations.InPlace, InstructionOperations.Decap];
        InstructionCase[] cases = doc.Cases.Where(c => c.Size == size && operations.Contains(c.Operation)).ToArray();
        List<string> variants = cases.Select(c => c.Variant).Distinct(StringComparer.Ordinal).ToList();
        List<ChartSeries> series = operations
            .Select(op => new ChartSeries(OperationName(op), cases.Where(c => c.Operation == op)
                .Select(c => new ChartPoint { Category = c.Variant, Y = c.Instructions, Low = c.Minimum, High = c.Maximum })
                .ToList()))
            .Where(s => s.Points.Count > 0)
            .ToList();
        string end = string.Join("; ", doc.Cases.Where(c => c.Operation is InstructionOperations.End or InstructionOperations.EndCsid)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{OperationName(c.Operation)} ({c.Variant}, {c.Size} B): {c.Instructions:0} instructions")));
        return new ChartSpec
        {
            Id = Id,
            Title = Title,
            Kind = ChartKind.GroupedBars,
            XLabel = "variant",
            YLabel = "instructions per packet (lower is less work)",
            YUnit = "instructions",
            Categories = variants,
            Series = series,
            Caption = Caption(doc),
            Command = Command,
            Source = Path.GetFileName(file.Path),
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Instructions per packet at {SizeName(size)}, counted by Cachegrind as (Ir(2N) − Ir(N)) / N with N = {doc.Packets}: the per-packet path's own instructions, start-up and set-up cancelled; the same on every run (error bars: the fewest and most over {doc.Repeats} pair(s) of runs). Every size, and the cache misses when counted, are in {InstructionResultFiles.MarkdownFile}.{(end.Length == 0 ? "" : $" SRv6 per hop: {end}.")} {NotTime}"),
            Decimals = 0,
            Width = 1400,
            Height = 750,
        };
    }

    /// <summary>The REPORT.md section: where the chart is, what the counts are, and why they are not time.</summary>
    public static void Section(StringBuilder md, InstructionFile? file, int? chartNumber)
    {
        md.AppendLine("## Instructions per packet").AppendLine();
        if (file is null || chartNumber is null)
        {
            md.AppendLine($"Not counted in this run: `{Command}` counts instructions per packet under Cachegrind, the deterministic measure of host cost beside the timings.").AppendLine();
            return;
        }
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"The deterministic measure of host cost beside the timings (chart [{chartNumber}](#{Id}), every case in `{InstructionResultFiles.MarkdownFile}`): a timing on a shared machine varies 1.5–2× from one process to the next, a count repeats to under 0.1 %, so the regression gate judges counts to 1 % (`overlay compare --instructions`). {NotTime}")).AppendLine();
    }

    public static string? ChartedSize(InstructionDocument doc)
    {
        string[] sizes = doc.Cases.Where(c => c.Operation is InstructionOperations.Copy or InstructionOperations.InPlace or InstructionOperations.Decap)
            .Select(c => c.Size).Distinct(StringComparer.Ordinal).OrderBy(InstructionMarkdown.SizeOrder).ToArray();
        return sizes.Contains(PreferredSize) ? PreferredSize : sizes.FirstOrDefault();
    }

    public static string Caption(InstructionDocument doc) => string.Create(CultureInfo.InvariantCulture,
        $"{doc.Environment.Machine} · {doc.Environment.Runtime} ({doc.CodeGeneration}) · {doc.Valgrind} · commit {doc.Environment.Commit} · {doc.Environment.Date:yyyy-MM-dd}");

    private static string SizeName(string size) => size == "imix" ? "simple IMIX" : size + " B";

    private static string OperationName(string operation) => operation switch
    {
        InstructionOperations.Copy => "encapsulation by copy",
        InstructionOperations.InPlace => "encapsulation in place",
        InstructionOperations.Decap => "decapsulation",
        InstructionOperations.End => "End",
        InstructionOperations.EndCsid => "End with NEXT-C-SID",
        _ => operation,
    };
}

/// <summary>results/instructions.json as read (InstructionResultFiles is its one reader).</summary>
public sealed record InstructionFile(string Path, InstructionDocument Document)
{
    /// <summary>The document in <paramref name="resultsFolder"/>, or null when it has none.</summary>
    public static InstructionFile? Find(string resultsFolder)
    {
        string path = System.IO.Path.Combine(resultsFolder, InstructionResultFiles.JsonFile);
        return File.Exists(path) ? new InstructionFile(path, InstructionResultFiles.Read(path)) : null;
    }
}
