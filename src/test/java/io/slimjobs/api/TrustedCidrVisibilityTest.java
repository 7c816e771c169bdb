package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/** An operator-configured trusted range makes its callers trusted for Private jobs, without any pod. */
class TrustedCidrVisibilityTest extends SlimJobsTestSupport {

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.trusted-cidrs", "127.0.0.0/8");
    }

    @Test
    void should_let_a_caller_inside_a_trusted_cidr_use_a_private_job() {
        Answer accepted = post("/job/secret-job", "{\"Args\": [\"1\"]}");

        assertEquals(202, accepted.status(), accepted::toString);
        String id = accepted.json().get("Id").asText();
        awaitUntil("listed", () -> get("/job/secret-job").json().findValuesAsText("Id").contains(id));
        assertEquals(200, get("/job/secret-job").status());
        assertEquals(List.of("default", "fibonacci", "secret-job"), ApiAssertions.elementsOf(get("/jobs/status").json())
                .stream().map(definition -> definition.get("Name").asText()).sorted().toList());
        // trusted, the caller now gets past the visibility check to the lookup
        assertError(delete("/job/secret-job/no-such-id"), 404, "not_found", "no-such-id");
        assertEquals(200, http.call(HttpCaller.OUTSIDER, "DELETE", "/job/secret-job/" + id, Map.of(), null).status());
        awaitUntil("deleted", () -> jobs().isEmpty());
    }
}
