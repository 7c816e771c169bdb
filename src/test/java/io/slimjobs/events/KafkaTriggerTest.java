package io.slimjobs.events;

import static io.slimjobs.KafkaBroker.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.Endpoints;
import io.slimjobs.Json;
import io.slimjobs.KafkaBroker;
import io.slimjobs.MetricSamples;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Kafka door against a real broker: each way to name a job, each record format, dead letters, the events topic. */
class KafkaTriggerTest extends SlimJobsTestSupport {

    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    @Override
    protected String jobsConfiguration() {
        // Default has no image: a name nothing defines cannot run
        return """
                {
                  "Configurations": {
                    "hello": { "Image": "busybox:1.36", "Visibility": "Public" },
                    "orders": { "Image": "registry.local/orders:1", "KafkaTopic": "%s" }
                  }
                }
                """.formatted(topic("orders"));
    }

    @Override
    protected Map<String, String> properties() {
        // topics and group of this test only: a record another test left behind cannot show up here
        BROKER.createTopics(topic("triggers"), topic("orders"), topic("reports"), topic("dead-letter"),
                topic("events"));
        return Map.of("slimjobs.kafka.bootstrap-servers", BROKER.bootstrapServers(),
                "slimjobs.kafka.topic", topic("triggers"),
                "slimjobs.kafka.group-id", namespace,
                "slimjobs.kafka.dead-letter-topic", topic("dead-letter"),
                "slimjobs.kafka.events-topic", topic("events"));
    }

    private String topic(String name) {
        return namespace + "." + name;
    }

    @Test
    void should_run_the_job_the_slimjobs_job_header_names_with_the_record_value_as_its_overrides() {
        long offset = BROKER.send(record(topic("triggers"), "ignored-key", "{\"Args\": [\"42\"]}",
                Map.of("slimjobs-job", "hello")));

        Job job = awaitOneJobOf("hello");
        assertEquals(List.of("42"), job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        assertEquals("kafka " + topic("triggers") + "/0/" + offset,
                job.getMetadata().getAnnotations().get(Labels.IDEMPOTENCY_KEY));
        awaitUntil("counted", () -> metrics().count("slimjobs_kafka_records_total", "topic", topic("triggers"),
                "outcome", "processed") == 1);
    }

    @Test
    void should_run_the_job_the_record_key_names_when_there_is_no_header() {
        BROKER.send(record(topic("triggers"), "hello", "", Map.of()));

        awaitOneJobOf("hello");
    }

    @Test
    void should_run_the_job_whose_kafka_topic_the_record_is_on_whatever_else_it_names() {
        BROKER.send(record(topic("orders"), "hello", "{}", Map.of("slimjobs-job", "hello")));

        awaitOneJobOf("orders");
        assertTrue(jobs().stream().noneMatch(job -> job.getMetadata().getLabels().get(Labels.JOB).equals("hello")));
    }

    @Test
    void should_take_a_structured_cloudevent_as_the_execution_s_input_keyed_by_its_source_and_id() {
        BROKER.send(record(topic("orders"), null, """
                {"specversion": "1.0", "id": "7", "source": "/shop", "type": "order.placed", "data": {"n": 1}}""",
                Map.of("content-type", "application/cloudevents+json")));

        Job job = awaitOneJobOf("orders");
        assertEquals("cloudevent /shop 7", job.getMetadata().getAnnotations().get(Labels.IDEMPOTENCY_KEY));
        // an event is input, not overrides: the definition runs as configured
        assertEquals(List.of(), job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    }

    @Test
    void should_take_a_binary_cloudevent_and_prefer_an_idempotency_key_header_to_its_source_and_id() {
        BROKER.send(record(topic("triggers"), "hello", "{\"Args\": [\"not overrides\"]}", Map.of(
                "ce_specversion", "1.0", "ce_id", "8", "ce_source", "/shop", "ce_type", "order.placed",
                "content-type", "application/json", "Idempotency-Key", "order-8")));

        Job job = awaitOneJobOf("hello");
        assertEquals("order-8", job.getMetadata().getAnnotations().get(Labels.IDEMPOTENCY_KEY));
        assertEquals(List.of(), job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    }

    @Test
    void should_dead_letter_each_record_that_can_never_succeed_as_it_came_with_why_and_go_on() {
        BROKER.send(record(topic("triggers"), "nobody", "{}", Map.of("trace", "t-1")));
        BROKER.send(record(topic("triggers"), "hello", "{\"Args\": [", Map.of()));
        BROKER.send(record(topic("triggers"), "hello", "{\"Image\": \"evil:1\"}", Map.of()));
        BROKER.send(record(topic("triggers"), null, "{}", Map.of()));
        BROKER.send(record(topic("triggers"), "hello", "{\"specversion\": \"1.0\", \"source\": \"/shop\"}",
                Map.of("content-type", "application/cloudevents+json")));
        BROKER.send(record(topic("triggers"), "hello", "{\"Args\": [\"after\"]}", Map.of()));

        List<ConsumerRecord<String, byte[]>> dead = BROKER.records(topic("dead-letter"), 5);
        assertDeadLetter(dead.get(0), "nobody", "{}", "job 'nobody' has no image configured");
        assertEquals("t-1", header(dead.get(0), "trace"));
        assertDeadLetter(dead.get(1), "hello", "{\"Args\": [", "malformed JSON");
        assertDeadLetter(dead.get(2), "hello", "{\"Image\": \"evil:1\"}", "Image: 'evil:1' is neither the job's image");
        assertDeadLetter(dead.get(3), null, "{}", "the record names no job");
        assertDeadLetter(dead.get(4), "hello", "{\"specversion\": \"1.0\", \"source\": \"/shop\"}",
                "the CloudEvent lacks the required attributes id, type");
        assertEquals("application/cloudevents+json", header(dead.get(4), "content-type"));
        Job after = awaitOneJobOf("hello");
        assertEquals(List.of("after"), after.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        assertEquals(1, jobs().size());
        awaitUntil("every record committed", () -> BROKER.committed(namespace, topic("triggers")) == 6);
        MetricSamples metrics = metrics();
        assertEquals(5, metrics.count("slimjobs_kafka_records_total", "topic", topic("triggers"), "outcome",
                "dead_lettered"));
        assertEquals(1, metrics.count("slimjobs_kafka_records_total", "topic", topic("triggers"), "outcome",
                "processed"));
    }

    @Test
    void should_consume_a_kafka_topic_a_changed_definition_adds_from_its_first_record() {
        // written before any job had the topic
        BROKER.send(record(topic("reports"), null, "{}", Map.of()));

        changeConfiguration(jobsConfiguration().replace("\"hello\":", """
                "reports": { "Image": "registry.local/reports:1", "KafkaTopic": "%s" },
                "hello":""".formatted(topic("reports"))));

        awaitOneJobOf("reports");
        BROKER.send(record(topic("orders"), null, "{}", Map.of()));
        awaitOneJobOf("orders");
    }

    @Test
    void should_publish_an_event_keyed_by_its_execution_once_the_broker_has_it() {
        byte[] event = "{\"specversion\": \"1.0\", \"id\": \"e-1\"}".getBytes(StandardCharsets.UTF_8);

        template.sendBodyAndHeader(Endpoints.KAFKA_EVENTS, event, "kafka.KEY", "execution-1");

        // sendBody returned: the broker already has it
        assertEquals(1, BROKER.size(topic("events")));
        ConsumerRecord<String, byte[]> published = BROKER.records(topic("events"), 1).get(0);
        assertEquals("execution-1", published.key());
        assertArrayEquals(event, published.value());
        assertEquals("application/cloudevents+json", header(published, "content-type"));
    }

    @Test
    void should_publish_the_end_of_an_execution_a_record_triggered_on_the_events_topic() throws Exception {
        BROKER.send(record(topic("triggers"), "hello", "{}", Map.of()));
        Job job = awaitOneJobOf("hello");
        String id = job.getMetadata().getLabels().get(Labels.ID);
        awaitUntil(id + " running", () -> statusOf("hello", id).equals("Running"));

        kubelet().succeed(job.getMetadata().getName());

        awaitUntil("the end published", () -> BROKER.size(topic("events")) == 1);
        ConsumerRecord<String, byte[]> published = BROKER.records(topic("events"), 1).get(0);
        assertEquals(id, published.key());
        assertEquals("application/cloudevents+json", header(published, "content-type"));
        JsonNode event = Json.MAPPER.readTree(published.value());
        assertEquals("io.slimjobs.execution.finished", event.get("type").asText());
        assertEquals(id, event.get("id").asText());
        assertEquals("Succeeded", event.at("/data/Status").asText());
        awaitUntil("the Job marked", () -> "true".equals(
                jobOf(id).getMetadata().getAnnotations().get(Labels.EVENT_PUBLISHED)));
    }

    private Job awaitOneJobOf(String jobName) {
        awaitUntil("a Job of " + jobName, () -> jobs().stream()
                .anyMatch(job -> job.getMetadata().getLabels().get(Labels.JOB).equals(jobName)));
        List<Job> of = jobs().stream().filter(job -> job.getMetadata().getLabels().get(Labels.JOB).equals(jobName))
                .toList();
        assertEquals(1, of.size(), "Jobs of " + jobName);
        return of.get(0);
    }

    private static void assertDeadLetter(ConsumerRecord<String, byte[]> dead, String key, String value,
                                         String message) {
        assertEquals(key, dead.key());
        assertEquals(value, new String(dead.value(), StandardCharsets.UTF_8));
        assertEquals("invalid_request", header(dead, "slimjobs-error"));
        assertTrue(header(dead, "slimjobs-error-message").contains(message), header(dead, "slimjobs-error-message"));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
