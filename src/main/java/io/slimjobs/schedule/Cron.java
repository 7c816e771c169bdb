package io.slimjobs.schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.slimjobs.error.InvalidRequestException;

/**
 * PLACEHOLDER until the real Cron lands on main: the agreed API over cron-utils, so that the schedule code runs.
 * Replaced wholesale by main's version at merge.
 */
public final class Cron {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime execution;

    private Cron(String expression, ZoneId zone, ExecutionTime execution) {
        this.expression = expression;
        this.zone = zone;
        this.execution = execution;
    }

    public static Cron parse(String expression, String timeZone) {
        ZoneId zone;
        try {
            zone = timeZone == null || timeZone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new InvalidRequestException("TimeZone: unknown time zone '" + timeZone + "'");
        }
        try {
            Cron cron = new Cron(expression, zone, ExecutionTime.forCron(PARSER.parse(expression)));
            if (cron.nextAfter(Instant.now()).isEmpty()) {
                throw new InvalidRequestException("Schedule: '" + expression + "' never fires");
            }
            return cron;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Schedule: '" + expression + "' is not a 5-field cron expression: "
                    + e.getMessage());
        }
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    public Optional<Instant> latestAtOrBefore(Instant instant) {
        ZonedDateTime minute = instant.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
        if (execution.isMatch(minute)) {
            return Optional.of(minute.toInstant());
        }
        return execution.lastExecution(minute).map(ZonedDateTime::toInstant);
    }

    public Optional<Instant> nextAfter(Instant instant) {
        return execution.nextExecution(instant.atZone(zone)).map(ZonedDateTime::toInstant);
    }
}
