package io.slimjobs.api;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.slimjobs.Json;
import io.slimjobs.error.MethodNotAllowedException;
import io.slimjobs.error.NotFoundException;
import io.slimjobs.error.PayloadTooLargeException;
import io.slimjobs.error.SlimJobsException;
import io.slimjobs.trigger.OverridesReader;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Gives the answers no route produces the same JSON error body as every other: 404 for an unknown path,
 * 405 (with `Allow`) for a known path and another verb, 413 for a body over the size limit; and reads form
 * bodies as the JSON `curl -d` sends.
 */
public final class HttpFallback {

    private final CamelContext camelContext;
    private final long maxBodySize;

    private HttpFallback(CamelContext camelContext, long maxBodySize) {
        this.camelContext = camelContext;
        this.maxBodySize = maxBodySize;
    }

    /** Installs the handlers on the main HTTP server's router once the routes are up. */
    public static void install(CamelContext context, int port, long maxBodySize) {
        Router router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        HttpFallback fallback = new HttpFallback(context, maxBodySize);
        router.route().order(-1).handler(fallback::requestBodies);
        router.route().last().handler(fallback::unmatched);
        router.route().failureHandler(fallback::failed);
    }

    /**
     * Runs before any body is read. A declared length over the limit is refused at once, without reading the
     * body (the route's body handler still bounds chunked bodies). `curl -d '{...}'` sends JSON as
     * `application/x-www-form-urlencoded`, and SlimFaas' examples rely on it; left so, platform-http parses the
     * body into form fields, adds them to the message headers (a JSON string holding `&name=x` adds to the
     * `name` path parameter) and never sets the body. SlimJobs has no form API, so such a body is relabelled as
     * the JSON it is. A multipart form would never reach a route as a body either, so it gets the 415 any other
     * type gets.
     */
    private void requestBodies(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBodySize) {
            answer(context, tooLarge());
            return;
        }
        String type = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String mediaType = OverridesReader.mediaType(type);
        if (mediaType.equals(OverridesReader.FORM)) {
            context.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
        } else if (mediaType.equals("multipart/form-data")) {
            answer(context, OverridesReader.unsupported(type));
            return;
        }
        context.next();
    }

    private void unmatched(RoutingContext context) {
        String path = context.normalizedPath();
        // The endpoints, not PlatformHttpComponent.getHttpEndpoints(): that set keeps one model per path, so
        // `/job/{name}` would list POST but not GET.
        List<String> allowed = camelContext.getEndpoints().stream()
                .filter(PlatformHttpEndpoint.class::isInstance)
                .map(PlatformHttpEndpoint.class::cast)
                .filter(endpoint -> template(endpoint.getPath()).matcher(path).matches())
                .map(PlatformHttpEndpoint::getHttpMethodRestrict)
                .filter(verbs -> verbs != null)
                .flatMap(verbs -> Arrays.stream(verbs.split(",")))
                .distinct()
                .toList();
        if (allowed.isEmpty()) {
            answer(context, new NotFoundException("no such path: " + path));
        } else {
            context.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
            answer(context, new MethodNotAllowedException(
                    context.request().method() + " is not allowed on " + path + "; use " + String.join(", ", allowed)));
        }
    }

    private void failed(RoutingContext context) {
        if (context.statusCode() == 413) {
            answer(context, tooLarge());
        } else {
            context.next();
        }
    }

    private PayloadTooLargeException tooLarge() {
        return new PayloadTooLargeException("the request body is larger than the " + maxBodySize
                + " bytes this server accepts");
    }

    /** `/job/{name}` matches `/job/fibonacci`. */
    private static Pattern template(String uri) {
        return Pattern.compile(Arrays.stream(uri.split("\\{[^}/]+}", -1)).map(Pattern::quote)
                .collect(Collectors.joining("[^/]+")));
    }

    private static void answer(RoutingContext context, SlimJobsException error) {
        if (context.response().ended()) {
            return;
        }
        try {
            context.response().setStatusCode(error.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(Json.MAPPER.writeValueAsString(new ApiError(error.error(), error.getMessage())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            context.fail(e);
        }
    }
}
