using Overlay.Encapsulation;
using Overlay.Results.Instructions;

namespace Overlay.Instructions;

/// <summary>The measured cases: every operation of every standard variant at the sizes counted, and the SRv6 behaviours.</summary>
internal static class Cases
{
    public const string Copy = InstructionOperations.Copy;
    public const string InPlace = InstructionOperations.InPlace;
    public const string Decap = InstructionOperations.Decap;
    public const string End = InstructionOperations.End;
    public const string EndCsid = InstructionOperations.EndCsid;

    public static IReadOnlyList<string> Operations => InstructionOperations.All;

    /// <summary>The sizes counted: the smallest frame, a full Ethernet MTU and simple IMIX.</summary>
    public static readonly string[] Sizes = ["64", "1500", "imix"];

    /// <summary>End and End with NEXT-C-SID run on the Srv6EndBenchmarks packets: 3 SIDs, 256-byte inner frames.</summary>
    public const string EndVariant = "srv6-encaps-3sid";
    public const string EndCsidVariant = "srv6-csid-3sid";
    public const string Srv6Size = "256";

    /// <summary>Prints every case of <paramref name="variants"/> (null: every standard variant), one "operation variant size" a line.</summary>
    public static int List(IReadOnlyList<string>? variants)
    {
        foreach (string name in variants ?? [])
        {
            if (VariantCatalog.Find(name) is null)
            {
                throw new ArgumentException($"unknown variant '{name}' (see overlay variants)");
            }
        }
        IEnumerable<string> names = variants ?? VariantCatalog.All.Select(v => v.Name);
        foreach (string operation in new[] { Copy, InPlace, Decap })
        {
            foreach (string variant in names)
            {
                foreach (string size in Sizes)
                {
                    Console.WriteLine($"{operation} {VariantCatalog.Find(variant)!.Name} {size}");
                }
            }
        }
        if (variants is null || variants.Any(v => v.Equals(EndVariant, StringComparison.OrdinalIgnoreCase)))
        {
            Console.WriteLine($"{End} {EndVariant} {Srv6Size}");
        }
        if (variants is null || variants.Any(v => v.Equals(EndCsidVariant, StringComparison.OrdinalIgnoreCase)))
        {
            Console.WriteLine($"{EndCsid} {EndCsidVariant} {Srv6Size}");
        }
        return 0;
    }
}
