package io.slimjobs.trigger;

import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.slimjobs.Json;
import io.slimjobs.config.JobOverrides;
import io.slimjobs.error.InvalidRequestException;
import io.slimjobs.error.UnsupportedMediaTypeException;

/**
 * Reads a trigger's overrides. JSON is accepted as `application/json`, any `+json` type, no type at all, and
 * `application/x-www-form-urlencoded`, which is what `curl -d` sends and SlimFaas' examples rely on.
 */
public final class OverridesReader {

    private OverridesReader() {
    }

    public static JobOverrides read(String json, String contentType) {
        if (json == null || json.isBlank()) {
            return JobOverrides.NONE;
        }
        if (!isJson(contentType)) {
            throw unsupported(contentType);
        }
        try {
            // a second value after the object is malformed too, not something to ignore
            JsonNode tree = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
            if (!tree.isObject()) {
                throw new InvalidRequestException("the body must be a JSON object of overrides, not " + kind(tree));
            }
            return Json.MAPPER.treeToValue(tree, JobOverrides.class);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("malformed JSON: " + Json.describe(e));
        }
    }

    public static UnsupportedMediaTypeException unsupported(String contentType) {
        return new UnsupportedMediaTypeException("Content-Type '" + contentType + "' is not supported; send the "
                + "overrides as application/json");
    }

    static boolean isJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json")
                || mediaType.equals("application/x-www-form-urlencoded");
    }

    private static String kind(JsonNode tree) {
        return tree.isArray() ? "an array" : tree.isNull() ? "null" : "a " + tree.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
