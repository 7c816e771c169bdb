package io.slimjobs.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.slimjobs.SlimJobsTestSupport;
import org.apache.camel.Endpoint;
import org.junit.jupiter.api.Test;

/**
 * Without bootstrap servers there is no Kafka door, no events route, and so no Kafka client at all; an events topic
 * without them is refused.
 */
class KafkaDoorOffTest extends SlimJobsTestSupport {

    @Test
    void should_have_no_kafka_route_nor_endpoint_when_no_bootstrap_servers_are_set() {
        assertNull(context.getRoute(KafkaTopicSubscription.ROUTE_ID));
        assertNull(context.getRoute("kafka-events"));
        assertEquals(List.of(), context.getEndpoints().stream().map(Endpoint::getEndpointUri)
                .filter(uri -> uri.startsWith("kafka:")).toList());
        assertEquals(202, post("/job/fibonacci", "").status());
    }

    @Test
    void should_not_load_the_kafka_component_when_no_bootstrap_servers_are_set() {
        // resolving it loads the Kafka client's classes, startup time and memory spent for nothing
        assertNull(context.hasComponent("kafka"));
    }

    @Test
    void should_refuse_to_start_with_an_events_topic_but_no_bootstrap_servers() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> replica("events-without-kafka",
                Map.of("slimjobs.kafka.events-topic", "executions"), Map.of()).close());

        assertTrue(String.valueOf(refused.getMessage()).contains(
                "slimjobs.kafka.events-topic is set (executions) but slimjobs.kafka.bootstrap-servers is not"),
                String.valueOf(refused));
    }
}
