using System.CommandLine;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Profiles;

namespace Overlay.Cli;

/// <summary>`overlay variants`: every standard variant with its header size; with --profiles, the deployed profiles and their sources.</summary>
public static class VariantsCommand
{
    public static Command Create()
    {
        var profiles = new Option<bool>("--profiles") { Description = "List the deployed profiles instead (--profile NAME on encap, analyze and chain): each tunnel's bytes, what its public sources document, what is assumed, and the sources" };
        var command = new Command("variants", "List every standard variant: its name (as used in results, benchmarks, charts and `analyze --variants`), header bytes and what it carries. `analyze --variants` also takes any name `overlay encap` prints, such as srv6-encaps-5sid.")
        {
            profiles,
        };
        command.SetAction(parse =>
        {
            Console.WriteLine($"{(parse.GetValue(profiles) ? "profile" : "variant"),-28} {"header (B)",10} {"overhead (B)",12}  {"carries",-8} description");
            if (parse.GetValue(profiles))
            {
                foreach (DeployedProfile profile in DeployedProfiles.All)
                {
                    if (profile.IsPair)
                    {
                        Console.WriteLine($"{profile.Name}: {profile.Description}");
                    }
                    foreach (VariantSpec leg in profile.Legs)
                    {
                        Console.WriteLine(Row(profile.IsPair ? $"  {leg.Name}" : profile.Name, leg.Create(), profile.IsPair ? leg.Description : profile.Description));
                    }
                    Console.WriteLine($"    documented: {profile.Documented}");
                    if (profile.Assumed.Length > 0)
                    {
                        Console.WriteLine($"    assumed: {profile.Assumed}");
                    }
                    foreach (ProfileSource source in profile.Sources)
                    {
                        Console.WriteLine($"    source: {source}");
                    }
                }
                return ExitCodes.Ok;
            }
            foreach (VariantSpec spec in VariantCatalog.All)
            {
                Console.WriteLine(Row(spec.Name, spec.Create(), spec.Description));
            }
            return ExitCodes.Ok;
        });
        return command.WithExamples("overlay variants", "overlay variants --profiles");
    }

    // Overhead on an untagged frame: L3 variants drop the 14-byte inner Ethernet header they replace.
    private static string Row(string name, IEncapsulator e, string description)
    {
        int overhead = e.Mode == PayloadMode.L3 ? e.HeaderLength - Overlay.Encapsulation.Headers.Ethernet.HeaderLength : e.HeaderLength;
        return $"{name,-28} {e.HeaderLength,10} {overhead,12}  {(e.Mode == PayloadMode.L2 ? "Ethernet" : "IP"),-8} {description}";
    }
}
