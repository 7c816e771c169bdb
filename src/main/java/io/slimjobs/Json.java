package io.slimjobs;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of SlimJobs, shaped by SlimFaas' format: PascalCase names on output, any case on
 * input, and `//`, `#` comments and trailing commas tolerated because SlimFaas' own examples carry them.
 * An unknown property is refused rather than ignored: a misspelt `Visiblity` would otherwise run a job with
 * the default it was meant to change.
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_YAML_COMMENTS,
                    JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {
    }

    /** Says where a JSON document is broken: the field path, what was wrong, and the line and column. */
    public static String describe(JsonProcessingException e) {
        StringBuilder text = new StringBuilder();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            text.append(path(mapping.getPath())).append(": ");
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            text.append(unknownProperty(unknown));
        } else {
            text.append(e.getOriginalMessage().lines().findFirst().orElse("invalid JSON"));
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            text.append(" (line ").append(location.getLineNr()).append(", column ").append(location.getColumnNr())
                    .append(')');
        }
        return text.toString();
    }

    /** Names the nearest known property when the unknown one looks like a misspelling, else lists them all. */
    private static String unknownProperty(UnrecognizedPropertyException e) {
        String name = e.getPropertyName().toLowerCase(Locale.ROOT);
        List<String> known = e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        return known.stream()
                .min(Comparator.comparingInt(candidate -> distance(name, candidate.toLowerCase(Locale.ROOT))))
                .filter(nearest -> distance(name, nearest.toLowerCase(Locale.ROOT)) <= Math.max(2, name.length() / 3))
                .map(nearest -> "unknown property; did you mean " + nearest + "?")
                .orElse("unknown property; known properties are " + String.join(", ", known));
    }

    /** Levenshtein distance: the fewest single-character edits that turn one text into the other. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
