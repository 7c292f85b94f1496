namespace Overlay.Replay.Analysis;

public sealed partial class CaptureAnalyzer
{
    /// <summary>The frame-length histogram as a document carries it (only the lengths seen), and its sum.</summary>
    internal sealed partial class SizeStatistics
    {
        public SortedDictionary<int, long> Histogram()
        {
            var lengths = new SortedDictionary<int, long>();
            for (int length = 0; length < _histogram.Length; length++)
            {
                if (_histogram[length] != 0)
                {
                    lengths[length] = _histogram[length];
                }
            }
            return lengths;
        }

        public void Absorb(IReadOnlyDictionary<int, long> lengths, string what)
        {
            foreach ((int length, long count) in lengths)
            {
                if (length < 0 || length >= _histogram.Length || count < 0)
                {
                    throw new InvalidDataException($"{what}: frame length {length} ({count} frames) is out of range");
                }
                if (count > 0)
                {
                    _min = Math.Min(_min, length);
                    Max = Math.Max(Max, length);
                }
                _histogram[length] += count;
                Count += count;
                Bytes += length * count;
            }
        }
    }
}
