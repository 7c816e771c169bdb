package io.slimjobs.kamelets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.slimjobs.Json;
import io.slimjobs.SlimJobsTestSupport;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The `slimjobs-trigger-action` kamelet, linted as the catalog does and run against SlimJobs. */
class TriggerActionKameletTest extends SlimJobsTestSupport {

    private static final String NAME = "slimjobs-trigger-action";

    private String kamelet() {
        return "kamelet:" + NAME + "?baseUrl=http://127.0.0.1:" + port + "&jobName=fibonacci";
    }

    @Test
    void should_trigger_a_job_with_the_message_body_as_overrides() throws Exception {
        String answer = template.requestBodyAndHeader(kamelet(), "{\"Args\": [\"7\"]}",
                "CamelHttpUri", "http://127.0.0.1:1/elsewhere", String.class);

        String id = Json.MAPPER.readTree(answer).get("Id").asText();
        assertEquals(List.of("7"), jobOf(id).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs(),
                "the body is the overrides, and an inbound CamelHttpUri does not redirect the call");
    }

    @Test
    void should_fail_the_exchange_when_slimjobs_refuses() {
        assertThrows400(() -> template.requestBody(kamelet(), "{\"Image\": \"evil/miner:1\"}", String.class));
        assertTrue(jobs().isEmpty());
    }

    private static void assertThrows400(Runnable call) {
        CamelExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
                CamelExecutionException.class, call::run);
        assertTrue(String.valueOf(failure.getCause()).contains("400"), String.valueOf(failure.getCause()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void should_follow_the_kamelet_catalog_rules() throws Exception {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/kamelets/" + NAME + ".kamelet.yaml")) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Map<String, Object> kamelet = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
        JsonNode tree = Json.MAPPER.valueToTree(kamelet);

        assertEquals(NAME, tree.at("/metadata/name").asText(), "file name = kamelet name");
        String type = tree.at("/metadata/labels").get("camel.apache.org/kamelet.type").asText();
        assertTrue(NAME.endsWith("-" + type), "name ends with its type");
        assertTrue(tree.at("/spec/definition/title").asText().toLowerCase().endsWith(type), "title ends with its type");

        Set<String> declared = new HashSet<>();
        tree.at("/spec/definition/properties").fields().forEachRemaining(property -> {
            declared.add(property.getKey());
            for (String field : List.of("title", "description", "type")) {
                assertTrue(property.getValue().has(field), property.getKey() + " has a " + field);
            }
        });
        Set<String> used = new HashSet<>();
        Matcher placeholder = Pattern.compile("\\{\\{\\??([a-zA-Z0-9]+)}}").matcher(tree.at("/spec/template").toString());
        while (placeholder.find()) {
            used.add(placeholder.group(1));
        }
        assertEquals(declared, used, "every property is used and every placeholder declared");
    }
}
