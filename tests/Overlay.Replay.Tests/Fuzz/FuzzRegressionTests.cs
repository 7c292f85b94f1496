using Overlay.Fuzz;

namespace Overlay.Replay.Tests.Fuzz;

/// <summary>
/// Every input the fuzzer ever crashed on (tests/corpus/fuzz/TARGET/NAME, committed with the fix) and every hostile
/// capture (tests/corpus/hostile) replayed through its target: none may throw again.
/// </summary>
[Collection(FuzzHarness.Name)]
public class FuzzRegressionTests
{
    public static TheoryData<string, string> Crashes()
    {
        var data = new TheoryData<string, string>();
        foreach (string folder in Directory.EnumerateDirectories(Path.Combine(FuzzHarness.Corpus, "fuzz")).Order(StringComparer.Ordinal))
        {
            foreach (string file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(folder), Path.GetFileName(file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Crashes))]
    public void A_crash_the_fuzzer_found_stays_fixed(string target, string name)
    {
        Assert.Contains(target, FuzzTargets.Names);
        FuzzHarness.Run(target, File.ReadAllBytes(Path.Combine(FuzzHarness.Corpus, "fuzz", target, name)));
    }

    [Fact]
    public void Every_hostile_capture_passes_the_capture_reader_target()
    {
        string[] files = Directory.GetFiles(Path.Combine(FuzzHarness.Corpus, "hostile"), "*.pcap*");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            FuzzHarness.Run("capture-reader", File.ReadAllBytes(file));
        }
    }
}
