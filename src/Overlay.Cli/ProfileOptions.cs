using System.CommandLine;
using System.CommandLine.Parsing;
using Overlay.Encapsulation.Profiles;

namespace Overlay.Cli;

/// <summary>
/// `--profile`: deployed encapsulations by name (`overlay variants --profiles`). A name that is not a profile is one
/// line naming the value, the closest profile and every accepted name.
/// </summary>
internal static class ProfileOptions
{
    public const string Name = "--profile";

    /// <summary>Every profile at once (analyze, chain).</summary>
    public const string AllProfiles = "all";

    /// <summary>One profile (encap).</summary>
    public static Option<DeployedProfile?> One(string description)
    {
        var option = new Option<DeployedProfile?>(Name) { Description = description };
        option.CustomParser = result =>
        {
            string? text = result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;
            return text is null ? null : Resolve(result, text, text);
        };
        return option;
    }

    /// <summary>A comma-separated list of profiles (analyze, chain); empty when not given.</summary>
    public static Option<IReadOnlyList<DeployedProfile>> List(string description)
    {
        var option = new Option<IReadOnlyList<DeployedProfile>>(Name) { Description = description, DefaultValueFactory = _ => [] };
        option.CustomParser = result =>
        {
            string text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
            var list = new List<DeployedProfile>();
            foreach (string name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (string.Equals(name, AllProfiles, StringComparison.OrdinalIgnoreCase))
                {
                    list.AddRange(DeployedProfiles.All.Where(p => !list.Contains(p)));
                    continue;
                }
                if (Resolve(result, text, name) is not DeployedProfile profile)
                {
                    return [];
                }
                if (!list.Contains(profile))
                {
                    list.Add(profile);
                }
            }
            if (list.Count == 0)
            {
                OptionValues.Report(result, $"{Name} {text}: name a profile: {AcceptedInList}");
            }
            return list;
        };
        return option;
    }

    /// <summary>Every profile name, as error lines list them.</summary>
    public static string Accepted => OptionValues.Alternatives(DeployedProfiles.Names);

    /// <summary>What a list accepts: the profiles, or every one of them.</summary>
    private static string AcceptedInList => OptionValues.Alternatives([.. DeployedProfiles.Names, AllProfiles]);

    private static DeployedProfile? Resolve(ArgumentResult result, string text, string name)
    {
        if (DeployedProfiles.Find(name) is DeployedProfile profile)
        {
            return profile;
        }
        string? near = Suggestions.Closest(name, DeployedProfiles.Names);
        OptionValues.Report(result, $"{Name} {text}: '{name}' is not a profile{(near is null ? "" : $" (did you mean '{near}'?)")}; the profiles are {Accepted}");
        return null;
    }
}
