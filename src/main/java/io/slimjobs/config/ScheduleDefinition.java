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
 * One `Schedules` entry: a cron expression, the IANA time zone it is read in (`null`: UTC) and the overrides each
 * run is triggered with, written flat beside `Schedule` as SlimFaas does.
 */
public record ScheduleDefinition(String schedule, String timeZone, @JsonUnwrapped JobOverrides overrides) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ScheduleDefinition fromJson(ObjectNode node) throws JsonProcessingException {
        String schedule = null;
        String timeZone = null;
        ObjectNode overrides = node.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equalsIgnoreCase("Schedule")) {
                schedule = text(field.getValue());
                // the rest are overrides, each of which must be one JobOverrides knows
                it.remove();
            } else if (field.getKey().equalsIgnoreCase("TimeZone")) {
                timeZone = text(field.getValue());
                it.remove();
            }
        }
        return new ScheduleDefinition(schedule, timeZone, Json.MAPPER.treeToValue(overrides, JobOverrides.class));
    }

    /** asText() of a JSON null is the text "null", which is no value at all. */
    private static String text(JsonNode value) {
        return value.isNull() ? null : value.asText();
    }
}
