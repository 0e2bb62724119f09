namespace KafkaPipeline.Deduplication.Redis.Tests;

public sealed class ReservationTokensTests
{
    private readonly ReservationTokens _tokens = new();

    [Fact]
    public void Begin_AfterUnknownOutcome_ReusesToken()
    {
        var first = _tokens.Begin("k");
        _tokens.End("k", first, reserved: null);

        Assert.Equal(first, _tokens.Begin("k"));
    }

    [Fact]
    public void Begin_AfterRejection_NewTokenAndNothingToRelease()
    {
        var first = _tokens.Begin("k");
        _tokens.End("k", first, reserved: false);

        Assert.Null(_tokens.Current("k"));
        Assert.NotEqual(first, _tokens.Begin("k"));
    }

    [Fact]
    public void Begin_WhileAnotherAttemptInFlight_DoesNotShareItsToken()
    {
        var first = _tokens.Begin("k");

        Assert.NotEqual(first, _tokens.Begin("k"));
    }

    [Fact]
    public void Current_HeldReservation_IsItsToken_UntilForgotten()
    {
        var token = _tokens.Begin("k");
        _tokens.End("k", token, reserved: true);

        Assert.Equal(token, _tokens.Current("k"));
        _tokens.Forget("k", "someone-else");
        Assert.Equal(token, _tokens.Current("k"));
        _tokens.Forget("k", token);
        Assert.Null(_tokens.Current("k"));
        Assert.Equal(0, _tokens.Count);
    }
}
