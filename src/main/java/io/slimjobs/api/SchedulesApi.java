package io.slimjobs.api;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobDefinition;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.config.ScheduleDefinition;
import io.slimjobs.config.ScheduleSource;
import io.slimjobs.error.ConflictException;
import io.slimjobs.error.InvalidRequestException;
import io.slimjobs.schedule.Cron;
import io.slimjobs.schedule.Schedule;
import io.slimjobs.schedule.ScheduleCatalog;
import io.slimjobs.schedule.ScheduleStore;
import io.slimjobs.schedule.ScheduleView;
import io.slimjobs.schedule.ScheduleViews;
import io.slimjobs.security.VisibilityGuard;
import io.slimjobs.trigger.GuardRails;
import io.slimjobs.trigger.OverridesReader;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * What the `/job-schedules` routes call. Each method checks the name and the caller's right to the job first, as a
 * trigger does; a new schedule passes the trigger's own guard rails, so one that could never run is refused now.
 */
public final class SchedulesApi {

    private final Definitions definitions;
    private final ScheduleCatalog catalog;
    private final ScheduleStore store;
    private final ScheduleViews views;
    private final Clock clock;

    public SchedulesApi(Definitions definitions, ScheduleCatalog catalog, ScheduleStore store, ScheduleViews views,
                        Clock clock) {
        this.definitions = definitions;
        this.catalog = catalog;
        this.store = store;
        this.views = views;
        this.clock = clock;
    }

    /** Stores a new schedule: `Schedule` (5-field cron), optional `TimeZone` (IANA, UTC) and a trigger's overrides. */
    public Map<String, String> create(@Header("name") String name, @Body String body,
                                      @Header("Content-Type") String contentType,
                                      @ExchangeProperty(JobsApi.TRUSTED_CALLER) boolean trusted) {
        JobsConfiguration configuration = definitions.forRequest();
        String jobName = VisibilityGuard.visibleJob(name, configuration, trusted);
        ScheduleDefinition entry = OverridesReader.read(body, contentType, ScheduleDefinition.class, null);
        if (entry == null || entry.schedule() == null || entry.schedule().isBlank()) {
            throw new InvalidRequestException("Schedule: is required, a 5-field cron expression such as \"0 0 * * *\"");
        }
        named("TimeZone", () -> Cron.timeZone(entry.timeZone()));
        Cron cron = named("Schedule", () -> Cron.parse(entry.schedule(), entry.timeZone()));
        JobDefinition definition = configuration.definitionFor(jobName);
        GuardRails.apply(jobName, definition, entry.overrides());
        return Map.of("Id", store.create(jobName, new ScheduleDefinition(cron.expression(), cron.zone().getId(),
                entry.overrides()), clock.instant()));
    }

    /** A refusal that names the field it is about, as the configuration's do. */
    private static <T> T named(String field, Supplier<T> check) {
        try {
            return check.get();
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(field + ": " + e.getMessage());
        }
    }

    public List<ScheduleView> list(@Header("name") String name, @ExchangeProperty(JobsApi.TRUSTED_CALLER) boolean trusted) {
        return views.of(VisibilityGuard.visibleJob(name, definitions.forRequest(), trusted));
    }

    /** Deletes a schedule created through the API; one defined in the configuration or a CronJob is changed there. */
    public void delete(@Header("name") String name, @Header("id") String id,
                       @ExchangeProperty(JobsApi.TRUSTED_CALLER) boolean trusted) {
        String jobName = VisibilityGuard.visibleJob(name, definitions.forRequest(), trusted);
        for (Schedule schedule : catalog.of(jobName)) {
            if (schedule.id().equals(id) && schedule.createdAt() == null) {
                throw new ConflictException("schedule '" + id + "' of job '" + jobName + "' is defined "
                        + (schedule.source() == ScheduleSource.CronJob
                                ? "by the SlimFaas/Schedules annotation of the CronJob '" + jobName + "'"
                                : "in the configuration (Schedules." + jobName + ")")
                        + "; remove it there");
            }
        }
        store.delete(jobName, id);
    }
}
