package io.slimjobs.kube;

import java.util.Locale;
import java.util.regex.Pattern;

import io.slimjobs.error.InvalidRequestException;

/** Every naming rule in one place: job names as callers write them, and the Kubernetes names derived from them. */
public final class Names {

    /**
     * SlimFaas' `[a-z0-9_-]{3,30}`, lower-cased, but starting and ending with a letter or digit: a name like
     * `-ab` could never become a Kubernetes object name or label value.
     */
    private static final Pattern JOB_NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]{1,28}[a-z0-9]$");
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static final int ID_CHARS_IN_OBJECT_NAME = 12;

    private Names() {
    }

    /** The job name a caller meant: lower-cased and checked, or a 400 that states the rule. */
    public static String jobName(String raw) {
        String name = raw == null ? "" : raw.toLowerCase(Locale.ROOT);
        if (!JOB_NAME.matcher(name).matches()) {
            throw new InvalidRequestException("job name '" + raw + "' must be 3 to 30 characters of a-z, 0-9, '-' "
                    + "and '_', starting and ending with a letter or digit");
        }
        return name;
    }

    public static boolean isDnsLabel(String name) {
        return name != null && DNS_LABEL.matcher(name).matches();
    }

    /** A job name as Kubernetes object names allow it (`_` becomes `-`); labels keep the job name itself. */
    public static String kubernetesName(String jobName) {
        return jobName.replace('_', '-');
    }

    /** The Job object name of one execution: at most 30 + 1 + 12 characters, unique through the id. */
    public static String jobObjectName(String jobName, String executionId) {
        String idPart = executionId.replace("-", "");
        return kubernetesName(jobName) + "-" + idPart.substring(0, Math.min(ID_CHARS_IN_OBJECT_NAME, idPart.length()));
    }
}
