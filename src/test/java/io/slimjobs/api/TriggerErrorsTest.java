package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import io.slimjobs.trigger.OverridesReader;
import org.junit.jupiter.api.Test;

/**
 * What `POST /job/{name}` refuses, and how: every refusal is a JSON `{"error", "message"}` answer with the
 * right status, and creates no Job.
 */
class TriggerErrorsTest extends SlimJobsTestSupport {

    private static final int MAX_BODY_SIZE = 200;

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.http.max-body-size", String.valueOf(MAX_BODY_SIZE));
    }

    private Answer postWith(String path, String contentType, String body) {
        Map<String, String> headers = contentType == null ? Map.of() : Map.of("Content-Type", contentType);
        return http.call(HttpCaller.OUTSIDER, "POST", path, headers, body);
    }

    // --- names -----------------------------------------------------------------------------------------

    @Test
    void should_reject_a_job_name_outside_the_naming_rule_with_400() {
        for (String name : List.of("ab", "-abc", "a".repeat(31), "a.b")) {
            Answer answer = post("/job/" + name, "");

            assertError(answer, 400, "invalid_request", "'" + name + "'", "3 to 30");
        }
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_lower_case_a_job_name_and_run_that_job() {
        String id = trigger("Fibonacci", "");

        Job job = jobOf(id);
        assertEquals("fibonacci", job.getMetadata().getLabels().get(Labels.JOB));
        assertTrue(job.getMetadata().getName().startsWith("fibonacci-"), job.getMetadata().getName());
        assertEquals("axaguildev/fibonacci-batch:latest",
                job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals(3, job.getSpec().getBackoffLimit());
        awaitUntil("listed under either spelling", () -> get("/job/fibonacci").json().findValuesAsText("Id")
                .equals(List.of(id)) && get("/job/FIBONACCI").json().findValuesAsText("Id").equals(List.of(id)));
    }

    // --- the body --------------------------------------------------------------------------------------

    @Test
    void should_reject_malformed_json_with_400_saying_where() {
        for (String body : List.of(
                "{\n  \"Args\": [\"1\",\n  \"BackoffLimit\" 2\n}",
                // a second value after the object must not be ignored silently
                "{\"Args\": [\"1\"]}\n\n{\"Image\": \"evil/miner:1\"}")) {
            Answer answer = post("/job/fibonacci", body);

            String message = assertError(answer, 400, "invalid_request", "malformed JSON");
            assertTrue(message.matches("(?s).*\\(line 3, column \\d+\\).*"), message);
        }
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_reject_a_body_that_is_not_a_json_object() {
        for (String body : List.of("[\"42\"]", "\"42\"", "42", "null")) {
            Answer answer = post("/job/fibonacci", body);

            assertError(answer, 400, "invalid_request", "JSON object");
        }
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_answer_415_to_a_body_of_another_content_type() {
        Answer plain = postWith("/job/fibonacci", "text/plain", "{\"Args\": [\"42\"]}");
        Answer multipart = postWith("/job/fibonacci", "multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"Args\"\r\n\r\n42\r\n--b--\r\n");

        assertError(plain, 415, "unsupported_media_type", "text/plain");
        assertError(multipart, 415, "unsupported_media_type", "multipart/form-data");
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_accept_an_empty_body_without_content_type_as_no_overrides() {
        Answer answer = postWith("/job/fibonacci", null, null);

        assertEquals(202, answer.status(), answer::toString);
        ApiAssertions.assertJson(answer);
        String id = answer.json().get("Id").asText();
        Container container = jobOf(id).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("axaguildev/fibonacci-batch:latest", container.getImage());
        assertEquals(List.of(), container.getArgs());
        assertEquals(1, jobs().size());
    }

    @Test
    void should_read_a_curl_form_urlencoded_body_as_raw_json() {
        Answer answer = postWith("/job/fibonacci", "application/x-www-form-urlencoded", "{\"Args\":[\"4&2=+%\"]}");

        assertEquals(202, answer.status(), answer::toString);
        String id = answer.json().get("Id").asText();
        assertEquals(List.of("4&2=+%"), jobOf(id).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    }

    @Test
    void should_not_let_form_fields_inside_a_curl_json_body_change_the_request() {
        String arg = "&name=secret-job&id=x&Content-Type=text/plain&";

        Answer answer = postWith("/job/fibonacci", "application/x-www-form-urlencoded",
                "{\"Args\":[\"" + arg + "\"]}");

        assertEquals(202, answer.status(), answer::toString);
        Job job = jobOf(answer.json().get("Id").asText());
        assertEquals("fibonacci", job.getMetadata().getLabels().get(Labels.JOB));
        assertEquals(List.of(arg), job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        assertEquals(1, jobs().size());
    }

    @Test
    void should_answer_415_naming_a_charset_that_is_unknown_or_illegal() {
        for (String charset : List.of("bogus", "b@d!", "\"x-nothing\"")) {
            for (String type : List.of("application/json", OverridesReader.FORM)) {
                Answer answer = postWith("/job/fibonacci", type + "; charset=" + charset, "{\"Args\": [\"1\"]}");

                assertError(answer, 415, "unsupported_media_type", "'" + charset.replace("\"", "") + "'");
            }
        }
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_answer_in_utf8_whatever_charset_the_request_body_declares() {
        // UTF-8 bytes read as UTF-16 are no JSON; the refusal is still JSON, in the UTF-8 its Content-Type implies
        Answer answer = postWith("/job/fibonacci", "application/json; charset=UTF-16", "{\"Args\": [\"1\"]}");

        assertError(answer, 400, "invalid_request");
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_read_a_body_in_a_charset_java_supports() {
        String id = http.call(HttpCaller.OUTSIDER, "POST", "/job/fibonacci",
                Map.of("Content-Type", "application/json; charset=\"UTF-8\""), "{\"Args\": [\"7\"]}").json()
                .get("Id").asText();

        assertEquals(List.of("7"), jobOf(id).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    }

    @Test
    void should_answer_400_json_to_a_malformed_percent_escape_on_every_verb_and_path() {
        for (String path : List.of("/job/fibonacci?%zz", "/job/a%/8", "/job/%zz", "/job/fibonacci%", "/health?a=%4",
                "/nowhere/%zz", "/job/fibonacci/x?y=%G1")) {
            for (String verb : List.of("GET", "POST", "DELETE", "PUT")) {
                Answer answer = http.call(HttpCaller.OUTSIDER, verb, path, Map.of(), verb.equals("GET") ? null : "");

                assertError(answer, 400, "invalid_request", "malformed percent-escape");
            }
        }
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_answer_400_json_to_a_request_target_that_is_not_a_path() {
        for (String target : List.of("*", "job/fibonacci", "%2Fjob%2Ffibonacci")) {
            for (String verb : List.of("GET", "POST", "DELETE")) {
                Answer answer = http.call(HttpCaller.OUTSIDER, verb, target, Map.of(), verb.equals("GET") ? null : "");

                assertError(answer, 400, "invalid_request", "'" + target + "'", "not a path");
            }
        }
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_decode_a_well_formed_percent_escape() {
        Answer answer = get("/job/fibonacci?any=%41%2F");

        assertEquals(200, answer.status(), answer::toString);
    }

    @Test
    void should_answer_413_to_a_body_over_the_size_limit() {
        String body = "{\"Args\": [\"" + "4".repeat(MAX_BODY_SIZE) + "\"]}";

        Answer answer = post("/job/fibonacci", body);

        assertError(answer, 413, "payload_too_large", MAX_BODY_SIZE + " bytes");
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_answer_413_to_a_chunked_body_over_the_size_limit() {
        String body = "{\"Args\": [\"" + "4".repeat(MAX_BODY_SIZE) + "\"]}";

        Answer answer = http.call(HttpCaller.OUTSIDER, "POST", "/job/fibonacci",
                Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked"), body);

        assertError(answer, 413, "payload_too_large", MAX_BODY_SIZE + " bytes");
        assertEquals(List.of(), jobs());
    }

    // --- guard rails -----------------------------------------------------------------------------------

    @Test
    void should_reject_an_image_outside_the_whitelist() {
        Answer answer = post("/job/fibonacci", "{\"Image\": \"evil/miner:latest\"}");

        assertError(answer, 400, "invalid_request", "Image", "evil/miner:latest", "ImagesWhitelist",
                "axaguildev/fibonacci-batch:*");
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_reject_a_resource_above_the_definition() {
        Answer answer = post("/job/fibonacci", "{\"Resources\": {\"Limits\": {\"memory\": \"1Gi\"}}}");

        assertError(answer, 400, "invalid_request", "Resources.Limits.memory", "1Gi", "400Mi");
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_reject_a_resource_the_definition_does_not_set() {
        Answer answer = post("/job/fibonacci", "{\"Resources\": {\"Requests\": {\"nvidia.com/gpu\": \"1\"}}}");

        assertError(answer, 400, "invalid_request", "Resources.Requests.nvidia.com/gpu");
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_reject_a_request_set_above_the_limit_the_caller_lowered() {
        Answer answer = post("/job/fibonacci", "{\"Resources\": {\"Requests\": {\"cpu\": \"300m\"}, \"Limits\": {\"cpu\": \"200m\"}}}");

        assertError(answer, 400, "invalid_request", "Resources.Requests.cpu: 300m is above the limit 200m");
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_reject_an_unknown_property_naming_it_and_the_nearest_known_one() {
        Answer answer = post("/job/fibonacci", "{\"Argz\": [\"1\"]}");

        assertError(answer, 400, "invalid_request", "Argz: unknown property; did you mean Args?");
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_reject_a_backoff_limit_above_the_definition() {
        Answer answer = post("/job/fibonacci", "{\"BackoffLimit\": 4}");

        assertError(answer, 400, "invalid_request", "BackoffLimit", "4", "3");
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_reject_an_environment_override_that_reads_a_secret() {
        Answer answer = post("/job/fibonacci",
                "{\"Environments\": [{\"Name\": \"TOKEN\", \"SecretRef\": {\"Name\": \"admin\", \"Key\": \"pw\"}}]}");

        assertError(answer, 400, "invalid_request", "Environments[0]", "TOKEN", "Secret");
        assertEquals(List.of(), jobs());
    }

    // --- paths and verbs -------------------------------------------------------------------------------

    @Test
    void should_answer_405_with_allow_to_put_and_patch_on_a_job() {
        for (String method : List.of("PUT", "PATCH")) {
            Answer answer = http.call(HttpCaller.OUTSIDER, method, "/job/fibonacci",
                    Map.of("Content-Type", "application/json"), "{}");

            assertError(answer, 405, "method_not_allowed", method);
            assertNotNull(answer.allow(), () -> "no Allow header on " + answer);
            List<String> allowed = List.of(answer.allow().split("\\s*,\\s*"));
            assertTrue(allowed.containsAll(List.of("POST", "GET")), answer.allow());
            assertTrue(!allowed.contains(method), answer.allow());
        }
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_answer_404_json_for_an_unknown_path() {
        Answer answer = get("/no/such/path");

        assertError(answer, 404, "not_found", "/no/such/path");
        assertError(http.call(HttpCaller.OUTSIDER, "POST", "/jobs", Map.of(), "{}"), 404, "not_found", "/jobs");
        assertEquals(List.of(), jobs());
    }
}
