package io.slimjobs.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import io.slimjobs.config.JobOverrides;
import io.slimjobs.config.Resources;
import io.slimjobs.config.RestartPolicy;
import io.slimjobs.error.InvalidRequestException;
import io.slimjobs.error.UnsupportedMediaTypeException;

class OverridesReaderTest {

    private static final String JSON = "application/json";

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "\n\t"})
    void should_read_an_empty_body_as_no_overrides(String body) {
        assertSame(JobOverrides.NONE, OverridesReader.read(body, JSON));
        assertSame(JobOverrides.NONE, OverridesReader.read(body, "text/plain"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "APPLICATION/JSON;charset=UTF-8",
            "application/cloudevents+json", "application/x-www-form-urlencoded"})
    void should_read_json_sent_with_a_json_form_or_missing_content_type(String contentType) {
        assertEquals(List.of("42"), OverridesReader.read("{\"Args\": [\"42\"]}", contentType).args());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/xml", "multipart/form-data; boundary=x"})
    void should_refuse_a_body_of_another_content_type(String contentType) {
        UnsupportedMediaTypeException e = assertThrows(UnsupportedMediaTypeException.class,
                () -> OverridesReader.read("{\"Args\": [\"42\"]}", contentType));

        assertEquals(415, e.status());
        assertTrue(e.getMessage().contains(contentType), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "[1, 2]      | an array",
            "\"42\"      | a string",
            "42          | a number",
            "null        | null"})
    void should_refuse_a_body_that_is_not_an_object(String body, String kind) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> OverridesReader.read(body, JSON));

        assertEquals("the body must be a JSON object of overrides, not " + kind, e.getMessage());
    }

    @Test
    void should_refuse_malformed_json_with_line_and_column() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> OverridesReader.read("{\n  \"Args\": [\"42\"\n  \"Image\": \"x\"\n}", JSON));

        assertTrue(e.getMessage().startsWith("malformed JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains("(line 3, column 3)"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"BackoffLimit\": \"x\"}                      | BackoffLimit: ",
            "{\"BackoffLimit\": 1.5}                        | BackoffLimit: ",
            "{\"TtlSecondsAfterFinished\": true}            | TtlSecondsAfterFinished: ",
            "{\"Args\": \"42\"}                             | Args: ",
            "{\"Args\": [[\"42\"]]}                         | Args[0]: ",
            "{\"Image\": [\"x\"]}                           | Image: ",
            "{\"RestartPolicy\": \"Always\"}                | RestartPolicy: ",
            "{\"Resources\": {\"Limits\": {\"cpu\": {}}}}   | Resources.Limits.cpu: ",
            "{\"Environments\": [{\"Name\": \"A\", \"SecretRef\": \"s\"}]} | Environments[0].SecretRef: "})
    void should_refuse_a_field_of_the_wrong_type_naming_it(String body, String field) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> OverridesReader.read(body, JSON));

        assertTrue(e.getMessage().startsWith("invalid overrides: " + field), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"Argz": ["1"]}                                         | Argz: unknown property; did you mean Args?
            {"args": ["1"], "RESOURCES": {"limit": {"cpu": "1"}}}  | Resources.limit: unknown property; did you mean Limits?
            {"Environments": [{"Name": "A", "Vaule": "1"}]}         | Environments[0].Vaule: unknown property; did you mean Value?
            """)
    void should_refuse_an_unknown_field_naming_it_and_the_nearest_known_one(String body, String message) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> OverridesReader.read(body, JSON));

        assertEquals("invalid overrides: " + message, e.getMessage().replaceAll(" \\(line .*", ""));
    }

    @Test
    void should_accept_property_names_in_any_case() {
        JobOverrides overrides = OverridesReader.read("""
                {"args": ["1"], "image": "x:1", "backofflimit": 0, "TTLSECONDSAFTERFINISHED": 5,
                 "restartPolicy": "OnFailure", "dependsOn": [], "resources": {"limits": {"cpu": "1"}}}
                """, JSON);

        assertEquals(new JobOverrides(List.of("1"), "x:1", new Resources(null, Map.of("cpu", "1")), null, List.of(), 0,
                5, RestartPolicy.OnFailure, null), overrides);
    }

    @Test
    void should_read_slimfaas_documentation_example_with_its_comments() {
        JobOverrides overrides = OverridesReader.read("""
                {
                  "Image": "axaguildev/fibonacci-batch:1.0.1",         # Must match ImagesWhitelist
                  "Args": ["42", "43"],
                  "DependsOn": ["fibonacci2"],                          # Overrides default
                  "Resources": {                                         # Cannot exceed configured limits
                    "Requests": { "cpu": "200m", "memory": "200Mi" },
                    "Limits":   { "cpu": "200m", "memory": "200Mi" }
                  },
                  "Environments": [],  # Override and merge with default Environments configured
                  "BackoffLimit": 1,
                  "TtlSecondsAfterFinished": 100,
                  "RestartPolicy": "Never"
                }
                """, "application/x-www-form-urlencoded");

        Map<String, String> twoHundred = Map.of("cpu", "200m", "memory", "200Mi");
        assertEquals(new JobOverrides(List.of("42", "43"), "axaguildev/fibonacci-batch:1.0.1",
                new Resources(twoHundred, twoHundred), List.of(), List.of("fibonacci2"), 1, 100, RestartPolicy.Never, null),
                overrides);
    }
}
