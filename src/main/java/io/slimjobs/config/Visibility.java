package io.slimjobs.config;

/** Who may call a job: anyone, or only trusted in-cluster callers. */
public enum Visibility {
    Public,
    Private
}
