using System.Text.Json;
using Overlay.Results.Benchmarks;
using Overlay.Results;
using Overlay.Results.Kernel;
using Overlay.Results.Instructions;

namespace Overlay.Reporting.Report;

/// <summary>An analysis result file as it was read.</summary>
public sealed record AnalysisFile(string Path, ResultDocument Document);

/// <summary>A service-chain result file (`overlay chain`) as it was read.</summary>
public sealed record ChainFile(string Path, ChainDocument Document);

/// <summary>The Linux kernel's own tunnels measured (`overlay kernel`, results/kernel.json) as it was read.</summary>
public sealed record KernelFile(string Path, KernelDocument Document);

/// <summary>
/// The result files a report is drawn from, and nothing else: every analysis document (schema
/// overlay-bench/analyze/v2, and v1) and service-chain document (overlay-bench/chain/v1) and kernel document (overlay-bench/kernel/v1) directly in the results folder, and every BenchmarkDotNet full-JSON report
/// (*-report-full.json) under its benchmarks/ folder, with the run.json that describes their job. Console output is never read.
/// </summary>
public sealed class ReportInputs
{
    public const string BenchmarkFolder = "benchmarks";
    public const string BenchmarkPattern = "*-report-full.json";

    public ReportInputs(string resultsFolder, IReadOnlyList<AnalysisFile> analyses, IReadOnlyList<BenchmarkReport> benchmarks, IReadOnlyList<ChainFile>? chains = null,
        RunDescription? run = null, KernelFile? kernel = null, InstructionFile? instructions = null)
    {
        Kernel = kernel;
        Instructions = instructions;
        ResultsFolder = resultsFolder;
        Analyses = analyses;
        Chains = chains ?? [];
        Benchmarks = new BenchmarkSet(benchmarks);
        Run = run is not null && run.Describes(benchmarks) ? run : null;
    }

    public string ResultsFolder { get; }
    public IReadOnlyList<AnalysisFile> Analyses { get; }
    public IReadOnlyList<ChainFile> Chains { get; }
    public BenchmarkSet Benchmarks { get; }

    /// <summary>The kernel's own tunnels measured, or null where the results folder has no kernel document.</summary>
    public KernelFile? Kernel { get; }

    /// <summary>Instructions per packet counted under Cachegrind, or null where the results folder has none.</summary>
    public InstructionFile? Instructions { get; }

    /// <summary>The run that produced the benchmark reports (results/run.json), or null where there is none or it describes other reports.</summary>
    public RunDescription? Run { get; }

    /// <summary>Every capture summary of every analysis file, in file order.</summary>
    public IEnumerable<CaptureSummary> Captures => Analyses.SelectMany(a => a.Document.Captures);

    /// <summary>Every variant result of every analysis file, in file order.</summary>
    public IEnumerable<VariantResult> Results => Analyses.SelectMany(a => a.Document.Results);

    /// <summary>
    /// Reads the folder. A file that is not valid JSON, or an analysis file that does not parse, is an
    /// <see cref="InvalidDataException"/> naming it; JSON files of other schemas (report-data.json, a comparer's
    /// output) are passed over.
    /// </summary>
    public static ReportInputs Load(string resultsFolder)
    {
        if (!Directory.Exists(resultsFolder))
        {
            throw new DirectoryNotFoundException($"{resultsFolder}: no such results folder");
        }
        var analyses = new List<AnalysisFile>();
        var chains = new List<ChainFile>();
        RunDescription? run = null;
        KernelFile? kernel = null;
        InstructionFile? instructions = null;
        foreach (string path in Directory.EnumerateFiles(resultsFolder, "*.json").Order(StringComparer.Ordinal))
        {
            string json = File.ReadAllText(path);
            string? schema;
            try
            {
                using JsonDocument probe = JsonDocument.Parse(json);
                schema = probe.RootElement.ValueKind == JsonValueKind.Object
                    && probe.RootElement.TryGetProperty("schema", out JsonElement s) && s.ValueKind == JsonValueKind.String
                    ? s.GetString()
                    : null;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
            }
            try
            {
                if (ResultDocument.IsAnalysisSchema(schema))
                {
                    analyses.Add(new AnalysisFile(path, ResultDocument.FromJson(json)));
                }
                else if (schema == ChainDocument.CurrentSchema)
                {
                    chains.Add(new ChainFile(path, ChainDocument.FromJson(json)));
                }
                else if (schema == RunDescription.Schema)
                {
                    run = RunDescription.FromJson(json);
                }
                else if (schema == KernelDocument.SchemaName)
                {
                    kernel = new KernelFile(path, KernelResultFiles.Parse(json, path));
                }
                else if (schema == InstructionDocument.SchemaName)
                {
                    instructions = new InstructionFile(path, InstructionResultFiles.Parse(json, path));
                }
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: not a readable {schema} result ({e.Message})", e);
            }
        }

        var benchmarks = new List<BenchmarkReport>();
        string benchmarkFolder = Path.Combine(resultsFolder, BenchmarkFolder);
        if (Directory.Exists(benchmarkFolder))
        {
            foreach (string path in Directory.EnumerateFiles(benchmarkFolder, BenchmarkPattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                try
                {
                    benchmarks.Add(BenchmarkReport.Parse(File.ReadAllText(path), path));
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"{path}: not a readable BenchmarkDotNet full-JSON report ({e.Message})", e);
                }
            }
        }
        return new ReportInputs(resultsFolder, analyses, benchmarks, chains, run, kernel, instructions);
    }
}
