namespace Overlay.Reporting;

/// <summary>Names this assembly for tests and reflection.</summary>
public static class AssemblyMarker;
