package io.slimjobs.schedule;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.slimjobs.Json;
import io.slimjobs.kube.ConfigMapIndex;
import io.slimjobs.kube.ConfigMapWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run records of every schedule, in one ConfigMap (`data` key = schedule Id, value = {@link RunRecord} JSON), so
 * that a new leader, a restarted one or a second one knows what was fired. Each record is written by a merge patch of
 * its key, so concurrent fires of different schedules never conflict; records are removed with optimistic concurrency. What this replica wrote is kept until
 * its cache shows it, so that the next tick never reads an older record.
 */
public final class RunRecords implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunRecords.class);

    private final String name;
    private final ConfigMapWriter writer;
    private final ConfigMapIndex<RunRecord> index;
    private final Map<String, RunRecord> written = new ConcurrentHashMap<>();

    public RunRecords(KubernetesClient client, String namespace, String name, long resyncMillis) {
        this.name = name;
        this.writer = new ConfigMapWriter(client, namespace, name);
        this.index = new ConfigMapIndex<>(client, namespace, name, resyncMillis, this::parse);
    }

    private RunRecord parse(String scheduleId, String json) {
        try {
            return Json.MAPPER.readValue(json, RunRecord.class);
        } catch (JsonProcessingException e) {
            LOG.warn("The run record of schedule {} in ConfigMap {} cannot be read; the schedule counts as never "
                    + "seen: {}", scheduleId, name, Json.describe(e));
            return null;
        }
    }

    public void start() {
        index.start();
    }

    public boolean hasSynced() {
        return index.hasSynced();
    }

    public CompletableFuture<Void> synced() {
        return index.synced();
    }

    /** The newest record of a schedule: the cached one, or the one this replica wrote if the cache is behind. */
    public Optional<RunRecord> of(String scheduleId) {
        RunRecord cached = index.entries().get(scheduleId);
        RunRecord own = written.get(scheduleId);
        if (own == null) {
            return Optional.ofNullable(cached);
        }
        if (cached != null && !own.isNewerThan(cached)) {
            written.remove(scheduleId, own);
            return Optional.of(cached);
        }
        return Optional.of(own);
    }

    /** The schedules that have a record. */
    public Set<String> scheduleIds() {
        return index.entries().keySet();
    }

    /** Writes these records, each under its schedule's key, leaving the others as they are. */
    public void write(Map<String, RunRecord> records) {
        Map<String, String> entries = new LinkedHashMap<>();
        records.forEach((scheduleId, record) -> entries.put(scheduleId, Json.MAPPER.valueToTree(record).toString()));
        writer.put(entries);
        written.putAll(records);
    }

    /** Removes the records of schedules that no longer exist. */
    public void remove(Collection<String> scheduleIds) {
        writer.modify(data -> {
            data.keySet().removeAll(scheduleIds);
            return data;
        });
        written.keySet().removeAll(scheduleIds);
        LOG.info("Run records of schedules that no longer exist removed: {}", scheduleIds);
    }

    @Override
    public void close() {
        index.close();
    }
}
