using System.Text.Json;
using KafkaPipeline.Deduplication;
using KafkaPipeline.ErrorHandling.Classification;
using KafkaPipeline.ErrorHandling.Tests.Support;
using KafkaPipeline.Handlers;
using KafkaPipeline.Serialization;

namespace KafkaPipeline.ErrorHandling.Tests.Classification;

public sealed class ExceptionClassifierTests
{
    private readonly ExceptionClassifier _classifier = new();

    [Fact]
    public void IsRetryable_DefaultNotRetryableTypes_AreNotRetryable()
    {
        Assert.False(_classifier.IsRetryable(new DeserializationException("bad", Records.Context(), typeof(int))));
        Assert.False(_classifier.IsRetryable(new JsonException("bad json")));
        Assert.False(_classifier.IsRetryable(new InvalidCastException()));
        Assert.False(_classifier.IsRetryable(new MissingMethodException()));
        Assert.False(_classifier.IsRetryable(new HandlerNotFoundException("none")));
        Assert.False(_classifier.IsRetryable(new DeduplicationKeyException("selector", new InvalidOperationException())));
    }

    [Fact]
    public void IsRetryable_OrdinaryAndRetryableCoreExceptions_AreRetryable()
    {
        Assert.True(_classifier.IsRetryable(new TimeoutException()));
        Assert.True(_classifier.IsRetryable(new DeduplicationInProgressException("k")));
    }

    [Fact]
    public void IsRetryable_NotRetryableCause_WalksInnerExceptionChain()
    {
        var wrapped = new InvalidOperationException("outer", new AggregateException(new InvalidCastException("root")));

        Assert.False(_classifier.IsRetryable(wrapped));
    }

    [Fact]
    public void IsRetryable_ExplicitEntryForOuterType_WinsOverCause()
    {
        _classifier.AddRetryable<PoisonException>();
        var outer = new PoisonException("outer", new InvalidCastException("inner"));

        Assert.True(_classifier.IsRetryable(outer));
    }

    [Fact]
    public void IsRetryable_SubtypeOfNotRetryableEntry_IsNotRetryable()
    {
        _classifier.AddNotRetryable<ArgumentException>();

        Assert.False(_classifier.IsRetryable(new ArgumentNullException("x")));
    }

    [Fact]
    public void IsRetryable_SubtypeMatchedByDefaultValue_KeepsWalkingToCause()
    {
        _classifier.AddRetryable<InvalidOperationException>();
        var outer = new ObjectDisposedException("outer", new InvalidCastException("inner"));

        Assert.False(_classifier.IsRetryable(outer));
    }

    [Fact]
    public void Remove_DefaultEntry_MakesTypeRetryable()
    {
        Assert.False(_classifier.Remove<InvalidCastException>());

        Assert.True(_classifier.IsRetryable(new InvalidCastException()));
        Assert.Null(_classifier.Remove<InvalidCastException>());
    }

    [Fact]
    public void ReplaceClassifications_NewTable_DropsDefaults()
    {
        _classifier.ReplaceClassifications([new(typeof(TimeoutException), false)], defaultRetryable: true);

        Assert.False(_classifier.IsRetryable(new TimeoutException()));
        Assert.True(_classifier.IsRetryable(new InvalidCastException()));
        Assert.Single(_classifier.Classifications);
    }

    [Fact]
    public void RetryNothingByDefault_OnlyListedTypesRetry()
    {
        _classifier.RetryNothingByDefault().AddRetryable<TimeoutException>();

        Assert.False(_classifier.IsRetryable(new InvalidOperationException()));
        Assert.True(_classifier.IsRetryable(new TimeoutException()));
        Assert.True(_classifier.IsRetryable(new InvalidOperationException("wrapper", new TimeoutException())));
        Assert.False(_classifier.DefaultRetryable);
    }

    [Fact]
    public void RetryNothingByDefault_KeepEntries_NotRetryableOuterStillWinsOverRetryableCause()
    {
        _classifier.RetryNothingByDefault(keepEntries: true).AddRetryable<TimeoutException>();

        Assert.False(_classifier.IsRetryable(new InvalidCastException("outer", new TimeoutException())));
    }

    [Fact]
    public void RetryNothingByDefault_DropEntries_RetryableCauseDecides()
    {
        _classifier.RetryNothingByDefault(keepEntries: false).AddRetryable<TimeoutException>();

        Assert.True(_classifier.IsRetryable(new InvalidCastException("outer", new TimeoutException())));
    }

    [Fact]
    public void AddNotRetryable_NonExceptionType_ThrowsWithFix()
    {
        var ex = Assert.Throws<ArgumentException>(() => _classifier.AddNotRetryable(typeof(string)));

        Assert.Contains("System.String", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Fix", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clone_ChangesToCopy_DoNotAffectOriginal()
    {
        var copy = _classifier.Clone().AddNotRetryable<TimeoutException>();

        Assert.False(copy.IsRetryable(new TimeoutException()));
        Assert.True(_classifier.IsRetryable(new TimeoutException()));
        Assert.False(copy.IsRetryable(new InvalidCastException()));
    }
}
