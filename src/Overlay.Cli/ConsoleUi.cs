using Spectre.Console;

namespace Overlay.Cli;

/// <summary>Progress on standard error (off with --quiet or when it is not a terminal) and messages to the user.</summary>
public static class ConsoleUi
{
    private static readonly IAnsiConsole Error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static bool ShowProgress(bool quiet) => !quiet && !Console.IsErrorRedirected;

    /// <summary>Runs <paramref name="work"/> with a progress bar (0..1) when progress is shown, plainly otherwise.</summary>
    public static T WithProgress<T>(bool show, string title, Func<Action<string, double>, T> work)
    {
        if (!show)
        {
            return work((_, _) => { });
        }
        T result = default!;
        Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(title), maxValue: 1.0);
                result = work((stage, fraction) =>
                {
                    task.Description = Markup.Escape($"{title}: {stage}");
                    task.Value = Math.Clamp(fraction, 0, 1);
                });
                task.Value = 1.0;
            });
        return result;
    }

    public static void Fail(string message) => Console.Error.WriteLine($"overlay: error: {message}");

    public static void Info(string message) => Console.Error.WriteLine(message);
}
