using System.CommandLine;
using Overlay.Cli;

var root = new RootCommand("overlay: measures what overlay encapsulations (GRE, NVGRE, VXLAN, GENEVE, SRv6) cost on your own captures.")
{
    VariantsCommand.Create(),
    EncapCommand.Create(),
    DecapCommand.Create(),
    AnalyzeCommand.Create(),
    RecordCommand.Create(),
    ChainCommand.Create(),
    ReportCommand.Create(),
    CompareCommand.Create(),
    KernelCommand.Create(),
};
ParseResult parse = root.Parse(args);
int exitCode = await parse.InvokeAsync();
// System.CommandLine reports a command line it cannot parse with exit code 1; this tool keeps 1 for failed runs.
return parse.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
