package io.slimjobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Role of deploy/kubernetes against the Kubernetes API calls SlimJobs made while the unit tests ran (recorded by
 * {@link ApiCallRecorder}; failsafe runs this after them): it must allow every call, and grant nothing no call
 * used.
 */
class RoleCoversApiCallsIT {

    private static final Comparator<ApiCall> ORDER = Comparator.comparing(ApiCall::toString);

    private static Set<ApiCall> calls;
    private static List<PolicyRule> rules;

    @BeforeAll
    static void readCallsAndRole() throws IOException {
        calls = new TreeSet<>(ORDER);
        if (Files.isDirectory(ApiCallRecorder.FOLDER)) {
            try (Stream<Path> files = Files.list(ApiCallRecorder.FOLDER)) {
                for (Path file : files.toList()) {
                    Files.readAllLines(file).forEach(line -> calls.add(ApiCall.of(line)));
                }
            }
        }
        assertFalse(calls.isEmpty(), "no Kubernetes API call of SlimJobs was recorded in "
                + ApiCallRecorder.FOLDER.toAbsolutePath() + ": this test checks what the unit tests recorded, "
                + "run it with them (mvn verify), not alone nor with the unit tests skipped");
        rules = ManifestsTest.one(Kustomization.renderResources(ManifestsTest.BASE), Role.class).getRules();
        System.out.println("Kubernetes API calls SlimJobs made during the tests (group, resource, verb):");
        calls.forEach(call -> System.out.println("  " + call + (allowed(call) ? "" : "   <- NOT ALLOWED by the Role")));
    }

    @Test
    void should_allow_every_call_slimjobs_makes() {
        List<ApiCall> refused = calls.stream().filter(call -> !allowed(call)).toList();
        assertEquals(List.of(), refused, "calls the Role does not allow");
    }

    @Test
    void should_grant_nothing_slimjobs_never_uses() {
        List<ApiCall> unused = new ArrayList<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        ApiCall granted = new ApiCall(group, resource, verb, true);
                        if (!calls.contains(granted)) {
                            unused.add(granted);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), unused, "grants of the Role no call used");
    }

    /** Whether a rule of the Role allows the call; a Role grants nothing outside its namespace. */
    private static boolean allowed(ApiCall call) {
        return call.namespaced() && rules.stream().anyMatch(rule -> matches(rule.getApiGroups(), call.group())
                && matches(rule.getResources(), call.resource()) && matches(rule.getVerbs(), call.verb()));
    }

    private static boolean matches(List<String> granted, String value) {
        return granted.contains(value) || granted.contains("*");
    }
}
