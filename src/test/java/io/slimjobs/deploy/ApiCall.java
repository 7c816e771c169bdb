package io.slimjobs.deploy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Kubernetes API call as RBAC sees it: API group, resource (with its subresource, `deployments/scale`) and verb,
 * and whether it was made inside a namespace (what a Role can grant). Read from a recorded line, `METHOD /path`,
 * with `?watch=true` kept from the query since it makes a GET a watch.
 *
 * @param group the API group, "" for the core group; null for a path outside the resource API (`/version`)
 */
record ApiCall(String group, String resource, String verb, boolean namespaced) {

    /** The line recorded for a request: its method, its path without query, and `?watch=true` for a watch. */
    static String line(String method, String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
        boolean watch = query >= 0 && Arrays.asList(pathAndQuery.substring(query + 1).split("&")).contains("watch=true");
        return method.toUpperCase(Locale.ROOT) + " " + path + (watch ? "?watch=true" : "");
    }

    static ApiCall of(String line) {
        String method = line.substring(0, line.indexOf(' '));
        String path = line.substring(line.indexOf(' ') + 1);
        boolean watch = path.endsWith("?watch=true");
        List<String> segments = Arrays.stream(path.replace("?watch=true", "").split("/"))
                .filter(segment -> !segment.isEmpty()).toList();
        String group;
        List<String> rest;
        if (segments.size() > 2 && segments.get(0).equals("api")) {
            group = "";
            rest = segments.subList(2, segments.size());
        } else if (segments.size() > 3 && segments.get(0).equals("apis")) {
            group = segments.get(1);
            rest = segments.subList(3, segments.size());
        } else {
            return new ApiCall(null, path, method, false);
        }
        boolean namespaced = rest.size() > 2 && rest.get(0).equals("namespaces");
        if (namespaced) {
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0) + (rest.size() > 2 ? "/" + rest.get(2) : "");
        boolean named = rest.size() > 1;
        String verb = switch (method) {
            case "GET" -> named ? "get" : watch ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("an unknown method in " + line);
        };
        return new ApiCall(group, resource, verb, namespaced);
    }

    @Override
    public String toString() {
        return group == null ? verb + " " + resource
                : String.format("%-22s %-28s %-16s%s", group.isEmpty() ? "\"\"" : group, resource, verb,
                        namespaced ? "" : " (cluster-wide)");
    }
}
