using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Tests.Reading;

public sealed class FailureTypeTests
{
    [Theory]
    [InlineData("org.springframework.kafka.listener.ListenerExecutionFailedException", "com.shop.Bad", "com.shop.Bad")]
    [InlineData("org.springframework.kafka.listener.TimestampedException", "com.shop.Bad", "com.shop.Bad")]
    [InlineData("org.springframework.kafka.listener.ListenerExecutionFailedException", null, "org.springframework.kafka.listener.ListenerExecutionFailedException")]
    [InlineData("Shop.InvalidOrderException", "System.FormatException", "Shop.InvalidOrderException")]
    [InlineData(null, "System.FormatException", null)]
    public void Of_SpringWrapperWithCause_IsTheCauseOtherwiseTheThrownType(string? thrown, string? cause, string? expected)
    {
        Assert.Equal(expected, FailureType.Of(thrown, cause));
    }
}
