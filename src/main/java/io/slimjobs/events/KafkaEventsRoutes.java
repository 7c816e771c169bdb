package io.slimjobs.events;

import io.slimjobs.Endpoints;
import org.apache.camel.builder.RouteBuilder;

/**
 * Announces events on the events topic, so that other integrations can chain on them. Only there when Kafka and the
 * events topic are configured: no Kafka producer exists otherwise.
 */
public class KafkaEventsRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from(Endpoints.KAFKA_EVENTS).routeId("kafka-events")
                .precondition("'{{slimjobs.kafka.bootstrap-servers}}' != '' && '{{slimjobs.kafka.events-topic}}' != ''")
                // the caller learns of a failure and keeps the event to announce again
                .errorHandler(noErrorHandler())
                .setHeader("content-type", constant(CloudEvents.STRUCTURED_CONTENT_TYPE))
                .to("kafka:{{slimjobs.kafka.events-topic}}?valueSerializer="
                        + "org.apache.kafka.common.serialization.ByteArraySerializer");
    }
}
