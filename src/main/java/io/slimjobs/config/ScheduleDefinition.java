package io.slimjobs.config;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slimjobs.Json;

/**
 * One `Schedules` entry: a cron expression, the IANA time zone it is read in (`null`: UTC) and the overrides each
 * run is triggered with, written flat beside `Schedule` as SlimFaas does.
 */
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
public record ScheduleDefinition(String schedule, String timeZone, @JsonUnwrapped JobOverrides overrides) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ScheduleDefinition fromJson(ObjectNode node) throws JsonProcessingException {
        String schedule = null;
        String timeZone = null;
        ObjectNode overrides = node.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equalsIgnoreCase("Schedule")) {
                schedule = text("Schedule", field.getValue());
                // the rest are overrides, each of which must be one JobOverrides knows
                it.remove();
            } else if (field.getKey().equalsIgnoreCase("TimeZone")) {
                timeZone = text("TimeZone", field.getValue());
                it.remove();
            }
        }
        try {
            return new ScheduleDefinition(schedule, timeZone, Json.MAPPER.treeToValue(overrides, JobOverrides.class));
        } catch (UnrecognizedPropertyException e) {
            throw e.getPath().size() == 1 ? withOwnProperties(e) : e;
        }
    }

    /**
     * An unknown property beside `Schedule`: the nearest known name is looked for among the entry's own properties
     * too (`Schedul` means `Schedule`), not only among the overrides'.
     */
    private static UnrecognizedPropertyException withOwnProperties(UnrecognizedPropertyException e) {
        List<Object> known = new ArrayList<>(e.getKnownPropertyIds());
        known.addAll(List.of("Schedule", "TimeZone"));
        UnrecognizedPropertyException entry = new UnrecognizedPropertyException(null, e.getOriginalMessage(),
                e.getLocation(), ScheduleDefinition.class, e.getPropertyName(), known);
        entry.prependPath(e.getPath().get(0));
        return entry;
    }

    /** A JSON null is no value at all; a number or an object is no cron or zone either, whatever its text. */
    private static String text(String field, JsonNode value) throws JsonMappingException {
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw JsonMappingException.from((JsonParser) null, field + ": must be a string, not "
                    + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return value.asText();
    }
}
