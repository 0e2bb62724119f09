using KafkaPipeline.Handlers;
using KafkaPipeline.Options;

namespace KafkaPipeline.ErrorHandling.Tests.Support;

/// <summary>Builds the core's descriptors (internal constructors; this test assembly is a friend of KafkaPipeline).</summary>
internal static class Descriptors
{
    public static HandlerDescriptor Handler<THandler, TMessage>(string topic, string groupId = "billing") =>
        new(typeof(THandler), typeof(TMessage), topic, groupId, typeof(TMessage).Name, acceptsNull: false);

    public static ConsumerDescriptor Consumer(string groupId, params HandlerDescriptor[] handlers) =>
        new(groupId, handlers, new KafkaConsumerOptions(), "message-type");
}
