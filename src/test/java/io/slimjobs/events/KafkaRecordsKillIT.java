package io.slimjobs.events;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.KafkaBroker;
import io.slimjobs.KillableJar;
import io.slimjobs.demo.EmbeddedCluster;
import io.slimjobs.kube.Labels;
import io.slimjobs.trigger.TriggerHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar consuming a stream of Kafka records, killed without a word (SIGKILL: the offsets of the records in
 * flight are not committed) and started again: the records it had turned into Jobs come again, and each record still
 * ends with exactly one Job, whether its identity is its topic, partition and offset or an `Idempotency-Key` header.
 */
class KafkaRecordsKillIT {

    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    private static final String NAMESPACE = "kafka-kill";
    private static final String JOB = "recorded";
    /** Finished Jobs stay for the whole test, so that the API server still shows every one at the end. */
    private static final String CONFIGURATION = "{\"Configurations\": {\"" + JOB + "\": {\"Image\": \"busybox:1.36\", "
            + "\"NumberParallelJob\": 5, \"TtlSecondsAfterFinished\": 3600}}}";
    private static final String TOPIC = NAMESPACE + ".triggers";
    private static final String DEAD_LETTER_TOPIC = NAMESPACE + ".dead-letter";
    private static final int RECORDS = 400;
    /** Jobs made before the kill. */
    private static final int KILL_AFTER = 100;

    @TempDir
    Path home;
    private EmbeddedCluster cluster;
    private KillableJar jar;

    @BeforeEach
    void startClusterAndTopics() {
        cluster = EmbeddedCluster.start(NAMESPACE, Duration.ofMillis(100));
        BROKER.createTopics(TOPIC, DEAD_LETTER_TOPIC);
        jar = new KillableJar(home, Map.of(
                "SLIMJOBS_KUBERNETES_MASTER_URL", cluster.masterUrl(),
                "SLIMJOBS_NAMESPACE", NAMESPACE,
                "SlimFaas__JobsConfiguration", CONFIGURATION,
                "SLIMJOBS_KAFKA_BOOTSTRAP_SERVERS", BROKER.bootstrapServers(),
                "SLIMJOBS_KAFKA_TOPIC", TOPIC,
                "SLIMJOBS_KAFKA_GROUP_ID", NAMESPACE,
                "SLIMJOBS_KAFKA_DEAD_LETTER_TOPIC", DEAD_LETTER_TOPIC,
                // the killed consumer never leaves the group: the broker waits for its session to expire (the
                // broker's least, 6 s, instead of the client's 45 s) before the restarted one gets the partition
                "JAVA_TOOL_OPTIONS", "-Dcamel.component.kafka.session-timeout-ms=6000 "
                        + "-Dcamel.component.kafka.heartbeat-interval-ms=1000"));
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        jar.close();
        cluster.close();
    }

    private List<Job> jobs() {
        return cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).withLabel(Labels.MANAGED_BY).list()
                .getItems();
    }

    @Test
    void should_make_exactly_one_job_per_record_when_killed_mid_stream_and_restarted() throws Exception {
        jar.start("first");
        // record i carries an Idempotency-Key when i is odd; the others are known by their topic, partition and offset
        Map<Integer, String> keys = new ConcurrentHashMap<>();
        ExecutorService producer = Executors.newSingleThreadExecutor();
        Future<?> stream = producer.submit(() -> {
            for (int i = 0; i < RECORDS; i++) {
                String key = i % 2 == 1 ? "record-" + i : null;
                Map<String, String> headers = key == null ? Map.of(TriggerHeaders.JOB, JOB)
                        : Map.of(TriggerHeaders.JOB, JOB, TriggerHeaders.IDEMPOTENCY_KEY, key);
                long offset = BROKER.send(KafkaBroker.record(TOPIC, null, "{\"Args\": [\"" + i + "\"]}", headers));
                keys.put(i, key != null ? key : "kafka " + TOPIC + "/0/" + offset);
            }
        });
        producer.shutdown();
        awaitUntil(KILL_AFTER + " Jobs", Duration.ofSeconds(60), () -> jobs().size() >= KILL_AFTER);
        jar.kill();
        int beforeKill = jobs().size();
        long committedBeforeKill = BROKER.committed(NAMESPACE, TOPIC);
        stream.get(60, TimeUnit.SECONDS);

        jar.start("second");
        // once every offset is committed, no record can come again: what the API server holds then is final
        awaitUntil("every record consumed", Duration.ofSeconds(60),
                () -> BROKER.committed(NAMESPACE, TOPIC) == RECORDS);
        System.out.println("Kafka kill: " + beforeKill + " Jobs and " + committedBeforeKill
                + " offsets committed at the kill, of " + RECORDS + " records");

        Map<String, List<String>> argsByKey = jobs().stream().collect(Collectors.groupingBy(
                job -> job.getMetadata().getAnnotations().get(Labels.IDEMPOTENCY_KEY), TreeMap::new,
                Collectors.mapping(job -> job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().get(0),
                        Collectors.toList())));
        Map<String, List<String>> expected = new TreeMap<>();
        keys.forEach((record, key) -> expected.put(key, List.of(String.valueOf(record))));
        assertEquals(expected, argsByKey, () -> "one Job per record, made from that record\n" + jar.logs());
        assertEquals(0, BROKER.size(DEAD_LETTER_TOPIC), "no record dead-lettered");
    }
}
