package io.slimjobs.schedule;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slimjobs.Json;
import io.slimjobs.config.ScheduleDefinition;

/**
 * A schedule created through the API, as the schedules ConfigMap stores it: under its Id, one compact JSON object
 * `{"Id", "Name", "Schedule", "TimeZone", <the overrides, flat>, "CreatedAt"}` (epoch ms), written once and never
 * changed.
 */
public record StoredSchedule(String id, String jobName, ScheduleDefinition definition, Instant createdAt) {

    private static final String ID = "Id";
    private static final String NAME = "Name";
    private static final String CREATED_AT = "CreatedAt";

    public String toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put(ID, id);
        node.put(NAME, jobName);
        node.setAll((ObjectNode) Json.MAPPER.valueToTree(definition));
        node.put(CREATED_AT, createdAt.toEpochMilli());
        return node.toString();
    }

    public static StoredSchedule fromJson(String json) throws JsonProcessingException {
        JsonNode tree = Json.MAPPER.readTree(json);
        if (!(tree instanceof ObjectNode node) || !node.path(ID).isTextual() || !node.path(NAME).isTextual()
                || !node.path(CREATED_AT).canConvertToLong()) {
            throw new IllegalArgumentException("not a JSON object with a string Id and Name and a number CreatedAt");
        }
        String id = node.remove(ID).asText();
        String jobName = node.remove(NAME).asText();
        Instant createdAt = Instant.ofEpochMilli(node.remove(CREATED_AT).asLong());
        return new StoredSchedule(id, jobName, Json.MAPPER.treeToValue(node, ScheduleDefinition.class), createdAt);
    }
}
