package io.slimjobs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.slimjobs.HttpCaller.Answer;

/** The error contract every HTTP API answer shares: status, JSON content type, `error` code and a `message`. */
final class ApiAssertions {

    private ApiAssertions() {
    }

    /** Asserts a JSON error answer whose message mentions every one of {@code mentions}; returns the message. */
    static String assertError(Answer answer, int status, String error, String... mentions) {
        assertEquals(status, answer.status(), () -> "status of " + answer);
        assertJson(answer);
        JsonNode body = answer.json();
        assertEquals(List.of("error", "message"), fieldNames(body), () -> "error body " + answer.body());
        assertEquals(error, body.get("error").asText(), () -> "error code of " + answer.body());
        String message = body.get("message").asText();
        assertFalse(message.isBlank(), "the message must say what went wrong");
        for (String mention : mentions) {
            assertTrue(message.contains(mention), () -> "message should mention '" + mention + "': " + message);
        }
        return message;
    }

    static void assertJson(Answer answer) {
        assertNotNull(answer.contentType(), () -> "no Content-Type on " + answer);
        assertTrue(answer.contentType().startsWith("application/json"),
                () -> "Content-Type " + answer.contentType() + " of " + answer);
    }

    static List<JsonNode> elementsOf(JsonNode array) {
        assertTrue(array.isArray(), () -> "not an array: " + array);
        List<JsonNode> elements = new ArrayList<>();
        array.elements().forEachRemaining(elements::add);
        return elements;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
