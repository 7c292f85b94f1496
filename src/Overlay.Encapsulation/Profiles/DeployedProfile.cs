namespace Overlay.Encapsulation.Profiles;

/// <summary>A public document a profile follows: its title and where to read it.</summary>
public sealed record ProfileSource(string Title, string Url)
{
    public override string ToString() => $"{Title} <{Url}>";
}

/// <summary>
/// An encapsulation as a product or a stack ships it, rather than a protocol's generic form: the ports, identifiers and
/// options its public documentation fixes, built through the concrete encapsulators' public constructors.
/// </summary>
/// <remarks>
/// A profile is one or more tunnels that a packet crosses through one service hop, in order (<see cref="Legs"/>): one
/// for most, two for a pair that takes a packet in through one tunnel and out through the other. Every leg is a
/// <see cref="VariantSpec"/> named after the profile, so results, charts and benchmarks name the deployment, not the
/// generic variant it happens to encode to.
/// </remarks>
public sealed record DeployedProfile
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    /// <summary>The public documents the profile follows, first the one that fixes its wire format.</summary>
    public required IReadOnlyList<ProfileSource> Sources { get; init; }
    /// <summary>What the sources state, field by field.</summary>
    public required string Documented { get; init; }
    /// <summary>What the sources leave open and the profile assumes (placeholder identifiers, policies); empty when nothing is.</summary>
    public string Assumed { get; init; } = "";
    /// <summary>The tunnels a packet crosses through one service hop, in order.</summary>
    public required IReadOnlyList<VariantSpec> Legs { get; init; }

    /// <summary>True for a pair: in through the first tunnel, out through the second.</summary>
    public bool IsPair => Legs.Count > 1;

    /// <summary>The profile's (first) tunnel.</summary>
    public IEncapsulator Create() => Legs[0].Create();

    /// <summary>A single-tunnel profile: one leg carrying the profile's own name.</summary>
    internal static IReadOnlyList<VariantSpec> Single(string name, string description, Func<IEncapsulator> create) =>
        [new VariantSpec(name, description, create)];
}
