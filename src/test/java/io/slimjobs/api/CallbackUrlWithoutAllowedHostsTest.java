package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import io.slimjobs.HttpCaller;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.kube.Labels;
import org.junit.jupiter.api.Test;

/** With `slimjobs.callbacks.allowed-hosts` empty (the default) callers cannot name a URL; definitions still can. */
class CallbackUrlWithoutAllowedHostsTest extends SlimJobsTestSupport {

    private static final String CONFIGURATION = """
            {
              "Configurations": {
                "plain": {"Image": "busybox:1.36", "Visibility": "Public"},
                "hooked": {"Image": "busybox:1.36", "Visibility": "Public", "CallbackUrl": "http://ops.internal/hook"}
              }
            }
            """;

    @Override
    protected String jobsConfiguration() {
        return CONFIGURATION;
    }

    @Test
    void should_refuse_every_caller_url_saying_why_creating_nothing() {
        for (String jobName : List.of("plain", "hooked")) {
            var answer = http.call(HttpCaller.OUTSIDER, "POST", "/job/" + jobName,
                    Map.of("Content-Type", "application/json", "X-Callback-Url", "http://ops.internal/hook"), "{}");

            assertError(answer, 400, "invalid_request", "X-Callback-Url", "slimjobs.callbacks.allowed-hosts",
                    "empty");
        }
        assertEquals(List.of(), jobs());
    }

    @Test
    void should_accept_the_definitions_own_url() {
        String id = trigger("hooked", "");

        assertEquals("http://ops.internal/hook", jobOf(id).getMetadata().getAnnotations().get(Labels.CALLBACK_URL));
    }
}
