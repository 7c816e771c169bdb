package io.slimjobs.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.config.ScheduleDefinition;
import io.slimjobs.config.ScheduleSource;
import io.slimjobs.error.InvalidRequestException;
import io.slimjobs.kube.CronJobIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every schedule in force: those of the definitions in force (configuration and CronJobs), with their derived Ids,
 * then those created through the API, by creation. Each is compiled once per Id: an Id stands for one unchanging
 * entry, so definitions that change only elsewhere, or a new API schedule, parse no cron again.
 */
public final class ScheduleCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleCatalog.class);
    private static final Comparator<Schedule> BY_CREATION =
            Comparator.comparing(Schedule::createdAt).thenComparing(Schedule::id);

    private final Definitions definitions;
    private final CronJobIndex cronJobs;
    private final ScheduleStore store;
    private volatile Compiled<JobsConfiguration> defined = new Compiled<>(null, Map.of());
    private volatile Compiled<Map<String, StoredSchedule>> created = new Compiled<>(null, Map.of());

    /** Schedules by job name, and what they were compiled from (compared by identity). */
    private record Compiled<S>(S source, Map<String, List<Schedule>> byJob) {
    }

    /** @param cronJobs what defines the schedules of CronJobs, which are in the definitions once it is read */
    public ScheduleCatalog(Definitions definitions, CronJobIndex cronJobs, ScheduleStore store) {
        this.definitions = definitions;
        this.cronJobs = cronJobs;
        this.store = store;
    }

    /** Whether every source has been read: until then a schedule may be missing, not gone. */
    public boolean hasSynced() {
        return cronJobs.hasSynced() && store.hasSynced();
    }

    public CompletableFuture<Void> synced() {
        return CompletableFuture.allOf(cronJobs.synced(), store.synced());
    }

    /** A job name's schedules: defined ones in definition order, then API ones by creation. */
    public List<Schedule> of(String jobName) {
        List<Schedule> schedules = new ArrayList<>(defined().getOrDefault(jobName, List.of()));
        schedules.addAll(created().getOrDefault(jobName, List.of()));
        return schedules;
    }

    public List<Schedule> all() {
        List<Schedule> schedules = new ArrayList<>();
        defined().values().forEach(schedules::addAll);
        created().values().forEach(schedules::addAll);
        return schedules;
    }

    private Map<String, List<Schedule>> defined() {
        JobsConfiguration configuration = definitions.current();
        Compiled<JobsConfiguration> last = defined;
        if (last.source() != configuration) {
            last = new Compiled<>(configuration, compile(configuration, byId(last)));
            defined = last;
        }
        return last.byJob();
    }

    private Map<String, List<Schedule>> created() {
        Map<String, StoredSchedule> stored = store.byId();
        Compiled<Map<String, StoredSchedule>> last = created;
        if (last.source() != stored) {
            Map<String, Schedule> known = byId(last);
            Map<String, List<Schedule>> byJob = new HashMap<>();
            for (StoredSchedule entry : stored.values()) {
                Schedule schedule = known.containsKey(entry.id()) ? known.get(entry.id())
                        : compile(entry.id(), entry.jobName(), ScheduleSource.Api, entry.definition(), entry);
                if (schedule != null) {
                    byJob.computeIfAbsent(schedule.jobName(), name -> new ArrayList<>()).add(schedule);
                }
            }
            byJob.values().forEach(schedules -> schedules.sort(BY_CREATION));
            last = new Compiled<>(stored, byJob);
            created = last;
        }
        return last.byJob();
    }

    private static Map<String, Schedule> byId(Compiled<?> compiled) {
        Map<String, Schedule> byId = new HashMap<>();
        compiled.byJob().values().forEach(schedules -> schedules.forEach(schedule -> byId.put(schedule.id(), schedule)));
        return byId;
    }

    /** An entry whose Id is known is the same entry: its cron is not parsed again. */
    private static Map<String, List<Schedule>> compile(JobsConfiguration configuration, Map<String, Schedule> known) {
        Map<String, List<Schedule>> byJob = new LinkedHashMap<>();
        configuration.schedules().forEach((jobName, entries) -> {
            ScheduleSource source = configuration.scheduleSource(jobName);
            Map<String, Integer> seen = new HashMap<>();
            List<Schedule> schedules = new ArrayList<>();
            for (ScheduleDefinition entry : entries) {
                String canonical = ScheduleIds.canonical(entry);
                int ordinal = seen.merge(canonical, 1, Integer::sum) - 1;
                String id = ScheduleIds.of(source, jobName, canonical, ordinal);
                Schedule schedule = known.containsKey(id) ? known.get(id) : compile(id, jobName, source, entry, null);
                if (schedule != null) {
                    schedules.add(schedule);
                }
            }
            byJob.put(jobName, List.copyOf(schedules));
        });
        return byJob;
    }

    /** A schedule whose cron cannot be read (say, a zone this Java no longer knows) is left out, and said so. */
    private static Schedule compile(String id, String jobName, ScheduleSource source, ScheduleDefinition entry,
                                    StoredSchedule stored) {
        try {
            Cron cron = Cron.parse(entry.schedule(), entry.timeZone());
            return new Schedule(id, jobName, source, entry, cron, stored == null ? null : stored.createdAt());
        } catch (InvalidRequestException e) {
            LOG.error("Schedule {} of job {} ({}) never fires: {}", id, jobName, source, e.getMessage());
            return null;
        }
    }
}
