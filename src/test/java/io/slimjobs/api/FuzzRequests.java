package io.slimjobs.api;

import static io.slimjobs.api.RawHttpRequest.bytes;

import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slimjobs.Json;
import io.slimjobs.api.RawHttpRequest.Framing;
import io.slimjobs.api.RawHttpRequest.Header;

/**
 * Generates HTTP requests to every door of the API from one seeded {@link Random}: mostly mutations of the API's real
 * shapes (override bodies, schedule bodies, CloudEvents in both modes, the headers a trigger reads), so that many get
 * deep into the pipeline, and some garbage at every level (method, path escapes, header bytes, framing, charsets).
 * Ids the API answered this client are reused, so that reads and deletes meet real executions and schedules.
 */
final class FuzzRequests {

    static final String OUTSIDER = "127.0.0.1";
    /** In slimjobs.trusted-cidrs: may use Private jobs. */
    static final String TRUSTED = "127.0.0.2";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] JOB_NAMES = {"fibonacci", "secret-job", "with-deps", "fuzz-default-1", "Fibonacci",
            "ab", "a".repeat(31), "-bad-", "bad.name", "x y z", "fib%2Fonacci", "caf%C3%A9-job", "%F0%9F%92%A5boom",
            "..", "job%00nul", "job%ZZ", "job%", "job;x=1", "fibonacci?x=%", "job name", "ünïcode", "__init__",
            "1234567890", "a".repeat(4000)};
    private static final String[] OVERRIDES = {"Args", "Image", "Resources", "Environments", "DependsOn",
            "BackoffLimit", "TtlSecondsAfterFinished", "RestartPolicy", "Payload"};
    private static final String[] STRINGS = {"", " ", "42", "-1", "null", "true", "0.5", "1e3", "100m", "400m", "800m",
            "1Ki", "512Mi", "0.5Gi", "9999999999999999999999Ti", "m", "busybox:1.36", "axaguildev/fibonacci-batch:1.2",
            "axaguildev/fibonacci-batch:*", "evil/miner:1", "Never", "OnFailure", "Always", "never", "cpu", "memory",
            "nvidia.com/gpu", "db", "fuzz-db", "MODE", "TOKEN", "PATH", "é", "日本語", "💥", "\u202eRTL", "\u0000",
            "\ud800", "\uffff", "a\nb", "\"quoted\"", "<script>", "${env:HOME}", "{{slimjobs.namespace}}", "%s%n",
            "../../etc/passwd", "http://127.0.0.1:1/cb", "x".repeat(300)};
    private static final String[] CRONS = {"0 0 * * *", "*/15 * * * *", "30 6 * * 1-5", "0 0 * * MON-FRI", "@daily",
            "@reboot", "* * * * * *", "61 * * * *", "0 0 31 2 *", "0 0 29 2 *", "*/0 * * * *", "1-0 * * * *",
            "0 0 * * 8", "", "     ", "0 0 * * * ? 2099", "0 0 L * *", "0/9999999999 * * * *", "ä * * * *"};
    private static final String[] TIME_ZONES = {"UTC", "Europe/Paris", "Asia/Tokyo", "America/St_Johns", "Mars/Olympus",
            "+02:00", "GMT+2", "Z", "", "../../etc/localtime", "SystemV/AST4", "EST"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
            "application/json; charset=UTF-16", "application/json; charset=iso-8859-1", "application/json; charset=bogus",
            "application/json; charset=\"utf-8\"", "application/json;charset=", "application/x-www-form-urlencoded",
            "application/cloudevents+json", "application/cloudevents-batch+json", "text/plain", "application/xml",
            "multipart/form-data; boundary=x", "application/octet-stream", "*/*", "", ";;;", "application/json; a",
            "application/json; charset=utf-8; charset=latin1", "APPLICATION/JSON", "application/json\u00e9"};
    private static final String[] ACCEPTS = {"*/*", "application/json", "text/html", "application/xml",
            "application/json;q=0", "text/plain", "garbage", "", "*/*;q=0.1, text/html"};
    private static final String[] METHODS = {"GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS", "TRACE",
            "get", "FOO", "PROPFIND"};
    private static final String[] PATHS = {"/", "/health", "/ready", "/metrics", "/openapi.json", "/jobs/status",
            "/dashboard/app.js", "/dashboard/style.css", "/dashboard/../pom.xml", "/dashboard/%2e%2e/secret",
            "/dashboard/", "/dashboard/nope.js", "/job", "/job/", "/job//", "/job-schedules", "/job-schedules/",
            "/nowhere", "//job/fibonacci", "/job/fibonacci/", "/./job/fibonacci", "/job/./fibonacci",
            "/job/fibonacci/../secret-job", "/JOB/fibonacci", "/job/fibonacci/a/b/c", "/job/%2e%2e/%2e%2e",
            "/%", "/%%", "/%41", "/%zz", "/%c0%af", "/%ff%fe", "/job/fibonacci#frag", "/job/fibonacci;v=1",
            "/job/fibonacci?limit=%", "/job/fibonacci?x=%u0041", "/health?%00", "*", "http://127.0.0.1/job/fibonacci",
            "job/fibonacci", "/" + "x".repeat(9000)};
    private static final byte[][] INVALID_UTF8 = {{(byte) 0xc3, 0x28}, {(byte) 0xff}, {(byte) 0xed, (byte) 0xa0,
            (byte) 0x80}, {(byte) 0xf0, (byte) 0x28, (byte) 0x8c, (byte) 0xbc}, {(byte) 0xc0, (byte) 0xaf},
            {(byte) 0x80}, {(byte) 0xe2, (byte) 0x82}};

    /** Numbers a JSON tree cannot hold, some of them not JSON at all, spliced in as text by {@link #render}. */
    private static final String[] NUMBERS = {"1e400", "-1e-400", "1e999999", "1e2147483648", "-0", "NaN", "Infinity",
            "0x10", "01", "1.", ".5", "+1", "123456789012345678901234567890.5e10", "2147483648", "-9223372036854775809"};
    private static final Pattern DEEP = Pattern.compile("\"<<deep (\\d+)([\\[{])>>\"");
    private static final Pattern NUMBER = Pattern.compile("\"<<number (\\d+)>>\"");

    private final Random random;
    private final List<String> executions = new ArrayList<>();
    private final List<String> schedules = new ArrayList<>();

    FuzzRequests(long seed) {
        this.random = new Random(seed);
    }

    /** An execution Id the API answered this client. */
    void executionAnswered(String id) {
        executions.add(id);
    }

    /** A schedule Id the API answered this client. */
    void scheduleAnswered(String id) {
        schedules.add(id);
    }

    RawHttpRequest next() {
        int pick = random.nextInt(100);
        if (pick < 35) {
            return trigger(overrides());
        } else if (pick < 45) {
            return cloudEvent();
        } else if (pick < 55) {
            return schedule();
        } else if (pick < 70) {
            return executionRead();
        } else if (pick < 75) {
            return scheduleRead();
        } else if (pick < 82) {
            return request(pickOf(new String[]{"GET", "GET", "GET", "HEAD", "POST", "DELETE"}), maybeOdd(pickOf(PATHS)),
                    headers(), new byte[0]);
        } else {
            return garbage();
        }
    }

    // --- the API's shapes ---------------------------------------------------------------------------------------

    private RawHttpRequest trigger(byte[] body) {
        List<Header> headers = headers();
        headers.add(new Header("Content-Type", bytes(chance(80) ? "application/json" : pickOf(CONTENT_TYPES))));
        return request("POST", "/job/" + jobName(), headers, body);
    }

    /** A valid override body more often than not, else one with a few mutations. */
    private byte[] overrides() {
        ObjectNode body = NODES.objectNode();
        for (String field : OVERRIDES) {
            if (chance(30)) {
                body.set(field, validOverride(field));
            }
        }
        return render(chance(45) ? body : mutate(body));
    }

    private JsonNode validOverride(String field) {
        return switch (field) {
            case "Args" -> NODES.arrayNode().add(String.valueOf(random.nextInt(100))).add("--flag");
            case "Image" -> NODES.textNode(pickOf(new String[]{"axaguildev/fibonacci-batch:latest",
                    "axaguildev/fibonacci-batch:2", "busybox:1.36", "evil/miner:1"}));
            case "Resources" -> {
                ObjectNode resources = NODES.objectNode();
                resources.putObject("Limits").put("cpu", pickOf(new String[]{"200m", "0.4", "400m", "800m"}));
                if (chance(50)) {
                    resources.putObject("Requests").put("memory", pickOf(new String[]{"100Mi", "0.25Gi", "1Gi"}));
                }
                yield resources;
            }
            case "Environments" -> NODES.arrayNode().add(NODES.objectNode().put("Name", "MODE")
                    .put("Value", pickOf(STRINGS)));
            case "DependsOn" -> chance(50) ? NODES.arrayNode() : NODES.arrayNode().add("fuzz-db");
            case "BackoffLimit" -> NODES.numberNode(random.nextInt(5));
            case "TtlSecondsAfterFinished" -> NODES.numberNode(random.nextInt(7200));
            case "RestartPolicy" -> NODES.textNode(chance(50) ? "Never" : "OnFailure");
            default -> NODES.textNode(chance(80) ? "{\"orders\":[1,2,3]}" : randomString());
        };
    }

    private RawHttpRequest cloudEvent() {
        List<Header> headers = headers();
        if (chance(50)) {
            // binary: the attributes in ce-* headers, the body is the event's data
            for (String attribute : new String[]{"specversion", "id", "source", "type"}) {
                if (chance(90)) {
                    headers.add(new Header(chance(90) ? "ce-" + attribute : "CE-" + attribute.toUpperCase(),
                            bytes(attributeValue(attribute))));
                }
            }
            if (chance(30)) {
                headers.add(new Header("ce-" + pickOf(new String[]{"subject", "time", "dataschema", "traceparent",
                        "x", "Ünï", ""}), bytes(pickOf(STRINGS))));
            }
            headers.add(new Header("Content-Type", bytes(pickOf(CONTENT_TYPES))));
            byte[] data = chance(60) ? render(mutate(NODES.objectNode().put("order", random.nextInt())))
                    : randomBytes(random.nextInt(200));
            return request("POST", "/job/" + jobName(), headers, data);
        }
        ObjectNode event = NODES.objectNode().put("specversion", "1.0").put("id", attributeValue("id"))
                .put("source", attributeValue("source")).put("type", "order.created");
        if (chance(70)) {
            event.putObject("data").putArray("items").add(1).add(2);
        } else {
            event.put("data_base64", chance(80) ? "aGVsbG8=" : randomString());
        }
        if (chance(30)) {
            event.put("datacontenttype", pickOf(CONTENT_TYPES));
        }
        headers.add(new Header("Content-Type", chance(85) ? "application/cloudevents+json" : pickOf(CONTENT_TYPES)));
        return request("POST", "/job/" + jobName(), headers, render(chance(50) ? event : mutate(event)));
    }

    private String attributeValue(String attribute) {
        if (chance(85)) {
            return switch (attribute) {
                case "specversion" -> chance(90) ? "1.0" : pickOf(new String[]{"0.3", "2.0", "", "1"});
                // a small space of ids, so that events repeat and meet their first execution
                case "id" -> "event-" + random.nextInt(40);
                case "source" -> "/fuzz/" + random.nextInt(3);
                default -> "fuzz.event";
            };
        }
        return pickOf(STRINGS);
    }

    private RawHttpRequest schedule() {
        ObjectNode body = NODES.objectNode();
        if (chance(95)) {
            body.put("Schedule", pickOf(CRONS));
        }
        if (chance(40)) {
            body.put("TimeZone", pickOf(TIME_ZONES));
        }
        for (String field : OVERRIDES) {
            if (chance(15)) {
                body.set(field, validOverride(field));
            }
        }
        List<Header> headers = headers();
        headers.add(new Header("Content-Type", chance(85) ? "application/json" : pickOf(CONTENT_TYPES)));
        return request("POST", "/job-schedules/" + jobName(), headers, render(chance(50) ? body : mutate(body)));
    }

    private RawHttpRequest executionRead() {
        String method = chance(60) ? "GET" : "DELETE";
        if (chance(30)) {
            return request(method.equals("DELETE") ? "GET" : method, "/job/" + jobName(), headers(), new byte[0]);
        }
        String id = !executions.isEmpty() && chance(70) ? executions.get(random.nextInt(executions.size()))
                : pickOf(new String[]{"00000000-0000-0000-0000-000000000000", "not-an-id", "%2e%2e", "..", "%",
                "💥", "a".repeat(300), "1", "id%00"});
        return request(method, "/job/" + jobName() + "/" + maybeOdd(id), headers(), new byte[0]);
    }

    private RawHttpRequest scheduleRead() {
        if (chance(50)) {
            return request("GET", "/job-schedules/" + jobName(), headers(), new byte[0]);
        }
        String id = !schedules.isEmpty() && chance(70) ? schedules.get(random.nextInt(schedules.size()))
                : pickOf(new String[]{"nope", "%2e%2e", "0", "x".repeat(300)});
        return request("DELETE", "/job-schedules/" + jobName() + "/" + id, headers(), new byte[0]);
    }

    /** The headers any request may carry, a trigger's first among them. */
    private List<Header> headers() {
        List<Header> headers = new ArrayList<>();
        if (chance(25)) {
            headers.add(new Header("Idempotency-Key", bytes(chance(80) ? "key-" + random.nextInt(60)
                    : pickOf(new String[]{"", " ", "k".repeat(255), "k".repeat(256), "ключ", "a\tb", "x y",
                    "\u007f", "🔑"}))));
        }
        if (chance(10)) {
            headers.add(new Header("X-Callback-Url", bytes(pickOf(new String[]{"http://127.0.0.1:1/done",
                    "https://127.0.0.1/done", "http://evil.example/steal", "ftp://127.0.0.1/x", "not a url", "",
                    "http://[::1", "http://127.0.0.1:99999/", "javascript:alert(1)", "http://user@127.0.0.1/"}))));
        }
        if (chance(10)) {
            headers.add(new Header("Accept", pickOf(ACCEPTS)));
        }
        if (chance(5)) {
            headers.add(new Header("X-Forwarded-For", pickOf(new String[]{"127.0.0.2", "10.0.0.1, 127.0.0.2",
                    "garbage", "", "::1", "999.1.1.1"})));
        }
        if (chance(3)) {
            headers.add(new Header(pickOf(new String[]{"Content-Encoding", "Expect", "Range", "If-None-Match",
                    "Authorization", "Cookie", "Origin"}), pickOf(new String[]{"gzip", "100-continue", "bytes=0-1",
                    "*", "Bearer x", "a=b", "null"})));
        }
        return headers;
    }

    // --- garbage ---------------------------------------------------------------------------------------------

    private RawHttpRequest garbage() {
        List<Header> headers = headers();
        int pick = random.nextInt(6);
        if (pick == 0) {
            // invalid UTF-8 in the path, as raw bytes
            String path = "/job/" + new String(invalidUtf8(), StandardCharsets.ISO_8859_1) + "job";
            return request(pickOf(METHODS), path, headers, new byte[0]);
        }
        if (pick == 1) {
            // header values with bytes outside ASCII (latin-1 and invalid UTF-8), and odd names
            headers.add(new Header("X-Odd", new String(invalidUtf8(), StandardCharsets.ISO_8859_1)));
            headers.add(new Header("Idempotency-Key", "cl\u00e9-" + random.nextInt(5)));
            headers.add(new Header("Content-Type", "application/json; charset=utf-8"));
            return request("POST", "/job/fibonacci", headers, render(NODES.objectNode()));
        }
        if (pick == 2) {
            // a valid body in a charset it does not declare, or declared and foreign
            String json = "{\"Args\":[\"é\",\"日本\"],\"Payload\":\"ü\"}";
            String charset = pickOf(new String[]{"UTF-16", "UTF-16LE", "ISO-8859-1", "UTF-32"});
            headers.add(new Header("Content-Type", "application/json; charset=" + (chance(50) ? charset : "utf-8")));
            return request("POST", "/job/" + jobName(), headers, json.getBytes(Charset.forName(charset)));
        }
        headers.add(new Header("Content-Type", bytes(pickOf(CONTENT_TYPES))));
        return request(pickOf(METHODS), maybeOdd(pickOf(PATHS)), headers, randomBytes(random.nextInt(300)));
    }

    // --- JSON mutations ------------------------------------------------------------------------------------------

    /** One to three changes to a JSON tree: values of other types or sizes, unknown or re-cased names, removals. */
    private JsonNode mutate(ObjectNode original) {
        JsonNode root = original.deepCopy();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            List<JsonNode> containers = new ArrayList<>();
            collectContainers(root, containers);
            JsonNode container = containers.get(random.nextInt(containers.size()));
            if (container instanceof ObjectNode object) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                int action = random.nextInt(5);
                if (names.isEmpty() || action == 0) {
                    object.set(chance(50) ? pickOf(OVERRIDES) : fieldName(), randomValue(0));
                } else if (action == 1) {
                    object.remove(names.get(random.nextInt(names.size())));
                } else if (action == 2) {
                    String name = names.get(random.nextInt(names.size()));
                    JsonNode value = object.remove(name);
                    object.set(chance(50) ? name.toLowerCase() : name.toUpperCase(), value);
                } else {
                    object.set(names.get(random.nextInt(names.size())), randomValue(0));
                }
            } else if (container instanceof ArrayNode array) {
                if (array.isEmpty() || chance(50)) {
                    array.add(randomValue(0));
                } else {
                    array.set(random.nextInt(array.size()), randomValue(0));
                }
            }
        }
        if (chance(5)) {
            return chance(50) ? NODES.arrayNode().add(root) : randomValue(0);
        }
        return root;
    }

    private static void collectContainers(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collectContainers(it.next(), containers);
            }
        }
    }

    private String fieldName() {
        return pickOf(new String[]{"Argz", "args", "IMAGE", "Schedule", "TimeZone", "Visibility", "NumberParallelJob",
                "specversion", "data", "", " ", "💥", "\u0000", "$ref", "__proto__", "Resources.Limits"});
    }

    private JsonNode randomValue(int depth) {
        int pick = random.nextInt(depth > 2 ? 10 : 14);
        return switch (pick) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(2001) - 1000);
            case 3 -> NODES.numberNode(pickOf(new long[]{Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE + 1L,
                    -1L, 0L}));
            case 4 -> NODES.numberNode(new BigInteger("9".repeat(1 + random.nextInt(400))));
            case 5 -> NODES.numberNode(pickOf(new double[]{0.5, -0.0, 1e308, 4.9e-324, 3.14159}));
            case 6 -> NODES.textNode("<<number " + random.nextInt(NUMBERS.length) + ">>");
            case 7, 8 -> NODES.textNode(pickOf(STRINGS));
            case 9 -> NODES.textNode(randomString());
            case 10 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(depth + 1));
                }
                yield array;
            }
            case 11 -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(chance(50) ? pickOf(OVERRIDES) : pickOf(new String[]{"Limits", "Requests", "cpu",
                            "memory", "Name", "Value", "SecretRef", "Key"}), randomValue(depth + 1));
                }
                yield object;
            }
            case 12 -> deep(pickOf(new int[]{10, 200, 999, 1001, 2000, 20_000}));
            default -> NODES.textNode(pickOf(new String[]{"é", "💥"}).repeat(pickOf(new int[]{1000, 70_000})));
        };
    }

    /**
     * A stand-in for arrays or objects nested that deep, spliced in as text by {@link #render}: a tree that deep would
     * overflow the stack of whatever walks it here.
     */
    private JsonNode deep(int depth) {
        return NODES.textNode("<<deep " + depth + (chance(50) ? "[" : "{") + ">>");
    }

    private static String nested(int depth, boolean arrays) {
        return arrays ? "[".repeat(depth) + "1" + "]".repeat(depth) : "{\"Args\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    /** The tree as JSON text, sometimes broken at the byte level afterwards. */
    private byte[] render(JsonNode node) {
        String text;
        try {
            text = Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        text = NUMBER.matcher(text).replaceAll(number -> NUMBERS[Integer.parseInt(number.group(1))]);
        text = DEEP.matcher(text).replaceAll(deep -> nested(Integer.parseInt(deep.group(1)), deep.group(2).equals("[")));
        int pick = random.nextInt(100);
        if (pick < 6) {
            return bytesOf(text.substring(0, random.nextInt(text.length() + 1)));
        } else if (pick < 9) {
            int at = random.nextInt(text.length() + 1);
            byte[] left = bytesOf(text.substring(0, at));
            byte[] right = bytesOf(text.substring(at));
            byte[] junk = invalidUtf8();
            byte[] all = new byte[left.length + junk.length + right.length];
            System.arraycopy(left, 0, all, 0, left.length);
            System.arraycopy(junk, 0, all, left.length, junk.length);
            System.arraycopy(right, 0, all, left.length + junk.length, right.length);
            return all;
        } else if (pick < 12) {
            int at = random.nextInt(text.length() + 1);
            String junk = pickOf(new String[]{"\"", "{", "]", ",", ":", "\\", "\\u12", "NaN", "Infinity", "//c\n",
                    "/*", "'", "\u0000", "\ufeff"});
            return bytesOf(text.substring(0, at) + junk + text.substring(at));
        } else if (pick < 13) {
            return bytesOf("\ufeff" + text);
        } else if (pick < 14) {
            return bytesOf(text + text);
        } else if (pick < 15) {
            return bytesOf(pickOf(new String[]{"", "null", "[]", "\"str\"", "42", "1e999", "true", "{", "}", "{}{}",
                    "Args=42", "Args[]=1&Image=x", "%7B%7D", "[".repeat(100_000)}));
        }
        return bytesOf(text);
    }

    // --- small pieces ------------------------------------------------------------------------------------------

    private RawHttpRequest request(String method, String target, List<Header> headers, byte[] body) {
        Framing framing;
        int pick = random.nextInt(100);
        if (body.length == 0 && !method.equals("POST")) {
            framing = pick < 95 ? Framing.NONE : Framing.LENGTH;
        } else if (pick < 85) {
            framing = Framing.LENGTH;
        } else if (pick < 93) {
            framing = Framing.CHUNKED;
        } else if (pick < 96) {
            framing = Framing.SHORT_LENGTH;
        } else if (pick < 98) {
            framing = Framing.LONG_LENGTH;
        } else {
            framing = Framing.BOGUS_LENGTH;
        }
        String source = chance(25) ? TRUSTED : OUTSIDER;
        return new RawHttpRequest(source, method, bytes(target), headers, body, framing);
    }

    private String jobName() {
        return chance(75) ? pickOf(new String[]{"fibonacci", "fibonacci", "secret-job", "with-deps", "with-payload",
                "fuzz-" + random.nextInt(5)}) : pickOf(JOB_NAMES);
    }

    /** Sometimes a text percent-encoded in whole or in part, or with a stray escape. */
    private String maybeOdd(String text) {
        if (!chance(15) || text.isEmpty()) {
            return text;
        }
        int at = random.nextInt(text.length());
        return switch (random.nextInt(4)) {
            case 0 -> text.substring(0, at) + String.format("%%%02X", (int) text.charAt(at)) + text.substring(at + 1);
            case 1 -> text.substring(0, at) + "%" + text.substring(at);
            case 2 -> text.substring(0, at) + "%25" + text.substring(at);
            default -> text + pickOf(new String[]{"?", "?a=b&a=c", "%00", "/", "//", "?q=%E2%82", "#"});
        };
    }

    private String randomString() {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(40); i > 0; i--) {
            int pick = random.nextInt(10);
            text.appendCodePoint(pick < 6 ? 0x20 + random.nextInt(0x5f) : pick < 8 ? random.nextInt(0x20)
                    : pick < 9 ? 0xa0 + random.nextInt(0x2000) : 0x1f600 + random.nextInt(80));
        }
        return text.toString();
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private byte[] invalidUtf8() {
        return INVALID_UTF8[random.nextInt(INVALID_UTF8.length)];
    }

    private static byte[] bytesOf(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private <T> T pickOf(T[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private long pickOf(long[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private double pickOf(double[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private int pickOf(int[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
