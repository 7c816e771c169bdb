package io.slimjobs.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.slimjobs.Json;
import io.slimjobs.SlimJobsTestSupport;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.config.JobsConfigurationLoader;
import org.junit.jupiter.api.Test;

/**
 * Every `curl` example of the README runs, exactly as printed, with the real `curl` against a running SlimJobs
 * with the embedded demo's jobs, and answers the status its `# 202 ...` comment shows; the README's JSON
 * configuration loads. Only `localhost:5000` becomes this test's port.
 */
class ReadmeExamplesTest extends SlimJobsTestSupport {

    private static final Path README = Path.of("README.md");
    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL);
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL);
    private static final Pattern STATUS_COMMENT = Pattern.compile("# (\\d{3})\\b.*");
    /** `ID=$(curl ...)`: a shell variable set from an answer, for later examples to use. */
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z_]+)=\\$\\(curl .*\\)");

    /** A command of a README example, and the status it shows (null for an assignment). */
    private record Example(String command, Integer status) {
    }

    @Override
    protected String jobsConfiguration() {
        try (var demo = getClass().getResourceAsStream("/demo/jobs.json")) {
            return new String(demo.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host the README's callback example names, allowed as its text says. */
    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.callbacks.allowed-hosts", "*.example.com");
    }

    @Test
    void should_answer_every_curl_example_of_the_readme_with_the_status_it_shows() throws Exception {
        List<Example> examples = examples(Files.readString(README));
        assertTrue(examples.size() >= 5, () -> "too few curl examples found in the README: " + examples);
        awaitUntil("ready", () -> get("/ready").status() == 200);

        Map<String, String> variables = new HashMap<>();
        for (Example example : examples) {
            String command = example.command().replace("localhost:5000", "localhost:" + port);
            Matcher assignment = ASSIGNMENT.matcher(command);
            if (assignment.matches()) {
                String value = bash(command + "; printf %s \"$" + assignment.group(1) + "\"", variables);
                assertFalse(value.isBlank(), () -> example.command() + " set nothing");
                variables.put(assignment.group(1), value);
                continue;
            }
            Path body = Files.createTempFile("readme-", ".out");
            try {
                String status = bash(command + " -sS -o " + body + " -w '%{http_code}'", variables);
                String answer = Files.readString(body);
                assertEquals(String.valueOf(example.status()), status, () -> example.command() + "\nanswered " + answer);
                if (status.equals("202") && command.contains("POST")) {
                    variables.put("ID", Json.MAPPER.readTree(answer).get("Id").asText());
                }
            } finally {
                Files.deleteIfExists(body);
            }
        }
    }

    @Test
    void should_load_the_readme_configuration_example() throws IOException {
        String json = JSON_BLOCK.matcher(Files.readString(README)).results().map(block -> block.group(1))
                .filter(block -> block.contains("\"Configurations\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON configuration example in the README"));

        JobsConfiguration configuration = JobsConfigurationLoader.parse(new JobsConfigurationLoader.Source("README", json));

        assertNotNull(configuration.definitions().get("fibonacci"));
        assertEquals(1, configuration.schedules().get("fibonacci").size());
    }

    /** The curl commands of the bash blocks, continuation lines joined, each with the status shown under it. */
    private static List<Example> examples(String readme) {
        List<Example> examples = new ArrayList<>();
        for (Matcher block = BASH_BLOCK.matcher(readme); block.find(); ) {
            List<String> lines = List.of(block.group(1).replaceAll("\\\\\n\\s*", "").split("\n"));
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (ASSIGNMENT.matcher(line).matches()) {
                    examples.add(new Example(line, null));
                } else if (line.startsWith("curl ")) {
                    Matcher status = i + 1 < lines.size() ? STATUS_COMMENT.matcher(lines.get(i + 1).trim()) : null;
                    String shown = line;
                    assertTrue(status != null && status.matches(),
                            () -> "the README must show the status of: " + shown);
                    examples.add(new Example(line, Integer.valueOf(status.group(1))));
                }
            }
        }
        return examples;
    }

    /** Runs a command through bash with the variables set; its standard output. */
    private static String bash(String command, Map<String, String> variables) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectErrorStream(false);
        builder.environment().putAll(variables);
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish: " + command);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> command + " failed: " + err);
        return out;
    }
}
