package io.slimjobs.schedule;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a copy of the dynamic schedules in a file on this replica's volume, and puts it back into an empty store at
 * start. {@link #check()}, run by the route `schedule-backup`, rewrites the file when the store's schedules differ
 * from it, with one exception: a store found empty never overwrites a backup, since it is what a lost ConfigMap looks
 * like. Only a ConfigMap that this replica saw holding schedules, and that has since lost them all, empties it.
 */
public final class ScheduleBackup extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleBackup.class);

    private final ScheduleConfigMap configMap;
    private final ScheduleBackupFile file;
    private final ScheduleRestore restore;
    private final Duration interval;
    /** The uid of the ConfigMap last seen holding schedules: emptying that very object is deleting schedules. */
    private volatile String uidWithSchedules;
    private boolean restorePending = true;
    /** The problems of the last check, so that each is logged when it appears, not at every check. */
    private Set<String> reported = Set.of();

    /** @param configMap the cache of the schedules ConfigMap, started and closed by its owner */
    public ScheduleBackup(ScheduleConfigMap configMap, ScheduleBackupSettings settings) {
        this.configMap = configMap;
        this.file = new ScheduleBackupFile(settings.directory());
        this.restore = new ScheduleRestore(configMap, file);
        this.interval = settings.interval();
        configMap.onChange(() -> configMap.current().filter(state -> !state.data().isEmpty())
                .ifPresent(state -> uidWithSchedules = state.uid()));
    }

    public Duration interval() {
        return interval;
    }

    /** Restores the backup before the routes start, so that none reads an unrestored store. */
    @Override
    protected void doStart() {
        check();
    }

    /** Restores the backup if that is still to be decided, then writes the store's schedules if they changed. */
    public synchronized void check() {
        List<String> problems = new ArrayList<>();
        if (restorePending) {
            restoreBackup().ifPresent(problems::add);
        }
        // a pending restore does not hold the backup back: an empty store keeps the file, a filled one is the truth
        if (configMap.hasSynced()) {
            backUp(problems);
        }
        report(problems);
    }

    /** A problem worth another try at the next check, if any. */
    private Optional<String> restoreBackup() {
        try {
            restore.run();
            restorePending = false;
            return Optional.empty();
        } catch (IOException | KubernetesClientException e) {
            return Optional.of("The schedule backup " + file.path() + " cannot be restored yet (trying again every "
                    + interval.toSeconds() + " s): " + e);
        }
    }

    private void backUp(List<String> problems) {
        Optional<ScheduleConfigMap.State> state = configMap.current();
        Map<String, String> schedules = state.map(ScheduleConfigMap.State::data).orElse(Map.of());
        boolean deletedHere = state.map(ScheduleConfigMap.State::uid).filter(uid -> uid.equals(uidWithSchedules))
                .isPresent();
        if (schedules.isEmpty() && !deletedHere && file.exists()) {
            LOG.debug("ConfigMap {} holds no schedules: the backup {} is kept", configMap.name(), file.path());
            return;
        }
        ScheduleBackupFile.Rendered rendered = ScheduleBackupFile.render(schedules);
        rendered.leftOut().forEach(why -> problems.add("ConfigMap " + configMap.name() + ": " + why
                + "; it is left out of the backup " + file.path()));
        try {
            if (file.writeIfChanged(rendered.text())) {
                LOG.info("Backed up {} schedule(s) to {} (SHA-256 {})", rendered.count(), file.path(),
                        ScheduleBackupFile.sha256(rendered.text()));
            }
        } catch (IOException e) {
            problems.add("The schedule backup " + file.path() + " cannot be written: " + e);
        }
    }

    private void report(List<String> problems) {
        problems.stream().filter(problem -> !reported.contains(problem)).forEach(LOG::warn);
        if (problems.isEmpty() && !reported.isEmpty()) {
            LOG.info("The schedule backup {} is up to date again", file.path());
        }
        reported = Set.copyOf(problems);
    }
}
