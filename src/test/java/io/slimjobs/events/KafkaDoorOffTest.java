package io.slimjobs.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import io.slimjobs.SlimJobsTestSupport;
import org.apache.camel.Endpoint;
import org.junit.jupiter.api.Test;

/** Without bootstrap servers there is no Kafka door, no events route, and so no Kafka client at all. */
class KafkaDoorOffTest extends SlimJobsTestSupport {

    @Test
    void should_have_no_kafka_route_nor_endpoint_when_no_bootstrap_servers_are_set() {
        assertNull(context.getRoute(KafkaTopicSubscription.ROUTE_ID));
        assertNull(context.getRoute("kafka-events"));
        assertEquals(List.of(), context.getEndpoints().stream().map(Endpoint::getEndpointUri)
                .filter(uri -> uri.startsWith("kafka:")).toList());
        assertEquals(202, post("/job/fibonacci", "").status());
    }
}
