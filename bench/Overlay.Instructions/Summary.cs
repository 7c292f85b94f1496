using System.Globalization;
using Overlay.Results;
using Overlay.Results.Instructions;

namespace Overlay.Instructions;

/// <summary>
/// Turns the raw counts bench/instructions.sh collected into results/instructions.json and .md. The raw file has one line
/// per Cachegrind run: operation, variant, size, packets, repeat, then Ir and, with cache simulation, I1mr ILmr Dr D1mr
/// DLmr Dw D1mw DLmw (Cachegrind's event order). Each case needs, for every repeat, a run of N and one of 2N packets.
/// </summary>
internal static class Summary
{
    private const int Fields = 5;

    public static int Write(string rawPath, string outDirectory, string valgrind, string codeGeneration)
    {
        var runs = new List<(string Op, string Variant, string Size, int Packets, int Repeat, double[] Events)>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(rawPath))
        {
            lineNumber++;
            string[] f = line.Split('\t');
            if (f.Length != Fields + 1 && f.Length != Fields + 9)
            {
                throw new ArgumentException($"{rawPath}, line {lineNumber}: {f.Length} fields, expected {Fields + 1} or {Fields + 9}");
            }
            runs.Add((f[0], f[1], f[2], Number(f[3]), Number(f[4]), f[Fields..].Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray()));
        }
        if (runs.Count == 0)
        {
            throw new ArgumentException($"{rawPath}: no runs");
        }
        int n = runs.Min(r => r.Packets);
        bool cacheSimulation = runs.All(r => r.Events.Length == 9);
        var cases = new List<InstructionCase>();
        foreach (var group in runs.GroupBy(r => (r.Op, r.Variant, r.Size)))
        {
            // Per repeat: the 2N run minus the N run, per packet, for every event.
            var perPacket = new List<double[]>();
            foreach (var repeat in group.GroupBy(r => r.Repeat))
            {
                var shorter = repeat.SingleOrDefault(r => r.Packets == n);
                var longer = repeat.SingleOrDefault(r => r.Packets == 2 * n);
                if (shorter.Events is null || longer.Events is null)
                {
                    throw new ArgumentException($"{rawPath}: {group.Key.Op} {group.Key.Variant} {group.Key.Size}, repeat {repeat.Key}, lacks the run of {n} or {2 * n} packets");
                }
                perPacket.Add(longer.Events.Zip(shorter.Events, (b, a) => (b - a) / n).ToArray());
            }
            double[] instructions = perPacket.Select(p => p[0]).Order().ToArray();
            cases.Add(new InstructionCase(group.Key.Op, group.Key.Variant, group.Key.Size,
                Median(instructions), instructions[0], instructions[^1],
                cacheSimulation ? Median(perPacket.Select(p => p[1] + p[4] + p[7]).Order().ToArray()) : null,
                cacheSimulation ? Median(perPacket.Select(p => p[2] + p[5] + p[8]).Order().ToArray()) : null));
        }
        var document = new InstructionDocument
        {
            Environment = RunEnvironment.Current("bench/instructions.sh"),
            Valgrind = valgrind,
            CodeGeneration = codeGeneration,
            Packets = n,
            Repeats = runs.Select(r => r.Repeat).Distinct().Count(),
            CacheSimulation = cacheSimulation,
            Cases = cases
                .OrderBy(c => InstructionOperations.Order(c.Operation))
                .ThenBy(c => c.Variant, StringComparer.Ordinal)
                .ThenBy(c => InstructionMarkdown.SizeOrder(c.Size))
                .ToArray(),
        };
        Directory.CreateDirectory(outDirectory);
        WriteAtomically(Path.Combine(outDirectory, InstructionResultFiles.JsonFile), InstructionResultFiles.ToJson(document));
        WriteAtomically(Path.Combine(outDirectory, InstructionResultFiles.MarkdownFile), InstructionMarkdown.Render(document));
        Console.Error.WriteLine($"Overlay.Instructions: {cases.Count} cases written to {outDirectory}/{InstructionResultFiles.JsonFile} and .md");
        return 0;
    }

    private static int Number(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;

    private static void WriteAtomically(string path, string text)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
