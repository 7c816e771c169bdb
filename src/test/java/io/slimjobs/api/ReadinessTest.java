package io.slimjobs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import io.slimjobs.kube.EmbeddedCluster;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.PodIndex;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void should_not_be_ready_before_the_caches_have_synced() {
        try (EmbeddedCluster cluster = EmbeddedCluster.start("readiness", null)) {
            PodIndex pods = new PodIndex(cluster.client(), "readiness", 0);
            JobIndex jobs = new JobIndex(cluster.client(), "readiness", 0, pods);
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());

            assertEquals(Map.of("status", "DOWN"), new Readiness(jobs, pods).check(exchange));
            assertEquals(503, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        }
    }
}
