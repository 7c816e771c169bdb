package io.slimjobs.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsTestSupport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.junit.jupiter.api.Test;

/** The OpenAPI document at `/openapi.json`: valid, open to anyone, and describing exactly what the server serves. */
class OpenApiDocumentTest extends SlimJobsTestSupport {

    private static final String ERROR_SCHEMA = "#/components/schemas/ApiError";

    private Answer document() {
        return http.call(HttpCaller.OUTSIDER, "GET", "/openapi.json", Map.of(), null);
    }

    private OpenAPI parsed() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document().body(), null, options);
        assertEquals(java.util.List.of(), result.getMessages(), "the parser's errors and warnings");
        assertNotNull(result.getOpenAPI(), "a document");
        return result.getOpenAPI();
    }

    @Test
    void should_serve_the_document_as_json_to_an_untrusted_caller() {
        Answer answer = document();

        assertEquals(200, answer.status(), answer::toString);
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
        assertEquals("SlimJobs", answer.json().get("info").get("title").asText());
    }

    @Test
    void should_parse_without_errors_or_warnings() {
        OpenAPI openApi = parsed();

        assertTrue(openApi.getOpenapi().startsWith("3."), openApi.getOpenapi());
        assertFalse(openApi.getInfo().getDescription().isBlank(), "an API description");
    }

    @Test
    void should_describe_every_path_and_verb_the_server_serves_and_no_other() {
        Set<String> served = new TreeSet<>();
        context.getEndpoints().stream()
                .filter(PlatformHttpEndpoint.class::isInstance)
                .map(PlatformHttpEndpoint.class::cast)
                .forEach(endpoint -> Arrays.stream(endpoint.getHttpMethodRestrict().split(","))
                        .forEach(verb -> served.add(verb.trim().toUpperCase() + " " + endpoint.getPath())));
        Set<String> described = new TreeSet<>();
        parsed().getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((verb, operation) -> described.add(verb.name() + " " + path)));

        assertTrue(served.contains("GET /health") && served.contains("POST /job/{name}"), served::toString);
        assertEquals(served, described);
    }

    @Test
    void should_describe_each_operation_its_parameters_and_answers() {
        parsed().getPaths().forEach((path, item) -> item.readOperationsMap().forEach((verb, operation) -> {
            String name = verb + " " + path;
            assertNotNull(operation.getSummary(), () -> name + " has no description");
            assertFalse(operation.getResponses().isEmpty(), () -> name + " has no answers");
            assertTrue(operation.getResponses().keySet().stream().anyMatch(code -> code.matches("[23]\\d\\d")),
                    () -> name + " has no success answer");
            for (String segment : path.split("/")) {
                if (segment.startsWith("{")) {
                    String parameter = segment.substring(1, segment.length() - 1);
                    assertTrue(operation.getParameters().stream().anyMatch(p -> p.getName().equals(parameter)
                                    && "path".equals(p.getIn()) && p.getDescription() != null),
                            () -> name + " does not describe its path parameter " + parameter);
                }
            }
        }));
    }

    @Test
    void should_give_every_operation_an_error_answer_with_the_error_body() {
        parsed().getPaths().forEach((path, item) -> item.readOperationsMap().forEach((verb, operation) ->
                assertTrue(errorAnswers(operation) > 0, () -> verb + " " + path + " has no 4xx with the error body")));
    }

    private static long errorAnswers(Operation operation) {
        return operation.getResponses().entrySet().stream()
                .filter(answer -> answer.getKey().startsWith("4"))
                .map(Map.Entry::getValue)
                .map(ApiResponse::getContent)
                .filter(content -> content != null && content.get("application/json") != null)
                .map(content -> content.get("application/json"))
                .map(MediaType::getSchema)
                .filter(schema -> ERROR_SCHEMA.equals(schema.get$ref()))
                .count();
    }
}
