using System.Globalization;
using Overlay.Benchmarks.Inputs;
using Overlay.Encapsulation;
using Overlay.Encapsulation.Srv6;
using Overlay.Instructions;

// The driver bench/instructions.sh runs under Cachegrind (see bench/README.md, "Instructions per packet"):
//   Overlay.Instructions list [VARIANT,...]            the cases, one "operation variant size" a line
//   Overlay.Instructions run OPERATION VARIANT SIZE PACKETS
//   Overlay.Instructions summarize RAW OUT-DIR VALGRIND-VERSION CODE-GENERATION
// "run" prepares and checks the case's frames exactly as its benchmark's GlobalSetup does, runs one round of the batch
// untimed, then PACKETS packets (whole batches of 48) and prints what they produced. Everything but the PACKETS loop is
// the same in a run of N and one of 2N packets, so the difference of their instruction counts is N packets' work.

const string Usage = """
    usage: Overlay.Instructions list [VARIANT,...]
           Overlay.Instructions run OPERATION VARIANT SIZE PACKETS
           Overlay.Instructions summarize RAW OUT-DIR VALGRIND-VERSION CODE-GENERATION
      OPERATION: copy, in-place, decap (every variant); end (srv6-encaps-3sid), end-csid (srv6-csid-3sid), at size 256
      SIZE: 64, 1500, imix (or any benchmark size); PACKETS: a positive multiple of 48
    """;

try
{
    return args switch
    {
        ["list"] => Cases.List(null),
        ["list", string variants] => Cases.List(variants.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
        ["run", string operation, string variant, string size, string packets] => Run(operation, variant, size, ParsePackets(packets)),
        ["summarize", string raw, string outDirectory, string valgrind, string codeGeneration] => Summary.Write(raw, outDirectory, valgrind, codeGeneration),
        ["-h" or "--help"] => Help(Console.Out, 0),
        _ => Help(Console.Error, 2),
    };
}
catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException)
{
    Console.Error.WriteLine($"Overlay.Instructions: {e.Message}");
    return 2;
}

static int Help(TextWriter writer, int code)
{
    writer.Write(Usage);
    return code;
}

static int ParsePackets(string text) =>
    int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int packets) && packets > 0 && packets % MeasuredLoops.Batch == 0
        ? packets
        : throw new ArgumentException($"packets '{text}' must be a positive multiple of {MeasuredLoops.Batch}");

static int Run(string operation, string variant, string size, int packets)
{
    int rounds = packets / MeasuredLoops.Batch;
    long produced;
    switch (operation)
    {
        case Cases.Copy:
        {
            IEncapsulator encapsulator = Prepared.Variant(variant);
            FrameBatch frames = Frames(encapsulator, size);
            var output = new OutputRing(MeasuredLoops.Batch, frames.MaxLength + encapsulator.HeaderLength);
            MeasuredLoops.Copy(encapsulator, frames, output, 1);
            produced = MeasuredLoops.Copy(encapsulator, frames, output, rounds);
            break;
        }
        case Cases.InPlace:
        {
            IEncapsulator encapsulator = Prepared.Variant(variant);
            FrameBatch frames = Frames(encapsulator, size);
            MeasuredLoops.InPlace(encapsulator, frames, 1);
            produced = MeasuredLoops.InPlace(encapsulator, frames, rounds);
            break;
        }
        case Cases.Decap:
        {
            IEncapsulator encapsulator = Prepared.Variant(variant);
            FrameBatch packetsBatch = EncapsulatedPackets.Build(encapsulator, Frames(encapsulator, size)).Batch;
            MeasuredLoops.Decapsulate(packetsBatch, 1);
            produced = MeasuredLoops.Decapsulate(packetsBatch, rounds);
            break;
        }
        case Cases.End:
        {
            EncapsulatedPackets end = Srv6Packets(variant, size, Cases.EndVariant);
            MeasuredLoops.End(end, 1);
            produced = MeasuredLoops.End(end, rounds);
            break;
        }
        case Cases.EndCsid:
        {
            EncapsulatedPackets csid = Srv6Packets(variant, size, Cases.EndCsidVariant);
            MeasuredLoops.EndNextCsid(csid, CompressedSidFormat.Default, 1);
            produced = MeasuredLoops.EndNextCsid(csid, CompressedSidFormat.Default, rounds);
            break;
        }
        default:
            throw new ArgumentException($"operation '{operation}' is not one of {string.Join(", ", Cases.Operations)}");
    }
    Console.WriteLine(produced.ToString(CultureInfo.InvariantCulture));
    return 0;
}

// The benchmark's frames for this variant and size, checked as its GlobalSetup checks them (every frame carried, by copy
// and in place, to the predicted length, and decapsulated back to its payload).
static FrameBatch Frames(IEncapsulator encapsulator, string size)
{
    FrameBatch frames = FrameBatch.Fixed(size, MeasuredLoops.Batch, Prepared.InnerIpVersion(encapsulator));
    Prepared.Validate(Prepared.Variant(encapsulator.Name), frames, requireAll: true);
    return frames;
}

static EncapsulatedPackets Srv6Packets(string variant, string size, string expected)
{
    if (!variant.Equals(expected, StringComparison.OrdinalIgnoreCase) || size != Cases.Srv6Size)
    {
        throw new ArgumentException($"this operation runs on {expected} at size {Cases.Srv6Size} only, not {variant} at {size}");
    }
    return EncapsulatedPackets.Build(Prepared.Variant(variant), FrameBatch.Fixed(size, MeasuredLoops.Batch));
}
