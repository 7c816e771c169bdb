package io.slimjobs.schedule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slimjobs.Json;
import io.slimjobs.config.ScheduleDefinition;
import io.slimjobs.config.ScheduleSource;

/**
 * Ids of configured and CronJob schedules, which are stored nowhere: derived from what defines them, so that every
 * replica and every restart gives an entry the same Id, and an edited entry a new one (a new schedule).
 */
final class ScheduleIds {

    private static final int HEX_CHARS = 16;

    private ScheduleIds() {
    }

    /**
     * 16 hex characters of the SHA-256 of the source, the job name, the entry as canonical JSON (keys sorted) and
     * its ordinal among identical entries of that job, so that two identical entries are two schedules.
     */
    static String of(ScheduleSource source, String jobName, String canonicalEntry, int ordinal) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (source + "\n" + jobName + "\n" + canonicalEntry + "\n" + ordinal).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HEX_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The entry as JSON with every object's keys sorted: the same text for the same entry, however it was written. */
    static String canonical(ScheduleDefinition entry) {
        return sorted(Json.MAPPER.valueToTree(entry)).toString();
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Map<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), sorted(field.getValue()));
            }
            ObjectNode result = Json.MAPPER.createObjectNode();
            result.setAll(fields);
            return result;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode result = Json.MAPPER.createArrayNode();
            array.forEach(item -> result.add(sorted(item)));
            return result;
        }
        return node;
    }
}
