using Overlay.Reporting.Deployed;
using System.Buffers.Binary;
using System.Xml.Linq;
using Overlay.Results.Benchmarks;
using Overlay.Results;
using Overlay.Reporting.Charts;
using Overlay.Reporting.Report;
using SkiaSharp;

namespace Overlay.Reporting.Tests.Report;

/// <summary>The report rendered from the fixture results: every file there, valid, of the size the chart asks for.</summary>
public sealed class ReportFilesTests(RenderedReport report) : IClassFixture<RenderedReport>
{
    /// <summary>
    /// Every chart the fixture (analysis, chain, all seven benchmark classes, a kernel run and instruction counts) must give; its 9000-byte MTU
    /// figures are all 0, so that chart is a sentence instead.
    /// </summary>
    public static readonly string[] ExpectedCharts =
    [
        "header-overhead", "overhead-vs-frame-size", "service-insertion",
        "capture-overhead", "goodput-lost-10g", "goodput-lost-100g", "goodput-lost-400g", "mtu-over-1500",
        "ecmp-balance", "ecmp-flows", "replay-throughput", "scaling", "chain-overhead",
        "bench-throughput-64", "bench-throughput-1500", "bench-throughput-imix", "srv6-end", "service-hop", "bench-sweep", "bench-replay", "allocations",
        "kernel-cpu-per-packet", "kernel-tcp-goodput", "kernel-tcp-cpu",
        "instructions-per-packet",
    ];

    public static TheoryData<string> Charts() => [.. ExpectedCharts];

    [Fact]
    public void Every_expected_chart_is_drawn_and_only_the_all_zero_one_skipped()
    {
        Assert.Equal(ExpectedCharts.Order(), report.Data.Charts.Select(c => c.Id).Order());
        // The fixture analysed no deployed profile: the as-deployed charts are skipped with that reason (their figures are tested on their own).
        foreach (string deployed in new[] { AsDeployedCharts.MssId, AsDeployedCharts.BlackHoleId })
        {
            Assert.StartsWith("no analysis result carries a deployed profile", report.Data.Skipped.Single(s => s.Id == deployed).Reason, StringComparison.Ordinal);
        }
        SkippedChart zero = Assert.Single(report.Data.Skipped, s => s.Id is not (AsDeployedCharts.MssId or AsDeployedCharts.BlackHoleId));
        Assert.Equal("mtu-over-9000", zero.Id);
        Assert.StartsWith("every value is 0 (frames over the MTU", zero.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(report.Out, "charts", "mtu-over-9000.png")));
        Assert.Contains("**Frames over a 9000-byte underlay MTU after encapsulation** (`mtu-over-9000`): every value is 0", report.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_registry_names_every_chart_once_and_skips_with_a_reason()
    {
        var ids = ChartRegistry.Entries.Select(e => e.Id).ToList();
        Assert.Equal(ids.Distinct(), ids);
        Assert.Equal(ids.Where(id => report.Data.Charts.Any(c => c.Id == id) || report.Data.Skipped.Any(s => s.Id == id)), ids);
        // The charts appear in registry order.
        Assert.Equal(report.Data.Charts.Select(c => c.Id), ids.Where(id => report.Data.Charts.Any(c => c.Id == id)));
    }

    [Theory]
    [MemberData(nameof(Charts))]
    public void Png_is_a_decodable_image_of_the_charts_size(string id)
    {
        ChartSpec chart = report.Chart(id);
        string path = Path.Combine(report.Out, "charts", id + ".png");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(chart.Width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(chart.Height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        using SKBitmap? bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal(chart.Width, bitmap.Width);
        Assert.Equal(chart.Height, bitmap.Height);
        // Not a blank canvas: a drawn chart has many distinct colours (bars, lines, anti-aliased text).
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 7)
        {
            for (int x = 0; x < bitmap.Width; x += 7)
            {
                colours.Add((uint)bitmap.GetPixel(x, y));
            }
        }
        Assert.True(colours.Count > 20, $"{id}.png has only {colours.Count} distinct colours");
    }

    [Theory]
    [MemberData(nameof(Charts))]
    public void Svg_is_xml_of_the_charts_size_with_its_title_axes_legend_and_caption(string id)
    {
        ChartSpec chart = report.Chart(id);
        XDocument svg = XDocument.Load(Path.Combine(report.Out, "charts", id + ".svg"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        Assert.Equal(chart.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), svg.Root.Attribute("width")?.Value);
        Assert.Equal(chart.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), svg.Root.Attribute("height")?.Value);
        var texts = svg.Descendants(ns + "text").Select(t => t.Value.Trim()).ToList();
        Assert.Contains(chart.Title, texts);
        Assert.Contains(chart.XLabel, texts);
        Assert.Contains(chart.YLabel, texts);
        Assert.Contains(chart.Caption, texts);
        foreach (ChartSeries series in chart.Series.Where(s => s.Points.Count > 0))
        {
            Assert.Contains(series.Name, texts);
        }
    }

    [Fact]
    public void Every_caption_names_the_machine_runtime_and_date()
    {
        foreach (ChartSpec chart in report.Data.Charts)
        {
            Assert.Matches(@"\d{4}-\d{2}-\d{2}", chart.Caption);
            Assert.Contains("cores", chart.Caption, StringComparison.Ordinal);
            if (chart.Source.StartsWith("kernel.json", StringComparison.Ordinal))
            {
                // The kernel's run records the kernel that ran the tunnels, not a .NET runtime.
                Assert.Contains(Fixture.Json(Path.Combine(Fixture.Results, "kernel.json")).GetProperty("environment").GetProperty("kernel").GetString()!, chart.Caption, StringComparison.Ordinal);
                continue;
            }
            Assert.Contains(".NET", chart.Caption, StringComparison.Ordinal);
            Assert.Contains("cores", chart.Caption, StringComparison.Ordinal);
            // The machine is the one of the files the chart is drawn from, read here from those files themselves.
            string machine = chart.Source.StartsWith("exact", StringComparison.Ordinal) ? Fixture.Reporter.Machine
                : chart.Source.Contains("-report-full.json", StringComparison.Ordinal)
                    ? Fixture.Json(Path.Combine(Fixture.Benchmarks, chart.Source.Split(", ")[0])).GetProperty("HostEnvironmentInfo").GetProperty("ProcessorName").GetString()!
                    : Fixture.Json(Path.Combine(Fixture.Results, chart.Source.Split(", ")[0])).GetProperty("environment").GetProperty("machine").GetString()!;
            Assert.Contains(machine, chart.Caption, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Report_embeds_every_chart_with_its_table_and_reproduce_command()
    {
        string md = report.Markdown;
        foreach (ChartSpec chart in report.Data.Charts)
        {
            int at = md.IndexOf($"<a id=\"{chart.Id}\"></a>", StringComparison.Ordinal);
            Assert.True(at >= 0, $"no section for {chart.Id}");
            int end = new[] { md.IndexOf("<a id=", at + 1, StringComparison.Ordinal), md.IndexOf("\n## ", at, StringComparison.Ordinal), md.Length }.Where(i => i > 0).Min();
            string section = md[at..end];
            Assert.Contains($"](charts/{chart.Id}.png)", section, StringComparison.Ordinal);
            Assert.Contains($"(charts/{chart.Id}.svg)", section, StringComparison.Ordinal);
            Assert.Contains("```sh\n" + chart.Command + "\n```", section.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            int rows = section.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal));
            int expected = chart.Kind switch
            {
                ChartKind.LabelledBars => chart.Series.Sum(s => s.Points.Count),
                ChartKind.GroupedBars => chart.Categories.Count,
                _ => chart.Series.SelectMany(s => s.Points).Select(p => p.X).Distinct().Count(),
            };
            Assert.Equal(expected + 1, rows); // + the header row
        }
        Assert.Contains("## Machine and versions", md, StringComparison.Ordinal);
        Assert.Contains("BenchmarkDotNet 0.15.8", md, StringComparison.Ordinal);
        Assert.Contains("## Findings", md, StringComparison.Ordinal);
        Assert.DoesNotContain("No BenchmarkDotNet results", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_table_value_is_a_chart_value()
    {
        // The table under a grouped-bar chart lists each point's value in the chart's decimals.
        ChartSpec chart = report.Chart("capture-overhead");
        foreach (ChartSeries series in chart.Series)
        {
            foreach (ChartPoint point in series.Points)
            {
                Assert.Contains(point.Y.ToString("N2", System.Globalization.CultureInfo.InvariantCulture), report.Markdown, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Findings_cover_every_topic_with_a_verdict()
    {
        string[] topics = ["Header bytes per packet", "NEXT-C-SID compression and service chains", "Overhead and goodput on real captures", "MTU", "Flow-label entropy and ECMP", "Per-hop work", "Host cost: encapsulation speed and allocations"];
        Assert.Equal(topics, report.Data.Findings.Select(f => f.Topic));
        Assert.All(report.Data.Findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Verdict)));
        Assert.All(report.Data.Findings, f => Assert.Contains($"**{f.Topic}**", report.Markdown, StringComparison.Ordinal));
    }
}

/// <summary>The report without some of its inputs: it says what is missing and draws what it can.</summary>
public sealed class ReportInputsTests
{
    [Fact]
    public void Without_benchmarks_the_report_skips_their_charts_and_says_so()
    {
        string results = Fixture.CopyResults(relative => !relative.StartsWith("benchmarks", StringComparison.Ordinal));
        try
        {
            ReportOutcome outcome = ReportGenerator.Generate(results, results, reporter: Fixture.Reporter);
            string[] skipped = outcome.Data.Skipped.Select(s => s.Id).ToArray();
            Assert.Contains("bench-throughput-64", skipped);
            Assert.Contains("srv6-end", skipped);
            Assert.Contains("bench-sweep", skipped);
            Assert.Contains("bench-replay", skipped);
            Assert.Contains(outcome.Data.Charts, c => c.Id == "capture-overhead");
            // The allocation chart falls back to the replay's own figures: all 0 B, so a sentence says so instead of a chart.
            Assert.DoesNotContain(outcome.Data.Charts, c => c.Id == "allocations");
            Assert.Contains(outcome.Data.Skipped, s => s.Id == "allocations" && s.Reason.StartsWith("every value is 0 (allocated per packet", StringComparison.Ordinal));
            string md = File.ReadAllText(outcome.ReportPath);
            Assert.Contains("No BenchmarkDotNet results", md, StringComparison.Ordinal);
            Assert.Contains("Not drawn in this run", md, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(results, "charts", "bench-throughput-64.png")));
            Assert.Contains("not measured in this run", outcome.Data.Findings.Single(f => f.Topic == "Per-hop work").Verdict, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Fact]
    public void An_empty_results_folder_still_gives_the_exact_charts()
    {
        string results = Fixture.TempFolder();
        try
        {
            ReportOutcome outcome = ReportGenerator.Generate(results, results, reporter: Fixture.Reporter);
            Assert.Equal(["header-overhead", "overhead-vs-frame-size", "service-insertion"], outcome.Data.Charts.Select(c => c.Id));
            Assert.Contains(outcome.Data.Skipped, s => s.Id == "capture-overhead");
            Assert.True(File.Exists(Path.Combine(results, "charts", "service-insertion.svg")));
            Assert.Equal(Findings.NotMeasured, outcome.Data.Findings.Single(f => f.Topic == "MTU").Verdict);
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Fact]
    public void A_chart_whose_inputs_went_away_is_removed()
    {
        string results = Fixture.CopyResults();
        try
        {
            ReportGenerator.Generate(results, results, reporter: Fixture.Reporter);
            Assert.True(File.Exists(Path.Combine(results, "charts", "srv6-end.png")));
            Directory.Delete(Path.Combine(results, "benchmarks"), recursive: true);
            ReportGenerator.Generate(results, results, reporter: Fixture.Reporter);
            Assert.False(File.Exists(Path.Combine(results, "charts", "srv6-end.png")));
            Assert.False(File.Exists(Path.Combine(results, "charts", "srv6-end.svg")));
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Fact]
    public void A_scaling_only_file_captions_and_reproduces_only_the_scaling_chart()
    {
        string results = Fixture.CopyResults(relative => relative == "analysis.json");
        try
        {
            // As the committed results are: the analysis on this machine, the scaling run from a 16-core machine, later.
            ResultDocument analysis = ResultDocument.FromJson(File.ReadAllText(Path.Combine(results, "analysis.json")));
            Assert.NotEmpty(analysis.Scaling!);
            ResultDocument scaling = analysis with
            {
                Environment = analysis.Environment with { Machine = "Other CPU, 16 logical cores, X64", Commit = "fedcba987654", Date = analysis.Environment.Date.AddHours(2) },
                Settings = new Dictionary<string, string>(analysis.Settings) { ["threads"] = "16" },
                Captures = [],
                Results = [],
            };
            File.WriteAllText(Path.Combine(results, "analysis.json"), (analysis with { Scaling = null }).ToJson());
            File.WriteAllText(Path.Combine(results, "scaling.json"), scaling.ToJson());

            ReportOutcome outcome = ReportGenerator.Generate(results, results, default, "results/", "results/", Fixture.Reporter);
            ChartSpec chart = outcome.Data.Charts.Single(c => c.Id == "scaling");
            Assert.Contains("Other CPU, 16 logical cores", chart.Caption, StringComparison.Ordinal);
            Assert.Contains("fedcba987654", chart.Caption, StringComparison.Ordinal);
            Assert.Equal("scaling.json", chart.Source);
            Assert.Contains("--scaling 16 --scaling-only", chart.Command, StringComparison.Ordinal);
            Assert.Contains("--json results/scaling.json", chart.Command, StringComparison.Ordinal);
            Assert.DoesNotContain("results/analysis.json", chart.Command, StringComparison.Ordinal);
            // Its captures are named as the analysis file names them (paths), in the order the scaling runs name them.
            string[] captures = analysis.Scaling!.Select(r => r.Capture).Distinct()
                .Select(name => analysis.Captures.Single(c => c.Name == name).File).ToArray();
            Assert.Contains($"--in {string.Join(' ', captures)} ", chart.Command, StringComparison.Ordinal);

            foreach (ChartSpec other in outcome.Data.Charts.Where(c => c.Id is "capture-overhead" or "ecmp-balance" or "mtu-over-1500"))
            {
                Assert.DoesNotContain("Other CPU", other.Caption, StringComparison.Ordinal);
                Assert.Equal("analysis.json", other.Source);
                Assert.Contains("--json results/analysis.json", other.Command, StringComparison.Ordinal);
                Assert.DoesNotContain("scaling.json", other.Command, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    /// <summary>run.json as the benchmark project's main job writes it, for the fixture's reports (or others).</summary>
    private static void WriteRunJson(string results, IEnumerable<string?> titles)
    {
        var run = new
        {
            schema = RunDescription.Schema,
            commit = "65c30aaedeeb",
            durationSeconds = 5400.5,
            command = "dotnet run -c Release --project bench/Overlay.Benchmarks -- --full",
            job = new { id = "full", kind = "full", launchCount = 1, warmupCount = 1, iterationCount = 15, iterationTimeMs = 100, toolchain = "BenchmarkDotNet default (one process per case)" },
            benchmarks = titles.Select(t => new { title = t, cases = 10, failed = 0, seconds = 30.0 }).ToList(),
        };
        File.WriteAllText(Path.Combine(results, RunDescription.FileName), System.Text.Json.JsonSerializer.Serialize(run));
    }

    [Fact]
    public void The_report_names_the_benchmark_job_and_reproduces_its_figures_with_the_runs_own_command()
    {
        string results = Fixture.CopyResults();
        try
        {
            var titles = ReportInputs.Load(results).Benchmarks.Reports.Select(r => r.Title).ToList();
            WriteRunJson(results, titles);
            ReportOutcome outcome = ReportGenerator.Generate(results, results, default, "results/", "results/", Fixture.Reporter);
            string md = File.ReadAllText(outcome.ReportPath);
            Assert.Contains("The BenchmarkDotNet figures come from the full job (`--full`), over every case: job `DefaultJob`, 1 launch, 1 warm-up and 15 measured iterations of 100 ms, BenchmarkDotNet default (one process per case); 70 cases, commit 65c30aaedeeb, `dotnet run -c Release --project bench/Overlay.Benchmarks -- --full`, 1:30:00 in all (`run.json`).", md, StringComparison.Ordinal);
            // The kernel chart beside the suite's encoder reruns the kernel first, then the same benchmark run.
            Assert.EndsWith("&& dotnet run -c Release --project bench/Overlay.Benchmarks -- --full", outcome.Data.Charts.Single(c => c.Id == KernelCharts.IncrementId).Command, StringComparison.Ordinal);
            foreach (ChartSpec chart in outcome.Data.Charts.Where(c => c.Source.Contains("-report-full.json", StringComparison.Ordinal) && c.Id != KernelCharts.IncrementId))
            {
                Assert.Equal("dotnet run -c Release --project bench/Overlay.Benchmarks -- --full", chart.Command);
                Assert.Contains("job DefaultJob · commit 65c30aaedeeb", chart.Caption, StringComparison.Ordinal);
            }

            // A run.json from another run (titles that are not these reports') describes nothing.
            WriteRunJson(results, titles.Select(t => t + "-other"));
            outcome = ReportGenerator.Generate(results, results, default, "results/", "results/", Fixture.Reporter);
            Assert.Null(outcome.Data.Run);
            Assert.Contains("no `run.json` describes the run that made them", File.ReadAllText(outcome.ReportPath), StringComparison.Ordinal);
            Assert.All(outcome.Data.Charts.Where(c => c.Source.Contains("-report-full.json", StringComparison.Ordinal) && c.Id != KernelCharts.IncrementId),
                c => Assert.Equal(ReportContext.MainJobCommand, c.Command));
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Theory]
    [InlineData("EncapsulateBenchmarks.Copy: full(IterationCount=15, IterationTime=100ms, LaunchCount=1, WarmupCount=1) [Variant=vxlan-ipv4, Size=64]", "full")]
    [InlineData("Srv6EndBenchmarks.End: main-short(IterationCount=7, IterationTime=100ms, LaunchCount=1, WarmupCount=3)", "main-short")]
    [InlineData("CaptureReplayBenchmarks.CopyBaseline: DefaultJob [Capture=dns-udp.pcap, Variant=vxlan-ipv4]", "DefaultJob")]
    [InlineData("Srv6EndBenchmarks.End: ShortRun", "ShortRun")]
    [InlineData("no job here", null)]
    [InlineData(null, null)]
    public void The_job_is_read_from_the_case_display_name(string? displayInfo, string? job)
    {
        Assert.Equal(job, BenchmarkReport.JobOf(displayInfo));
    }

    [Fact]
    public void A_broken_result_file_is_named()
    {
        string results = Fixture.TempFolder();
        try
        {
            File.WriteAllText(Path.Combine(results, "analysis.json"), "{ \"schema\": \"overlay-bench/analyze/v1\", ");
            var e = Assert.Throws<InvalidDataException>(() => ReportInputs.Load(results));
            Assert.Contains("analysis.json", e.Message, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(results, "analysis.json"), "{ \"schema\": \"overlay-bench/analyze/v1\", \"results\": 3 }");
            e = Assert.Throws<InvalidDataException>(() => ReportInputs.Load(results));
            Assert.Contains("analysis.json", e.Message, StringComparison.Ordinal);
            File.Delete(Path.Combine(results, "analysis.json"));
            Directory.CreateDirectory(Path.Combine(results, "benchmarks"));
            File.WriteAllText(Path.Combine(results, "benchmarks", "X-report-full.json"), "not json");
            e = Assert.Throws<InvalidDataException>(() => ReportInputs.Load(results));
            Assert.Contains("X-report-full.json", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Fact]
    public void Other_json_files_are_passed_over()
    {
        string results = Fixture.CopyResults(relative => relative == "analysis.json");
        try
        {
            File.WriteAllText(Path.Combine(results, "baseline-comparison.json"), "{ \"schema\": \"something-else/v1\" }");
            File.WriteAllText(Path.Combine(results, "list.json"), "[1, 2, 3]");
            ReportInputs inputs = ReportInputs.Load(results);
            Assert.Single(inputs.Analyses);
            Assert.Empty(inputs.Chains);
            Assert.True(inputs.Benchmarks.IsEmpty);
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Theory]
    [InlineData("Size=64&Variant=vxlan-ipv4")]
    [InlineData("Size=64, Variant=vxlan-ipv4")]
    [InlineData("Size=\"64\"&Variant=\"vxlan-ipv4\"")]
    public void Benchmark_parameters_parse_in_every_form(string text)
    {
        var c = new BenchmarkCase { Parameters = text };
        Assert.Equal("64", c.Parameter("Size"));
        Assert.Equal("vxlan-ipv4", c.Parameter("variant"));
        Assert.Null(c.Parameter("Capture"));
    }

    [Fact]
    public void A_case_that_did_not_run_is_left_out()
    {
        var report = BenchmarkReport.Parse("""
            { "Title": "X-20261126-081500", "Benchmarks": [
              { "Type": "EncapsulateBenchmarks", "Method": "Copy", "Parameters": "Variant=a&Size=64" },
              { "Type": "EncapsulateBenchmarks", "Method": "Copy", "Parameters": "Variant=b&Size=64", "Statistics": { "Mean": 0 } },
              { "Type": "EncapsulateBenchmarks", "Method": "Copy", "Parameters": "Variant=c&Size=64", "Statistics": { "Mean": 4 } } ] }
            """, "X-report-full.json");
        var set = new BenchmarkSet([report]);
        BenchmarkCase only = Assert.Single(set.Cases);
        Assert.Equal(250, only.Mpps);
        Assert.Null(only.MppsInterval());
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 8, 15, 0, TimeSpan.Zero), ReportContext.DateOf(report));
    }
}
