package io.slimjobs.kube;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.slimjobs.Json;

/**
 * What SlimJobs writes on a dependency it scaled up from 0 (annotation {@link Labels#WOKEN}), so that a restart or
 * another replica knows it may put it back to sleep: the replicas it set, and the last time an execution needed it
 * ({@code null} while one still does). Written as {@code {"replicas":1,"lastNeeded":"2026-01-01T00:00:00Z"}}.
 */
public record WakeMark(int replicas, Instant lastNeeded) {

    /** The mark an annotation holds; empty when absent or unreadable (then SlimJobs never scales it down). */
    static Optional<WakeMark> parse(String annotation) {
        if (annotation == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(annotation);
            int replicas = node.path("replicas").asInt(0);
            String lastNeeded = node.path("lastNeeded").textValue();
            return replicas < 1 ? Optional.empty()
                    : Optional.of(new WakeMark(replicas, lastNeeded == null ? null : Instant.parse(lastNeeded)));
        } catch (JsonProcessingException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public WakeMark neededUntil(Instant instant) {
        return new WakeMark(replicas, instant);
    }

    public String toAnnotation() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("replicas", replicas);
        if (lastNeeded != null) {
            fields.put("lastNeeded", lastNeeded.toString());
        }
        try {
            return Json.MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
