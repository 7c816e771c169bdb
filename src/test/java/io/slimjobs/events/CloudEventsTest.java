package io.slimjobs.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.slimjobs.Json;
import io.slimjobs.error.InvalidRequestException;
import org.apache.camel.util.CaseInsensitiveMap;
import org.junit.jupiter.api.Test;

/** CloudEvents in binary and structured mode, read as the HTTP and Kafka doors receive them. */
class CloudEventsTest {

    private static final byte[] DATA = "{\"details\":\"JobSinkDemo\"}".getBytes(StandardCharsets.UTF_8);

    /** JobSink's documented curl call: binary mode over HTTP. */
    private static Map<String, Object> jobSinkHeaders() {
        Map<String, Object> headers = new CaseInsensitiveMap();
        headers.put("Ce-Specversion", "1.0");
        headers.put("ce-source", "my/curl/command");
        headers.put("ce-type", "my.demo.event");
        headers.put("ce-id", "123");
        return headers;
    }

    @Test
    void should_read_a_binary_event_and_write_it_as_jobsinks_structured_json() throws Exception {
        CloudEvent event = CloudEvents.readBinary(jobSinkHeaders(), "ce-", "application/json", DATA);

        JsonNode json = Json.MAPPER.readTree(CloudEvents.json(event));
        assertEquals("1.0", json.get("specversion").asText());
        assertEquals("123", json.get("id").asText());
        assertEquals("my/curl/command", json.get("source").asText());
        assertEquals("my.demo.event", json.get("type").asText());
        assertEquals("application/json", json.get("datacontenttype").asText());
        assertEquals("JobSinkDemo", json.at("/data/details").asText(), "JSON data stays JSON");
    }

    @Test
    void should_read_kafka_headers_as_bytes_with_their_prefix_and_keep_extensions() {
        Map<String, Object> headers = new LinkedHashMap<>();
        jobSinkHeaders().forEach((name, value) -> headers.put(name.toLowerCase().replace("ce-", "ce_"),
                String.valueOf(value).getBytes(StandardCharsets.UTF_8)));
        headers.put("ce_tenant", "acme".getBytes(StandardCharsets.UTF_8));

        CloudEvent event = CloudEvents.readBinary(headers, "ce_", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));

        assertEquals("123", event.getId());
        assertEquals("acme", event.getExtension("tenant"));
        assertEquals("hello", new String(event.getData().toBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void should_name_every_missing_required_attribute_of_a_binary_event() {
        Map<String, Object> headers = new CaseInsensitiveMap();
        headers.put("ce-specversion", "1.0");
        headers.put("ce-type", "t");

        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> CloudEvents.readBinary(headers, "ce-", "application/json", DATA));

        assertEquals("the CloudEvent lacks the required headers ce-id, ce-source", refused.getMessage());
    }

    @Test
    void should_refuse_an_unknown_spec_version() {
        Map<String, Object> headers = jobSinkHeaders();
        headers.put("ce-specversion", "9.9");

        assertThrows(InvalidRequestException.class, () -> CloudEvents.readBinary(headers, "ce-", null, DATA));
    }

    @Test
    void should_read_a_structured_event_and_name_its_missing_attributes() {
        CloudEvent event = CloudEvents.readStructured(("{\"specversion\":\"1.0\",\"id\":\"123\",\"source\":\"s\","
                + "\"type\":\"t\",\"data\":{\"x\":1}}").getBytes(StandardCharsets.UTF_8));
        assertEquals("cloudevent s 123", CloudEvents.idempotencyKey(event));

        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> CloudEvents.readStructured(
                "{\"specversion\":\"1.0\",\"type\":\"t\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("the CloudEvent lacks the required attributes id, source", refused.getMessage());
        assertThrows(InvalidRequestException.class, () -> CloudEvents.readStructured(
                "[1]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(InvalidRequestException.class, () -> CloudEvents.readStructured(
                "{not json".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void should_refuse_an_event_whose_attribute_has_the_wrong_form() {
        InvalidRequestException structured = assertThrows(InvalidRequestException.class, () -> CloudEvents
                .readStructured(("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\","
                        + "\"time\":\"yesterday\"}").getBytes(StandardCharsets.UTF_8)));
        assertTrue(structured.getMessage().startsWith("the CloudEvent is invalid: "), structured.getMessage());

        Map<String, Object> headers = jobSinkHeaders();
        headers.put("ce-time", "yesterday");
        InvalidRequestException binary = assertThrows(InvalidRequestException.class,
                () -> CloudEvents.readBinary(headers, "ce-", "application/json", DATA));
        assertTrue(binary.getMessage().startsWith("the CloudEvent is invalid: "), binary.getMessage());
    }

    @Test
    void should_refuse_binary_data_that_is_not_the_json_its_content_type_says() {
        for (String data : List.of("not json", "{\"a\":", "{} trailing")) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> CloudEvents
                    .readBinary(jobSinkHeaders(), "ce-", "application/json", data.getBytes(StandardCharsets.UTF_8)));
            assertEquals("the CloudEvent's data is not valid JSON, which its content type (application/json) says "
                    + "it is", refused.getMessage());
        }
        assertEquals("hello", new String(CloudEvents.readBinary(jobSinkHeaders(), "ce-", "text/plain",
                "hello".getBytes(StandardCharsets.UTF_8)).getData().toBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void should_tell_structured_and_binary_messages_apart() {
        assertTrue(CloudEvents.isStructured("Application/CloudEvents+JSON; charset=utf-8"));
        assertFalse(CloudEvents.isStructured("application/json"));
        assertTrue(CloudEvents.isBinary(jobSinkHeaders(), "ce-"));
        assertFalse(CloudEvents.isBinary(Map.of("Content-Type", "application/json"), "ce-"));
    }
}
