using Overlay.Encapsulation;
using Overlay.Encapsulation.Profiles;

namespace Overlay.Benchmarks.Inputs;

/// <summary>
/// Deployed profiles chosen with `--profile NAME[,NAME]`: their tunnels join the variants the encapsulation and
/// decapsulation benchmarks measure (encapsulation plus decapsulation is the work of one service hop through a
/// tunnel-based appliance). Empty by default, so the main and full jobs keep their cases.
/// </summary>
public static class ProfileSelection
{
    public const string Flag = "--profile";

    /// <summary>The tunnels of the chosen profiles, by name.</summary>
    public static IReadOnlyList<string> Legs { get; private set; } = [];

    /// <summary>A profile's tunnel by name, or null.</summary>
    public static VariantSpec? Find(string name) => DeployedProfiles.FindTunnel(name);

    /// <summary>
    /// Takes `--profile NAME[,NAME]` out of <paramref name="args"/>: the profiles' tunnels become the only variants
    /// (`--only Variant=…`), and without a --filter of the caller's, the encapsulation and decapsulation benchmarks run.
    /// </summary>
    public static string[] Take(string[] args)
    {
        (string[] rest, IReadOnlyList<string> legs) = Parse(args);
        if (legs.Count > 0)
        {
            Legs = legs;
        }
        return rest;
    }

    /// <summary>What <see cref="Take"/> does, without setting <see cref="Legs"/>: the arguments left and the tunnels chosen.</summary>
    public static (string[] Remaining, IReadOnlyList<string> Legs) Parse(string[] args)
    {
        int at = Array.IndexOf(args, Flag);
        if (at < 0)
        {
            return (args, []);
        }
        string names = at + 1 < args.Length ? args[at + 1] : throw new ArgumentException($"{Flag} needs a profile name: {string.Join(", ", DeployedProfiles.Names)}");
        var legs = new List<string>();
        foreach (string name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            DeployedProfile profile = DeployedProfiles.Find(name)
                ?? throw new ArgumentException($"{Flag} {names}: '{name}' is not a profile; the profiles are {string.Join(", ", DeployedProfiles.Names)}");
            legs.AddRange(profile.Legs.Select(l => l.Name).Where(l => !legs.Contains(l)));
        }
        var rest = args.Take(at).Concat(args.Skip(at + 2)).ToList();
        rest.AddRange([Program.OnlyFlag, $"Variant={string.Join(',', legs)}"]);
        if (!rest.Contains("--filter"))
        {
            rest.AddRange(["--filter", "*EncapsulateBenchmarks*", "*DecapsulateBenchmarks*"]);
        }
        return (rest.ToArray(), legs);
    }
}
