package io.slimjobs.api;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.slimjobs.Json;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Gives the answers no route produces the same JSON error body as every other: 404 for an unknown path,
 * 405 (with `Allow`) for a known path and another verb, 413 for a body over the size limit.
 */
public final class HttpFallback {

    private final PlatformHttpComponent component;

    private HttpFallback(PlatformHttpComponent component) {
        this.component = component;
    }

    /** Installs the handlers on the main HTTP server's router once the routes are up. */
    public static void install(CamelContext context, int port) {
        Router router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        HttpFallback fallback = new HttpFallback(context.getComponent("platform-http", PlatformHttpComponent.class));
        router.route().last().handler(fallback::unmatched);
        router.route().failureHandler(fallback::failed);
    }

    private void unmatched(RoutingContext context) {
        String path = context.normalizedPath();
        List<String> allowed = component.getHttpEndpoints().stream()
                .filter(endpoint -> template(endpoint.getUri()).matcher(path).matches())
                .map(HttpEndpointModel::getVerbs)
                .filter(verbs -> verbs != null)
                .flatMap(verbs -> Arrays.stream(verbs.split(",")))
                .distinct()
                .toList();
        if (allowed.isEmpty()) {
            answer(context, 404, new ApiError("not_found", "no such path: " + path));
        } else {
            context.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
            answer(context, 405, new ApiError("method_not_allowed",
                    context.request().method() + " is not allowed on " + path + "; use " + String.join(", ", allowed)));
        }
    }

    private void failed(RoutingContext context) {
        if (context.statusCode() == 413) {
            answer(context, 413, new ApiError("payload_too_large", "the request body is larger than the server accepts"));
        } else {
            context.next();
        }
    }

    /** `/job/{name}` matches `/job/fibonacci`. */
    private static Pattern template(String uri) {
        return Pattern.compile(Arrays.stream(uri.split("\\{[^}/]+}", -1)).map(Pattern::quote)
                .collect(Collectors.joining("[^/]+")));
    }

    private static void answer(RoutingContext context, int status, ApiError error) {
        if (context.response().ended()) {
            return;
        }
        try {
            context.response().setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(Json.MAPPER.writeValueAsString(error));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            context.fail(e);
        }
    }
}
