package io.slimjobs.config;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slimjobs.Json;

/**
 * One `Schedules` entry: a cron expression and the overrides each run is triggered with, written flat beside
 * `Schedule` as SlimFaas does.
 */
public record ScheduleDefinition(String schedule, @JsonUnwrapped JobOverrides overrides) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ScheduleDefinition fromJson(ObjectNode node) throws JsonProcessingException {
        String schedule = null;
        ObjectNode overrides = node.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equalsIgnoreCase("Schedule")) {
                // asText() of a JSON null is the text "null", which is no schedule at all.
                schedule = field.getValue().isNull() ? null : field.getValue().asText();
                // the rest are overrides, each of which must be one JobOverrides knows
                it.remove();
            }
        }
        return new ScheduleDefinition(schedule, Json.MAPPER.treeToValue(overrides, JobOverrides.class));
    }
}
