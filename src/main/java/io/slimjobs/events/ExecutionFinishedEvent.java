package io.slimjobs.events;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.slimjobs.Json;
import io.slimjobs.kube.ExecutionDetail;

/** The CloudEvent that says an execution ended, as the callback and the events topic receive it. */
public final class ExecutionFinishedEvent {

    public static final String TYPE = "io.slimjobs.execution.finished";

    private ExecutionFinishedEvent() {
    }

    /**
     * Structured JSON. Its {@code id} is the execution Id, so every copy of one execution's announcement is the same
     * event and a receiver can drop a repeat.
     */
    public static byte[] json(String namespace, String jobName, ExecutionDetail execution) {
        try {
            return CloudEvents.json(CloudEventBuilder.v1()
                    .withId(execution.execution().id())
                    .withSource(URI.create("/slimjobs/" + namespace + "/jobs/" + jobName))
                    .withType(TYPE)
                    .withSubject(execution.execution().name())
                    .withTime(OffsetDateTime.ofInstant(Instant.ofEpochMilli(execution.endTimestamp()), ZoneOffset.UTC))
                    .withDataContentType("application/json")
                    .withData(Json.MAPPER.writeValueAsBytes(execution))
                    .build());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
