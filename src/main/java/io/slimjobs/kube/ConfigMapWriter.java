package io.slimjobs.kube;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.slimjobs.Json;
import io.slimjobs.error.ConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the `data` of one named ConfigMap that replicas share, creating it on the first write: either a change of
 * the whole data with optimistic concurrency (re-read and retried when another write came first), or a merge patch
 * that sets some keys and leaves the others as they are.
 */
public final class ConfigMapWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigMapWriter.class);
    private static final int MAX_ATTEMPTS = 10;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public ConfigMapWriter(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /**
     * Applies a change to the data as the API server holds it now, and writes the result only if nobody wrote in
     * between; otherwise reads again and applies the change again. The change may throw to refuse.
     */
    public void modify(UnaryOperator<Map<String, String>> change) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
            Map<String, String> data = change.apply(current == null || current.getData() == null
                    ? new LinkedHashMap<>() : new LinkedHashMap<>(current.getData()));
            try {
                if (current == null) {
                    create(data);
                } else {
                    // the resourceVersion read above makes this write fail with 409 if another came first
                    client.configMaps().inNamespace(namespace)
                            .resource(new ConfigMapBuilder(current).withData(data).build()).update();
                }
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                LOG.debug("ConfigMap {} changed while writing it (attempt {}); reading it again", name, attempt);
            }
        }
        throw new ConflictException("the ConfigMap " + name + " kept changing while this change was written; "
                + "try again");
    }

    /** Sets these keys, leaving the others as they are: writes of different keys never conflict. */
    public void put(Map<String, String> entries) {
        String patch = Json.MAPPER.createObjectNode()
                .set("data", Json.MAPPER.valueToTree(entries)).toString();
        try {
            mergePatch(patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            try {
                create(entries);
            } catch (KubernetesClientException created) {
                if (created.getCode() != 409) {
                    throw created;
                }
                // another replica created it meanwhile
                mergePatch(patch);
            }
        }
    }

    private void mergePatch(String patch) {
        client.configMaps().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    private void create(Map<String, String> data) {
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(name)
                    .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .endMetadata()
                .withData(data)
                .build()).create();
    }
}
