package io.slimjobs.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.slimjobs.SlimJobsTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * An execution's Job carries Kubernetes Events for its queueing, its release and why it waits, so that
 * `kubectl describe job` tells its story; an API server that refuses Events changes nothing for the execution.
 */
class KubernetesEventsTest extends SlimJobsTestSupport {

    @Override
    protected String jobsConfiguration() {
        return DecisionLogTest.JOBS;
    }

    private List<Event> eventsOn(String objectName) {
        return kube().events().v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(event -> objectName.equals(event.getRegarding().getName())).toList();
    }

    private Event awaitEvent(Job job, String reason) {
        String objectName = job.getMetadata().getName();
        awaitUntil(reason + " Event on " + objectName,
                () -> eventsOn(objectName).stream().anyMatch(event -> reason.equals(event.getReason())));
        List<Event> events = eventsOn(objectName).stream().filter(event -> reason.equals(event.getReason())).toList();
        assertEquals(1, events.size(), events::toString);
        Event event = events.get(0);
        assertEquals("batch/v1", event.getRegarding().getApiVersion());
        assertEquals("Job", event.getRegarding().getKind());
        assertEquals(namespace, event.getRegarding().getNamespace());
        assertEquals("Normal", event.getType());
        assertEquals("slimjobs.io/slimjobs", event.getReportingController());
        assertNotNull(event.getReportingInstance());
        assertTrue(event.getMetadata().getName().startsWith(objectName + "."), event.getMetadata()::getName);
        assertTrue(event.getEventTime().getTime().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"),
                event.getEventTime()::getTime);
        return event;
    }

    @Test
    void should_put_a_queued_then_a_released_event_on_the_job_of_an_execution() {
        String id = trigger("fibonacci", "");
        Job job = jobOf(id);

        Event queued = awaitEvent(job, "Queued");
        assertEquals("Queue", queued.getAction());
        assertEquals("Execution " + id + " of job fibonacci queued (door http)", queued.getNote());
        Event released = awaitEvent(job, "Released");
        assertEquals("Release", released.getAction());
        assertEquals(job.getMetadata().getUid(), released.getRegarding().getUid(), "the Job's uid, once cached");
        assertEquals("Execution " + id + " released: a slot is free and its dependencies are ready",
                released.getNote());
    }

    @Test
    void should_put_a_waiting_event_with_the_reason_on_the_job_of_a_dependency_blocked_execution() {
        kubelet().holdUnready("api");
        createDeployment("api", 1, Map.of());
        String id = trigger("needs-api", "");

        Event waiting = awaitEvent(jobOf(id), "Waiting");
        assertEquals("Wait", waiting.getAction());
        assertEquals("Execution " + id + " stays queued: waiting for deployment api: 0/1 ready", waiting.getNote());
    }

    @Test
    void should_run_executions_as_usual_when_the_api_server_refuses_events_and_warn_once() {
        cluster.expect().post().withPath("/apis/events.k8s.io/v1/namespaces/" + namespace + "/events")
                .andReturn(403, new StatusBuilder().withStatus("Failure").withReason("Forbidden").withCode(403)
                        .withMessage("events.events.k8s.io is forbidden").build())
                .always();

        NotifyBuilder fourTried = new NotifyBuilder(context).fromRoute("kubernetes-events").whenDone(4).create();

        String first = trigger("fibonacci", "");
        String second = trigger("fibonacci", "");

        awaitUntil("both released", () -> !statusOf("fibonacci", first).equals("Queued")
                && !statusOf("fibonacci", second).equals("Queued"));
        assertTrue(fourTried.matches(15, TimeUnit.SECONDS), "two Queued and two Released Events tried");
        assertEquals(List.of(), kube().events().v1().events().inNamespace(namespace).list().getItems());
        assertEquals(1, logLines("WARN KubernetesEvents - Kubernetes Events cannot be created, executions go on "
                + "without them").size(), () -> String.join("\n", log.lines()));
    }
}
