package io.slimjobs.api;

import java.util.List;
import java.util.Map;

import io.slimjobs.Version;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.servers.Server;
import org.apache.camel.CamelContext;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.DefaultRestDefinitionsResolver;
import org.apache.camel.openapi.OpenApiHelper;
import org.apache.camel.openapi.RestOpenApiReader;
import org.apache.camel.openapi.RestOpenApiSupport;

/**
 * The OpenAPI 3 description of the HTTP API, read by camel-openapi-java from the REST DSL declarations, so that it
 * lists what is served. Camel's own `apiContextPath` route is not used: it answers every path under its own, names
 * the server `http://0.0.0.0`, and leaves itself out of the document. The route's bean is a singleton, so the
 * document is read once.
 */
public final class OpenApiDocument {

    private static final String DESCRIPTION = "Runs Kubernetes Jobs on demand from HTTP calls, Kafka records,"
            + " CloudEvents and cron schedules; SlimFaas Jobs compatible. Errors are JSON {\"error\",\"message\"}"
            + " and a refused request creates nothing. Timestamps are epoch milliseconds.";
    private static final String ERROR_SCHEMA = "#/components/schemas/" + ApiError.class.getSimpleName();

    /** The document, once written: the REST declarations do not change after startup. */
    private volatile String rendered;

    public String render(CamelContext context) throws Exception {
        String document = rendered;
        if (document == null) {
            document = read(context);
            rendered = document;
        }
        return document;
    }

    private static String read(CamelContext context) throws Exception {
        BeanConfig config = new BeanConfig();
        new RestOpenApiSupport().initOpenApi(config, Map.of(
                "api.title", "SlimJobs",
                "api.version", Version.CURRENT,
                "api.description", DESCRIPTION,
                // what the document states; the routes themselves accept any type, the API reads bodies itself
                "api.default.consumes", "application/json",
                "api.default.produces", "application/json"));
        OpenAPI openApi = new RestOpenApiReader().read(context,
                new DefaultRestDefinitionsResolver().getRestDefinitions(context, null), config, context.getName(),
                context.getClassResolver());
        OpenApiHelper.clearVendorExtensions(openApi);
        // relative: the API is where the document was fetched from, whatever host or proxy that was
        openApi.setServers(List.of(new Server().url("/")));
        openApi.getPaths().values().forEach(path -> path.readOperations().forEach(OpenApiDocument::malformedUri));
        return RestOpenApiSupport.getJsonFromOpenAPIAsString(openApi, config);
    }

    /** HttpFallback refuses a malformed percent-escape on every path, before any route. */
    private static void malformedUri(Operation operation) {
        if (!operation.getResponses().containsKey("400")) {
            operation.getResponses().addApiResponse("400", new ApiResponse()
                    .description("invalid_request: a malformed percent-escape in the path or query")
                    .content(new Content().addMediaType("application/json",
                            new MediaType().schema(new Schema<>().$ref(ERROR_SCHEMA)))));
        }
    }
}
