package io.slimjobs.kube;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KubeconfigFilesTest {

    private static final String VALID = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: dev
              cluster:
                server: https://127.0.0.1:6443
            users:
            - name: dev
              user:
                token: abc
            contexts:
            - name: dev
              context:
                cluster: dev
                user: dev
            current-context: dev
            """;

    @TempDir
    Path dir;

    @Test
    void should_refuse_a_named_kubeconfig_that_does_not_exist_and_name_it() {
        Path missing = dir.resolve("nonexistent");
        KubeconfigFiles named = new KubeconfigFiles(List.of(missing.toString()), true);

        assertTrue(named.present(), "a named kubeconfig configures a cluster, so it must be usable");
        assertRefused(named, missing + " does not exist");
    }

    @Test
    void should_name_each_missing_file_of_several() throws IOException {
        Path valid = write("config", VALID);
        Path missing = dir.resolve("extra");

        assertRefused(new KubeconfigFiles(List.of(valid.toString(), missing.toString(), ""), true),
                missing + " does not exist");
    }

    @ParameterizedTest
    @ValueSource(strings = {"clusters: [", "just some text", "clusters: 42", "- a\n- b"})
    void should_refuse_a_malformed_kubeconfig_and_name_it(String contents) throws IOException {
        Path file = write("config", contents);

        assertRefused(new KubeconfigFiles(List.of(file.toString()), true), file + " is not a valid kubeconfig");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n"})
    void should_refuse_an_empty_kubeconfig(String contents) throws IOException {
        Path file = write("config", contents);

        assertRefused(new KubeconfigFiles(List.of(file.toString()), true), file + " is empty");
    }

    @Test
    void should_refuse_a_kubeconfig_that_cannot_be_read_as_a_file() {
        assertRefused(new KubeconfigFiles(List.of(dir.toString()), true), dir + " is not a file");
    }

    @Test
    void should_refuse_kubeconfigs_of_which_none_selects_a_cluster() throws IOException {
        Path file = write("config", VALID.replace("current-context: dev", ""));

        assertRefused(new KubeconfigFiles(List.of(file.toString()), true), "none sets current-context");
    }

    @Test
    void should_not_require_a_current_context_when_the_cluster_is_named_elsewhere() throws IOException {
        Path file = write("config", VALID.replace("current-context: dev", ""));

        assertDoesNotThrow(() -> new KubeconfigFiles(List.of(file.toString()), true).check(false));
    }

    @Test
    void should_accept_valid_kubeconfigs_when_one_selects_a_cluster() throws IOException {
        Path first = write("config", VALID);
        Path second = write("extra", VALID.replace("current-context: dev", ""));

        assertDoesNotThrow(() -> new KubeconfigFiles(List.of(first.toString(), second.toString()), true).check(true));
    }

    @Test
    void should_not_count_an_absent_default_kubeconfig_as_a_cluster() {
        KubeconfigFiles absentDefault = new KubeconfigFiles(List.of(dir.resolve(".kube/config").toString()), false);

        assertFalse(absentDefault.present());
        assertDoesNotThrow(() -> absentDefault.check(true));
    }

    @Test
    void should_check_the_default_kubeconfig_when_it_exists() throws IOException {
        Path file = write("config", "clusters: [");
        KubeconfigFiles presentDefault = new KubeconfigFiles(List.of(file.toString()), false);

        assertTrue(presentDefault.present());
        assertRefused(presentDefault, file + " is not a valid kubeconfig");
    }

    @Test
    void should_count_an_empty_kubeconfig_variable_as_none() {
        KubeconfigFiles empty = new KubeconfigFiles(List.of(""), true);

        assertFalse(empty.present());
        assertDoesNotThrow(() -> empty.check(true));
    }

    private Path write(String name, String contents) throws IOException {
        return Files.writeString(dir.resolve(name), contents);
    }

    private static void assertRefused(KubeconfigFiles files, String reason) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> files.check(true));
        assertTrue(e.getMessage().contains(reason), e::getMessage);
    }
}
