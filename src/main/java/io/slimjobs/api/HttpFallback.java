package io.slimjobs.api;

import java.lang.reflect.Field;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.slimjobs.Json;
import io.slimjobs.error.InvalidRequestException;
import io.slimjobs.error.MethodNotAllowedException;
import io.slimjobs.error.NotAcceptableException;
import io.slimjobs.error.NotFoundException;
import io.slimjobs.error.PayloadTooLargeException;
import io.slimjobs.error.SlimJobsException;
import io.slimjobs.error.UnsupportedMediaTypeException;
import io.slimjobs.trigger.OverridesReader;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

/**
 * Gives the answers no route produces the same JSON error body as every other: 400 for a request target that is
 * no path or holds a malformed percent-escape, 404 for an unknown path, 405 (with `Allow`) for a known path and another verb, 406 for a known
 * path and verb whose media type the request's `Accept` excludes, 413 for a body over the size limit, 415 for a
 * charset Java cannot decode; and reads form bodies as the JSON `curl -d` sends.
 */
public final class HttpFallback {

    private static final Pattern MALFORMED_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private final CamelContext camelContext;
    private final long maxBodySize;

    private HttpFallback(CamelContext camelContext, long maxBodySize) {
        this.camelContext = camelContext;
        this.maxBodySize = maxBodySize;
    }

    /** Installs the handlers on the main HTTP server's routers once the routes are up. */
    public static void install(CamelContext context, int port, long maxBodySize) {
        VertxPlatformHttpRouter router =
                VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        HttpFallback fallback = new HttpFallback(context, maxBodySize);
        Router root = rootRouter(router);
        root.route().order(-1).handler(HttpFallback::wellFormedUri);
        root.route().failureHandler(HttpFallback::notAPath);
        router.route().order(-1).handler(fallback::requestBodies);
        router.route().last().handler(fallback::unmatched);
        router.route().failureHandler(fallback::failed);
    }

    /**
     * The server's root router, which mounts the routes' router. A malformed escape in the path fails while the
     * root router matches its mount point, before any handler of the routes' router runs, and Vert.x then
     * answers a plain-text 400; only a handler on the root router comes first. Camel keeps that router private.
     */
    private static Router rootRouter(VertxPlatformHttpRouter router) {
        try {
            Field root = VertxPlatformHttpServer.class.getDeclaredField("router");
            root.setAccessible(true);
            return (Router) Objects.requireNonNull(root.get(router.getServer()), "the HTTP server has no router");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the root router of the HTTP server", e);
        }
    }

    /**
     * Refuses a request target that is no path (`*`, `job/x`, `%2Fjob`): the root router fails it before any handler
     * runs, and Vert.x would answer a plain-text 404 or 400.
     */
    private static void notAPath(RoutingContext context) {
        String path = context.request().path();
        if (path == null || !path.startsWith("/")) {
            answer(context, new InvalidRequestException("the request target '" + context.request().uri()
                    + "' is not a path: it must start with /"));
        } else {
            context.next();
        }
    }

    /**
     * Refuses a path or query holding a `%` not followed by two hex digits. Vert.x would throw on decoding it
     * wherever it first looks at the path or the parameters (routing, path parameters, the Camel consumer).
     */
    private static void wellFormedUri(RoutingContext context) {
        String uri = context.request().uri();
        Matcher escape = MALFORMED_ESCAPE.matcher(uri);
        if (escape.find()) {
            String found = uri.substring(escape.start(), Math.min(uri.length(), escape.start() + 3));
            answer(context, new InvalidRequestException("the request URI has a malformed percent-escape '" + found
                    + "': a % must be followed by two hexadecimal digits"));
        } else {
            context.next();
        }
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
        String charset = OverridesReader.charset(type);
        if (charset != null && !supported(charset)) {
            answer(context, new UnsupportedMediaTypeException("Content-Type '" + type + "' names the charset '"
                    + charset + "', which this server cannot decode; send the body as UTF-8"));
            return;
        }
        String mediaType = OverridesReader.mediaType(type);
        if (mediaType.equals(OverridesReader.FORM)) {
            context.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
        } else if (mediaType.equals("multipart/form-data")) {
            answer(context, OverridesReader.unsupported(type));
            return;
        }
        context.next();
    }

    private static boolean supported(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    private void unmatched(RoutingContext context) {
        String path = context.normalizedPath();
        // The endpoints, not PlatformHttpComponent.getHttpEndpoints(): that set keeps one model per path, so
        // `/job/{name}` would list POST but not GET.
        List<PlatformHttpEndpoint> onPath = camelContext.getEndpoints().stream()
                .filter(PlatformHttpEndpoint.class::isInstance)
                .map(PlatformHttpEndpoint.class::cast)
                .filter(endpoint -> template(endpoint.getPath()).matcher(path).matches())
                .toList();
        List<String> allowed = onPath.stream()
                .map(PlatformHttpEndpoint::getHttpMethodRestrict)
                .filter(verbs -> verbs != null)
                .flatMap(verbs -> Arrays.stream(verbs.split(",")))
                .distinct()
                .toList();
        String method = context.request().method().name();
        if (allowed.isEmpty()) {
            answer(context, new NotFoundException("no such path: " + path));
        } else if (allowed.contains(method)) {
            // the verb is served here, so what did not match is a route's `produces` against the request's Accept
            String produced = onPath.stream().map(PlatformHttpEndpoint::getProduces).filter(Objects::nonNull)
                    .distinct().collect(Collectors.joining(","));
            answer(context, new NotAcceptableException(method + " " + path + " answers " + produced
                    + ", which the request's Accept '" + context.request().getHeader(HttpHeaders.ACCEPT)
                    + "' does not allow"));
        } else {
            context.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
            answer(context, new MethodNotAllowedException(
                    method + " is not allowed on " + path + "; use " + String.join(", ", allowed)));
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
