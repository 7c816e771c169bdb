package io.slimjobs.kube;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Utils;

/**
 * The kubeconfig files fabric8 reads: those `KUBECONFIG` lists (':'-separated), else `~/.kube/config`. fabric8 skips
 * a missing, unreadable or empty one without a word and falls back to `https://kubernetes.default.svc`, where
 * SlimJobs would never get ready; so they are checked before fabric8 reads them.
 */
public final class KubeconfigFiles {

    private final List<Path> files;
    private final boolean named;

    /**
     * @param named whether the files were named (by `KUBECONFIG`), so that each must exist; the default
     *              `~/.kube/config` may be absent, and then no cluster is configured by it
     */
    KubeconfigFiles(Collection<String> files, boolean named) {
        this.files = files.stream().filter(name -> !name.isBlank()).map(Path::of).toList();
        this.named = named && !this.files.isEmpty();
    }

    /** The files fabric8's own discovery would read, with its rules for `KUBECONFIG` and the home directory. */
    public static KubeconfigFiles discovered() {
        String named = Utils.getSystemPropertyOrEnvVar(io.fabric8.kubernetes.client.Config.KUBERNETES_KUBECONFIG_FILE);
        return new KubeconfigFiles(io.fabric8.kubernetes.client.Config.getKubeconfigFilenames(), named != null);
    }

    /** Whether they configure a cluster: named, or the default file exists. */
    public boolean present() {
        return named || files.stream().anyMatch(Files::exists);
    }

    /**
     * @param mustSelectCluster whether the kubeconfig is what names the cluster, so that one of the files must set
     *                          `current-context` (else fabric8 keeps its default URL)
     * @throws IllegalStateException naming every file that is missing (when named), unreadable, empty or not a
     *                               kubeconfig, or saying that none of them sets a `current-context`
     */
    public void check(boolean mustSelectCluster) {
        if (!present()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        boolean currentContext = false;
        for (Path file : files) {
            if (!Files.exists(file) && !named) {
                continue;
            }
            try {
                Config config = parse(file);
                currentContext |= config.getCurrentContext() != null && !config.getCurrentContext().isBlank();
            } catch (IllegalArgumentException e) {
                problems.add(file + " " + e.getMessage());
            }
        }
        if (problems.isEmpty() && !currentContext && mustSelectCluster) {
            problems.add(files + ": none sets current-context, so no cluster is selected");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the kubeconfig (" + source() + ") cannot be used:\n- "
                    + String.join("\n- ", problems));
        }
    }

    private String source() {
        return named ? "named by KUBECONFIG" : "the default one";
    }

    private static Config parse(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("is not a file");
        }
        String contents;
        try {
            contents = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read: " + e);
        }
        if (contents.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        Config config;
        try {
            config = new KubernetesSerialization().unmarshal(contents, Config.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("is not a valid kubeconfig: " + firstLine(e.getMessage()));
        }
        if (config == null) {
            throw new IllegalArgumentException("holds no kubeconfig");
        }
        return config;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
