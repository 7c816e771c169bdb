package io.slimjobs.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.slimjobs.error.InvalidRequestException;

/**
 * A 5-field Unix cron read in a time zone, with Vixie cron's rules: day-of-month OR day-of-week when both are
 * restricted, and across daylight-saving changes wall-clock times for expressions whose minute or hour begins with
 * `*`, fixed times otherwise.
 *
 * <p>cron-utils computes the occurrences on the wall clock, read as UTC so that it meets no gap and no overlap;
 * this class turns wall-clock times into instants one constant-offset stretch of the zone at a time, which is where
 * the daylight-saving rules apply. Instances are immutable and thread-safe.
 */
public final class Cron {

    /** Vixie cron's day rule when both day fields are restricted; cron-utils' UNIX type has it. */
    private static final CronParser EITHER_DAY = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /**
     * Vixie cron's day rule when a day field begins with `*`. cron-utils only treats a bare `*` as unrestricted, so
     * `*&#47;2` needs its AND variant of the UNIX type.
     */
    private static final CronParser BOTH_DAYS = new CronParser(CronDefinitionBuilder.defineCron()
            .withMinutes().withValidRange(0, 59).withStrictRange().and()
            .withHours().withValidRange(0, 23).withStrictRange().and()
            .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
            .withMonth().withValidRange(1, 12).withStrictRange().and()
            .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and()
            .matchDayOfWeekAndDayOfMonth()
            .instance());

    /** How far a search goes: cron-utils' own limit, and more than any firing expression's longest gap (28 years). */
    private static final Duration HORIZON = ChronoUnit.CENTURIES.getDuration();

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime wallClockTimes;
    /** Minute or hour begins with `*`: fire at every wall-clock time that exists, twice in a repeated hour. */
    private final boolean followsWallClock;

    private Cron(String expression, ZoneId zone, ExecutionTime wallClockTimes, boolean followsWallClock) {
        this.expression = expression;
        this.zone = zone;
        this.wallClockTimes = wallClockTimes;
        this.followsWallClock = followsWallClock;
    }

    /**
     * Parses a 5-field Unix cron read in an IANA time zone (null or blank: UTC). Throws
     * {@link InvalidRequestException} (a 400) whose message says exactly what is wrong.
     */
    public static Cron parse(String expression, String timeZone) {
        CronSyntax.Checked checked = CronSyntax.check(expression);
        String text = expression.trim();
        ExecutionTime times;
        try {
            times = ExecutionTime.forCron((checked.eitherDay() ? EITHER_DAY : BOTH_DAYS).parse(checked.numeric()));
        } catch (IllegalArgumentException e) {
            // CronSyntax lets through only what cron-utils reads; should they ever disagree, still a 400
            throw CronSyntax.invalid(text, e.getMessage());
        }
        Cron cron = new Cron(text, timeZone(timeZone), times, checked.wallClock());
        if (cron.wallClockAtOrAfter(LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES)).isEmpty()) {
            throw CronSyntax.invalid(text, "it never fires: no date matches its day-of-month, month and day-of-week");
        }
        return cron;
    }

    /**
     * An IANA time zone name (null or blank: UTC). Fixed offsets such as `+02:00` are refused, as Kubernetes
     * CronJobs refuse them: `Etc/GMT-2` names a fixed UTC+2.
     */
    public static ZoneId timeZone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneId.of("UTC");
        }
        String id = timeZone.trim();
        if (!ZoneId.getAvailableZoneIds().contains(id)) {
            throw new InvalidRequestException("unknown time zone '" + id + "': expected an IANA time zone name such as"
                    + " Europe/Paris, America/New_York or UTC (a fixed offset is written Etc/GMT-2 for UTC+2)");
        }
        return ZoneId.of(id);
    }

    /** As given, trimmed. */
    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The latest occurrence at or before {@code instant} (minute precision), empty if none (e.g. before any). */
    public Optional<Instant> latestAtOrBefore(Instant instant) {
        ZoneRules rules = zone.getRules();
        Instant upTo = instant;
        while (!upTo.isBefore(instant.minus(HORIZON))) {
            // the stretch [start, ...) of constant offset that holds upTo
            ZoneOffset offset = rules.getOffset(upTo);
            ZoneOffsetTransition start = rules.previousTransition(upTo.plusNanos(1));
            Optional<LocalDateTime> time = wallClockAtOrBefore(
                    LocalDateTime.ofInstant(upTo, offset).truncatedTo(ChronoUnit.MINUTES));
            if (time.isEmpty()) {
                return Optional.empty();
            }
            if (start == null || !time.get().isBefore(firstCounted(start))) {
                return Optional.of(time.get().toInstant(offset));
            }
            if (firesAtGapEnd(start)) {
                return Optional.of(start.getInstant());
            }
            upTo = start.getInstant().minusNanos(1);
        }
        return Optional.empty();
    }

    /** The first occurrence strictly after {@code instant}. */
    public Optional<Instant> nextAfter(Instant instant) {
        ZoneRules rules = zone.getRules();
        Instant from = instant.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        while (!from.isAfter(instant.plus(HORIZON))) {
            // the stretch [start, end) of constant offset that holds from
            ZoneOffset offset = rules.getOffset(from);
            ZoneOffsetTransition start = rules.previousTransition(from.plusNanos(1));
            ZoneOffsetTransition end = rules.nextTransition(from);
            if (start != null && start.getInstant().equals(from) && firesAtGapEnd(start)) {
                return Optional.of(from);
            }
            LocalDateTime earliest = LocalDateTime.ofInstant(from, offset);
            if (start != null && earliest.isBefore(firstCounted(start))) {
                earliest = firstCounted(start);
            }
            Optional<LocalDateTime> time = wallClockAtOrAfter(earliest);
            if (time.isEmpty()) {
                return Optional.empty();
            }
            if (end == null || time.get().isBefore(end.getDateTimeBefore())) {
                return Optional.of(time.get().toInstant(offset));
            }
            from = end.getInstant();
        }
        return Optional.empty();
    }

    /**
     * The first wall-clock time that counts in the stretch a transition starts. After a clock set back, the times of
     * the repeated hour come again; a fixed-time expression has fired at their first, so its next counts after them.
     */
    private LocalDateTime firstCounted(ZoneOffsetTransition start) {
        return start.isOverlap() && !followsWallClock ? start.getDateTimeBefore() : start.getDateTimeAfter();
    }

    /** A fixed-time expression whose time the clock skipped fires when the clock resumes. */
    private boolean firesAtGapEnd(ZoneOffsetTransition transition) {
        return transition.isGap() && !followsWallClock && wallClockAtOrAfter(transition.getDateTimeBefore())
                .filter(time -> time.isBefore(transition.getDateTimeAfter())).isPresent();
    }

    private Optional<LocalDateTime> wallClockAtOrAfter(LocalDateTime minute) {
        return wallClockTimes.nextExecution(minute.minusMinutes(1).atZone(ZoneOffset.UTC))
                .map(ZonedDateTime::toLocalDateTime);
    }

    private Optional<LocalDateTime> wallClockAtOrBefore(LocalDateTime minute) {
        return wallClockTimes.lastExecution(minute.plusMinutes(1).atZone(ZoneOffset.UTC))
                .map(ZonedDateTime::toLocalDateTime);
    }
}
