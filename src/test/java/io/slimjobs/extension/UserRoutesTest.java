package io.slimjobs.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.YearMonth;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import io.slimjobs.trigger.TriggerAccepted;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * YAML routes dropped into `slimjobs.routes-dir` run beside the built-in ones and feed jobs through `direct:run-job`
 * with plain headers and body, as an operator's ConfigMap of routes does.
 */
class UserRoutesTest extends SlimJobsTestSupport {

    /** The route file each test puts in the folder, beside the README example, before SlimJobs starts. */
    private static final Map<String, String> ROUTES = Map.of(
            "should_run_a_job_from_a_yaml_route_in_the_routes_folder", """
                    - route:
                        id: nightly-fibonacci
                        from:
                          uri: timer:nightly-fibonacci
                          parameters:
                            repeatCount: 1
                          steps:
                            - setHeader:
                                name: slimjobs-job
                                constant: fibonacci
                            - setBody:
                                constant: '{"Args": ["42"]}'
                            - to: direct:run-job
                            - log: "nightly-fibonacci queued execution ${header.slimjobs-execution-id}"
                    """,
            "should_run_a_private_job_and_give_one_execution_per_idempotency_key", """
                    - route:
                        id: twice-the-same
                        from:
                          uri: timer:twice-the-same
                          parameters:
                            repeatCount: 2
                            period: 10
                          steps:
                            - setHeader:
                                name: slimjobs-job
                                constant: secret-job
                            - setHeader:
                                name: Idempotency-Key
                                constant: report-2026-11-30
                            - setBody:
                                constant: ""
                            - convertBodyTo:
                                type: "byte[]"
                            - to: direct:run-job
                            - log: "twice-the-same got execution ${header.slimjobs-execution-id}"
                    """,
            "should_hand_a_refusal_back_to_the_calling_route", """
                    - route:
                        id: forgot-the-job
                        from:
                          uri: timer:forgot-the-job
                          parameters:
                            repeatCount: 1
                          steps:
                            - doTry:
                                steps:
                                  - to: direct:run-job
                                doCatch:
                                  - exception:
                                      - io.slimjobs.error.InvalidRequestException
                                    steps:
                                      - log: "forgot-the-job refused: ${exception.message}"
                    """);

    @TempDir
    Path routesFolder;
    private final String testMethod;

    UserRoutesTest(TestInfo test) {
        testMethod = test.getTestMethod().orElseThrow().getName();
    }

    /** The README's example is in the folder for every test, run from a `direct:` endpoint instead of its cron. */
    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        configuration.replaceRouteFromWith("month-end", "direct:month-end");
    }

    @Override
    protected Map<String, String> properties() {
        write("month-end.camel.yaml", readmeExample());
        String route = ROUTES.get(testMethod);
        if (route != null) {
            write("user.camel.yaml", route);
        }
        return Map.of("slimjobs.routes-dir", routesFolder.toString());
    }

    private static String readmeExample() {
        try {
            return Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("README.md")))
                    .results().map(block -> block.group(1)).filter(block -> block.contains("id: month-end"))
                    .findFirst().orElseThrow(() -> new AssertionError("no month-end route in the README"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String name, String text) {
        try {
            Files.writeString(routesFolder.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void should_run_a_job_from_a_yaml_route_in_the_routes_folder() {
        awaitUntil("the route's execution logged", () -> !logLines("nightly-fibonacci queued execution").isEmpty());

        String logged = logLines("nightly-fibonacci queued execution").get(0);
        Job job = jobs().get(0);
        assertEquals(1, jobs().size());
        assertEquals("fibonacci", job.getMetadata().getLabels().get(Labels.JOB));
        assertEquals(List.of("42"), job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        assertTrue(logged.endsWith("queued execution " + job.getMetadata().getLabels().get(Labels.ID)), logged);
    }

    @Test
    void should_run_a_private_job_and_give_one_execution_per_idempotency_key() {
        awaitUntil("both runs of the route logged", () -> logLines("twice-the-same got execution").size() == 2);

        List<String> logged = logLines("twice-the-same got execution");
        String id = jobs().get(0).getMetadata().getLabels().get(Labels.ID);
        assertEquals(1, jobs().size(), "the same key made one execution");
        assertEquals("secret-job", jobs().get(0).getMetadata().getLabels().get(Labels.JOB),
                "a route is trusted with Private jobs, and an empty body of bytes means no overrides");
        assertTrue(logged.stream().allMatch(line -> line.endsWith("got execution " + id)), logged::toString);
    }

    @Test
    void should_hand_a_refusal_back_to_the_calling_route() {
        awaitUntil("the route's refusal logged", () -> !logLines("forgot-the-job refused").isEmpty());

        assertTrue(logLines("forgot-the-job refused").get(0)
                .endsWith("refused: the header slimjobs-job must name the job to run"), logLines("refused").toString());
        assertTrue(jobs().isEmpty());
    }

    @Test
    void should_run_the_readme_example_once_per_month_across_replicas() {
        // two replicas firing the same month
        String first = template.requestBody("direct:month-end", null, TriggerAccepted.class).id();
        String second = template.requestBody("direct:month-end", null, TriggerAccepted.class).id();

        Job job = jobOf(first);
        assertEquals(first, second);
        assertEquals(1, jobs().size());
        assertEquals(List.of("42"), job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        assertEquals("month-end-" + YearMonth.now(), job.getMetadata().getAnnotations().get(Labels.IDEMPOTENCY_KEY));
    }

    @Test
    void should_refuse_to_start_with_a_route_file_camel_cannot_read_and_name_it() {
        write("misspelt.camel.yaml", """
                - route:
                    from:
                      uri: timer:misspelt
                      steps:
                        - setHeaderz:
                            name: slimjobs-job
                            constant: fibonacci
                """);

        assertRefusesToStart("in file:" + routesFolder.resolve("misspelt.camel.yaml") + ", line 5");
    }

    @Test
    void should_refuse_to_start_with_a_route_that_cannot_be_created_and_name_its_file() {
        write("unknown-component.camel.yaml", """
                - route:
                    id: to-nowhere
                    from:
                      uri: timer:to-nowhere
                      steps:
                        - to: nosuch:endpoint
                """);

        assertRefusesToStart("Failed to create route: to-nowhere (source: file:"
                + routesFolder.resolve("unknown-component.camel.yaml") + ")");
    }

    @Test
    void should_refuse_to_start_when_the_routes_folder_is_missing_and_name_it() {
        assertRefusesToStart("The routes folder /nonexistent/routes (slimjobs.routes-dir) is not a directory",
                Map.of("slimjobs.routes-dir", "/nonexistent/routes"));
    }

    /** Starts another SlimJobs on this test's routes folder, which the test has just broken. */
    private void assertRefusesToStart(String reason) {
        assertRefusesToStart(reason, Map.of());
    }

    private void assertRefusesToStart(String reason, Map<String, String> properties) {
        RuntimeException refused = assertThrows(RuntimeException.class,
                () -> replica("refused", properties, Map.of()).close());
        assertTrue(String.valueOf(refused.getMessage()).contains(reason), String.valueOf(refused));
    }
}
