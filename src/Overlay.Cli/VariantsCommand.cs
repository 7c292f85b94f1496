using System.CommandLine;
using Overlay.Encapsulation;

namespace Overlay.Cli;

/// <summary>`overlay variants`: every standard variant with its header size.</summary>
public static class VariantsCommand
{
    public static Command Create()
    {
        var command = new Command("variants", "List every standard variant: its name (as used in results, benchmarks, charts and `analyze --variants`), header bytes and what it carries. `analyze --variants` also takes any name `overlay encap` prints, such as srv6-encaps-5sid.");
        command.SetAction(_ =>
        {
            // Overhead on an untagged frame: L3 variants drop the 14-byte inner Ethernet header they replace.
            Console.WriteLine($"{"variant",-28} {"header (B)",10} {"overhead (B)",12}  {"carries",-8} description");
            foreach (VariantSpec spec in VariantCatalog.All)
            {
                IEncapsulator e = spec.Create();
                int overhead = e.Mode == PayloadMode.L3 ? e.HeaderLength - Overlay.Encapsulation.Headers.Ethernet.HeaderLength : e.HeaderLength;
                Console.WriteLine($"{spec.Name,-28} {e.HeaderLength,10} {overhead,12}  {(e.Mode == PayloadMode.L2 ? "Ethernet" : "IP"),-8} {spec.Description}");
            }
            return ExitCodes.Ok;
        });
        return command.WithExamples("overlay variants");
    }
}
