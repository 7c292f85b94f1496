namespace Overlay.Results.Instructions;

/// <summary>
/// Instructions per packet counted under Cachegrind (results/instructions.json, written by bench/instructions.sh): for each
/// case, (Ir(2N) − Ir(N)) / N of a driver compiled ahead of time, so start-up and set-up cancel and what is left is the
/// per-packet path's own instructions. Deterministic where a timing is not: the regression gate judges it to 1 %.
/// </summary>
public sealed record InstructionDocument
{
    public const string SchemaName = "overlay-instructions/1";

    public string Schema { get; init; } = SchemaName;

    /// <summary>Machine, OS, the runtime compiled into the driver, commit and date.</summary>
    public required RunEnvironment Environment { get; init; }

    /// <summary>The Valgrind release that counted (<c>valgrind --version</c>).</summary>
    public required string Valgrind { get; init; }

    /// <summary>How the counted code was compiled, as "NativeAOT, x86-64-v3".</summary>
    public required string CodeGeneration { get; init; }

    /// <summary>N: the packets of the shorter run of each pair (the longer runs 2N).</summary>
    public required int Packets { get; init; }

    /// <summary>How many pairs of runs each case had; its figure is their median.</summary>
    public required int Repeats { get; init; }

    /// <summary>Whether Cachegrind simulated the caches (then the miss counts are set).</summary>
    public required bool CacheSimulation { get; init; }

    public required IReadOnlyList<InstructionCase> Cases { get; init; }
}

/// <summary>
/// One case: an operation (<see cref="InstructionOperations"/>) of one variant at one inner frame size, per packet.
/// </summary>
/// <param name="Operation">copy, in-place, decap, end or end-csid.</param>
/// <param name="Variant">The variant's name, as <c>overlay variants</c> lists it.</param>
/// <param name="Size">The inner frame size: bytes, or "imix".</param>
/// <param name="Instructions">Instructions per packet: the median over the repeats.</param>
/// <param name="Minimum">The fewest of the repeats.</param>
/// <param name="Maximum">The most of the repeats.</param>
/// <param name="L1Misses">First-level cache misses per packet (instruction and data, reads and writes), with cache simulation.</param>
/// <param name="LastLevelMisses">Last-level cache misses per packet, with cache simulation.</param>
public sealed record InstructionCase(
    string Operation,
    string Variant,
    string Size,
    double Instructions,
    double Minimum,
    double Maximum,
    double? L1Misses = null,
    double? LastLevelMisses = null)
{
    /// <summary>What names the case across runs: "operation variant size".</summary>
    public string Key => $"{Operation} {Variant} {Size}";

    /// <summary>(maximum − minimum) / median: how far the repeats disagree, 0 for counts that repeat exactly.</summary>
    public double Spread => Instructions > 0 ? (Maximum - Minimum) / Instructions : 0;
}

/// <summary>The operations counted, in the order tables list them.</summary>
public static class InstructionOperations
{
    public const string Copy = "copy";
    public const string InPlace = "in-place";
    public const string Decap = "decap";
    public const string End = "end";
    public const string EndCsid = "end-csid";

    public static readonly IReadOnlyList<string> All = [Copy, InPlace, Decap, End, EndCsid];

    /// <summary>Position of <paramref name="operation"/> in <see cref="All"/> (unknown ones last).</summary>
    public static int Order(string operation)
    {
        int index = All.ToList().IndexOf(operation);
        return index < 0 ? All.Count : index;
    }
}
