using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using Overlay.Benchmarks.Config;

namespace Overlay.Benchmarks;

/// <summary>
/// With no arguments: the suite's main job (capture analysis, a short benchmark job over the main cases, results/).
/// With --full: the same with the publication-grade job over every case. With `targets`: the target table again from
/// the reports in results/benchmarks/, running nothing. With anything else: BenchmarkDotNet's own
/// command line (--filter, --job, --list, --exporters, --artifacts, …) over every benchmark, with the suite's config.
/// One flag of our own narrows parameters, which BenchmarkDotNet's --filter cannot:
/// <c>--only Name=v1,v2</c> (repeatable), e.g. <c>--only Variant=vxlan-ipv4,srv6-encaps-3sid --only Size=64,9000</c>; and
/// <c>--profile NAME[,NAME]</c> measures deployed profiles' tunnels (encapsulation and decapsulation, the work of a service hop).
/// </summary>
public static class Program
{
    public const string FullFlag = "--full";
    public const string OnlyFlag = "--only";
    public const string TargetsVerb = "targets";

    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            return MainJob.Run(MainJob.Kind.Short, []);
        }
        if (args is [TargetsVerb])
        {
            // Recomputes results/targets.md and .json from the committed BenchmarkDotNet reports, without running anything.
            Console.Write(MainJob.WriteTargets(Inputs.RepoPaths.Results).ToMarkdown());
            return 0;
        }
        if (args.Contains(FullFlag, StringComparer.Ordinal))
        {
            return MainJob.Run(MainJob.Kind.Full, args.Where(a => a != FullFlag).ToArray());
        }
        ManualConfig config = BenchConfig.Create();
        string[] rest = TakeOnly(Inputs.ProfileSelection.Take(args), config);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    /// <summary>Removes every <c>--only Name=v1,v2</c> pair from <paramref name="args"/> and adds its filter to <paramref name="config"/>.</summary>
    internal static string[] TakeOnly(string[] args, ManualConfig config)
    {
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] != OnlyFlag)
            {
                rest.Add(args[i]);
                continue;
            }
            string spec = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{OnlyFlag} needs Name=value[,value…]");
            int equals = spec.IndexOf('=');
            if (equals <= 0)
            {
                throw new ArgumentException($"{OnlyFlag} {spec}: expected Name=value[,value…]");
            }
            string name = spec[..equals];
            var values = spec[(equals + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
            config.AddFilter(new SimpleFilter(b =>
            {
                var parameter = b.Parameters.Items.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                return parameter is null || values.Contains(Convert.ToString(parameter.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
            }));
        }
        return rest.ToArray();
    }
}
