using System.Globalization;
using System.Text.Json;
using Overlay.Reporting.Charts;
using Overlay.Reporting.Report;
using ScottPlot;
using ScottPlot.Plottables;

namespace Overlay.Reporting.Tests.Report;

/// <summary>
/// The charts are true to the data: what the plots hold equals report-data.json, and report-data.json equals the
/// fixture's figures, read here straight from the fixture's JSON (not through the report's model) or worked out from
/// the protocols' header sizes. Data is compared, not pixels.
/// </summary>
public sealed class ChartDataTests(RenderedReport report) : IClassFixture<RenderedReport>
{
    private const double Tolerance = 1e-9;

    public static TheoryData<string> Charts() => [.. ReportFilesTests.ExpectedCharts];

    private static void Near(double expected, double actual, string what)
    {
        double scale = Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= Tolerance * scale, $"{what}: expected {expected.ToString("R", CultureInfo.InvariantCulture)}, plotted {actual.ToString("R", CultureInfo.InvariantCulture)}");
    }

    // ---- the plots hold exactly report-data.json's series ----

    [Theory]
    [MemberData(nameof(Charts))]
    public void Plotted_series_equal_the_report_data(string id)
    {
        ChartSpec chart = report.Chart(id);
        Plot plot = ChartRenderer.Build(chart);
        List<ChartSeries> drawn = chart.Series.ToList();
        if (chart.Kind == ChartKind.Lines)
        {
            List<Scatter> lines = plot.GetPlottables().OfType<Scatter>().ToList();
            Assert.Equal(drawn.Select(s => s.Name), lines.Select(l => l.LegendText));
            var errorBars = new Queue<ErrorBar>(plot.GetPlottables().OfType<ErrorBar>());
            for (int s = 0; s < drawn.Count; s++)
            {
                IReadOnlyList<Coordinates> points = lines[s].Data.GetScatterPoints();
                Assert.Equal(drawn[s].Points.Count, points.Count);
                for (int i = 0; i < points.Count; i++)
                {
                    Near(drawn[s].Points[i].X, ChartRenderer.FromAxis(chart.XScale, points[i].X), $"{id} {drawn[s].Name} x[{i}]");
                    Near(drawn[s].Points[i].Y, ChartRenderer.FromAxis(chart.YScale, points[i].Y), $"{id} {drawn[s].Name} y[{i}]");
                }
                var withErrors = drawn[s].Points.Where(p => p.Low is not null).ToList();
                if (withErrors.Count > 0)
                {
                    ErrorBar e = errorBars.Dequeue();
                    for (int i = 0; i < withErrors.Count; i++)
                    {
                        Near(withErrors[i].High!.Value, ChartRenderer.FromAxis(chart.YScale, e.Ys[i] + e.YErrorPositive![i]), $"{id} {drawn[s].Name} high[{i}]");
                        Near(withErrors[i].Low!.Value, ChartRenderer.FromAxis(chart.YScale, e.Ys[i] - e.YErrorNegative![i]), $"{id} {drawn[s].Name} low[{i}]");
                    }
                }
            }
            Assert.Empty(errorBars);
        }
        else
        {
            List<BarPlot> bars = plot.GetPlottables().OfType<BarPlot>().ToList();
            Assert.Equal(drawn.Select(s => s.Name), bars.Select(b => b.LegendText));
            var errorBars = new Queue<ErrorBar>(plot.GetPlottables().OfType<ErrorBar>());
            for (int s = 0; s < drawn.Count; s++)
            {
                // Bars are laid out group by group in the chart's category order.
                var expected = drawn[s].Points.Select((p, i) => (p, i)).OrderBy(t => chart.Categories.IndexOf(t.p.Category!)).ThenBy(t => t.i).Select(t => t.p).ToList();
                var plotted = bars[s].Bars.OrderBy(b => b.Position).ToList();
                Assert.Equal(expected.Count, plotted.Count);
                for (int i = 0; i < plotted.Count; i++)
                {
                    Near(expected[i].Y, plotted[i].Value, $"{id} {drawn[s].Name} bar {i}");
                }
                var withErrors = expected.Where(p => p.Low is not null).ToList();
                if (withErrors.Count > 0)
                {
                    ErrorBar e = errorBars.Dequeue();
                    for (int i = 0; i < withErrors.Count; i++)
                    {
                        Near(withErrors[i].Y, e.Ys[i], $"{id} {drawn[s].Name} error centre {i}");
                        Near(withErrors[i].High!.Value, e.Ys[i] + e.YErrorPositive![i], $"{id} {drawn[s].Name} high {i}");
                        Near(withErrors[i].Low!.Value, e.Ys[i] - e.YErrorNegative![i], $"{id} {drawn[s].Name} low {i}");
                    }
                }
            }
            Assert.Empty(errorBars);
        }
    }

    [Fact]
    public void Report_data_on_disk_equals_what_was_rendered()
    {
        Assert.Equal(report.Outcome.Data.Charts.Count, report.Data.Charts.Count);
        for (int c = 0; c < report.Data.Charts.Count; c++)
        {
            ChartSpec a = report.Outcome.Data.Charts[c], b = report.Data.Charts[c];
            Assert.Equal(a.Id, b.Id);
            Assert.Equal(a.Series.Select(s => s.Name), b.Series.Select(s => s.Name));
            Assert.Equal(a.Series.SelectMany(s => s.Points), b.Series.SelectMany(s => s.Points));
        }
    }

    // ---- report-data.json equals the fixture and the protocols ----

    private static double Value(JsonElement measure) => measure.GetProperty("value").GetDouble();

    private static IEnumerable<JsonElement> Results(JsonElement analysis) => analysis.GetProperty("results").EnumerateArray();

    private static JsonElement Result(JsonElement analysis, string capture, string variant) =>
        Results(analysis).Single(r => r.GetProperty("capture").GetString() == capture && r.GetProperty("variant").GetString() == variant);

    private static double Y(ChartSpec chart, string series, string category) =>
        chart.Series.Single(s => s.Name == series).Points.Single(p => p.Category == category).Y;

    /// <summary>The overhead on an untagged frame per the protocol facts of DESIGN.md (outer Ethernet 14, IPv4 20, IPv6 40, UDP 8, …).</summary>
    public static TheoryData<string, int> ProtocolOverheads() => new()
    {
        { "gre-l3-ipv4", 20 + 4 },
        { "gre-teb-ipv4", 14 + 20 + 4 },
        { "gre-l3-ipv4-csum-key-seq", 20 + 16 },
        { "nvgre-ipv4", 14 + 20 + 8 },
        { "vxlan-ipv4", 14 + 20 + 8 + 8 },
        { "geneve-ipv4", 14 + 20 + 8 + 8 },
        { "geneve-l3-ipv4", 20 + 8 + 8 },
        { "geneve-ipv4-opt1x12B", 14 + 20 + 8 + 8 + 12 },
        { "gre-l3-ipv6", 40 + 4 },
        { "vxlan-ipv6", 14 + 40 + 8 + 8 },
        { "geneve-ipv6", 14 + 40 + 8 + 8 },
        { "srv6-encaps-1sid", 40 + 8 + 16 },
        { "srv6-encaps-red-1sid", 40 },
        { "srv6-encaps-l2-1sid", 14 + 40 + 8 + 16 },
        { "srv6-csid-1sid", 40 },
        { "srv6-encaps-3sid", 40 + 8 + 48 },
        { "srv6-encaps-red-3sid", 40 + 8 + 32 },
        { "srv6-csid-3sid", 40 },
        { "srv6-csid-8sid", 40 + 8 + 16 },
    };

    [Theory]
    [MemberData(nameof(ProtocolOverheads))]
    public void Header_overhead_bars_are_the_protocol_arithmetic(string variant, int overhead)
    {
        ChartPoint bar = report.Chart("header-overhead").Series.SelectMany(s => s.Points).Single(p => p.Label == variant);
        Assert.Equal(overhead, bar.Y);
        Assert.Equal(overhead, report.Data.HeaderCosts.Single(h => h.Variant == variant).Overhead);
    }

    [Fact]
    public void Header_overhead_agrees_with_the_analysis_header_lengths()
    {
        ChartSpec chart = report.Chart("header-overhead");
        Assert.Equal(Overlay.Encapsulation.VariantCatalog.All.Count, chart.Series.Sum(s => s.Points.Count));
        foreach (JsonElement r in Results(Fixture.Analysis))
        {
            string variant = r.GetProperty("variant").GetString()!;
            double expected = Value(r.GetProperty("headerLength")) - (r.GetProperty("mode").GetString() == "L3" ? 14 : 0);
            Assert.Equal(expected, chart.Series.SelectMany(s => s.Points).Single(p => p.Label == variant).Y);
        }
    }

    [Fact]
    public void Service_insertion_follows_the_header_formulas()
    {
        ChartSpec chart = report.Chart("service-insertion");
        void Line(string prefix, int from, int to, Func<int, double> bytes)
        {
            ChartSeries s = chart.Series.Single(x => x.Name.StartsWith(prefix, StringComparison.Ordinal));
            Assert.Equal(Enumerable.Range(from, to - from + 1).Select(n => (double)n), s.Points.Select(p => p.X));
            Assert.All(s.Points, p => Assert.Equal(bytes((int)p.X), p.Y));
        }
        Line("SRv6 H.Encaps, IP", 1, 10, n => 40 + 8 + 16 * n);
        Line("SRv6 H.Encaps.Red, IP", 1, 10, n => n == 1 ? 40 : 40 + 8 + 16 * (n - 1));
        Line("SRv6 NEXT-C-SID 32/16, IP", 1, 10, n => n <= 6 ? 40 : 40 + 8 + 16);
        Line("IPv6-in-IPv6 (RFC 2473", 0, 10, _ => 40);
        Line("SRv6 H.Encaps, Ethernet", 1, 10, n => 14 + 40 + 8 + 16 * n);
        Line("SRv6 NEXT-C-SID 32/16, Ethernet", 1, 10, n => 14 + (n <= 6 ? 40 : 40 + 8 + 16));
        Line("GENEVE/IPv6 + n 12-byte options", 0, 8, m => 14 + 40 + 8 + 8 + 12 * m);
        Line("GENEVE/IPv6 + one 12-byte service-path option", 0, 10, _ => 14 + 40 + 8 + 8 + 12);
        Line("VXLAN/IPv6", 0, 10, _ => 14 + 40 + 8 + 8);
        // Like for like: one underlay family, so no IPv4 curve sits beside the SRv6 ones.
        Assert.DoesNotContain(chart.Series, x => x.Name.Contains("IPv4", StringComparison.Ordinal));
        Assert.Equal(9, chart.Series.Count);
    }

    [Fact]
    public void Overhead_against_frame_size_is_overhead_over_size()
    {
        ChartSpec chart = report.Chart("overhead-vs-frame-size");
        Assert.Equal(ChartSupport.MainVariants, chart.Series.Select(s => s.Name));
        foreach (ChartSeries s in chart.Series)
        {
            int overhead = report.Data.HeaderCosts.Single(h => h.Variant == s.Name).Overhead;
            Assert.Equal(HeaderCosts.FrameSizes.Select(x => (double)x), s.Points.Select(p => p.X));
            Assert.All(s.Points, p => Near(100.0 * overhead / p.X, p.Y, $"{s.Name} at {p.X}"));
        }
    }

    public static TheoryData<string, string> PerCaptureFigures() => new()
    {
        { "capture-overhead", "overheadPercent" },
        { "goodput-lost-10g", "lineRate:10" },
        { "goodput-lost-100g", "lineRate:100" },
        { "goodput-lost-400g", "lineRate:400" },
        { "mtu-over-1500", "mtu:1500" },
    };

    [Theory]
    [MemberData(nameof(PerCaptureFigures))]
    public void Per_capture_bars_equal_the_analysis(string id, string figure)
    {
        JsonElement analysis = Fixture.Analysis;
        ChartSpec chart = report.Chart(id);
        string[] captures = analysis.GetProperty("captures").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(captures, chart.Categories);
        string[] variants = Results(analysis).Select(r => r.GetProperty("variant").GetString()!).Distinct().Where(v => ChartSupport.MainVariants.Contains(v)).ToArray();
        Assert.Equal(ChartSupport.MainVariants.Where(variants.Contains), chart.Series.Select(s => s.Name));
        foreach (string capture in captures)
        {
            foreach (string variant in variants)
            {
                JsonElement r = Result(analysis, capture, variant);
                double expected = figure switch
                {
                    "overheadPercent" => Value(r.GetProperty("overheadPercent")),
                    _ when figure.StartsWith("lineRate:", StringComparison.Ordinal) => Value(r.GetProperty("lineRates").EnumerateArray()
                        .Single(l => Value(l.GetProperty("lineRate")) == double.Parse(figure[9..], CultureInfo.InvariantCulture)).GetProperty("goodputLost")),
                    _ => Value(r.GetProperty("mtu").EnumerateArray()
                        .Single(m => Value(m.GetProperty("underlayMtu")) == double.Parse(figure[4..], CultureInfo.InvariantCulture)).GetProperty("percentOver")),
                };
                Assert.Equal(expected, Y(chart, variant, capture));
            }
        }
    }

    [Theory]
    [InlineData("ecmp-balance", "maxMeanBytes")]
    [InlineData("ecmp-flows", "maxMeanFlows")]
    public void Ecmp_lines_equal_the_analysis(string id, string property)
    {
        JsonElement analysis = Fixture.Analysis;
        ChartSpec chart = report.Chart(id);
        Assert.NotEmpty(chart.Series);
        JsonElement busiest = Results(analysis).MaxBy(r => Value(r.GetProperty("ecmp").GetProperty("flows")));
        string capture = busiest.GetProperty("capture").GetString()!;
        Assert.Contains(capture, chart.Title, StringComparison.Ordinal);
        foreach (ChartSeries s in chart.Series.Where(x => x.Name is not (EcmpCharts.BandLow or EcmpCharts.BandHigh)))
        {
            string variant = s.Name[..s.Name.IndexOf(' ', StringComparison.Ordinal)];
            JsonElement ecmp = Result(analysis, capture, variant).GetProperty("ecmp");
            Assert.Equal($"{variant} ({ecmp.GetProperty("entropy").GetString()})", s.Name);
            var paths = ecmp.GetProperty("paths").EnumerateArray().ToList();
            Assert.Equal(paths.Select(p => Value(p.GetProperty("paths"))), s.Points.Select(p => p.X));
            Assert.NotEmpty(paths);
            Assert.Equal(paths.Select(p => Value(p.GetProperty(property))), s.Points.Select(p => p.Y));
        }
    }

    [Fact]
    public void Replay_throughput_bars_equal_the_analysis_medians_and_ranges()
    {
        JsonElement analysis = Fixture.Analysis;
        ChartSpec chart = report.Chart("replay-throughput");
        string capture = Results(analysis).MaxBy(r => Value(r.GetProperty("packets"))).GetProperty("capture").GetString()!;
        foreach ((string series, string property) in new[] { ("encap, copy", "encapCopy"), ("encap, in place", "encapInPlace"), ("decap", "decap") })
        {
            var points = chart.Series.Single(s => s.Name == series).Points;
            Assert.Equal(chart.Categories, points.Select(p => p.Category)); // every charted variant has its bar
            foreach (ChartPoint p in points)
            {
                JsonElement t = Result(analysis, capture, p.Category!).GetProperty(property);
                Assert.Equal(Value(t.GetProperty("medianPps")) / 1e6, p.Y);
                Assert.Equal(Value(t.GetProperty("minPps")) / 1e6, p.Low);
                Assert.Equal(Value(t.GetProperty("maxPps")) / 1e6, p.High);
            }
        }
    }

    [Fact]
    public void Scaling_lines_equal_the_analysis()
    {
        JsonElement analysis = Fixture.Analysis;
        ChartSpec chart = report.Chart("scaling");
        string capture = Results(analysis).MaxBy(r => Value(r.GetProperty("packets"))).GetProperty("capture").GetString()!;
        foreach (ChartSeries s in chart.Series)
        {
            var rows = analysis.GetProperty("scaling").EnumerateArray()
                .Where(r => r.GetProperty("capture").GetString() == capture && r.GetProperty("variant").GetString() == s.Name)
                .OrderBy(r => Value(r.GetProperty("threads"))).ToList();
            Assert.NotEmpty(rows);
            Assert.Equal(rows.Select(r => Value(r.GetProperty("threads"))), s.Points.Select(p => p.X));
            Assert.Equal(rows.Select(r => Value(r.GetProperty("medianPps")) / 1e6), s.Points.Select(p => p.Y));
            Assert.Equal(rows.Select(r => (double?)(Value(r.GetProperty("minPps")) / 1e6)), s.Points.Select(p => p.Low));
            Assert.Equal(rows.Select(r => (double?)(Value(r.GetProperty("maxPps")) / 1e6)), s.Points.Select(p => p.High));
        }
        Assert.NotEmpty(chart.Series);
    }

    [Fact]
    public void Chain_lines_equal_the_chain_results()
    {
        JsonElement chain = Fixture.Chain;
        ChartSpec chart = report.Chart("chain-overhead");
        var results = chain.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(results.Select(r => r.GetProperty("approach").GetString()).Distinct().Count()
            + results.GroupBy(r => r.GetProperty("approach").GetString()).Count(g => g.Select(r => Value(r.GetProperty("metadataBytes"))).Distinct().Count() > 1),
            chart.Series.Count);
        foreach (ChartSeries s in chart.Series)
        {
            string approach = s.Name.Split(' ')[0];
            double metadata = s.Name.Contains("metadata", StringComparison.Ordinal) ? double.Parse(s.Name.Split(' ')[2], CultureInfo.InvariantCulture) : 0;
            var rows = results.Where(r => r.GetProperty("approach").GetString() == approach && Value(r.GetProperty("metadataBytes")) == metadata)
                .OrderBy(r => Value(r.GetProperty("services"))).ToList();
            Assert.Equal(rows.Select(r => Value(r.GetProperty("services"))), s.Points.Select(p => p.X));
            Assert.Equal(rows.Select(r => Value(r.GetProperty("overheadPercentWire"))), s.Points.Select(p => p.Y));
        }
    }

    private static JsonElement Case(string type, string method, string parameters) =>
        Fixture.Benchmark(type).GetProperty("Benchmarks").EnumerateArray()
            .Single(b => b.GetProperty("Method").GetString() == method && b.GetProperty("Parameters").GetString() == parameters);

    [Theory]
    [InlineData("64")]
    [InlineData("1500")]
    [InlineData("imix")]
    public void Benchmark_bars_are_1000_over_the_mean_with_the_confidence_interval(string size)
    {
        ChartSpec chart = report.Chart($"bench-throughput-{size}");
        string[] variants = ["vxlan-ipv4", "gre-l3-ipv6", "vxlan-ipv6", "srv6-encaps-red-1sid", "srv6-encaps-l2-red-1sid", "srv6-encaps-3sid", "srv6-csid-3sid"];
        Assert.Equal([.. variants, "plain copy", "PacketDotNet VXLAN", "PacketDotNet GRE"], chart.Categories);
        void Check(ChartPoint p, JsonElement c)
        {
            JsonElement stats = c.GetProperty("Statistics");
            JsonElement ci = stats.GetProperty("ConfidenceInterval");
            Near(1000 / stats.GetProperty("Mean").GetDouble(), p.Y, "Mpps");
            Near(1000 / ci.GetProperty("Upper").GetDouble(), p.Low!.Value, "Mpps low");
            Near(1000 / ci.GetProperty("Lower").GetDouble(), p.High!.Value, "Mpps high");
        }
        foreach (string variant in variants)
        {
            string parameters = $"Variant={variant}&Size={size}";
            Check(chart.Series.Single(s => s.Name == "encap, copy").Points.Single(p => p.Category == variant), Case("EncapsulateBenchmarks", "Copy", parameters));
            Check(chart.Series.Single(s => s.Name == "encap, in place").Points.Single(p => p.Category == variant), Case("EncapsulateBenchmarks", "InPlace", parameters));
            Check(chart.Series.Single(s => s.Name == "decap").Points.Single(p => p.Category == variant), Case("DecapsulateBenchmarks", "Decapsulate", parameters));
        }
        Check(chart.Series.Single(s => s.Name == "baseline: plain copy of the frame").Points.Single(), Case("EncapsulateBenchmarks", "CopyBaseline", $"Variant=vxlan-ipv4&Size={size}"));
        Check(chart.Series.Single(s => s.Name == "baseline: PacketDotNet").Points.Single(p => p.Category == "PacketDotNet VXLAN"), Case("PacketDotNetBenchmarks", "PacketDotNetVxlanPacket", $"Size={size}"));
        Check(chart.Series.Single(s => s.Name == "baseline: PacketDotNet").Points.Single(p => p.Category == "PacketDotNet GRE"), Case("PacketDotNetBenchmarks", "PacketDotNetGre", $"Size={size}"));
    }

    [Fact]
    public void Allocation_bars_are_bytes_allocated_per_operation()
    {
        ChartSpec chart = report.Chart("allocations");
        foreach ((string series, string type, string method) in new[] { ("encap, copy", "EncapsulateBenchmarks", "Copy"), ("encap, in place", "EncapsulateBenchmarks", "InPlace"), ("decap", "DecapsulateBenchmarks", "Decapsulate") })
        {
            var points = chart.Series.Single(s => s.Name == series).Points;
            // Every variant the fixture measured at 64 B has its bar, so a dropped series cannot pass.
            var expected = Fixture.Benchmark(type).GetProperty("Benchmarks").EnumerateArray()
                .Where(b => b.GetProperty("Method").GetString() == method && b.GetProperty("Parameters").GetString()!.EndsWith("&Size=64", StringComparison.Ordinal))
                .Select(b => b.GetProperty("Parameters").GetString()!.Split('&')[0]["Variant=".Length..]).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Order(), points.Select(p => p.Category!).Order());
            foreach (ChartPoint p in points)
            {
                Assert.Equal(Case(type, method, $"Variant={p.Category}&Size=64").GetProperty("Memory").GetProperty("BytesAllocatedPerOperation").GetDouble(), p.Y);
            }
        }
        var pdn = chart.Series.Single(s => s.Name == "PacketDotNet").Points;
        Assert.Equal(["PacketDotNet VXLAN", "PacketDotNet GRE", "PacketDotNet raw payload"], pdn.Select(p => p.Category));
        Assert.Equal(Case("PacketDotNetBenchmarks", "PacketDotNetVxlanPacket", "Size=64").GetProperty("Memory").GetProperty("BytesAllocatedPerOperation").GetDouble(), pdn[0].Y);
        Assert.Equal(Case("PacketDotNetBenchmarks", "PacketDotNetRawPayload", "Size=64").GetProperty("Memory").GetProperty("BytesAllocatedPerOperation").GetDouble(), pdn[2].Y);
    }

    [Fact]
    public void Srv6_end_sweep_and_replay_benchmarks_equal_their_reports()
    {
        // As the real class: End, EndNextCsid and their calibration, no parameters.
        ChartSpec end = report.Chart("srv6-end");
        var endCases = Fixture.Benchmark("Srv6EndBenchmarks").GetProperty("Benchmarks").EnumerateArray().ToList();
        Assert.Equal(["CopyBaseline", "End", "EndNextCsid"], endCases.Select(c => c.GetProperty("Method").GetString()));
        Assert.Equal(endCases.Count, end.Series.Sum(s => s.Points.Count));
        foreach (JsonElement c in endCases)
        {
            string method = c.GetProperty("Method").GetString()!;
            ChartPoint p = end.Series.Single(s => s.Name == method).Points.Single();
            Assert.Equal(method, p.Label);
            Assert.Equal(c.GetProperty("Statistics").GetProperty("Mean").GetDouble(), p.Y);
        }

        ChartSpec hop = report.Chart("service-hop");
        foreach (JsonElement c in Fixture.Benchmark("ServiceHopBenchmarks").GetProperty("Benchmarks").EnumerateArray())
        {
            string approach = c.GetProperty("Parameters").GetString()!.Split('=')[1];
            string series = c.GetProperty("Method").GetString() == "Hop" ? "hop (headers restored first)" : "restoring the headers alone (calibration)";
            ChartPoint p = hop.Series.Single(s => s.Name == series).Points.Single(x => x.Label == approach);
            Assert.Equal(c.GetProperty("Statistics").GetProperty("Mean").GetDouble(), p.Y);
        }

        // As the real class: Copy and its calibration at every point, a line each.
        ChartSpec sweep = report.Chart("bench-sweep");
        string[] sweeps = ["srv6-encaps", "srv6-csid", "geneve-options"];
        Assert.Equal(sweeps.Select(n => $"{n} (Copy)").Concat(sweeps.Select(n => $"{n} (CopyBaseline)")), sweep.Series.Select(s => s.Name));
        foreach (ChartSeries s in sweep.Series)
        {
            string name = s.Name[..s.Name.IndexOf(' ', StringComparison.Ordinal)];
            string method = s.Name[(s.Name.IndexOf('(') + 1)..^1];
            Assert.Equal([1, 2, 4, 8], s.Points.Select(p => p.X));
            foreach (ChartPoint p in s.Points)
            {
                Assert.Equal(Case("SweepBenchmarks", method, $"Sweep={name}&Count={p.X}").GetProperty("Statistics").GetProperty("Mean").GetDouble(), p.Y);
            }
        }

        ChartSpec replay = report.Chart("bench-replay");
        Assert.Equal(["dns-udp.pcap", "icmp.pcap"], replay.Categories);
        foreach (ChartPoint p in replay.Series.Single(s => s.Name == "srv6-encaps-3sid, copy").Points)
        {
            Near(1000 / Case("CaptureReplayBenchmarks", "ReplayCopy", $"Capture={p.Category}&Variant=srv6-encaps-3sid").GetProperty("Statistics").GetProperty("Mean").GetDouble(), p.Y, "replay Mpps");
        }
    }

    [Fact]
    public void Findings_quote_the_numbers_they_are_made_of()
    {
        string Text(string topic) => report.Data.Findings.Single(f => f.Topic == topic).Text;
        string Verdict(string topic) => report.Data.Findings.Single(f => f.Topic == topic).Verdict;

        // Header bytes, like for like over IPv6 (hand-checked: IPv6 40 + UDP 8 + VXLAN 8 + inner Ethernet 14 = 70; reduced SRv6
        // is the bare IPv6 header, 40, or 40 + inner Ethernet 14 = 54; an SRH with one SID adds 8 + 16; one 12-byte GENEVE
        // option on VXLAN's 70 makes 82, more than the SRH form's 78).
        string header = Text("Header bytes per packet");
        Assert.Contains("to carry an IP packet SRv6 adds 40 B reduced (the SID in the destination address, no SRH) or 64 B with an SRH (the largest of these), against 40 B for ip4in6, 40 B for ip6ip6, 44 B for gre-l3-ipv6, 56 B for gre-l3-ipv6-csum-key-seq, 56 B for geneve-l3-ipv6", header, StringComparison.Ordinal);
        Assert.Contains("to carry an Ethernet frame SRv6 adds 54 B reduced (the SID in the destination address, no SRH) or 78 B with an SRH (smaller than geneve-ipv6-opt1x12B), against 58 B for gre-teb-ipv6, 62 B for nvgre-ipv6, 70 B for vxlan-ipv6, 70 B for geneve-ipv6, 82 B for geneve-ipv6-opt1x12B", header, StringComparison.Ordinal);
        // RFC 2473 IPv6-in-IPv6 is 40 B (one IPv6 header); reduced SRv6 with one SID is that packet; 3 SIDs: 40 + 8 + 48.
        Assert.Contains("What SRv6 adds over plain IPv6-in-IPv6 (RFC 2473, ip6ip6, 40 B): in bytes, nothing in the reduced one-SID form (40 B, the same packet on the wire), and the SRH with its segment list otherwise (64 B with one SID, 96 B with three)", header, StringComparison.Ordinal);
        Assert.Contains("in entropy, nothing", header, StringComparison.Ordinal);
        Assert.Equal(Findings.HeaderVerdict(HeaderOutcome.ReducedSmallest), Verdict("Header bytes per packet"));

        // Compression (hand-checked: 10 SIDs uncompressed 40 + 8 + 160 = 208, + 14 = 222; GENEVE 70 + 8 × 12 = 166).
        string compression = Text("NEXT-C-SID compression and service chains");
        Assert.Contains("keeps the header at 40 B for an IP payload (54 B for an Ethernet payload) for 1 to 6 SIDs", compression, StringComparison.Ordinal);
        Assert.Contains("at 64 B (78 B) for 10 SIDs, where uncompressed H.Encaps needs 208 B (222 B)", compression, StringComparison.Ordinal);
        Assert.Contains("up to 6 SIDs cost what plain IPv6-in-IPv6 costs (40 B)", compression, StringComparison.Ordinal);
        Assert.Contains("a compressed path fits within it with up to 6 SIDs, an uncompressed one with none", compression, StringComparison.Ordinal);
        Assert.Contains("GENEVE/IPv6 costs 82 B with the one service-path option the suite's chain rewrites per hop, and 166 B with one 12-byte option for each of 8 services", compression, StringComparison.Ordinal);
        Assert.Equal(Findings.DoesNotSupport, Verdict("NEXT-C-SID compression and service chains"));

        // ECMP: every figure quoted is in the flows chart's table (its SRv6 rows and its band), at the largest k up to 16.
        string entropy = Text("Flow-label entropy and ECMP");
        ChartSpec flows = report.Chart("ecmp-flows");
        double k = flows.Series.SelectMany(s => s.Points).Select(p => p.X).Where(x => x <= 16).Max();
        static string F(double v) => v.ToString("N2", CultureInfo.InvariantCulture);
        var srv6AtK = flows.Series.Where(s => s.Name.StartsWith("srv6", StringComparison.Ordinal)).Select(s => s.Points.Single(p => p.X == k).Y).ToList();
        Assert.Contains($"SRv6 flow label {(srv6AtK.Min() == srv6AtK.Max() ? F(srv6AtK[0]) : $"{F(srv6AtK.Min())}–{F(srv6AtK.Max())}")}", entropy, StringComparison.Ordinal);
        double low = flows.Series.Single(s => s.Name == EcmpCharts.BandLow).Points.Single(p => p.X == k).Y;
        double high = flows.Series.Single(s => s.Name == EcmpCharts.BandHigh).Points.Single(p => p.X == k).Y;
        Assert.Contains($"an ideal random hash gives {F(low)}–{F(high)} (5th–95th percentile, the chart's band)", entropy, StringComparison.Ordinal);

        // Per-hop work: each approach's hop less its own header restore, from the service-hop fixture.
        double Net(string approach) =>
            Case("ServiceHopBenchmarks", "Hop", $"Approach={approach}").GetProperty("Statistics").GetProperty("Mean").GetDouble()
            - Case("ServiceHopBenchmarks", "CopyBaseline", $"Approach={approach}").GetProperty("Statistics").GetProperty("Mean").GetDouble();
        Assert.Contains($"{Net("srv6-end").ToString("N1", CultureInfo.InvariantCulture)} ns with SRv6 End", Text("Per-hop work"), StringComparison.Ordinal);
        Assert.Contains($"{Net("geneve-service-path").ToString("N1", CultureInfo.InvariantCulture)} ns with a GENEVE service-path hop", Text("Per-hop work"), StringComparison.Ordinal);
        Assert.Contains($"{Net("vxlan-stitching").ToString("N1", CultureInfo.InvariantCulture)} ns with VXLAN stitching", Text("Per-hop work"), StringComparison.Ordinal);

        // Host cost comes from the benchmarks when they ran, like for like: each form's ratio is the geometric mean over the
        // charted sizes of SRv6's rate over the other's (rate = 1000 / mean ns).
        string host = Text("Host cost: encapsulation speed and allocations");
        double Mean(string variant, string size) => Case("EncapsulateBenchmarks", "Copy", $"Variant={variant}&Size={size}").GetProperty("Statistics").GetProperty("Mean").GetDouble();
        foreach ((string payload, string srv6, string other) in new[] { ("IP payload", "srv6-encaps-red-1sid", "gre-l3-ipv6"), ("Ethernet payload", "srv6-encaps-l2-red-1sid", "vxlan-ipv6") })
        {
            double geomean = Math.Exp(new[] { "64", "1500", "imix" }.Average(size => Math.Log(Mean(other, size) / Mean(srv6, size))));
            string at64 = $"{(1000 / Mean(srv6, "64")).ToString("N2", CultureInfo.InvariantCulture)} vs {(1000 / Mean(other, "64")).ToString("N2", CultureInfo.InvariantCulture)} at 64 B";
            Assert.Contains($"{payload}, {srv6} against {other}: encap copy {(100 * geomean).ToString("N0", CultureInfo.InvariantCulture)} % ({at64}", host, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { 1.0, 1.1, 0.9 }, Findings.Supports + " (the host does about the same work: no difference measurable here)")]
    [InlineData(new[] { 1.79, 0.56 }, Findings.Supports + " (the host does about the same work: no difference measurable here)")]
    [InlineData(new[] { 1.22, 3.85 }, Findings.DoesNotSupport + " (SRv6 costs the host no more in any form, and less in some)")]
    [InlineData(new[] { 0.5, 1.0 }, Findings.Supports + " (SRv6 also costs the host more here)")]
    [InlineData(new[] { 0.5, 2.0 }, Findings.Partly + " (faster in one form, slower in another)")]
    public void The_host_cost_verdict_follows_the_mix_of_faster_and_slower_forms(double[] srv6OverVxlan, string verdict)
    {
        Assert.Equal(verdict, Findings.HostCostVerdict(srv6OverVxlan));
    }
}
