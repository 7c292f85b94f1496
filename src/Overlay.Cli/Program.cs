using System.CommandLine;
using Overlay.Cli;

var root = new RootCommand("overlay: measures what overlay encapsulations (GRE, NVGRE, VXLAN, GENEVE, SRv6) cost on your own captures.")
{
    VariantsCommand.Create(),
    EncapCommand.Create(),
    DecapCommand.Create(),
    AnalyzeCommand.Create(),
    RecordCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
