using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;

namespace Overlay.Cli;

/// <summary>
/// Parses and runs the command line. A command line that is wrong in any way gets one line on standard error — the
/// option or command, the value as typed and what is accepted, with the closest name for a typo and a pointer to
/// --help — and exit 2 before any verb runs. --help adds each verb's examples.
/// </summary>
public static class CommandLine
{
    private static readonly ConditionalWeakTable<Command, string[]> ExampleTable = [];
    /// <summary>Examples shown under --help, each a full command line that runs from the repository root on the bundled captures.</summary>
    public static Command WithExamples(this Command command, params string[] examples)
    {
        ExampleTable.AddOrUpdate(command, examples);
        return command;
    }

    /// <summary>
    /// Adds a check of the whole command line (options that do not apply, outputs that are inputs). It runs only when
    /// every value parsed: a value that did not has its own error already, and reading it would throw.
    /// </summary>
    public static void AddCheck(this Command command, Action<CommandResult> check) =>
        command.Validators.Add(result =>
        {
            try
            {
                check(result);
            }
            catch (InvalidOperationException)
            {
                // A value of this command line did not parse; its option has reported it.
            }
        });

    public static IReadOnlyList<string> Examples(Command command) => ExampleTable.TryGetValue(command, out string[]? examples) ? examples : [];

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        Prepare(root);
        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction || (parse.Errors.Count > 0 && parse.Action is not HelpAction and not ExamplesHelp))
        {
            ConsoleUi.Fail(Describe(parse));
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync();
    }

    /// <summary>The one line that describes what is wrong with a command line that did not parse.</summary>
    public static string Describe(ParseResult parse)
    {
        CommandResult command = parse.CommandResult;
        string verb = command.Command is RootCommand ? "overlay" : $"overlay {command.Command.Name}";
        string help = $"see '{verb} --help'";
        List<ParseError> own = parse.Errors.Where(e => e.Message.StartsWith(OptionValues.Own, StringComparison.Ordinal)).ToList();
        // A value that is really the next option explains everything after it: report it first.
        if (own.FirstOrDefault(e => e.Message.Contains(MissingValue, StringComparison.Ordinal)) is ParseError swallowed)
        {
            return $"{swallowed.Message[OptionValues.Own.Length..]}; {help}";
        }
        if (parse.UnmatchedTokens.Count > 0)
        {
            return Unmatched(command, parse.UnmatchedTokens[0], help);
        }
        if (own.Count > 0)
        {
            return own[0].Message[OptionValues.Own.Length..];
        }
        if (command.Command is RootCommand && !command.Children.Any())
        {
            return $"a command is needed: {string.Join(", ", command.Command.Subcommands.Select(c => c.Name))}; {help}";
        }
        foreach (ParseError error in parse.Errors)
        {
            if (error.SymbolResult is OptionResult { Tokens.Count: 0, IdentifierToken: not null } empty)
            {
                return $"{empty.Option.Name} needs a value: {empty.Option.Description}; {help}";
            }
        }
        Option? missing = command.Command.Options.FirstOrDefault(o => o.Required && command.GetResult(o) is not { IdentifierToken: not null });
        if (missing is not null)
        {
            return $"{command.Command.Name}: {missing.Name} is required ({missing.Description}); {help}";
        }
        return $"{parse.Errors[0].Message.TrimEnd('.')}; {help}";
    }

    private const string MissingValue = " needs a value";

    private static string Unmatched(CommandResult command, string token, string help)
    {
        if (command.Command is RootCommand && !token.StartsWith('-'))
        {
            string[] verbs = command.Command.Subcommands.Select(c => c.Name).ToArray();
            return Suggestions.Closest(token, verbs) is string verb
                ? $"unknown command '{token}'; did you mean '{verb}'? {Capitalised(help)}"
                : $"unknown command '{token}'; the commands are {OptionValues.Alternatives(verbs)}; {help}";
        }
        string where = command.Command is RootCommand ? "overlay" : command.Command.Name;
        if (token.StartsWith('-'))
        {
            string[] names = OptionNames(command.Command).ToArray();
            return Suggestions.Closest(token, names) is string option
                ? $"{where}: unknown option '{token}'; did you mean '{option}'? {Capitalised(help)}"
                : $"{where}: unknown option '{token}'; {help}";
        }
        return $"{where}: unexpected argument '{token}' (values follow their option: --name VALUE); {help}";
    }

    private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..] + ".";

    private static IEnumerable<string> OptionNames(Command command) =>
        command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive)))
            .Where(o => !o.Hidden)
            .SelectMany(o => o.Aliases.Prepend(o.Name));

    /// <summary>
    /// Installs the checks every verb shares: an option that needs a value is not given the next option as its value,
    /// and --help ends with the verb's examples.
    /// </summary>
    private static void Prepare(Command command)
    {
        foreach (Option option in command.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction builtIn)
            {
                help.Action = new ExamplesHelp(builtIn);
            }
            if (option.Arity.MaximumNumberOfValues > 0 && option.ValueType != typeof(bool))
            {
                option.Validators.Insert(0, result => RefuseOptionAsValue(command, result));
            }
        }
        foreach (Command sub in command.Subcommands)
        {
            Prepare(sub);
        }
    }

    private static void RefuseOptionAsValue(Command command, OptionResult result)
    {
        var names = OptionNames(command).ToHashSet(StringComparer.Ordinal);
        foreach (Token token in result.Tokens)
        {
            if (names.Contains(token.Value))
            {
                OptionValues.Report(result, $"{result.Option.Name}{MissingValue}, but the next word is the option {token.Value}: {result.Option.Description}");
                return;
            }
            if (token.Value.StartsWith("--", StringComparison.Ordinal))
            {
                string? near = Suggestions.Closest(token.Value, names);
                OptionValues.Report(result, $"{command.Name}: unknown option '{token.Value}'{(near is null ? "" : $"; did you mean '{near}'?")} (after {result.Option.Name})");
                return;
            }
        }
    }

    /// <summary>The built-in help, then the verb's examples and the exit codes.</summary>
    private sealed class ExamplesHelp(HelpAction builtIn) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parse)
        {
            builtIn.Invoke(parse);
            TextWriter output = parse.InvocationConfiguration.Output;
            Command command = parse.CommandResult.Command;
            IReadOnlyList<string> examples = Examples(command);
            if (examples.Count > 0)
            {
                output.WriteLine("Examples (from the repository root, on the bundled captures):");
                foreach (string example in examples)
                {
                    output.WriteLine($"  {example}");
                }
                output.WriteLine();
            }
            output.WriteLine(ExitCodes.Summary);
            return ExitCodes.Ok;
        }
    }
}

/// <summary>The closest name to a mistyped one: a unique prefix, or an edit distance of at most a third of its length.</summary>
internal static class Suggestions
{
    public static string? Closest(string typed, IEnumerable<string> names)
    {
        string[] candidates = names.Distinct().ToArray();
        string[] prefixed = candidates.Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase) && typed.TrimStart('-').Length >= 2).ToArray();
        if (prefixed.Length == 1)
        {
            return prefixed[0];
        }
        int limit = Math.Max(1, typed.TrimStart('-').Length / 3);
        return candidates
            .Select(n => (Name: n, Distance: Distance(typed.ToLowerInvariant(), n.ToLowerInvariant())))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
