using System.Globalization;
using System.Text.RegularExpressions;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Gre;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Encapsulation;

/// <summary>
/// Variant names as `overlay analyze --variants` takes them: every catalogue name, and every name `overlay encap`
/// gives a variant it builds (srv6-encaps-5sid, gre-l3-ipv6-key, geneve-ipv4-opt2x24B …), which is made with the
/// catalogue's default settings and accepted only if the variant made carries exactly that name.
/// </summary>
public static partial class VariantNames
{
    public const string Accepted = "all, or names from `overlay variants` or `overlay variants --profiles`, or any name `overlay encap` prints "
        + "(gre-l3|teb-ipv4|ipv6[-csum][-key][-seq], nvgre-ipv4, vxlan-ipv6, geneve[-l3]-ipv4[-optNxMB], srv6-encaps[-l2][-red]-Nsid, srv6-csid[-l2][-bXcY]-Nsid)";

    public static VariantSpec? Resolve(string name)
    {
        if (VariantCatalog.Find(name) is VariantSpec known)
        {
            return known;
        }
        // A deployed profile's tunnel, by the name its results carry (aws-gwlb, azure-gwlb-internal …).
        if (Profiles.DeployedProfiles.FindTunnel(name) is VariantSpec leg)
        {
            return leg;
        }
        string lower = name.ToLowerInvariant();
        Func<IEncapsulator>? create = Factory(lower);
        try
        {
            string? made = create?.Invoke().Name;
            return string.Equals(made, name, StringComparison.OrdinalIgnoreCase) ? new VariantSpec(made!, "built from its name with the catalogue's default settings", create!) : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static Func<IEncapsulator>? Factory(string name)
    {
        if (Gre().Match(name) is { Success: true } gre)
        {
            bool v6 = gre.Groups[2].Value == "ipv6";
            var options = new GreOptions
            {
                Mode = gre.Groups[1].Value == "teb" ? PayloadMode.L2 : PayloadMode.L3,
                Checksum = gre.Groups[3].Success,
                Key = gre.Groups[4].Success ? VariantCatalog.DefaultGreKey : null,
                Sequence = gre.Groups[5].Success,
            };
            return () => new GreEncapsulator(Plain(v6), options);
        }
        if (Ethernet().Match(name) is { Success: true } l2)
        {
            bool v6 = l2.Groups[2].Value == "ipv6";
            return l2.Groups[1].Value == "nvgre"
                ? () => new NvgreEncapsulator(Plain(v6), VariantCatalog.DefaultVsid)
                : () => new VxlanEncapsulator(Plain(v6), VariantCatalog.DefaultVni);
        }
        if (Geneve().Match(name) is { Success: true } geneve)
        {
            bool v6 = geneve.Groups[2].Value == "ipv6";
            int count = geneve.Groups[3].Success ? Number(geneve.Groups[3]) : 0;
            int bytes = geneve.Groups[4].Success ? Number(geneve.Groups[4]) : 0;
            // N options of M bytes in all: each has a 4-byte header; the first carries all the data.
            int data = bytes - 4 * count;
            if (count > 0 && (data < 0 || data % 4 != 0))
            {
                return null;
            }
            var options = new GeneveOptions
            {
                Vni = VariantCatalog.DefaultVni,
                Mode = geneve.Groups[1].Success ? PayloadMode.L3 : PayloadMode.L2,
                Options = Enumerable.Range(0, count).Select(i => VariantCatalog.ExperimentalOption((byte)(i + 1), i == 0 ? data : 0)).ToList(),
            };
            return () => new GeneveEncapsulator(Plain(v6), options);
        }
        if (Srv6().Match(name) is { Success: true } srv6)
        {
            bool csid = srv6.Groups[1].Value == "csid";
            CompressedSidFormat? format = !csid ? null
                : srv6.Groups[4].Success ? new CompressedSidFormat(Number(srv6.Groups[4]), Number(srv6.Groups[5])) : CompressedSidFormat.Default;
            var options = new Srv6Options
            {
                Segments = VariantCatalog.Segments(Math.Min(Number(srv6.Groups[6]), Srv6Encapsulator.MaxSegments + 1)),
                Mode = srv6.Groups[2].Success ? PayloadMode.L2 : PayloadMode.L3,
                Reduced = srv6.Groups[3].Success,
                CompressedSids = format,
            };
            return () => new Srv6Encapsulator(Underlay.Ipv6(destination: null), options);
        }
        return null;
    }

    private static Underlay Plain(bool v6) => v6 ? Underlay.Ipv6() : Underlay.Ipv4();

    private static int Number(Group group) => int.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n < 1000 ? n : 1000;

    [GeneratedRegex("^gre-(l3|teb)-(ipv4|ipv6)(-csum)?(-key)?(-seq)?$")]
    private static partial Regex Gre();

    [GeneratedRegex("^(nvgre|vxlan)-(ipv4|ipv6)$")]
    private static partial Regex Ethernet();

    [GeneratedRegex("^geneve(-l3)?-(ipv4|ipv6)(?:-opt([0-9]+)x([0-9]+)B)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Geneve();

    [GeneratedRegex("^srv6-(encaps|csid)(-l2)?(-red)?(?:-b([0-9]+)c([0-9]+))?-([0-9]+)sid$")]
    private static partial Regex Srv6();
}
