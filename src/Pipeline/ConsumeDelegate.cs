namespace KafkaPipeline;

/// <summary>
/// One step of a consumer pipeline: processes the record in <paramref name="context"/>.
/// Completing normally means the record was handled; throwing hands it to the error handler.
/// </summary>
public delegate ValueTask ConsumeDelegate(ConsumeContext context);
