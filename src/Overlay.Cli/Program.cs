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
    MergeCommand.Create(),
    ReportCommand.Create(),
    CompareCommand.Create(),
    KernelCommand.Create(),
};
// Every verb's command line is checked before it runs: a mistake is one line on standard error and exit 2.
return await CommandLine.InvokeAsync(root, args);
