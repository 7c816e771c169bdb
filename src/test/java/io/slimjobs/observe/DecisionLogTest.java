package io.slimjobs.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every decision about an execution is one log line, said once, carrying the job name, the execution Id and the
 * decision as fields (MDC) that the JSON format turns into JSON fields.
 */
class DecisionLogTest extends SlimJobsTestSupport {

    /** `fibonacci` with two slots, `needs-api` depending on the Deployment `api`. */
    static final String JOBS = """
                {"Configurations": {
                  "fibonacci": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 2},
                  "needs-api": {"Image": "busybox:1.36", "Visibility": "Public", "DependsOn": ["api"]},
                  "Default": {"Image": "busybox:1.36", "Visibility": "Public"}
                }}
                """;

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @Override
    protected String jobsConfiguration() {
        return JOBS;
    }

    @BeforeEach
    void listen() {
        lines.start();
        ((Logger) LoggerFactory.getLogger(DecisionLog.class)).addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger(DecisionLog.class)).detachAppender(lines);
    }

    /** Waits for the decision's line, then checks it is the only one and carries the fields. */
    private ILoggingEvent theLine(String jobName, String id, String decision) {
        awaitUntil(id + " " + decision + " logged", () -> !linesOf(id, decision).isEmpty());
        List<ILoggingEvent> told = linesOf(id, decision);
        assertEquals(1, told.size(), () -> "one line: " + told);
        ILoggingEvent line = told.get(0);
        assertEquals(Map.of("job_name", jobName, "execution_id", id, "decision", decision), line.getMDCPropertyMap());
        assertEquals("INFO", line.getLevel().toString());
        assertTrue(line.getFormattedMessage().startsWith("Job " + jobName + " execution " + id + " "),
                line::getFormattedMessage);
        return line;
    }

    private List<ILoggingEvent> linesOf(String id, String decision) {
        synchronized (lines) {
            return List.copyOf(lines.list).stream()
                    .filter(line -> id.equals(line.getMDCPropertyMap().get("execution_id"))
                            && decision.equals(line.getMDCPropertyMap().get("decision")))
                    .toList();
        }
    }

    @Test
    void should_log_a_queued_execution_once_with_its_door() {
        String id = trigger("fibonacci", "");
        String message = theLine("fibonacci", id, "queued").getFormattedMessage();
        assertTrue(message.contains(" queued (" + jobOf(id).getMetadata().getName() + ", door http)"), message);
    }

    @Test
    void should_log_a_released_execution_once_with_how_long_it_was_queued() {
        String id = trigger("fibonacci", "");
        String message = theLine("fibonacci", id, "released").getFormattedMessage();
        assertTrue(message.matches(".* released \\(.*\\) after [0-9.]+ s queued"), message);
    }

    @Test
    void should_log_a_waiting_execution_once_with_why() {
        kubelet().holdUnready("api");
        createDeployment("api", 1, Map.of());
        String id = trigger("needs-api", "");
        String message = theLine("needs-api", id, "waiting").getFormattedMessage();
        assertTrue(message.endsWith("stays queued (" + jobOf(id).getMetadata().getName()
                + "): waiting for deployment api: 0/1 ready"), message);
    }

    @Test
    void should_log_a_finished_execution_once_with_its_outcome() {
        String id = trigger("fibonacci", "");
        awaitUntil(id + " running", () -> statusOf("fibonacci", id).equals("Running"));
        kubelet().succeed(jobOf(id).getMetadata().getName());
        String message = theLine("fibonacci", id, "finished").getFormattedMessage();
        assertTrue(message.contains("): Succeeded after running "), message);
    }

    @Test
    void should_log_a_deleted_execution_once_with_its_status_then() {
        String id = trigger("fibonacci", "");
        awaitUntil(id + " running", () -> statusOf("fibonacci", id).equals("Running"));
        assertEquals(200, delete("/job/fibonacci/" + id).status());
        String message = theLine("fibonacci", id, "deleted").getFormattedMessage();
        assertTrue(message.endsWith(") while Running"), message);
    }
}
