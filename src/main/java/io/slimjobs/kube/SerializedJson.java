package io.slimjobs.kube;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.slimjobs.Json;

/** An answer already written as JSON (UTF-8), sent as it is. */
public record SerializedJson(byte[] bytes) {

    /** The JSON of a value SlimJobs answers with, which always has one. */
    public static byte[] write(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON array of the items, each written by {@code json}: the bytes Jackson writes for the list. */
    public static <T> SerializedJson array(List<T> items, Function<T, byte[]> json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + items.size() * 192);
        out.write('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(json.apply(items.get(i)));
        }
        out.write(']');
        return new SerializedJson(out.toByteArray());
    }
}
