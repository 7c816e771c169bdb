package io.slimjobs.observe;

import static io.slimjobs.KafkaBroker.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.slimjobs.Endpoints;
import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.Json;
import io.slimjobs.KafkaBroker;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.TestClock;
import io.slimjobs.kube.Labels;
import io.slimjobs.queue.LeaseLeadership;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Grafana dashboard in deploy/grafana reads only metrics a running SlimJobs serves, so it cannot drift. */
class GrafanaDashboardTest extends SlimJobsTestSupport {

    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    private static final Path DASHBOARD = Path.of("deploy", "grafana", "slimjobs-dashboard.json");
    /** A metric name in a PromQL expression: SlimJobs', the JVM's and process', or Camel's. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:slimjobs|jvm|process|system|camel)_[a-z0-9_]+");
    private static final String DATASOURCE = "${DS_PROMETHEUS}";
    private static final Instant START = Instant.parse("2030-01-01T00:30:00Z");

    private final TestClock clock = new TestClock(START);

    @Override
    protected TestClock clock() {
        return clock;
    }

    @Override
    protected Map<String, String> properties() {
        BROKER.createTopics(topic("triggers"), topic("dead-letter"));
        return Map.of("slimjobs.kafka.bootstrap-servers", BROKER.bootstrapServers(),
                "slimjobs.kafka.topic", topic("triggers"),
                "slimjobs.kafka.group-id", namespace,
                "slimjobs.kafka.dead-letter-topic", topic("dead-letter"),
                "slimjobs.callbacks.allowed-hosts", "127.0.0.1",
                "slimjobs.callbacks.initial-backoff", "100",
                "slimjobs.callbacks.max-attempts", "2");
    }

    private String topic(String name) {
        return namespace + "." + name;
    }

    private static JsonNode dashboard() throws IOException {
        return Json.MAPPER.readTree(DASHBOARD.toFile());
    }

    /** Every panel that shows data (rows only group them). */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> {
            if (!panel.get("type").asText().equals("row")) {
                panels.add(panel);
            }
        });
        return panels;
    }

    private static Set<String> metricNames(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(expression);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    /** The metrics the dashboard reads, from its panels and its variables. */
    private static Set<String> metricsRead(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        panels(dashboard).forEach(panel -> panel.get("targets")
                .forEach(target -> names.addAll(metricNames(target.get("expr").asText()))));
        dashboard.at("/templating/list").forEach(variable -> names.addAll(metricNames(variable.path("definition")
                .asText())));
        return names;
    }

    @Test
    void should_read_the_prometheus_datasource_variable_and_filter_by_a_job_name_variable() throws IOException {
        JsonNode dashboard = dashboard();

        assertEquals(39, dashboard.get("schemaVersion").asInt());
        Map<String, JsonNode> variables = new HashMap<>();
        dashboard.at("/templating/list").forEach(variable -> variables.put(variable.get("name").asText(), variable));
        assertEquals("datasource", variables.get("DS_PROMETHEUS").get("type").asText());
        assertEquals("prometheus", variables.get("DS_PROMETHEUS").get("query").asText());
        assertTrue(variables.get("job_name").get("definition").asText().startsWith("label_values("),
                variables.get("job_name")::toString);
        for (JsonNode panel : panels(dashboard)) {
            assertEquals(DATASOURCE, panel.at("/datasource/uid").asText(), panel.get("title")::asText);
            assertFalse(panel.get("targets").isEmpty(), panel.get("title")::asText);
            for (JsonNode target : panel.get("targets")) {
                assertEquals(DATASOURCE, target.at("/datasource/uid").asText(), panel.get("title")::asText);
                assertFalse(metricNames(target.get("expr").asText()).isEmpty(),
                        () -> panel.get("title").asText() + " reads no metric SlimJobs serves: " + target);
                assertFalse(target.get("expr").asText().matches(".*\\bjob=.*"),
                        () -> "the job's name is job_name, job is the scrape target's: " + target);
            }
        }
    }

    @Test
    void should_read_only_metrics_that_slimjobs_serves() throws Exception {
        Set<String> read = metricsRead(dashboard());
        LeaseLeadership leadership = context.getRegistry().lookupByNameAndType("leadership", LeaseLeadership.class);
        awaitUntil("leading", leadership::leads);

        // a trigger refused, one run to its end with a callback nobody answers, one deleted
        assertEquals(400, post("/job/fibonacci", "{\"BackoffLimit\": 99}").status());
        Answer accepted = http.call(HttpCaller.OUTSIDER, "POST", "/job/fibonacci", Map.of("Content-Type",
                "application/json", "X-Callback-Url", "http://127.0.0.1:" + AvailablePortFinder.getNextAvailable()
                        + "/nobody"), "{}");
        assertEquals(202, accepted.status(), accepted::toString);
        String runs = accepted.json().get("Id").asText();
        awaitUntil("running", () -> statusOf("fibonacci", runs).equals("Running"));
        kubelet().succeed(jobOf(runs).getMetadata().getName());
        String deleted = trigger("fibonacci", "");
        assertEquals(200, delete("/job/fibonacci/" + deleted).status());
        // a Kafka record run, one dead-lettered
        BROKER.send(record(topic("triggers"), "fibonacci", "{}", Map.of()));
        BROKER.send(record(topic("triggers"), "fibonacci", "{\"Args\": [", Map.of()));
        // a schedule whose occurrences passed while no leader ticked: caught up late
        assertEquals(201, post("/job-schedules/fibonacci", "{\"Schedule\": \"0 * * * *\"}").status());
        clock.set(START.plus(Duration.ofHours(2)));
        template.sendBody(Endpoints.SCHEDULE_TICK, null);
        awaitUntil("the callback given up", () -> "failed".equals(jobOf(runs).getMetadata().getAnnotations()
                .get(Labels.CALLBACK)));

        try {
            awaitUntil("every metric the dashboard reads served", () -> metrics().names().containsAll(read));
        } catch (AssertionError e) {
            Set<String> missing = new TreeSet<>(read);
            missing.removeAll(metrics().names());
            fail("the dashboard reads metrics /metrics does not serve: " + missing, e);
        }
    }
}
