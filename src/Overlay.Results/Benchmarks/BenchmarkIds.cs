namespace Overlay.Results.Benchmarks;

/// <summary>
/// The benchmark classes and methods of bench/Overlay.Benchmarks by name, as BenchmarkDotNet's reports record them
/// (Type and Method). Reporting and the comparer find a benchmark only through these constants, never through a
/// string of their own; the benchmark project's tests check that every [Benchmark] method has its constant here and
/// that each constant is the nameof() of the method it names, so a rename that the reports would not follow fails to
/// build or to test.
/// </summary>
public static class BenchmarkIds
{
    /// <summary>The calibration every class measures beside its subject: a plain copy of the same bytes.</summary>
    public const string CopyBaseline = "CopyBaseline";

    public static class Encapsulate
    {
        public const string Class = "EncapsulateBenchmarks";
        public const string Copy = "Copy";
        public const string InPlace = "InPlace";
        public const string CopyBatch = "CopyBatch";
        public const string InPlaceBatch = "InPlaceBatch";
    }

    public static class Decapsulate
    {
        public const string Class = "DecapsulateBenchmarks";
        public const string Method = "Decapsulate";
    }

    public static class PacketDotNet
    {
        public const string Class = "PacketDotNetBenchmarks";
        public const string VxlanPacket = "PacketDotNetVxlanPacket";
        public const string RawPayload = "PacketDotNetRawPayload";
        public const string Gre = "PacketDotNetGre";
        public const string OverlayVxlanCopy = "OverlayVxlanCopy";
        public const string OverlayVxlanInPlace = "OverlayVxlanInPlace";
        public const string OverlayGreCopy = "OverlayGreCopy";

        /// <summary>The prefix of the methods that build with PacketDotNet (the others time this project's encapsulators).</summary>
        public const string PeerPrefix = "PacketDotNet";
    }

    public static class Srv6End
    {
        public const string Class = "Srv6EndBenchmarks";
        public const string End = "End";
        public const string EndNextCsid = "EndNextCsid";
    }

    public static class ServiceHop
    {
        public const string Class = "ServiceHopBenchmarks";
        public const string Hop = "Hop";
    }

    public static class Sweep
    {
        public const string Class = "SweepBenchmarks";
        public const string Copy = "Copy";
    }

    public static class CaptureReplay
    {
        public const string Class = "CaptureReplayBenchmarks";
        public const string ReplayCopy = "ReplayCopy";
        public const string ReplayInPlace = "ReplayInPlace";
    }

    /// <summary>Every benchmark class with every method it measures (the calibration included).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Methods { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [Encapsulate.Class] = [Encapsulate.Copy, Encapsulate.InPlace, Encapsulate.CopyBatch, Encapsulate.InPlaceBatch, CopyBaseline],
        [Decapsulate.Class] = [Decapsulate.Method, CopyBaseline],
        [PacketDotNet.Class] = [PacketDotNet.VxlanPacket, PacketDotNet.RawPayload, PacketDotNet.Gre, PacketDotNet.OverlayVxlanCopy,
            PacketDotNet.OverlayVxlanInPlace, PacketDotNet.OverlayGreCopy, CopyBaseline],
        [Srv6End.Class] = [Srv6End.End, Srv6End.EndNextCsid, CopyBaseline],
        [ServiceHop.Class] = [ServiceHop.Hop, CopyBaseline],
        [Sweep.Class] = [Sweep.Copy, CopyBaseline],
        [CaptureReplay.Class] = [CaptureReplay.ReplayCopy, CaptureReplay.ReplayInPlace, CopyBaseline],
    };
}
