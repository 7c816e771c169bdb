package io.slimjobs.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.node.NullNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.HttpCaller;
import io.slimjobs.LogCapture;
import io.slimjobs.SlimJobsReplica;
import io.slimjobs.SlimJobsBeans;
import io.slimjobs.queue.LeaseLeadership;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One occurrence makes one execution whoever fires it: two replicas ticking together (even two that both believe
 * they lead), a replica restarted within the minute it fired, or one that starts after an occurrence went missed.
 */
class ScheduleReplicasTest extends ScheduleTestSupport {

    private static final Instant QUARTER_TO = Instant.parse("2030-01-01T00:45:00Z");

    @BeforeEach
    void leadWithoutRealTimeTicks() throws Exception {
        awaitLeadingWithoutTicks(context);
    }

    /** A second SlimJobs on this API server and clock, its minute tick stopped; {@code own} its own properties. */
    private SlimJobsReplica replica(String name, Map<String, String> own) throws Exception {
        SlimJobsReplica replica = replica(name, own, Map.of(SlimJobsBeans.CLOCK, clock));
        replica.context().getRouteController().stopRoute("schedule-tick");
        return replica;
    }

    private static SlimJobsReplica leading(SlimJobsReplica replica) {
        LeaseLeadership leadership = replica.context().getRegistry().lookupByNameAndType("leadership",
                LeaseLeadership.class);
        awaitUntil(replica.context().getName() + " leading", leadership::leads);
        return replica;
    }

    private void awaitListedOn(SlimJobsReplica replica, String scheduleId) {
        awaitUntil("the schedule read by the replica", () -> replica.http()
                .call(HttpCaller.OUTSIDER, "GET", "/job-schedules/report", Map.of(), null).body().contains(scheduleId));
    }

    /** Ticks on every one of them at once, several times over. */
    private static void tickTogether(List<ProducerTemplate> replicas) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(replicas.size());
        try {
            for (int round = 0; round < 3; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Object>> ticks = replicas.stream().map(replica -> pool.submit(() -> {
                    start.await();
                    tick(replica);
                    return null;
                })).toList();
                start.countDown();
                for (Future<Object> tick : ticks) {
                    tick.get();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_fire_once_when_two_replicas_that_both_believe_they_lead_tick_together() throws Exception {
        String id = createSchedule("report", "{\"Schedule\": \"45 0 * * *\"}");
        // each holds a Lease of its own: both lead, as two replicas may for a moment around a fail-over
        try (SlimJobsReplica other = leading(replica("replica-b",
                Map.of("slimjobs.leader.lease-name", "another-lease")))) {
            awaitListedOn(other, id);
            clock.set(QUARTER_TO);

            tickTogether(List.of(template, other.template()));

            Map<String, Job> fired = firedJobs();
            assertEquals(Set.of(key(id, QUARTER_TO)), fired.keySet());
            String execution = executionId(fired.get(key(id, QUARTER_TO)));
            assertEquals(execution, runRecords().get(id).get("ExecutionId").asText());
            assertEquals(1, jobs().size());

            // the configured schedule, first seen by both, fires once at the hour too
            clock.set(Instant.parse("2030-01-01T01:00:00Z"));
            tickTogether(List.of(template, other.template()));
            assertEquals(Set.of(key(id, QUARTER_TO), key(configuredId(), clock.instant())), firedJobs().keySet());
        }
    }

    @Test
    void should_fire_only_on_the_leader_when_both_replicas_tick() throws Exception {
        String id = createSchedule("report", "{\"Schedule\": \"45 0 * * *\"}");
        try (SlimJobsReplica follower = replica("replica-b", Map.of())) {
            awaitListedOn(follower, id);
            clock.set(QUARTER_TO);

            tick(follower.template());
            assertEquals(List.of(), jobs(), "a replica that does not lead fires nothing");

            tickTogether(List.of(template, follower.template()));
            assertEquals(Set.of(key(id, QUARTER_TO)), firedJobs().keySet());
        }
    }

    @Test
    void should_not_fire_again_after_a_restart_within_the_minute_even_if_the_record_was_lost() throws Exception {
        String id = createSchedule("report", "{\"Schedule\": \"45 0 * * *\"}");
        clock.set(QUARTER_TO.plusSeconds(5));
        tick();
        String execution = executionId(firedJobs().get(key(id, QUARTER_TO)));
        context.stop();

        clock.set(QUARTER_TO.plusSeconds(40));
        try (SlimJobsReplica restarted = leading(replica("restarted", Map.of()))) {
            tick(restarted.template());
            assertEquals(1, jobs().size(), "not fired again: the run record says it was");
        }

        // a crash between the Job and its record: the next leader fires again, and its key finds the same execution
        kube().configMaps().inNamespace(namespace).withName("slimjobs-schedule-runs").edit(records -> {
            records.getData().remove(id);
            return records;
        });
        clock.set(QUARTER_TO.plusSeconds(50));
        try (SlimJobsReplica restarted = leading(replica("restarted-again", Map.of()))) {
            tick(restarted.template());

            assertEquals(1, jobs().size());
            assertEquals(execution, runRecords().get(id).get("ExecutionId").asText());
        }
    }

    @Test
    void should_catch_up_at_start_the_occurrence_missed_while_no_replica_ran() throws Exception {
        String id = createSchedule("report", "{\"Schedule\": \"0 * * * *\"}");
        String configured = configuredId();
        context.stop();
        clock.set(Instant.parse("2030-01-01T03:10:00Z"));
        Instant missed = Instant.parse("2030-01-01T03:00:00Z");

        try (LogCapture log = LogCapture.start();
             SlimJobsReplica restarted = replica("restarted", Map.of())) {
            // nothing but its takeover ticks
            awaitUntil("both caught up", () -> firedJobs().keySet().equals(Set.of(key(id, missed),
                    key(configured, missed))));
            awaitUntil("both recorded", () -> runRecords().getOrDefault(id, NullNode.instance).has("ExecutionId")
                    && runRecords().getOrDefault(configured, NullNode.instance).has("ExecutionId"));
            assertEquals(2, log.lines().stream().filter(line -> line.contains("catches up")
                    && line.contains(missed.toString())).count(), () -> String.join("\n", log.lines()));
        }
    }
}
