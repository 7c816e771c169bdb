package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.config.InvalidConfigurationException;
import io.slimjobs.config.JobsConfigurationLoader;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/**
 * `X-Callback-Url` on a trigger: only hosts matching `slimjobs.callbacks.allowed-hosts`, an absolute http(s) URL, and
 * it wins over the definition's `CallbackUrl`; the URL in force goes onto the Job. A refusal is a 400 that creates
 * nothing.
 */
class CallbackUrlTest extends SlimJobsTestSupport {

    private static final String CONFIGURATION = """
            {
              "Configurations": {
                "plain": {"Image": "busybox:1.36", "Visibility": "Public"},
                "hooked": {"Image": "busybox:1.36", "Visibility": "Public",
                           "CallbackUrl": "https://ops.internal/slimjobs?team=a"}
              }
            }
            """;

    @Override
    protected String jobsConfiguration() {
        return CONFIGURATION;
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.callbacks.allowed-hosts", " *.Example.test , 10.1.2.3,[::1]");
    }

    private Answer triggerWithCallback(String jobName, String url) {
        return http.call(HttpCaller.OUTSIDER, "POST", "/job/" + jobName,
                Map.of("Content-Type", "application/json", "X-Callback-Url", url), "{}");
    }

    private String callbackUrlOf(String id) {
        return jobOf(id).getMetadata().getAnnotations().get(Labels.CALLBACK_URL);
    }

    @Test
    void should_accept_a_caller_url_whose_host_matches_an_allowed_pattern_and_put_it_on_the_job() {
        for (String url : List.of("https://hooks.example.test/done?x=1", "http://A.B.EXAMPLE.TEST:8443/done",
                "http://10.1.2.3:8080/hook", "http://[::1]:9000/hook")) {
            Answer answer = triggerWithCallback("plain", url);

            assertEquals(202, answer.status(), () -> url + ": " + answer);
            assertEquals(url, callbackUrlOf(answer.json().get("Id").asText()));
        }
    }

    @Test
    void should_refuse_a_caller_url_whose_host_matches_no_pattern_creating_nothing() {
        for (String url : List.of("https://evil.test/x", "https://example.test.evil.net/x", "https://example.test/x",
                "http://10.1.2.30/x")) {
            Answer answer = triggerWithCallback("plain", url);

            assertError(answer, 400, "invalid_request", "X-Callback-Url",
                    "slimjobs.callbacks.allowed-hosts");
        }
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_refuse_a_malformed_callback_url_creating_nothing() {
        for (String url : List.of("not a url", "/relative/path", "ftp://files.example.test/x", "http:///no-host",
                "mailto:ops@example.test")) {
            Answer answer = triggerWithCallback("plain", url);

            assertError(answer, 400, "invalid_request", "X-Callback-Url");
        }
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_let_the_callers_url_win_over_the_definitions_and_use_the_definitions_otherwise() {
        String own = trigger("hooked", "{}");
        Answer answer = triggerWithCallback("hooked", "https://hooks.example.test/mine");

        assertEquals(202, answer.status(), answer::toString);
        assertEquals("https://ops.internal/slimjobs?team=a", callbackUrlOf(own));
        assertEquals("https://hooks.example.test/mine", callbackUrlOf(answer.json().get("Id").asText()));
        assertNull(callbackUrlOf(trigger("plain", "{}")), "no URL, no annotation");
    }

    @Test
    void should_refuse_a_definition_whose_callback_url_is_not_an_absolute_http_url() {
        for (String url : List.of("ops.internal/hook", "ftp://ops.internal/hook", "https://")) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> JobsConfigurationLoader.parse(new JobsConfigurationLoader.Source("test",
                            "{\"Configurations\": {\"hooked\": {\"CallbackUrl\": \"" + url + "\"}}}")));

            assertTrue(e.getMessage().contains("Configurations.hooked.CallbackUrl"), e::getMessage);
        }
    }
}
