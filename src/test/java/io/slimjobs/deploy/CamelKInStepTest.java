package io.slimjobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The Camel K Integration runs SlimJobs as the Deployment of deploy/kubernetes does, trait for trait. */
class CamelKInStepTest {

    private static final List<String> JVM_OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS");

    private final Deployment deployment = ManifestsTest.one(Kustomization.renderResources(ManifestsTest.BASE),
            Deployment.class);
    private final Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    private final Map<String, Object> integration = integration();

    private static Map<String, Object> integration() {
        return Kustomization.render(ManifestsTest.CAMEL_K).stream().filter(object -> "Integration".equals(object.get("kind")))
                .findFirst().orElseThrow(() -> new AssertionError("no Integration in " + ManifestsTest.CAMEL_K));
    }

    private Map<String, Object> trait(String name) {
        return Kustomization.map(Kustomization.map(Kustomization.map(integration.get("spec")).get("traits")).get(name));
    }

    private Map<String, String> integrationEnv() {
        return Kustomization.list(trait("environment").get("vars")).stream().map(String.class::cast)
                .collect(Collectors.toMap(v -> v.substring(0, v.indexOf('=')), v -> v.substring(v.indexOf('=') + 1)));
    }

    @Test
    void should_run_the_same_image_with_the_same_replicas_and_service_account() {
        Map<String, Object> spec = Kustomization.map(integration.get("spec"));
        assertEquals(container.getImage(), trait("container").get("image"));
        assertEquals(deployment.getSpec().getReplicas(), spec.get("replicas"));
        assertEquals(deployment.getSpec().getTemplate().getSpec().getServiceAccountName(), spec.get("serviceAccountName"));
        assertEquals(container.getPorts().get(0).getContainerPort(), trait("container").get("port"));
    }

    @Test
    void should_ask_for_the_same_resources_and_security() {
        Map<String, Object> trait = trait("container");
        assertEquals(container.getResources().getRequests().get("cpu").toString(), trait.get("requestCPU"));
        assertEquals(container.getResources().getRequests().get("memory").toString(), trait.get("requestMemory"));
        assertEquals(container.getResources().getLimits().get("cpu").toString(), trait.get("limitCPU"));
        assertEquals(container.getResources().getLimits().get("memory").toString(), trait.get("limitMemory"));
        var pod = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
        assertEquals(pod.getRunAsNonRoot(), trait.get("runAsNonRoot"));
        assertEquals(pod.getRunAsUser().intValue(), trait.get("runAsUser"));
        assertEquals(pod.getSeccompProfile().getType(), trait.get("seccompProfileType"));
        assertEquals(container.getSecurityContext().getAllowPrivilegeEscalation(), trait.get("allowPrivilegeEscalation"));
        assertEquals(container.getSecurityContext().getCapabilities().getDrop(), trait.get("capabilitiesDrop"));
    }

    @Test
    void should_probe_the_same_paths_as_often() {
        Map<String, Object> health = trait("health");
        assertProbe(container.getStartupProbe(), health, "startup");
        assertProbe(container.getLivenessProbe(), health, "liveness");
        assertProbe(container.getReadinessProbe(), health, "readiness");
    }

    private static void assertProbe(Probe probe, Map<String, Object> health, String name) {
        assertEquals(true, health.get(name + "ProbeEnabled"), name);
        assertEquals(probe.getHttpGet().getPath(), health.get(name + "Probe"), name);
        assertEquals(probe.getPeriodSeconds(), health.get(name + "Period"), name);
        assertEquals(probe.getTimeoutSeconds(), health.get(name + "Timeout"), name);
        assertEquals(probe.getFailureThreshold(), health.get(name + "FailureThreshold"), name);
    }

    @Test
    void should_never_start_the_embedded_demo_cluster_and_trust_the_same_callers() {
        Map<String, String> deploymentEnv = container.getEnv().stream().filter(env -> env.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        for (String name : List.of("SLIMJOBS_EMBEDDED_CLUSTER", "SLIMJOBS_TRUSTED_CIDRS")) {
            assertEquals(deploymentEnv.get(name), integrationEnv().get(name), name);
        }
        assertEquals("false", integrationEnv().get("SLIMJOBS_EMBEDDED_CLUSTER"));
    }

    @Test
    void should_leave_the_jvm_flags_to_the_image_in_both() throws Exception {
        for (String variable : JVM_OPTION_VARIABLES) {
            assertTrue(container.getEnv().stream().noneMatch(env -> env.getName().equals(variable)),
                    "the Deployment sets " + variable);
            assertTrue(!integrationEnv().containsKey(variable), "the Integration sets " + variable);
        }
        assertTrue(ImageProfileTest.jvmFlags().contains("-XX:MaxRAMPercentage=75"),
                "the image sizes the heap by the memory limit");
    }
}
