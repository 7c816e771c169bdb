package io.slimjobs.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.slimjobs.Json;
import io.slimjobs.config.EnvVar;
import io.slimjobs.config.JobDefinition;
import io.slimjobs.config.JobOverrides;
import io.slimjobs.config.Resources;
import io.slimjobs.config.RestartPolicy;
import io.slimjobs.config.Visibility;
import io.slimjobs.error.InvalidRequestException;

/** The guard rails, and through them the merge of overrides into the definition ({@link OverrideMerger}). */
class GuardRailsTest {

    private static final String IMAGE = "axaguildev/fibonacci-batch:1.0";
    private static final List<String> WHITELIST =
            List.of("axaguildev/fibonacci-batch:*", "registry.example.com/team/*-batch:1.0");
    private static final Resources RESOURCES = new Resources(
            Map.of("cpu", "400m", "memory", "256Mi"), Map.of("cpu", "1", "memory", "512Mi"));
    private static final List<EnvVar> ENVIRONMENTS = List.of(env("A", "1"), env("B", "2"), env("C", "3"));
    private static final Map<String, ToIntFunction<ExecutionPlan>> INT_FIELDS = Map.of(
            "BackoffLimit", ExecutionPlan::backoffLimit,
            "TtlSecondsAfterFinished", ExecutionPlan::ttlSecondsAfterFinished);

    private static final JobDefinition FIBONACCI = definition(IMAGE, WHITELIST);

    // ---- image

    @Test
    void should_run_the_definition_image_when_the_request_names_none() {
        assertEquals(IMAGE, apply("{}").image());
    }

    @Test
    void should_allow_the_definition_own_image_even_with_an_empty_whitelist() {
        ExecutionPlan plan = GuardRails.apply("fibonacci", definition(IMAGE, List.of()), overrides("{'Image': '" + IMAGE + "'}"));

        assertEquals(IMAGE, plan.image());
    }

    @ParameterizedTest
    @ValueSource(strings = {"axaguildev/fibonacci-batch:2.0", "axaguildev/fibonacci-batch:",
            "registry.example.com/team/etl-batch:1.0", "registry.example.com/team/-batch:1.0"})
    void should_allow_an_image_matching_a_whitelist_pattern(String image) {
        assertEquals(image, apply("{'Image': '" + image + "'}").image());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "evil.io/axaguildev/fibonacci-batch:2.0",   // '*' does not let a prefix in
            "axaguildev/fibonacci-batch",               // the literal part must be there in full
            "registry.example.com/team/etl-batch:1.0.1", // '*' does not let a suffix in
            "registry.example.com/team/etl-batch:1x0",  // '.' is a literal dot
            "registryXexample.com/team/etl-batch:1.0",
            "busybox:latest"})
    void should_reject_an_image_outside_the_whitelist(String image) {
        InvalidRequestException e = rejected("{'Image': '" + image + "'}");

        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("Image: '" + image + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(WHITELIST.toString()), e.getMessage());
    }

    @Test
    void should_reject_another_image_when_the_whitelist_is_empty() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> GuardRails.apply("fibonacci",
                definition(IMAGE, List.of()), overrides("{'Image': 'axaguildev/fibonacci-batch:2.0'}")));

        assertTrue(e.getMessage().startsWith("Image: "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{'Image': ''}", "{'Image': '  '}"})
    void should_reject_a_job_that_ends_up_with_no_image(String json) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> GuardRails.apply("unknown", definition("", List.of()), overrides(json)));

        assertTrue(e.getMessage().startsWith("Image: job 'unknown' has no image"), e.getMessage());
    }

    // ---- resources

    @ParameterizedTest
    @CsvSource({
            "Requests, cpu,    200m",
            "Requests, cpu,    0.4",     // = 400m
            "Requests, memory, 256Mi",
            "Limits,   cpu,    1000m",   // = 1
            "Limits,   memory, 0.5Gi",   // = 512Mi
            "Limits,   memory, 500M",    // 500,000,000 < 536,870,912
    })
    void should_allow_a_resource_at_or_below_the_definition(String section, String resource, String quantity) {
        ExecutionPlan plan = apply(resources(section, resource, quantity));

        Map<String, String> merged = section.equals("Requests") ? plan.resources().requests() : plan.resources().limits();
        assertEquals(quantity, merged.get(resource));
    }

    @ParameterizedTest
    @CsvSource(quoteCharacter = '`', value = {
            "Requests, cpu,    401m,  Resources.Requests.cpu: 401m is above the job's 400m",
            "Requests, cpu,    0.5,   Resources.Requests.cpu: 0.5 is above the job's 400m",
            "Limits,   cpu,    1001m, Resources.Limits.cpu: 1001m is above the job's 1",
            "Limits,   memory, 513Mi, Resources.Limits.memory: 513Mi is above the job's 512Mi",
            "Limits,   memory, 1G,    Resources.Limits.memory: 1G is above the job's 512Mi",
    })
    void should_reject_a_resource_above_the_definition_naming_field_and_limit(String section, String resource,
                                                                             String quantity, String message) {
        assertEquals(message, rejected(resources(section, resource, quantity)).getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "Limits,   nvidia.com/gpu,    1",
            "Requests, ephemeral-storage, 1Gi",
    })
    void should_reject_a_resource_the_definition_does_not_set(String section, String resource, String quantity) {
        InvalidRequestException e = rejected(resources(section, resource, quantity));

        assertTrue(e.getMessage().startsWith("Resources." + section + "." + resource + ": the job definition sets no"),
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(quoteCharacter = '`', value = {
            "Requests, cpu,    -100m, Resources.Requests.cpu: \"-100m\" is negative",
            "Limits,   memory, -1,    Resources.Limits.memory: \"-1\" is negative",
            "Limits,   memory, lots,  Resources.Limits.memory: \"lots\" is not a Kubernetes quantity",
            "Requests, cpu,    1 cpu, Resources.Requests.cpu: \"1 cpu\" is not a Kubernetes quantity",
    })
    void should_reject_a_negative_or_unparsable_quantity(String section, String resource, String quantity,
                                                        String message) {
        assertEquals(message, rejected(resources(section, resource, quantity)).getMessage());
    }

    @Test
    void should_bring_an_inherited_request_down_to_a_lowered_limit() {
        ExecutionPlan plan = apply(resources("Limits", "cpu", "300m"));

        assertEquals(new Resources(Map.of("cpu", "300m", "memory", "256Mi"), Map.of("cpu", "300m", "memory", "512Mi")),
                plan.resources());
    }

    @Test
    void should_keep_an_inherited_request_already_within_a_lowered_limit() {
        ExecutionPlan plan = apply(resources("Limits", "memory", "0.25Gi"));

        assertEquals(new Resources(Map.of("cpu", "400m", "memory", "256Mi"), Map.of("cpu", "1", "memory", "0.25Gi")),
                plan.resources());
    }

    @Test
    void should_reject_an_explicit_request_above_a_lowered_limit() {
        InvalidRequestException e = rejected("{'Resources': {'Requests': {'cpu': '350m'}, 'Limits': {'cpu': '300m'}}}");

        assertEquals("Resources.Requests.cpu: 350m is above the limit 300m", e.getMessage());
    }

    @Test
    void should_merge_resources_per_key_keeping_the_definition_other_keys() {
        ExecutionPlan plan = apply("{'Resources': {'Requests': {'cpu': '200m'}, 'Limits': {'memory': '300Mi'}}}");

        assertEquals(new Resources(Map.of("cpu", "200m", "memory", "256Mi"), Map.of("cpu", "1", "memory", "300Mi")),
                plan.resources());
    }

    @Test
    void should_keep_the_definition_resources_when_the_request_sets_none() {
        assertEquals(RESOURCES, apply("{}").resources());
    }

    // ---- environments

    @Test
    void should_put_unnamed_definition_variables_first_then_the_request_variables_in_request_order() {
        ExecutionPlan plan = apply("""
                {'Environments': [{'Name': 'C', 'Value': '30'}, {'Name': 'D', 'Value': '4'}, {'Name': 'A', 'Value': '10'}]}
                """);

        assertEquals(List.of(env("B", "2"), env("C", "30"), env("D", "4"), env("A", "10")), plan.environments());
    }

    @Test
    void should_keep_the_definition_variables_when_the_request_sets_none() {
        assertEquals(ENVIRONMENTS, apply("{}").environments());
        assertEquals(ENVIRONMENTS, apply("{'Environments': []}").environments());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SecretRef", "ConfigMapRef"})
    void should_reject_a_variable_that_reads_a_secret_or_config_map(String reference) {
        InvalidRequestException e = rejected(
                "{'Environments': [{'Name': 'A', '" + reference + "': {'Name': 'db', 'Key': 'password'}}]}");

        assertEquals("Environments[0]: 'A' may not reference a Secret or ConfigMap; only the job definition can",
                e.getMessage());
    }

    @Test
    void should_allow_a_variable_that_reads_a_pod_field() {
        ExecutionPlan plan = apply("{'Environments': [{'Name': 'POD', 'FieldRef': {'FieldPath': 'metadata.name'}}]}");

        assertEquals(new EnvVar("POD", null, null, null, new EnvVar.FieldRef("metadata.name"), null),
                plan.environments().get(3));
    }

    @Test
    void should_reject_a_variable_without_a_name() {
        assertEquals("Environments[0].Name: is required", rejected("{'Environments': [{'Value': '1'}]}").getMessage());
    }

    // ---- retries, retention, restart policy

    @ParameterizedTest
    @CsvSource({"BackoffLimit, 0", "BackoffLimit, 3", "TtlSecondsAfterFinished, 0", "TtlSecondsAfterFinished, 600"})
    void should_honour_a_value_up_to_the_definition(String field, int value) {
        ExecutionPlan plan = apply("{'" + field + "': " + value + "}");

        assertEquals(value, INT_FIELDS.get(field).applyAsInt(plan));
    }

    @ParameterizedTest
    @CsvSource({"BackoffLimit, 3", "TtlSecondsAfterFinished, 600"})
    void should_reject_a_value_above_the_definition(String field, int limit) {
        InvalidRequestException e = rejected("{'" + field + "': " + (limit + 1) + "}");

        assertEquals(field + ": " + (limit + 1) + " is above the job's " + limit, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"BackoffLimit", "TtlSecondsAfterFinished"})
    void should_reject_a_negative_value(String field) {
        assertEquals(field + ": -1 is negative", rejected("{'" + field + "': -1}").getMessage());
    }

    @Test
    void should_keep_the_definition_values_when_the_request_sets_none() {
        ExecutionPlan plan = apply("{}");

        assertEquals(3, plan.backoffLimit());
        assertEquals(600, plan.ttlSecondsAfterFinished());
        assertEquals(RestartPolicy.Never, plan.restartPolicy());
    }

    @Test
    void should_honour_a_restart_policy_override() {
        assertEquals(RestartPolicy.OnFailure, apply("{'RestartPolicy': 'OnFailure'}").restartPolicy());
    }

    // ---- dependencies and arguments

    @Test
    void should_replace_the_dependencies_with_the_request_ones() {
        assertEquals(List.of("cache", "queue"), apply("{'DependsOn': ['cache', 'queue']}").dependsOn());
        assertEquals(List.of("db"), apply("{}").dependsOn());
    }

    @Test
    void should_clear_the_dependencies_with_an_empty_list() {
        assertEquals(List.of(), apply("{'DependsOn': []}").dependsOn());
    }

    @Test
    void should_reject_a_dependency_that_is_not_a_kubernetes_name() {
        assertEquals("DependsOn[1]: 'My_Cache' is not a Deployment or StatefulSet name",
                rejected("{'DependsOn': ['db', 'My_Cache']}").getMessage());
    }

    @Test
    void should_keep_the_arguments_in_order() {
        ExecutionPlan plan = apply("{'Args': ['42', '-v', '', '1']}");

        assertEquals("fibonacci", plan.jobName());
        assertEquals(List.of("42", "-v", "", "1"), plan.args());
        assertEquals(List.of(), apply("{}").args());
    }

    @Test
    void should_reject_a_null_argument() {
        assertEquals("Args[1]: must be a string", rejected("{'Args': ['42', null]}").getMessage());
    }

    // ---- all at once

    @Test
    void should_report_every_problem_in_one_message() {
        InvalidRequestException e = rejected("""
                {'Image': 'busybox', 'BackoffLimit': 9, 'DependsOn': ['-x'],
                 'Resources': {'Limits': {'cpu': '2'}}, 'Environments': [{'Name': 'S', 'SecretRef': {'Name': 's', 'Key': 'k'}}]}
                """);

        for (String field : List.of("Image: ", "BackoffLimit: ", "DependsOn[0]: ", "Resources.Limits.cpu: ",
                "Environments[0]: ")) {
            assertTrue(e.getMessage().contains(field), field + " missing from: " + e.getMessage());
        }
    }

    // ---- helpers

    private static JobDefinition definition(String image, List<String> whitelist) {
        return new JobDefinition(image, whitelist, RESOURCES, List.of("db"), ENVIRONMENTS, 3, Visibility.Public, 2, 600,
                RestartPolicy.Never, null, null, null);
    }

    private static EnvVar env(String name, String value) {
        return new EnvVar(name, value, null, null, null, null);
    }

    private static String resources(String section, String resource, String quantity) {
        return "{'Resources': {'" + section + "': {'" + resource + "': '" + quantity + "'}}}";
    }

    /** Overrides as a caller writes them; single quotes stand for double quotes. */
    private static JobOverrides overrides(String json) {
        try {
            return Json.MAPPER.readValue(json.replace('\'', '"'), JobOverrides.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("test JSON does not parse: " + json, e);
        }
    }

    private static ExecutionPlan apply(String json) {
        return GuardRails.apply("fibonacci", FIBONACCI, overrides(json));
    }

    private static InvalidRequestException rejected(String json) {
        return assertThrows(InvalidRequestException.class, () -> apply(json));
    }
}
