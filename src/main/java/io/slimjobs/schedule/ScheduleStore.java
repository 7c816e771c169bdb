package io.slimjobs.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.slimjobs.config.ScheduleDefinition;
import io.slimjobs.error.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedules created through the API, in one ConfigMap shared by every replica: `data` key = schedule Id, value
 * = the {@link StoredSchedule} JSON. Read from the informer cache; written with optimistic concurrency on the
 * ConfigMap's resourceVersion, so that no write is lost and of two deletions of one schedule only one succeeds.
 */
public final class ScheduleStore {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleStore.class);
    /** How long a write waits for its own change to reach the cache, so that a read right after sees it. */
    private static final Duration CACHE_WAIT = Duration.ofSeconds(2);

    private final ScheduleConfigMap configMap;
    private final ParsedEntries<StoredSchedule> entries;

    public ScheduleStore(ScheduleConfigMap configMap) {
        this.configMap = configMap;
        this.entries = new ParsedEntries<>(configMap, this::parse);
    }

    private StoredSchedule parse(String id, String json) {
        try {
            StoredSchedule stored = StoredSchedule.fromJson(json);
            if (stored.id().equals(id)) {
                return stored;
            }
            LOG.warn("Schedule {} in ConfigMap {} says its Id is {}; it is ignored", id, configMap.name(), stored.id());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warn("Schedule {} in ConfigMap {} cannot be read, so it never fires: {}", id, configMap.name(),
                    e.getMessage());
        }
        return null;
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

    /** Every stored schedule by Id; the same map until one is created or deleted. */
    public Map<String, StoredSchedule> byId() {
        return entries.entries();
    }

    /** Stores a new schedule of that job name and answers its Id. */
    public String create(String jobName, ScheduleDefinition definition, Instant now) {
        StoredSchedule stored = new StoredSchedule(UUID.randomUUID().toString(), jobName, definition, now);
        configMap.modify(data -> {
            data.put(stored.id(), stored.toJson());
            return data;
        });
        entries.await(cached -> cached.containsKey(stored.id()), CACHE_WAIT);
        LOG.info("Schedule {} of job {} created: '{}' in {}", stored.id(), jobName, definition.schedule(),
                definition.timeZone());
        return stored.id();
    }

    /** Deletes a schedule of that job name; 404 when it has none of that Id, or no longer has it. */
    public void delete(String jobName, String id) {
        configMap.modify(data -> {
            String json = data.remove(id);
            StoredSchedule stored = json == null ? null : parse(id, json);
            if (stored == null || !stored.jobName().equals(jobName)) {
                throw new NotFoundException("job '" + jobName + "' has no schedule with Id '" + id + "'");
            }
            return data;
        });
        entries.await(cached -> !cached.containsKey(id), CACHE_WAIT);
        LOG.info("Schedule {} of job {} deleted", id, jobName);
    }

    public void close() {
        configMap.close();
    }
}
