using KafkaPipeline.ErrorHandling.Attributes;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Classification;
using KafkaPipeline.ErrorHandling.Tests.BackOff;
using KafkaPipeline.ErrorHandling.Tests.Support;

namespace KafkaPipeline.ErrorHandling.Tests.Attributes;

public sealed class HandlerErrorPolicyTests
{
    private readonly List<string> _errors = [];

    [Fact]
    public void From_NoErrorHandlingAttributes_Null()
    {
        Assert.Null(From<PlainOrderHandler>());
        Assert.Empty(_errors);
    }

    [Fact]
    public void From_FixedNotRetryableDeadLetter_AllApplied()
    {
        var policy = From<AttributedPaymentHandler>()!;

        Assert.Equal([100, -1], BackOffSequence.Of(policy.BackOff!));
        Assert.False(policy.Classifier!.IsRetryable(new TimeoutException()));
        Assert.False(policy.Classifier.IsRetryable(new InvalidCastException()));
        Assert.Equal("payments-poison", policy.DeadLetterTopic);
    }

    [Fact]
    public void From_ExponentialAndRetryable_OverridesDefaultEntry()
    {
        var policy = From<ExponentialHandler>()!;

        Assert.Equal([500, 1000, 2000, -1], BackOffSequence.Of(policy.BackOff!));
        Assert.True(policy.Classifier!.IsRetryable(new InvalidCastException()));
        Assert.Null(policy.DeadLetterTopic);
    }

    [Fact]
    public void From_NoRetries_StopsAtOnce()
    {
        Assert.Null(From<NoRetriesHandler>()!.BackOff!.Start().NextBackOff());
    }

    [Fact]
    public void From_AttributeClassification_DoesNotChangeConsumerClassifier()
    {
        var consumer = new ExceptionClassifier();

        HandlerErrorPolicy.From("h", [.. typeof(AttributedPaymentHandler).GetCustomAttributes(true).Cast<Attribute>()], consumer, _errors);

        Assert.True(consumer.IsRetryable(new TimeoutException()));
    }

    [Fact]
    public void From_TwoBackOffAttributes_ErrorNamesHandlerAndFix()
    {
        Assert.Null(From<TwoBackOffsHandler>());

        var error = Assert.Single(_errors);
        Assert.Contains(nameof(TwoBackOffsHandler), error, StringComparison.Ordinal);
        Assert.Contains("Fix", error, StringComparison.Ordinal);
    }

    [Fact]
    public void From_InvalidTopicAndNonExceptionType_ReportsBoth()
    {
        Assert.Null(From<BrokenAttributesHandler>());

        Assert.Equal(2, _errors.Count);
        Assert.Contains(_errors, e => e.Contains("no/slashes", StringComparison.Ordinal));
        Assert.Contains(_errors, e => e.Contains("System.String", StringComparison.Ordinal));
    }

    private HandlerErrorPolicy? From<THandler>() =>
        HandlerErrorPolicy.From(typeof(THandler).Name, [.. typeof(THandler).GetCustomAttributes(true).Cast<Attribute>()], new ExceptionClassifier(), _errors);
}
