using KafkaPipeline.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace KafkaPipeline.Tests.Observability;

public sealed class RepeatGateTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Admit_SameMessageWithinWindow_OnlyFirstAdmitted()
    {
        var gate = new RepeatGate(_time);

        Assert.True(gate.Admit("Connect to ipv4#127.0.0.1:1 failed (after 0ms)", out var repeats, out _));
        Assert.Equal(0, repeats);
        Assert.False(gate.Admit("Connect to ipv4#127.0.0.1:1 failed (after 3ms)", out _, out _)); // numbers ignored
        Assert.True(gate.Admit("Another message", out _, out _));
    }

    [Fact]
    public void Admit_AfterWindow_AdmittedAgainWithCountOfSuppressedRepeats()
    {
        var gate = new RepeatGate(_time);
        gate.Admit("broker down", out _, out _);
        for (var i = 0; i < 41; i++)
        {
            gate.Admit("broker down", out _, out _);
        }

        _time.Advance(RepeatGate.Window);

        Assert.True(gate.Admit("broker down", out var repeats, out var over));
        Assert.Equal(41, repeats);
        Assert.Equal(RepeatGate.Window, over);
    }

    [Fact]
    public void Flush_WindowEndedWithRepeats_ReturnsSummaryOnceAndForgetsIt()
    {
        var gate = new RepeatGate(_time);
        gate.Admit("broker down", out _, out _);
        gate.Admit("broker down", out _, out _);
        gate.Admit("quiet", out _, out _);

        Assert.Null(gate.Flush());
        _time.Advance(RepeatGate.Window);
        var due = gate.Flush();

        Assert.Equal([("broker down", 1, RepeatGate.Window, Microsoft.Extensions.Logging.LogLevel.Warning)], due!);
        Assert.Null(gate.Flush());
        Assert.True(gate.Admit("broker down", out var repeats, out _));
        Assert.Equal(0, repeats);
    }

    [Fact]
    public void Normalize_DigitRuns_ReplacedByOneMarker() =>
        Assert.Equal("#/# brokers are down after #ms", RepeatGate.Normalize("3/3 brokers are down after 1500ms"));
}
