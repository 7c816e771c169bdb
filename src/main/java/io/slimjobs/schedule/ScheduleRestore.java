package io.slimjobs.schedule;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills an empty schedule store (no ConfigMap, or one without data) from the backup file. Every write is
 * conditional, a create or an update at the resourceVersion just read, so that replicas starting together restore
 * once and none overwrites schedules that reached the store meanwhile.
 */
final class ScheduleRestore {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleRestore.class);

    enum Outcome { RESTORED, STORE_NOT_EMPTY, NO_BACKUP, EMPTY_BACKUP, MALFORMED_BACKUP }

    private final ScheduleConfigMap configMap;
    private final ScheduleBackupFile file;

    ScheduleRestore(ScheduleConfigMap configMap, ScheduleBackupFile file) {
        this.configMap = configMap;
        this.file = file;
    }

    /**
     * Restores the backup if the store is empty. The store is read from the API server, not the cache: the
     * decision to write must rest on what the server holds now.
     *
     * @throws IOException               the file cannot be read (worth another try)
     * @throws KubernetesClientException the API server did not answer or refused (worth another try)
     */
    Outcome run() throws IOException {
        if (!file.exists()) {
            LOG.info("No schedule backup at {}: nothing to restore", file.path());
            return Outcome.NO_BACKUP;
        }
        Map<String, String> schedules;
        try {
            schedules = file.read();
        } catch (ScheduleBackupFile.MalformedException e) {
            LOG.error("The schedule backup {} cannot be restored: {}. Nothing was restored; the file is kept as it "
                    + "is until the store holds schedules again", file.path(), e.getMessage());
            return Outcome.MALFORMED_BACKUP;
        }
        if (schedules.isEmpty()) {
            LOG.info("The schedule backup {} holds no schedules: nothing to restore", file.path());
            return Outcome.EMPTY_BACKUP;
        }
        AtomicInteger held = new AtomicInteger();
        boolean restored = configMap.modify(data -> {
            held.set(data.size());
            if (!data.isEmpty()) {
                return null;
            }
            data.putAll(schedules);
            return data;
        });
        if (!restored) {
            LOG.info("ConfigMap {} holds {} schedule(s): the backup {} is not restored", configMap.name(), held.get(),
                    file.path());
            return Outcome.STORE_NOT_EMPTY;
        }
        LOG.info("Restored {} schedule(s) from {} into ConfigMap {}", schedules.size(), file.path(), configMap.name());
        return Outcome.RESTORED;
    }
}
