package io.slimjobs.schedule;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slimjobs.Json;

/**
 * The backup file of the dynamic schedules, `schedule-jobs-backup.json`: indented JSON
 * `{"Schedules": {"<id>": {…}}}`, each schedule the JSON object the store holds, whatever its fields. Ids and
 * properties are sorted, so that the same schedules always give the same bytes.
 */
final class ScheduleBackupFile {

    static final String NAME = "schedule-jobs-backup.json";
    private static final String SCHEDULES = "Schedules";
    /** What the API server accepts as a ConfigMap key: a schedule id that is not one cannot be restored. */
    private static final Pattern CONFIG_MAP_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");
    /** Decimals kept as written rather than rounded through a double. */
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
    private static final ObjectWriter WRITER = Json.MAPPER.writer()
            .with(JsonNodeFeature.WRITE_PROPERTIES_SORTED).withDefaultPrettyPrinter();

    /** The file's bytes for a store's schedules, and the schedules left out because they are not JSON objects. */
    record Rendered(byte[] text, int count, List<String> leftOut) {
    }

    /** A backup file that cannot be restored; the message says where it is broken. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    private final Path directory;
    private final Path file;

    ScheduleBackupFile(Path directory) {
        this.directory = directory;
        this.file = directory.resolve(NAME);
    }

    Path path() {
        return file;
    }

    boolean exists() {
        return Files.exists(file);
    }

    /** The file's text for these schedules (id → JSON text), each parsed so that it reads as JSON in the file. */
    static Rendered render(Map<String, String> schedules) {
        ObjectNode byId = Json.MAPPER.createObjectNode();
        List<String> leftOut = new ArrayList<>();
        schedules.forEach((id, json) -> {
            try {
                JsonNode schedule = READER.readTree(json);
                if (schedule != null && schedule.isObject()) {
                    byId.set(id, schedule);
                } else {
                    leftOut.add("schedule " + id + " is not a JSON object");
                }
            } catch (JsonProcessingException e) {
                leftOut.add("schedule " + id + " is not a JSON object: " + Json.describe(e));
            }
        });
        ObjectNode root = Json.MAPPER.createObjectNode().set(SCHEDULES, byId);
        try {
            return new Rendered((WRITER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8), byId.size(),
                    leftOut);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that cannot be written", e);
        }
    }

    /**
     * Writes the text unless the file already holds it (same SHA-256), atomically: through a temporary file in the
     * same directory, moved over the old one, so that no reader ever sees half a file. Creates the directory.
     *
     * @return whether the file was written
     */
    boolean writeIfChanged(byte[] text) throws IOException {
        if (Files.isRegularFile(file) && sha256(Files.readAllBytes(file)).equals(sha256(text))) {
            return false;
        }
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, NAME + "-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(text);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                // on disk before the move makes it the backup: a crash must not leave an empty file in its place
                channel.force(true);
            }
            Files.move(temporary, file, ATOMIC_MOVE, REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return true;
    }

    /** The schedules in the file, id → compact JSON text, in id order. */
    Map<String, String> read() throws IOException, MalformedException {
        JsonNode root;
        try {
            root = READER.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new MalformedException(Json.describe(e));
        }
        if (root == null || root.isMissingNode()) {
            throw new MalformedException("the file is empty");
        }
        if (!root.isObject()) {
            throw new MalformedException("the file must hold a JSON object {\"" + SCHEDULES + "\": {...}}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals(SCHEDULES)) {
                throw new MalformedException(name + ": unknown property; the file holds only " + SCHEDULES);
            }
        }
        JsonNode byId = root.get(SCHEDULES);
        if (byId == null || !byId.isObject()) {
            throw new MalformedException(SCHEDULES + ": must be a JSON object of schedules by id");
        }
        Map<String, String> schedules = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = byId.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String where = SCHEDULES + "." + entry.getKey();
            if (!CONFIG_MAP_KEY.matcher(entry.getKey()).matches()) {
                throw new MalformedException(where + ": not a possible schedule id (letters, digits, '-', '_', '.')");
            }
            if (!entry.getValue().isObject()) {
                throw new MalformedException(where + ": must be a JSON object");
            }
            schedules.put(entry.getKey(), Json.MAPPER.writeValueAsString(entry.getValue()));
        }
        return schedules;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
