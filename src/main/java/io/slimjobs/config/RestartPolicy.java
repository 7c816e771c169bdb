package io.slimjobs.config;

/** The pod restart policies a Kubernetes Job accepts. */
public enum RestartPolicy {
    Never,
    OnFailure
}
