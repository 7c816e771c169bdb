package io.slimjobs.events;

import static io.slimjobs.KafkaBroker.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import io.slimjobs.ApiServerProxy;
import io.slimjobs.KafkaBroker;
import io.slimjobs.SlimJobsReplica;
import io.slimjobs.SlimJobsTestSupport;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * At least once and no duplicates: a record's offset is committed only after its Job exists; a record read again
 * makes no second Job; while the API server is away a record is retried, neither skipped nor dead-lettered.
 */
class KafkaDeliveryTest extends SlimJobsTestSupport {

    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    private ApiServerProxy apiServer;

    @Override
    protected Map<String, String> properties() {
        apiServer = new ApiServerProxy(cluster.masterUrl(), Duration.ZERO);
        BROKER.createTopics(triggers(), deadLetters());
        return Map.of("slimjobs.kubernetes.master-url", apiServer.url(),
                // every failed call reaches the Kafka door's own retries
                "slimjobs.kubernetes.request-retries", "0",
                "slimjobs.kafka.retry-initial-delay", "100",
                "slimjobs.kafka.retry-max-delay", "1000",
                "slimjobs.kafka.bootstrap-servers", BROKER.bootstrapServers(),
                "slimjobs.kafka.topic", triggers(),
                "slimjobs.kafka.group-id", namespace,
                "slimjobs.kafka.dead-letter-topic", deadLetters());
    }

    @Override
    protected void doPostTearDown() throws Exception {
        super.doPostTearDown();
        apiServer.close();
    }

    private String triggers() {
        return namespace + ".triggers";
    }

    private String deadLetters() {
        return namespace + ".dead-letter";
    }

    @Test
    void should_retry_a_record_while_the_api_server_is_away_and_make_its_job_once_it_is_back() {
        apiServer.cut();
        BROKER.send(record(triggers(), "fibonacci", "{}", Map.of()));
        awaitUntil("a retry", () -> logLines("On delivery attempt: 2").size() == 1);

        apiServer.restore();

        awaitUntil("the record committed", () -> BROKER.committed(namespace, triggers()) == 1);
        assertEquals(1, jobs().size());
        assertEquals(0, BROKER.size(deadLetters()));
    }

    @Test
    void should_commit_nothing_when_stopped_while_retrying_and_make_the_job_after_a_restart() {
        apiServer.cut();
        BROKER.send(record(triggers(), "fibonacci", "{}", Map.of()));
        awaitUntil("a retry", () -> logLines("On delivery attempt: 2").size() == 1);

        context.stop();

        assertEquals(0, BROKER.committed(namespace, triggers()));
        assertEquals(0, BROKER.size(deadLetters()));
        apiServer.restore();
        try (SlimJobsReplica restarted = replica("restarted", Map.of(), Map.of())) {
            awaitUntil("the record committed", () -> BROKER.committed(namespace, triggers()) == 1);
        }
        assertEquals(1, jobs().size());
        assertEquals(0, BROKER.size(deadLetters()));
    }

    @Test
    void should_make_one_job_of_a_record_read_again_after_a_stop_between_its_job_and_its_commit() throws Exception {
        AdviceWith.adviceWith(context, KafkaTopicSubscription.ROUTE_ID, route -> route.weaveAddLast().process(
                exchange -> {
                    // the Job exists: the process stops before the offset is committed
                    awaitUntil("the stop", Duration.ofSeconds(30), context::isStopping);
                    throw new IllegalStateException("stopped before the commit");
                }));
        BROKER.send(record(triggers(), "fibonacci", "{}", Map.of()));
        awaitUntil("the Job", () -> jobs().size() == 1);

        context.stop();

        assertEquals(0, BROKER.committed(namespace, triggers()));
        try (SlimJobsReplica restarted = replica("restarted", Map.of(), Map.of())) {
            awaitUntil("the record committed", () -> BROKER.committed(namespace, triggers()) == 1);
        }
        assertEquals(1, jobs().size());
        assertEquals(1, logLines("already exists for idempotency key kafka " + triggers() + "/0/0").size());
        assertEquals(0, BROKER.size(deadLetters()));
    }
}
