package io.slimjobs.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A burst of decisions cannot flood the API server with Events: they are created at most
 * slimjobs.events.max-per-second, those that find the queue full are dropped and counted, and the drops are warned of
 * once, not one by one.
 */
class KubernetesEventsRateLimitTest extends SlimJobsTestSupport {

    private static final int MAX_PER_SECOND = 2;
    private static final int QUEUE_SIZE = 10;
    private static final int BURST = 50;

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.events.max-per-second", String.valueOf(MAX_PER_SECOND),
                "slimjobs.events.queue-size", String.valueOf(QUEUE_SIZE));
    }

    private List<Event> eventsCreated() {
        return kube().events().v1().events().inNamespace(namespace).list().getItems();
    }

    private double dropped() {
        return get("/metrics").body().lines()
                .filter(line -> line.startsWith("slimjobs_kubernetes_events_dropped_total "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no slimjobs_kubernetes_events_dropped_total"));
    }

    @Test
    void should_create_at_most_the_rate_and_the_queue_of_a_burst_and_count_the_others_as_dropped() {
        assertEquals(0.0, dropped());
        ExecutionDecisions decisions = context.getRegistry().lookupByNameAndType("decisions", ExecutionDecisions.class);

        // as fast as a loop goes: well within the first second
        for (int i = 0; i < BURST; i++) {
            decisions.decided(ExecutionDecision.queued("burst", "id-" + i, "burst-" + i, "http", Instant.now()));
        }

        int dropped = (int) dropped();
        awaitUntil("every Event not dropped created", Duration.ofSeconds(30),
                () -> eventsCreated().size() == BURST - dropped);
        // the first second's allowance, the queue, and the one the throttle holds
        assertTrue(BURST - dropped <= MAX_PER_SECOND + QUEUE_SIZE + 1, () -> dropped + " dropped");
        // spread over time by the API server's clock (whole seconds): the limit's worth per second at most
        List<Instant> created = eventsCreated().stream()
                .map(event -> Instant.parse(event.getMetadata().getCreationTimestamp())).sorted().toList();
        long seconds = Duration.between(created.get(0), created.get(created.size() - 1)).toSeconds();
        assertTrue(created.size() <= MAX_PER_SECOND * (seconds + 2), () -> "created at " + created);
        assertEquals(1, logLines("WARN KubernetesEvents - Decisions come faster than "
                + "slimjobs.events.max-per-second allows").size(), () -> String.join("\n", log.lines()));
    }
}
