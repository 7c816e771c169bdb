package io.slimjobs.api;

import java.nio.ByteBuffer;

import io.slimjobs.kube.SerializedJson;
import org.apache.camel.Body;

/**
 * Writes an answer's JSON as the UTF-8 bytes the HTTP server sends whole, with their Content-Length: no String in
 * between (a listing of thousands of executions is megabytes), and no charset but UTF-8 whatever the request's
 * Content-Type named.
 */
public final class JsonBody {

    private JsonBody() {
    }

    public static ByteBuffer of(@Body Object body) {
        return ByteBuffer.wrap(body instanceof SerializedJson json ? json.bytes() : SerializedJson.write(body));
    }
}
