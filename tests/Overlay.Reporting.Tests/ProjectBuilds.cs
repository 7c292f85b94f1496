namespace Overlay.Reporting.Tests;

public class ProjectBuilds
{
    [Fact]
    public void Reporting_assembly_loads() => Assert.Equal("Overlay.Reporting", typeof(Overlay.Reporting.AssemblyMarker).Assembly.GetName().Name);
}
