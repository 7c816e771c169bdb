package io.slimjobs.schedule;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.slimjobs.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run records of every schedule, in one ConfigMap (`data` key = schedule Id, value = {@link RunRecord} JSON), so
 * that a new leader, a restarted one or a second one knows what was fired. Each record is written by a merge patch of
 * its key, so concurrent fires of different schedules never conflict; records are removed with optimistic concurrency. What this replica wrote is kept until
 * its cache shows it, so that the next tick never reads an older record.
 */
public final class RunRecords {

    private static final Logger LOG = LoggerFactory.getLogger(RunRecords.class);

    private final ScheduleConfigMap configMap;
    private final ParsedEntries<RunRecord> entries;
    private final Map<String, RunRecord> written = new ConcurrentHashMap<>();

    public RunRecords(ScheduleConfigMap configMap) {
        this.configMap = configMap;
        this.entries = new ParsedEntries<>(configMap, this::parse);
    }

    private RunRecord parse(String scheduleId, String json) {
        try {
            return Json.MAPPER.readValue(json, RunRecord.class);
        } catch (JsonProcessingException e) {
            LOG.warn("The run record of schedule {} in ConfigMap {} cannot be read; the schedule counts as never "
                    + "seen: {}", scheduleId, configMap.name(), Json.describe(e));
            return null;
        }
    }

    public void start() {
        configMap.start();
    }

    public boolean hasSynced() {
        return configMap.hasSynced();
    }

    public CompletableFuture<Void> synced() {
        return configMap.synced();
    }

    /** The newest record of a schedule: the cached one, or the one this replica wrote if the cache is behind. */
    public Optional<RunRecord> of(String scheduleId) {
        RunRecord cached = entries.entries().get(scheduleId);
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

    /** The schedules that have a record: the cached ones and those this replica wrote that the cache is behind on. */
    public Set<String> scheduleIds() {
        Set<String> ids = new HashSet<>(entries.entries().keySet());
        ids.addAll(written.keySet());
        return ids;
    }

    /** Writes these records, each under its schedule's key, leaving the others as they are. */
    public void write(Map<String, RunRecord> records) {
        Map<String, String> texts = new LinkedHashMap<>();
        records.forEach((scheduleId, record) -> texts.put(scheduleId, Json.MAPPER.valueToTree(record).toString()));
        configMap.put(texts);
        written.putAll(records);
    }

    /** Removes the records of schedules that no longer exist. */
    public void remove(Collection<String> scheduleIds) {
        configMap.modify(data -> {
            data.keySet().removeAll(scheduleIds);
            return data;
        });
        written.keySet().removeAll(scheduleIds);
        LOG.info("Run records of schedules that no longer exist removed: {}", scheduleIds);
    }

    public void close() {
        configMap.close();
    }
}
