package io.slimjobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.slimjobs.config.JobsConfigurationLoader;
import io.slimjobs.demo.EmbeddedCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The manifests under deploy/ as `kubectl apply -k` renders them, and what they promise. */
class ManifestsTest {

    static final Path DEPLOY = Path.of("deploy");
    static final Path BASE = DEPLOY.resolve("kubernetes");
    static final Path SINGLE_REPLICA = BASE.resolve("overlays/single-replica");
    static final Path CAMEL_K = DEPLOY.resolve("camel-k");

    static Stream<Path> yamlFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(DEPLOY)) {
            files = all.filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml")).sorted()
                    .toList();
        }
        assertFalse(files.isEmpty(), "no manifest found under " + DEPLOY.toAbsolutePath());
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("yamlFiles")
    void should_parse_every_manifest_as_what_its_kind_says(Path file) {
        List<Object> documents = Kustomization.loadAll(file);
        assertFalse(documents.isEmpty(), file + " holds no document");
        for (Object document : documents) {
            Map<String, Object> object = Kustomization.map(document);
            assertNotNull(object.get("apiVersion"), file + ": a document without apiVersion");
            assertNotNull(object.get("kind"), file + ": a document without kind");
            if (!"Kustomization".equals(object.get("kind"))) {
                HasMetadata read = Serialization.unmarshal(Serialization.asJson(object));
                assertNotNull(read.getMetadata().getName(), file + ": an object without a name");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/kubernetes", "deploy/kubernetes/overlays/single-replica"})
    void should_create_every_object_of_the_kustomization_on_an_api_server(String directory) {
        List<HasMetadata> objects = Kustomization.renderResources(Path.of(directory));
        try (EmbeddedCluster cluster = EmbeddedCluster.start("manifests", null)) {
            for (HasMetadata object : objects) {
                cluster.client().resource(object).create();
                HasMetadata created = cluster.client().resource(object).get();
                assertNotNull(created, () -> object.getKind() + " " + object.getMetadata().getName() + " not created");
                assertEquals("slimjobs", created.getMetadata().getLabels().get("app.kubernetes.io/name"));
                assertEquals("slimjobs", created.getMetadata().getLabels().get("app.kubernetes.io/part-of"));
            }
        }
    }

    @Test
    void should_render_the_base_as_the_service_account_role_binding_configuration_deployment_service_and_budget() {
        assertEquals(List.of("ServiceAccount slimjobs", "Role slimjobs", "RoleBinding slimjobs",
                        "ConfigMap slimjobs-config", "Deployment slimjobs", "Service slimjobs",
                        "PodDisruptionBudget slimjobs"),
                names(Kustomization.renderResources(BASE)));
    }

    @Test
    void should_run_two_hardened_replicas_that_a_drain_never_takes_both_of() {
        List<HasMetadata> base = Kustomization.renderResources(BASE);
        Deployment deployment = one(base, Deployment.class);
        assertEquals(2, deployment.getSpec().getReplicas());
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(podLabels.entrySet().containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet()),
                "the Deployment's selector matches its own pods");
        assertEquals("slimjobs", podLabels.get("app.kubernetes.io/part-of"), "pods carry the common labels too");

        PodDisruptionBudget budget = one(base, PodDisruptionBudget.class);
        assertEquals(1, budget.getSpec().getMinAvailable().getIntVal());
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), budget.getSpec().getSelector().getMatchLabels());
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), one(base, Service.class).getSpec().getSelector());

        var pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals(one(base, ServiceAccount.class).getMetadata().getName(), pod.getServiceAccountName());
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        Container container = pod.getContainers().get(0);
        assertEquals(false, container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(true, container.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertEquals("/health", container.getStartupProbe().getHttpGet().getPath());
        assertEquals("/health", container.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/ready", container.getReadinessProbe().getHttpGet().getPath());
        assertNotNull(container.getResources().getRequests().get("memory"));
        assertNotNull(container.getResources().getLimits().get("memory"));
    }

    @Test
    void should_bind_the_role_to_the_service_account() {
        List<HasMetadata> base = Kustomization.renderResources(BASE);
        RoleBinding binding = one(base, RoleBinding.class);
        assertEquals(one(base, Role.class).getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals(one(base, ServiceAccount.class).getMetadata().getName(), binding.getSubjects().get(0).getName());
    }

    @Test
    void should_keep_slimfaas_configmap_key_with_a_configuration_slimjobs_reads() {
        ConfigMap config = one(Kustomization.renderResources(BASE), ConfigMap.class);
        String json = config.getData().get("SlimFaas__JobsConfiguration");
        assertNotNull(json, "an existing SlimFaas Jobs ConfigMap must work unchanged");
        assertNotNull(JobsConfigurationLoader.parse(new JobsConfigurationLoader.Source("configmap", json))
                .definitionFor("fibonacci"));
        var volume = one(Kustomization.renderResources(BASE), Deployment.class).getSpec().getTemplate().getSpec()
                .getVolumes().stream().filter(v -> v.getConfigMap() != null
                        && config.getMetadata().getName().equals(v.getConfigMap().getName()))
                .findFirst().orElseThrow(() -> new AssertionError("the configuration is not mounted"));
        assertEquals("SlimFaas__JobsConfiguration", volume.getConfigMap().getItems().get(0).getKey());
    }

    @Test
    void should_run_one_replica_without_a_budget_that_would_block_node_drains_in_the_single_replica_overlay() {
        List<HasMetadata> base = Kustomization.renderResources(BASE);
        List<HasMetadata> single = Kustomization.renderResources(SINGLE_REPLICA);
        assertEquals(1, one(single, Deployment.class).getSpec().getReplicas());
        assertTrue(single.stream().noneMatch(PodDisruptionBudget.class::isInstance));
        Deployment withTwo = one(single, Deployment.class);
        withTwo.getSpec().setReplicas(2);
        assertEquals(one(base, Deployment.class), withTwo, "only the replica count differs");
        assertEquals(names(base).stream().filter(name -> !name.startsWith("PodDisruptionBudget")).toList(),
                names(single));
    }

    @Test
    void should_apply_camel_k_with_the_same_identity_and_configuration_and_no_server_objects() {
        List<HasMetadata> camelK = Kustomization.renderResources(CAMEL_K);
        assertEquals(List.of("ServiceAccount slimjobs", "Role slimjobs", "RoleBinding slimjobs",
                "ConfigMap slimjobs-config", "Integration slimjobs"), names(camelK));
        List<HasMetadata> base = Kustomization.renderResources(BASE);
        assertEquals(one(base, Role.class), one(camelK, Role.class));
        assertEquals(one(base, ConfigMap.class), one(camelK, ConfigMap.class));
    }

    static List<String> names(List<HasMetadata> objects) {
        return objects.stream().map(object -> object.getKind() + " " + object.getMetadata().getName()).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), () -> "one " + type.getSimpleName() + " expected in " + names(objects));
        return found.get(0);
    }
}
