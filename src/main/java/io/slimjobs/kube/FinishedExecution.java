package io.slimjobs.kube;

/**
 * An execution whose Job reached Complete or Failed, with what is left to announce about it.
 *
 * @param objectName     the Job's object name
 * @param callbackUrl    where its end is to be posted; null for nowhere
 * @param callback       how the callback ended ({@code delivered} or {@code failed}); null while it has not
 * @param eventPublished whether its event went to the events topic
 */
public record FinishedExecution(String jobName, String id, String objectName, String callbackUrl, String callback,
                                boolean eventPublished) {
}
