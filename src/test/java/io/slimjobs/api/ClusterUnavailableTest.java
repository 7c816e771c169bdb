package io.slimjobs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

class ClusterUnavailableTest extends SlimJobsTestSupport {

    @Test
    void should_answer_503_in_json_when_the_api_server_cannot_be_reached() {
        cluster.close();

        Answer answer = post("/job/fibonacci", "{\"Args\": [\"42\"]}");

        assertEquals(503, answer.status(), answer::toString);
        assertEquals("cluster_unavailable", answer.json().get("error").asText());
    }
}
