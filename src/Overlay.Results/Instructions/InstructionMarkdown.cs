using System.Globalization;
using System.Text;

namespace Overlay.Results.Instructions;

/// <summary>results/instructions.md: instructions per packet, one table per operation, a column per frame size.</summary>
public static class InstructionMarkdown
{
    public static string Render(InstructionDocument document)
    {
        var md = new StringBuilder();
        RunEnvironment env = document.Environment;
        md.AppendLine("# Instructions per packet (Cachegrind)");
        md.AppendLine();
        md.AppendLine(Invariant($"Machine: {env.Machine}; {env.Os}. Runtime: {env.Runtime} ({document.CodeGeneration}). {document.Valgrind}. Commit {env.Commit}, {env.Date:yyyy-MM-dd HH:mm} UTC."));
        md.AppendLine(Invariant($"Each figure is (Ir(2N) − Ir(N)) / N with N = {document.Packets} packets, {(document.Repeats > 1 ? $"the median of {document.Repeats} pairs of runs; the spread column is (max − min) / median over those pairs" : "one pair of runs")}."));
        md.AppendLine();
        md.AppendLine("Reproduce: `bench/instructions.sh` (see `bench/instructions.sh --help` and bench/README.md).");
        md.AppendLine();
        foreach (IGrouping<string, InstructionCase> operation in document.Cases
            .GroupBy(c => c.Operation, StringComparer.Ordinal)
            .OrderBy(g => InstructionOperations.Order(g.Key)))
        {
            string[] sizes = operation.Select(c => c.Size).Distinct(StringComparer.Ordinal).OrderBy(SizeOrder).ToArray();
            md.AppendLine($"## {operation.Key}");
            md.AppendLine();
            var header = new StringBuilder("| variant |");
            var rule = new StringBuilder("| --- |");
            foreach (string size in sizes)
            {
                header.Append(Invariant($" {size} B |"));
                rule.Append(" ---: |");
                if (document.CacheSimulation)
                {
                    header.Append(Invariant($" {size}: L1 / LL misses |"));
                    rule.Append(" ---: |");
                }
            }
            // Over one pair of runs there is no spread to show.
            bool spread = document.Repeats > 1;
            if (spread)
            {
                header.Append(" largest spread |");
                rule.Append(" ---: |");
            }
            md.AppendLine(header.ToString().Replace("imix B", "IMIX", StringComparison.Ordinal));
            md.AppendLine(rule.ToString());
            foreach (IGrouping<string, InstructionCase> variant in operation.GroupBy(c => c.Variant, StringComparer.Ordinal))
            {
                var row = new StringBuilder($"| {variant.Key} |");
                foreach (string size in sizes)
                {
                    InstructionCase? c = variant.FirstOrDefault(x => x.Size == size);
                    row.Append(c is null ? " — |" : Invariant($" {c.Instructions:0.0} |"));
                    if (document.CacheSimulation)
                    {
                        row.Append(c?.L1Misses is double l1 ? Invariant($" {l1:0.00} / {c.LastLevelMisses:0.00} |") : " — |");
                    }
                }
                if (spread)
                {
                    row.Append(Invariant($" {variant.Max(c => c.Spread) * 100:0.000} % |"));
                }
                md.AppendLine(row.ToString());
            }
            md.AppendLine();
        }
        return md.ToString();
    }

    /// <summary>Frame sizes in numeric order, IMIX last.</summary>
    public static int SizeOrder(string size) =>
        int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out int bytes) ? bytes : int.MaxValue;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
