package io.slimjobs.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.slimjobs.Json;
import io.slimjobs.error.SlimJobsException;
import io.slimjobs.trigger.Door;
import io.slimjobs.trigger.TriggerAccepted;
import io.slimjobs.trigger.TriggerRequest;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, at each tick of the leader, which schedules fire, and records what each fire did.
 * <p>
 * A schedule fires the latest occurrence at or before now if it is later than both its last occurrence fired and its
 * "since" (its creation; for a configured or CronJob schedule, when a leader first saw it, recorded then). So a new
 * schedule never fires for an occurrence from before it existed, and after downtime a schedule fires once for all it
 * missed: the latest occurrence. A schedule with nothing to fire is not looked at again until its next occurrence.
 */
public final class ScheduleTicker {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTicker.class);
    /** Exchange property holding the {@link Fire} a `schedule-fire` exchange is about. */
    public static final String FIRE_PROPERTY = "slimjobsFire";
    /** How long a new leader waits for the schedules and run records to be read before its first tick. */
    private static final Duration SYNC_WAIT = Duration.ofSeconds(30);
    /**
     * How long a schedule must have been gone before its run record is removed: one that is missing only for a moment
     * (CronJobs not read yet after a start) keeps its record, and so its "since".
     */
    private static final Duration PRUNE_AFTER = Duration.ofMinutes(1);
    /** Quartz may fire a tick a few milliseconds before its second; such a tick counts as on time. */
    private static final Duration EARLY_TICK = Duration.ofSeconds(1);

    private final ScheduleCatalog catalog;
    private final RunRecords runs;
    private final Clock clock;
    /** By schedule Id: before this instant it has nothing to fire (its next occurrence). */
    private final Map<String, Instant> quietUntil = new ConcurrentHashMap<>();
    /** By schedule Id: since when a run record has had no schedule. */
    private final Map<String, Instant> orphanedSince = new HashMap<>();

    public ScheduleTicker(ScheduleCatalog catalog, RunRecords runs, Clock clock) {
        this.catalog = catalog;
        this.runs = runs;
        this.clock = clock;
    }

    /** On becoming leader: forget what was decided while another replica may have led, once the stores are read. */
    public void takeOver() {
        quietUntil.clear();
        synchronized (this) {
            orphanedSince.clear();
        }
        try {
            CompletableFuture.allOf(catalog.synced(), runs.synced()).get(SYNC_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("The schedules or their run records are not read after {}; schedules fire from the first tick "
                    + "after they are", SYNC_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The occurrences due now. Records first sightings and removes records of schedules gone; fires nothing before
     * the schedules and run records are read.
     *
     * @param scheduled when Quartz meant this tick to run (null for the takeover tick)
     */
    public synchronized List<Fire> due(@Header("scheduledFireTime") Date scheduled) {
        if (!catalog.hasSynced() || !runs.hasSynced()) {
            LOG.debug("Schedules or run records not read yet: nothing fires at this tick");
            return List.of();
        }
        Instant now = now(scheduled);
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        List<Schedule> schedules = catalog.all();
        Map<String, RunRecord> firstSeen = new LinkedHashMap<>();
        List<Fire> fires = new ArrayList<>();
        for (Schedule schedule : schedules) {
            Instant quiet = quietUntil.get(schedule.id());
            if (quiet != null && now.isBefore(quiet)) {
                continue;
            }
            Optional<RunRecord> record = runs.of(schedule.id());
            Instant since = schedule.createdAt() != null ? schedule.createdAt()
                    : record.map(RunRecord::since).map(Instant::ofEpochMilli).orElse(null);
            if (since == null) {
                firstSeen.put(schedule.id(), RunRecord.since(now));
                quietUntil.put(schedule.id(), next(schedule, now));
                continue;
            }
            Instant after = record.map(RunRecord::occurrence).map(Instant::ofEpochMilli).filter(since::isBefore)
                    .orElse(since);
            Optional<Instant> due = schedule.cron().latestAtOrBefore(now).filter(after::isBefore);
            if (due.isEmpty()) {
                quietUntil.put(schedule.id(), next(schedule, now));
                continue;
            }
            Fire fire = new Fire(schedule, due.get(), due.get().isBefore(minute));
            if (fire.catchUp()) {
                LOG.info("Schedule {} of job {} catches up its missed occurrence {}: one run for every occurrence "
                        + "missed since {}", schedule.id(), schedule.jobName(), fire.occurrence(), after);
            }
            fires.add(fire);
        }
        recordFirstSightings(firstSeen);
        removeOrphanedRecords(schedules, now);
        return fires;
    }

    /** The clock; but a Quartz tick a little early counts as at its scheduled time. */
    private Instant now(Date scheduled) {
        Instant now = clock.instant();
        if (scheduled != null && now.isBefore(scheduled.toInstant())
                && now.plus(EARLY_TICK).isAfter(scheduled.toInstant())) {
            return scheduled.toInstant();
        }
        return now;
    }

    private static Instant next(Schedule schedule, Instant now) {
        return schedule.cron().nextAfter(now).orElse(Instant.MAX);
    }

    private void recordFirstSightings(Map<String, RunRecord> firstSeen) {
        if (firstSeen.isEmpty()) {
            return;
        }
        try {
            runs.write(firstSeen);
            LOG.info("First seen, from now on fired at their occurrences: schedules {}", firstSeen.keySet());
        } catch (KubernetesClientException e) {
            LOG.warn("Could not record the first sighting of schedules {}; tried again at the next tick: {}",
                    firstSeen.keySet(), e.getMessage());
            quietUntil.keySet().removeAll(firstSeen.keySet());
        }
    }

    private void removeOrphanedRecords(List<Schedule> schedules, Instant now) {
        Set<String> known = new HashSet<>();
        schedules.forEach(schedule -> known.add(schedule.id()));
        quietUntil.keySet().retainAll(known);
        Set<String> orphans = new HashSet<>(runs.scheduleIds());
        orphans.removeAll(known);
        orphanedSince.keySet().retainAll(orphans);
        List<String> expired = orphans.stream()
                .filter(id -> !now.isBefore(orphanedSince.computeIfAbsent(id, gone -> now).plus(PRUNE_AFTER)))
                .sorted().toList();
        if (expired.isEmpty()) {
            return;
        }
        try {
            runs.remove(expired);
            orphanedSince.keySet().removeAll(expired);
        } catch (KubernetesClientException | SlimJobsException e) {
            LOG.warn("Could not remove the run records of schedules {}; tried again at the next tick: {}", expired,
                    e.getMessage());
        }
    }

    /** What a fire asks of the trigger pipeline: the schedule's overrides, as a trusted caller, keyed by occurrence. */
    public TriggerRequest request(Fire fire) throws JsonProcessingException {
        Schedule schedule = fire.schedule();
        return new TriggerRequest(schedule.jobName(), Json.MAPPER.writeValueAsString(schedule.definition().overrides()),
                "application/json", true, fire.idempotencyKey(), Door.SCHEDULE);
    }

    public void fired(@ExchangeProperty(FIRE_PROPERTY) Fire fire, TriggerAccepted accepted) {
        Schedule schedule = fire.schedule();
        LOG.info("Schedule {} of job {} fired for {}: execution {}", schedule.id(), schedule.jobName(),
                fire.occurrence(), accepted.id());
        record(fire, base(fire).fired(fire.occurrence(), accepted.id(), clock.instant()));
    }

    /**
     * A fire refused for good (the guard rails refuse what the definition now allows) is recorded as this
     * occurrence's and not tried again; any other failure (the API server unreachable, a 5xx) is tried again at the
     * next tick, with the same idempotency key.
     *
     * @return whether the occurrence was given up
     */
    public boolean failed(@ExchangeProperty(FIRE_PROPERTY) Fire fire,
                          @ExchangeProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT) Exception caught) {
        Schedule schedule = fire.schedule();
        SlimJobsException refused = ObjectHelper.getException(SlimJobsException.class, caught);
        KubernetesClientException kubernetes = ObjectHelper.getException(KubernetesClientException.class, caught);
        boolean permanent = refused != null ? refused.status() < 500 : kubernetes != null && kubernetes.getCode() == 422;
        String reason = refused != null ? refused.getMessage() : String.valueOf(caught.getMessage());
        if (!permanent) {
            LOG.warn("Schedule {} of job {} could not fire for {}; tried again at the next tick: {}", schedule.id(),
                    schedule.jobName(), fire.occurrence(), reason);
            return false;
        }
        LOG.error("Schedule {} of job {} was refused for {}, recorded as failed and not tried again for it: {}",
                schedule.id(), schedule.jobName(), fire.occurrence(), reason);
        record(fire, base(fire).failed(fire.occurrence(), reason, clock.instant()));
        return true;
    }

    private RunRecord base(Fire fire) {
        Schedule schedule = fire.schedule();
        return runs.of(schedule.id()).orElseGet(() -> RunRecord.since(
                schedule.createdAt() != null ? schedule.createdAt() : fire.occurrence()));
    }

    /** If the record is lost, the next tick fires again with the same key, which finds the same execution. */
    private void record(Fire fire, RunRecord record) {
        try {
            runs.write(Map.of(fire.schedule().id(), record));
        } catch (KubernetesClientException e) {
            LOG.warn("Could not record the fire of schedule {} for {}; the next tick repeats it, which finds the "
                    + "same execution: {}", fire.schedule().id(), fire.occurrence(), e.getMessage());
        }
    }
}
