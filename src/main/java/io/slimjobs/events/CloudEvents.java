package io.slimjobs.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.message.impl.BaseGenericBinaryMessageReaderImpl;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import io.slimjobs.Json;
import io.slimjobs.error.InvalidRequestException;

/**
 * CloudEvents as the doors receive them, in either mode of the HTTP and Kafka bindings: binary (attributes in
 * headers with the binding's prefix, {@code ce-} or {@code ce_}, the body as the data) or structured (the whole
 * event as JSON), and the structured JSON an execution reads its event from. Reading and writing are the SDK's; a
 * broken event is a 400 that names what is missing or wrong.
 */
public final class CloudEvents {

    /** The content type of a structured event in JSON. */
    public static final String STRUCTURED_CONTENT_TYPE = JsonFormat.CONTENT_TYPE;
    /** The attributes every event must have, in the order a message names the missing ones. */
    private static final List<String> REQUIRED = List.of("specversion", "id", "source", "type");
    private static final JsonFormat FORMAT = new JsonFormat();
    /** Plain JSON, nothing after the value: what any reader of the event file accepts. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private CloudEvents() {
    }

    /** Whether a body of this content type is a structured event (any parameters, any case). */
    public static boolean isStructured(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim()
                .equals(STRUCTURED_CONTENT_TYPE);
    }

    /** Whether the headers carry a binary-mode event: any header with the binding's prefix marks one. */
    public static boolean isBinary(Map<String, Object> headers, String prefix) {
        return headers.keySet().stream().anyMatch(name -> hasPrefix(name, prefix));
    }

    /**
     * The binary-mode event in these headers, with {@code data} as its data (none when empty).
     *
     * @param prefix      the binding's attribute prefix: {@code ce-} over HTTP, {@code ce_} over Kafka
     * @param contentType the message's content type, which is the event's {@code datacontenttype}
     */
    public static CloudEvent readBinary(Map<String, Object> headers, String prefix, String contentType, byte[] data) {
        List<String> missing = REQUIRED.stream()
                .filter(attribute -> headers.entrySet().stream().noneMatch(header ->
                        hasPrefix(header.getKey(), prefix) && key(header.getKey(), prefix).equals(attribute)
                                && !text(header.getValue()).isBlank()))
                .map(attribute -> prefix + attribute).toList();
        requireNone(missing, "headers");
        CloudEvent event;
        try {
            event = new HeaderReader(headers, prefix, contentType,
                    data == null || data.length == 0 ? null : BytesCloudEventData.wrap(data)).toEvent();
        } catch (CloudEventRWException | IllegalArgumentException | IllegalStateException e) {
            throw new InvalidRequestException("the CloudEvent is invalid: " + e.getMessage());
        }
        // data of a JSON content type is written into the event's JSON as it came: broken, it would break the file
        try {
            STRICT.readTree(json(event));
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("the CloudEvent's data is not valid JSON, which its content type ("
                    + (contentType == null ? "none, so JSON" : contentType) + ") says it is");
        }
        return event;
    }

    /** The structured-mode event this JSON body is. */
    public static CloudEvent readStructured(byte[] body) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("the CloudEvent is not valid JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidRequestException("a structured CloudEvent must be a JSON object");
        }
        requireNone(REQUIRED.stream().filter(attribute -> !tree.hasNonNull(attribute)
                || tree.get(attribute).asText().isBlank()).toList(), "attributes");
        try {
            return FORMAT.deserialize(body);
        } catch (EventDeserializationException | CloudEventRWException | IllegalArgumentException
                 | IllegalStateException e) {
            throw new InvalidRequestException("the CloudEvent is invalid: " + rootMessage(e));
        }
    }

    /** The event as structured JSON: JSON data stays JSON, other data is base64 ({@code data_base64}). */
    public static byte[] json(CloudEvent event) {
        return FORMAT.serialize(event);
    }

    /**
     * The idempotency key of an event: producers identify an event by its source and id, so a redelivered or
     * re-sent event is the same execution (Knative JobSink's rule). Sources are URI references, which have no
     * spaces, so the key cannot be the same for two different pairs.
     */
    public static String idempotencyKey(CloudEvent event) {
        return "cloudevent " + event.getSource() + " " + event.getId();
    }

    private static void requireNone(List<String> missing, String what) {
        if (!missing.isEmpty()) {
            throw new InvalidRequestException("the CloudEvent lacks the required " + what + " "
                    + String.join(", ", missing));
        }
    }

    private static boolean hasPrefix(String name, String prefix) {
        return name.regionMatches(true, 0, prefix, 0, prefix.length()) && name.length() > prefix.length();
    }

    private static String key(String name, String prefix) {
        return name.substring(prefix.length()).toLowerCase(Locale.ROOT);
    }

    /** Header values are text over HTTP and bytes over Kafka. */
    static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    /** The SDK's generic binary reader over a map of headers. */
    private static final class HeaderReader extends BaseGenericBinaryMessageReaderImpl<String, Object> {

        private final Map<String, Object> headers;
        private final String prefix;
        private final String contentType;

        HeaderReader(Map<String, Object> headers, String prefix, String contentType, BytesCloudEventData data) {
            super(SpecVersion.parse(specVersion(headers, prefix)), data);
            this.headers = headers;
            this.prefix = prefix;
            this.contentType = contentType;
        }

        private static String specVersion(Map<String, Object> headers, String prefix) {
            return headers.entrySet().stream()
                    .filter(header -> hasPrefix(header.getKey(), prefix)
                            && key(header.getKey(), prefix).equals("specversion"))
                    .map(header -> text(header.getValue()).trim()).findFirst().orElseThrow();
        }

        @Override
        protected boolean isContentTypeHeader(String key) {
            return "content-type".equals(key);
        }

        @Override
        protected boolean isCloudEventsHeader(String key) {
            return hasPrefix(key, prefix);
        }

        @Override
        protected String toCloudEventsKey(String key) {
            return key(key, prefix);
        }

        @Override
        protected void forEachHeader(BiConsumer<String, Object> fn) {
            if (contentType != null && !contentType.isBlank()) {
                fn.accept("content-type", contentType);
            }
            headers.forEach((name, value) -> {
                if (hasPrefix(name, prefix) && !key(name, prefix).equals("specversion")) {
                    fn.accept(name, value);
                }
            });
        }

        @Override
        protected String toCloudEventsValue(Object value) {
            return text(value);
        }
    }
}
