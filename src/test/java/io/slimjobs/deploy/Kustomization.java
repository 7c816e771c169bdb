package io.slimjobs.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Renders a kustomization as `kubectl apply -k` would, for the few kustomize features the manifests use (kubectl
 * cannot be installed where the tests run). Anything else is refused rather than skipped, so that a manifest
 * using more of kustomize fails here instead of being rendered wrongly: `resources` (YAML files, and directories
 * holding a kustomization), `labels` without selectors (with `includeTemplates`), and `patches` that are
 * strategic-merge patches of maps naming their target by kind and name, `$patch: delete` included.
 */
final class Kustomization {

    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "labels", "resources", "patches");
    private static final Set<String> LABEL_FIELDS = Set.of("pairs", "includeTemplates");

    private Kustomization() {
    }

    /** The objects {@code directory}'s kustomization renders, in the order they were declared. */
    static List<Map<String, Object>> render(Path directory) {
        Map<String, Object> kustomization = map(loadAll(directory.resolve("kustomization.yaml")).get(0));
        for (String field : kustomization.keySet()) {
            require(FIELDS.contains(field), "kustomize field `" + field + "` of " + directory);
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object resource : list(kustomization.get("resources"))) {
            Path path = directory.resolve((String) resource).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                loadAll(path).forEach(object -> objects.add(map(object)));
            }
        }
        for (Object patch : list(kustomization.get("patches"))) {
            applyPatch(objects, map(patch), directory);
        }
        for (Object label : list(kustomization.get("labels"))) {
            applyLabels(objects, map(label));
        }
        return objects;
    }

    /** The rendered objects as the fabric8 model reads them. */
    static List<HasMetadata> renderResources(Path directory) {
        return render(directory).stream()
                .map(object -> (HasMetadata) Serialization.unmarshal(Serialization.asJson(object)))
                .toList();
    }

    /** The documents of a YAML file, empty ones left out. */
    static List<Object> loadAll(Path file) {
        try {
            List<Object> documents = new ArrayList<>();
            new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))
                    .forEach(document -> {
                        if (document != null) {
                            documents.add(document);
                        }
                    });
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void applyPatch(List<Map<String, Object>> objects, Map<String, Object> entry, Path directory) {
        require(entry.keySet().equals(Set.of("patch")) || entry.keySet().equals(Set.of("path")),
                "a patch other than a strategic-merge `patch` or `path` without `target` in " + directory);
        String text = entry.containsKey("patch") ? (String) entry.get("patch")
                : read(directory.resolve((String) entry.get("path")));
        Map<String, Object> patch = map(new Load(LoadSettings.builder().build()).loadFromString(text));
        Object kind = patch.get("kind");
        Object name = map(patch.get("metadata")).get("name");
        List<Map<String, Object>> targets = objects.stream()
                .filter(object -> kind.equals(object.get("kind")) && name.equals(map(object.get("metadata")).get("name")))
                .toList();
        if (targets.size() != 1) {
            throw new IllegalArgumentException("patch of " + kind + " " + name + " matches " + targets.size()
                    + " objects in " + directory);
        }
        if ("delete".equals(patch.get("$patch"))) {
            objects.remove(targets.get(0));
        } else {
            merge(targets.get(0), patch);
        }
    }

    /** A strategic merge of maps; lists would need their merge keys, which this renderer does not know. */
    private static void merge(Map<String, Object> target, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            if (value instanceof Map<?, ?> && target.get(key) instanceof Map<?, ?>) {
                merge(map(target.get(key)), map(value));
            } else {
                require(!(value instanceof List<?>), "a patch of the list `" + key + "`");
                target.put(key, value);
            }
        });
    }

    private static void applyLabels(List<Map<String, Object>> objects, Map<String, Object> label) {
        for (String field : label.keySet()) {
            require(LABEL_FIELDS.contains(field), "`labels` field `" + field + "`");
        }
        Map<String, Object> pairs = map(label.get("pairs"));
        boolean templates = Boolean.TRUE.equals(label.get("includeTemplates"));
        for (Map<String, Object> object : objects) {
            Map<String, Object> metadata = map(object.get("metadata"));
            map(metadata.computeIfAbsent("labels", key -> new LinkedHashMap<>())).putAll(pairs);
            // as kustomize: into a template's labels only where the template has labels already
            if (templates && object.get("spec") instanceof Map<?, ?> spec && spec.get("template") instanceof Map<?, ?> template
                    && template.get("metadata") instanceof Map<?, ?> templateMetadata
                    && templateMetadata.get("labels") instanceof Map<?, ?> labels) {
                map(labels).putAll(pairs);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void require(boolean supported, String what) {
        if (!supported) {
            throw new IllegalArgumentException(what + " is a kustomize feature the manifest tests do not render");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) Objects.requireNonNull(value, "a missing map");
    }

    static List<Object> list(Object value) {
        return value == null ? List.of() : new ArrayList<>((List<?>) value);
    }
}
