package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/** When the Kubernetes API cannot be reached, writes answer 503 in JSON and reads keep working from the caches. */
class ClusterUnavailableTest extends SlimJobsTestSupport {

    @Test
    void should_answer_503_to_a_trigger_when_the_api_server_cannot_be_reached() {
        cluster.close();

        assertError(post("/job/fibonacci", "{\"Args\": [\"42\"]}"), 503, "cluster_unavailable");
    }

    @Test
    void should_answer_503_to_a_delete_and_still_list_from_the_cache() {
        String id = trigger("fibonacci", "");
        cluster.close();

        assertError(delete("/job/fibonacci/" + id), 503, "cluster_unavailable");
        assertEquals(200, get("/job/fibonacci").status());
        assertEquals(id, get("/job/fibonacci").json().get(0).get("Id").asText());
    }
}
