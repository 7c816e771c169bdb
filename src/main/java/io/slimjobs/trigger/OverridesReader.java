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

    /** What `curl -d` sends; its body is read as the JSON it holds. */
    public static final String FORM = "application/x-www-form-urlencoded";

    private OverridesReader() {
    }

    public static JobOverrides read(String json, String contentType) {
        return read(json, contentType, JobOverrides.class, JobOverrides.NONE);
    }

    /**
     * A body that holds overrides, and possibly more beside them (a schedule entry), read the way a trigger's is:
     * the same content types, the same malformed-JSON and unknown-property answers.
     *
     * @param empty what an empty body means
     */
    public static <T> T read(String json, String contentType, Class<T> type, T empty) {
        if (json == null || json.isBlank()) {
            return empty;
        }
        if (!isJson(contentType)) {
            throw unsupported(contentType);
        }
        JsonNode tree;
        try {
            // a second value after the object is malformed too, not something to ignore
            tree = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("malformed JSON: " + Json.describe(e));
        }
        if (!tree.isObject()) {
            throw new InvalidRequestException("the body must be a JSON object of overrides, not " + kind(tree));
        }
        try {
            return Json.MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("invalid overrides: " + Json.describe(e));
        }
    }

    public static UnsupportedMediaTypeException unsupported(String contentType) {
        return new UnsupportedMediaTypeException("Content-Type '" + contentType + "' is not supported; send the "
                + "overrides as application/json");
    }

    static boolean isJson(String contentType) {
        String mediaType = mediaType(contentType);
        return mediaType.isEmpty() || mediaType.equals("application/json") || mediaType.endsWith("+json")
                || mediaType.equals(FORM);
    }

    /** The media type of a Content-Type header, lower-cased, without parameters; empty when there is none. */
    public static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    /** The `charset` parameter of a Content-Type header, unquoted; null when there is none. */
    public static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String[] nameAndValue = parameter.split("=", 2);
            if (nameAndValue.length == 2 && nameAndValue[0].trim().equalsIgnoreCase("charset")) {
                return nameAndValue[1].trim().replaceAll("^\"|\"$", "");
            }
        }
        return null;
    }

    private static String kind(JsonNode tree) {
        return tree.isArray() ? "an array" : tree.isNull() ? "null" : "a " + tree.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
