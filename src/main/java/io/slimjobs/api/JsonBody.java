package io.slimjobs.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.slimjobs.Json;
import io.vertx.core.buffer.Buffer;
import org.apache.camel.Body;

/**
 * Writes an answer's JSON as UTF-8 bytes into the buffer the HTTP server sends whole, with its Content-Length: no
 * String in between (a listing of thousands of executions is megabytes), and no charset but UTF-8 whatever the
 * request's Content-Type named.
 */
public final class JsonBody {

    private JsonBody() {
    }

    public static Buffer of(@Body Object body) throws JsonProcessingException {
        return Buffer.buffer(Json.MAPPER.writeValueAsBytes(body));
    }
}
