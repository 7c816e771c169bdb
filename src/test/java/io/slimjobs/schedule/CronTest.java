package io.slimjobs.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.slimjobs.error.InvalidRequestException;

class CronTest {

    // ---- occurrences worked out by hand (2026-01-01 is a Thursday; Europe/Paris changes clocks at 01:00Z on
    // 2026-03-29 and 2026-10-25, America/New_York at 07:00Z on 2026-03-08 and 06:00Z on 2026-11-01)

    @ParameterizedTest(name = "{0}: ''{1}'' in {2} at {3}")
    @CsvSource(delimiter = '|', textBlock = """
            n/s from n up to the field's end    | 5/15 * * * *              | UTC              | 2026-01-01T10:21:00Z | 2026-01-01T10:35:00Z | 2026-01-01T10:20:00Z
            a step: latest includes the instant | */15 * * * *              | UTC              | 2026-01-01T10:15:00Z | 2026-01-01T10:30:00Z | 2026-01-01T10:15:00Z
            seconds count within the minute     | */15 * * * *              | UTC              | 2026-01-01T10:15:59Z | 2026-01-01T10:30:00Z | 2026-01-01T10:15:00Z
            ranges with steps                   | 10-40/15 8-18/4 * * *     | UTC              | 2026-01-01T16:41:00Z | 2026-01-02T08:10:00Z | 2026-01-01T16:40:00Z
            lists                               | 0 6,18 1,15 * *           | UTC              | 2026-01-15T12:00:00Z | 2026-01-15T18:00:00Z | 2026-01-15T06:00:00Z
            day names in a range                | 0 9 * * MON-FRI           | UTC              | 2026-01-02T09:00:30Z | 2026-01-05T09:00:00Z | 2026-01-02T09:00:00Z
            SUN ends a range as 7               | 0 9 * * fri-sun           | UTC              | 2026-01-05T00:00:00Z | 2026-01-09T09:00:00Z | 2026-01-04T09:00:00Z
            SUN starts a range as 0             | 0 9 * * Sun-Mon           | UTC              | 2026-01-06T00:00:00Z | 2026-01-11T09:00:00Z | 2026-01-05T09:00:00Z
            month names in a list, any case     | 0 0 1 JAN,jul *           | UTC              | 2026-03-01T00:00:00Z | 2026-07-01T00:00:00Z | 2026-01-01T00:00:00Z
            7 is Sunday                         | 0 12 * * 7                | UTC              | 2026-01-01T00:00:00Z | 2026-01-04T12:00:00Z | 2025-12-28T12:00:00Z
            0 is Sunday                         | 0 12 * * 0                | UTC              | 2026-01-01T00:00:00Z | 2026-01-04T12:00:00Z | 2025-12-28T12:00:00Z
            n/s in day-of-week reaches 7        | 0 12 * * 1/3              | UTC              | 2026-01-02T00:00:00Z | 2026-01-04T12:00:00Z | 2026-01-01T12:00:00Z
            7/s is Sunday only (7 to 7)         | 0 12 * * 7/1              | UTC              | 2026-01-01T00:00:00Z | 2026-01-04T12:00:00Z | 2025-12-28T12:00:00Z
            day-of-week range stepped by 7      | 0 12 * * 1-5/7            | UTC              | 2026-01-01T00:00:00Z | 2026-01-05T12:00:00Z | 2025-12-29T12:00:00Z
            a one-value range with a step       | 0 8-8/3 * * *             | UTC              | 2026-01-01T09:00:00Z | 2026-01-02T08:00:00Z | 2026-01-01T08:00:00Z
            @yearly                             | @yearly                   | UTC              | 2026-06-15T00:00:00Z | 2027-01-01T00:00:00Z | 2026-01-01T00:00:00Z
            @annually                           | @annually                 | UTC              | 2026-06-15T00:00:00Z | 2027-01-01T00:00:00Z | 2026-01-01T00:00:00Z
            @monthly                            | @monthly                  | UTC              | 2026-01-31T12:00:00Z | 2026-02-01T00:00:00Z | 2026-01-01T00:00:00Z
            @weekly is Sunday midnight          | @weekly                   | UTC              | 2026-01-01T00:00:00Z | 2026-01-04T00:00:00Z | 2025-12-28T00:00:00Z
            @daily                              | @daily                    | UTC              | 2026-01-01T00:00:00Z | 2026-01-02T00:00:00Z | 2026-01-01T00:00:00Z
            @midnight                           | @midnight                 | UTC              | 2026-01-01T23:59:59Z | 2026-01-02T00:00:00Z | 2026-01-01T00:00:00Z
            @hourly                             | @hourly                   | UTC              | 2026-01-01T10:59:59Z | 2026-01-01T11:00:00Z | 2026-01-01T10:00:00Z
            both days restricted: OR            | 0 0 13 * 5                | UTC              | 2026-04-11T00:00:00Z | 2026-04-13T00:00:00Z | 2026-04-10T00:00:00Z
            day-of-month begins with *: AND     | 0 0 */10 * 5              | UTC              | 2026-01-01T00:00:00Z | 2026-05-01T00:00:00Z | 2025-11-21T00:00:00Z
            day-of-week begins with *: AND      | 0 0 13 * */5              | UTC              | 2026-01-01T00:00:00Z | 2026-02-13T00:00:00Z | 2025-07-13T00:00:00Z
            leap day                            | 0 0 29 2 *                | UTC              | 2026-01-01T00:00:00Z | 2028-02-29T00:00:00Z | 2024-02-29T00:00:00Z
            31st skips short months             | 0 0 31 * *                | UTC              | 2026-04-01T00:00:00Z | 2026-05-31T00:00:00Z | 2026-03-31T00:00:00Z
            30th skips February                 | 0 0 30 * *                | UTC              | 2026-02-15T00:00:00Z | 2026-03-30T00:00:00Z | 2026-01-30T00:00:00Z
            a year's last minute                | 59 23 31 12 *             | UTC              | 2026-06-01T00:00:00Z | 2026-12-31T23:59:00Z | 2025-12-31T23:59:00Z
            New York winter                     | 0 9 * * *                 | America/New_York | 2026-01-15T12:00:00Z | 2026-01-15T14:00:00Z | 2026-01-14T14:00:00Z
            Paris summer                        | 0 9 * * *                 | Europe/Paris     | 2026-07-01T12:00:00Z | 2026-07-02T07:00:00Z | 2026-07-01T07:00:00Z
            Paris month end is local            | 0 0 1 * *                 | Europe/Paris     | 2026-01-31T23:30:00Z | 2026-02-28T23:00:00Z | 2026-01-31T23:00:00Z
            spring, fixed: gap time at 03:00    | 30 2 * * *                | Europe/Paris     | 2026-03-29T00:00:00Z | 2026-03-29T01:00:00Z | 2026-03-28T01:30:00Z
            spring, fixed: at the gap's end     | 30 2 * * *                | Europe/Paris     | 2026-03-29T01:00:00Z | 2026-03-30T00:30:00Z | 2026-03-29T01:00:00Z
            spring, fixed: two gap times, once  | 0,30 2 * * *              | Europe/Paris     | 2026-03-29T01:00:00Z | 2026-03-30T00:00:00Z | 2026-03-29T01:00:00Z
            spring, wildcard: gap skipped       | */30 * * * *              | Europe/Paris     | 2026-03-29T00:45:00Z | 2026-03-29T01:00:00Z | 2026-03-29T00:30:00Z
            spring, wildcard minute :30         | 30 * * * *                | Europe/Paris     | 2026-03-29T00:31:00Z | 2026-03-29T01:30:00Z | 2026-03-29T00:30:00Z
            spring, wildcard hour */2           | 0 */2 * * *               | Europe/Paris     | 2026-03-28T23:00:00Z | 2026-03-29T02:00:00Z | 2026-03-28T23:00:00Z
            fall, fixed: first pass fires       | 30 2 * * *                | Europe/Paris     | 2026-10-25T00:00:00Z | 2026-10-25T00:30:00Z | 2026-10-24T00:30:00Z
            fall, fixed: second pass does not   | 30 2 * * *                | Europe/Paris     | 2026-10-25T01:45:00Z | 2026-10-26T01:30:00Z | 2026-10-25T00:30:00Z
            fall, fixed: not after first pass   | 30 2 * * *                | Europe/Paris     | 2026-10-25T00:30:00Z | 2026-10-26T01:30:00Z | 2026-10-25T00:30:00Z
            fall, fixed at 02:00                | 0 2 * * *                 | Europe/Paris     | 2026-10-25T00:00:00Z | 2026-10-26T01:00:00Z | 2026-10-25T00:00:00Z
            fall, wildcard: repeated hour twice | */30 * * * *              | Europe/Paris     | 2026-10-25T00:30:00Z | 2026-10-25T01:00:00Z | 2026-10-25T00:30:00Z
            fall, wildcard: second pass latest  | */30 * * * *              | Europe/Paris     | 2026-10-25T01:29:00Z | 2026-10-25T01:30:00Z | 2026-10-25T01:00:00Z
            fall, wildcard minute :30           | 30 * * * *                | Europe/Paris     | 2026-10-25T00:30:00Z | 2026-10-25T01:30:00Z | 2026-10-25T00:30:00Z
            fall, wildcard hour */2 twice       | 0 */2 * * *               | Europe/Paris     | 2026-10-25T00:00:00Z | 2026-10-25T01:00:00Z | 2026-10-25T00:00:00Z
            fall, wildcard hour */2 after both  | 0 */2 * * *               | Europe/Paris     | 2026-10-25T01:00:00Z | 2026-10-25T03:00:00Z | 2026-10-25T01:00:00Z
            NY spring, fixed: gap time at 03:00 | 30 2 * * *                | America/New_York | 2026-03-08T06:00:00Z | 2026-03-08T07:00:00Z | 2026-03-07T07:30:00Z
            NY spring, fixed: after the gap     | 30 2 * * *                | America/New_York | 2026-03-08T07:00:00Z | 2026-03-09T06:30:00Z | 2026-03-08T07:00:00Z
            NY spring, wildcard: gap skipped    | 15 * * * *                | America/New_York | 2026-03-08T06:15:00Z | 2026-03-08T07:15:00Z | 2026-03-08T06:15:00Z
            NY fall, fixed: first pass fires    | 30 1 * * *                | America/New_York | 2026-11-01T05:00:00Z | 2026-11-01T05:30:00Z | 2026-10-31T05:30:00Z
            NY fall, fixed: second pass not     | 30 1 * * *                | America/New_York | 2026-11-01T06:45:00Z | 2026-11-02T06:30:00Z | 2026-11-01T05:30:00Z
            NY fall, wildcard: twice            | 30 * * * *                | America/New_York | 2026-11-01T05:30:00Z | 2026-11-01T06:30:00Z | 2026-11-01T05:30:00Z
            NY fall, wildcard minute, fixed hour| */30 1 * * *              | America/New_York | 2026-11-01T05:30:00Z | 2026-11-01T06:00:00Z | 2026-11-01T05:30:00Z
            NY fall, wildcard: after 2nd pass   | */30 1 * * *              | America/New_York | 2026-11-01T06:30:00Z | 2026-11-02T06:00:00Z | 2026-11-01T06:30:00Z
            """)
    void should_find_the_next_and_latest_occurrence(String notable, String expression, String zone, String at,
                                                    String next, String latest) {
        Cron cron = Cron.parse(expression, zone);

        assertEquals(Optional.of(Instant.parse(next)), cron.nextAfter(Instant.parse(at)), "next");
        assertEquals(Optional.of(Instant.parse(latest)), cron.latestAtOrBefore(Instant.parse(at)), "latest");
    }

    @Test
    void should_keep_the_expression_as_given_and_read_it_in_utc_without_a_zone() {
        Cron cron = Cron.parse("  @daily ", " ");

        assertEquals("@daily", cron.expression());
        assertEquals(ZoneId.of("UTC"), cron.zone());
        assertEquals(ZoneId.of("UTC"), Cron.parse("@daily", null).zone());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Europe/Paris", "America/New_York", "UTC", "Etc/GMT-2", "' Asia/Tokyo '"})
    void should_accept_iana_time_zone_names(String zone) {
        assertEquals(ZoneId.of(zone.trim()), Cron.parse("@daily", zone).zone());
    }

    // ---- refused at once, saying what is wrong

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            60 * * * *           | invalid cron '60 * * * *': minute: '60' is out of range 0-59
            0 24 * * *           | invalid cron '0 24 * * *': hour: '24' is out of range 0-23
            0 0 0 * *            | invalid cron '0 0 0 * *': day-of-month: '0' is out of range 1-31
            0 0 * 13 *           | invalid cron '0 0 * 13 *': month: '13' is out of range 1-12
            0 0 * * 8            | invalid cron '0 0 * * 8': day-of-week: '8' is out of range 0-7
            50-60 * * * *        | invalid cron '50-60 * * * *': minute: '60' in '50-60' is out of range 0-59
            99999999999 * * * *  | invalid cron '99999999999 * * * *': minute: '99999999999' is out of range 0-59
            */0 * * * *          | invalid cron '*/0 * * * *': minute: '0' in '*/0' is not a step 1-59
            0 0-12/0 * * *       | invalid cron '0 0-12/0 * * *': hour: '0' in '0-12/0' is not a step 1-23
            5/0 * * * *          | invalid cron '5/0 * * * *': minute: '0' in '5/0' is not a step 1-59
            */60 * * * *         | invalid cron '*/60 * * * *': minute: '60' in '*/60' is not a step 1-59
            */x * * * *          | invalid cron '*/x * * * *': minute: 'x' in '*/x' is not a step 1-59
            0 0 1 *              | invalid cron '0 0 1 *': 4 fields given, 5 expected: minute hour day-of-month month day-of-week
            0 0 0 1 * *          | invalid cron '0 0 0 1 * *': 6 fields given, 5 expected: minute hour day-of-month month day-of-week (a seconds or year field is Quartz syntax, not Unix cron)
            garbage              | invalid cron 'garbage': 1 field given, 5 expected: minute hour day-of-month month day-of-week
            ``                   | invalid cron: the expression is empty; expected 5 fields: minute hour day-of-month month day-of-week
            `   `                | invalid cron: the expression is empty; expected 5 fields: minute hour day-of-month month day-of-week
            0 0 ? * MON          | invalid cron '0 0 ? * MON': day-of-month: '?' is Quartz syntax (?, L, W, #), not Unix cron
            0 0 L * *            | invalid cron '0 0 L * *': day-of-month: 'L' is Quartz syntax (?, L, W, #), not Unix cron
            0 0 L-3 * *          | invalid cron '0 0 L-3 * *': day-of-month: 'L-3' is Quartz syntax (?, L, W, #), not Unix cron
            0 0 15W * *          | invalid cron '0 0 15W * *': day-of-month: '15W' is Quartz syntax (?, L, W, #), not Unix cron
            0 0 LW * *           | invalid cron '0 0 LW * *': day-of-month: 'LW' is Quartz syntax (?, L, W, #), not Unix cron
            0 0 * * 5L           | invalid cron '0 0 * * 5L': day-of-week: '5L' is Quartz syntax (?, L, W, #), not Unix cron
            0 0 * * 5#3          | invalid cron '0 0 * * 5#3': day-of-week: '5#3' is Quartz syntax (?, L, W, #), not Unix cron
            hello world x y z    | invalid cron 'hello world x y z': minute: 'hello' is not a number 0-59
            +5 * * * *           | invalid cron '+5 * * * *': minute: '+5' is not *, a number 0-59, a range a-b or a step */s, a-b/s or n/s
            ٥ * * * *            | invalid cron '٥ * * * *': minute: '٥' is not *, a number 0-59, a range a-b or a step */s, a-b/s or n/s
            1,,2 * * * *         | invalid cron '1,,2 * * * *': minute: '' is not *, a number 0-59, a range a-b or a step */s, a-b/s or n/s
            1, * * * *           | invalid cron '1, * * * *': minute: '' is not *, a number 0-59, a range a-b or a step */s, a-b/s or n/s
            *-5 * * * *          | invalid cron '*-5 * * * *': minute: '*-5' is not *, a number 0-59, a range a-b or a step */s, a-b/s or n/s
            `0 0 * * 1|2`        | `invalid cron '0 0 * * 1|2': day-of-week: '1|2' is not *, a number 0-7 or a name SUN-SAT, a range a-b or a step */s, a-b/s or n/s`
            0 0 * * FOO          | invalid cron '0 0 * * FOO': day-of-week: 'FOO' is not a number 0-7 or a name SUN-SAT
            0 0 * FOO *          | invalid cron '0 0 * FOO *': month: 'FOO' is not a number 1-12 or a name JAN-DEC
            0 MON * * *          | invalid cron '0 MON * * *': hour: 'MON' is not a number 0-23
            0 0 * * SAT-MON      | invalid cron '0 0 * * SAT-MON': day-of-week: 'SAT-MON' is a range that starts after it ends
            10-5 * * * *         | invalid cron '10-5 * * * *': minute: '10-5' is a range that starts after it ends
            @reboot              | invalid cron '@reboot': unknown macro; expected one of @annually, @daily, @hourly, @midnight, @monthly, @weekly, @yearly
            0 0 30 2 *           | invalid cron '0 0 30 2 *': it never fires: no date matches its day-of-month, month and day-of-week
            0 0 31 4 *           | invalid cron '0 0 31 4 *': it never fires: no date matches its day-of-month, month and day-of-week
            0 0 31 2,4,6,9,11 *  | invalid cron '0 0 31 2,4,6,9,11 *': it never fires: no date matches its day-of-month, month and day-of-week
            0 0 30 2 */2         | invalid cron '0 0 30 2 */2': it never fires: no date matches its day-of-month, month and day-of-week
            """)
    void should_refuse_a_bad_expression_saying_what_is_wrong(String expression, String message) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Cron.parse(expression, null));

        assertEquals(400, e.status());
        assertEquals(message, e.getMessage());
    }

    @Test
    void should_refuse_a_null_expression() {
        assertEquals("invalid cron: the expression is empty; expected 5 fields: minute hour day-of-month month"
                + " day-of-week", assertThrows(InvalidRequestException.class, () -> Cron.parse(null, null)).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Mars/Olympus", "europe/paris", "+02:00", "UTC+02:00", "CEST"})
    void should_refuse_a_time_zone_that_is_not_an_iana_name(String zone) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Cron.parse("@daily", zone));

        assertEquals("unknown time zone '" + zone + "': expected an IANA time zone name such as Europe/Paris,"
                + " America/New_York or UTC (a fixed offset is written Etc/GMT-2 for UTC+2)", e.getMessage());
    }

    @Test
    void should_accept_a_day_that_never_comes_when_the_or_rule_adds_a_day_of_week() {
        // 30 February never comes, but with both day fields restricted this fires every Monday
        Cron cron = Cron.parse("0 0 30 2 1", null);

        assertEquals(Optional.of(Instant.parse("2026-02-02T00:00:00Z")),
                cron.nextAfter(Instant.parse("2026-01-31T00:00:00Z")));
    }

    // ---- against an independent reference: every minute of a window, matched field by field

    private static final List<String> EXPRESSIONS = List.of(
            "* * * * *", "*/15 * * * *", "5/15 * * * *", "30 * * * *", "0 */2 * * *", "*/20 1-3 * * *",
            "30 2 * * *", "0,30 2 * * *", "15 1 * * *", "0 2 * * 0", "59 1 * * *", "0 3 * * *", "*/7 2 * * *",
            "10-40/15 8-18/4 * * *", "0 1/7 * * *", "0 0 13 * 5", "0 0 */10 * 5", "0 0 13 * */5", "0 0 1-7 * 1",
            "0 0 */2 * 1", "0 12 * 1,3,10,11 1-5", "0 0 29 2 *", "0 0 31 * *", "0 0 1 * *", "30 2 * * 7",
            "0 22 * * 6", "45 23 28-31 * *", "0 0 1,15 * 3");

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({
            "UTC, 2028-02-24T00:00",
            "Europe/Paris, 2026-03-27T00:00", "Europe/Paris, 2026-10-23T00:00",
            "America/New_York, 2026-03-06T00:00", "America/New_York, 2026-10-30T00:00"})
    void should_agree_with_a_minute_by_minute_reference(String zone, String from) {
        Instant start = LocalDateTime.parse(from).atZone(ZoneId.of(zone)).toInstant();
        Instant end = start.plus(zone.equals("UTC") ? 10 : 4, ChronoUnit.DAYS);
        for (String expression : EXPRESSIONS) {
            assertAgreesWithReference(expression, zone, start, end, 100);
        }
    }

    @Test
    void should_agree_with_the_reference_on_random_expressions_or_refuse_only_those_that_never_fire() {
        Random random = new Random(20260329);
        // two days from the start of each: a year's end, and both changes of clocks in each zone
        List<String> windows = List.of("UTC 2026-12-30T00:00:00Z",
                "Europe/Paris 2026-03-28T00:00:00Z", "Europe/Paris 2026-10-24T00:00:00Z",
                "America/New_York 2026-03-07T00:00:00Z", "America/New_York 2026-10-31T00:00:00Z");
        for (int i = 0; i < 100; i++) {
            String expression = randomExpression(random);
            String[] window = windows.get(random.nextInt(windows.size())).split(" ");
            String zone = window[0];
            Instant start = Instant.parse(window[1]);
            try {
                Cron.parse(expression, zone);
            } catch (InvalidRequestException e) {
                assertEquals("invalid cron '" + expression + "': it never fires: no date matches its day-of-month,"
                        + " month and day-of-week", e.getMessage());
                assertFalse(new Reference(expression).matchesSomeDay(), expression + " matches a day");
                continue;
            }
            assertAgreesWithReference(expression, zone, start, start.plus(2, ChronoUnit.DAYS), 20);
        }
    }

    /** 1 to 3 items a field, each *, n, a-b, *&#47;s, a-b/s or n/s, with values anywhere in the field's range. */
    private static String randomExpression(Random random) {
        List<String> fields = new ArrayList<>();
        for (int[] range : Reference.RANGES) {
            List<String> items = new ArrayList<>();
            for (int i = random.nextInt(3); i >= 0; i--) {
                int from = range[0] + random.nextInt(range[1] - range[0] + 1);
                int to = from + random.nextInt(range[1] - from + 1);
                int step = 1 + random.nextInt(range[1]);
                items.add(switch (random.nextInt(6)) {
                    case 0 -> "*";
                    case 1 -> Integer.toString(from);
                    case 2 -> from + "-" + to;
                    case 3 -> "*/" + step;
                    case 4 -> from + "-" + to + "/" + step;
                    default -> from + "/" + step;
                });
            }
            fields.add(String.join(",", items));
        }
        return String.join(" ", fields);
    }

    /**
     * At points of the window, next and latest are the reference's when it has one in the window, and outside the
     * window when it has none.
     */
    private static void assertAgreesWithReference(String expression, String zone, Instant start, Instant end,
                                                  int aroundOccurrences) {
        Cron cron = Cron.parse(expression, zone);
        TreeSet<Instant> reference = new Reference(expression).occurrences(ZoneId.of(zone), start, end);
        for (Instant at : referencePoints(ZoneId.of(zone), start, end, reference, aroundOccurrences)) {
            String where = "'" + expression + "' in " + zone + " at " + at;
            Instant next = reference.higher(at);
            Instant found = cron.nextAfter(at).orElseThrow();
            if (next == null) {
                assertTrue(found.isAfter(end), where + ": next " + found + " is missing from the reference");
            } else {
                assertEquals(next, found, where + ": next");
            }
            Instant latest = reference.floor(at);
            found = cron.latestAtOrBefore(at).orElseThrow();
            if (latest == null) {
                assertTrue(found.isBefore(start), where + ": latest " + found + " is missing from the reference");
            } else {
                assertEquals(latest, found, where + ": latest");
            }
        }
    }

    /**
     * Every 37th minute of the window, and around some occurrences, chosen evenly among those far from a change of
     * clocks and among those near one: a minute and a nanosecond before, at it, a second after.
     */
    private static List<Instant> referencePoints(ZoneId zone, Instant start, Instant end, TreeSet<Instant> occurrences,
                                                 int aroundOccurrences) {
        List<Instant> points = new ArrayList<>();
        for (Instant at = start; !at.isAfter(end); at = at.plus(37, ChronoUnit.MINUTES)) {
            points.add(at);
        }
        Map<Boolean, List<Instant>> byNearChange = occurrences.stream().collect(Collectors.partitioningBy(occurrence -> {
            ZoneOffsetTransition change = zone.getRules().nextTransition(occurrence.minus(3, ChronoUnit.HOURS));
            return change != null && change.getInstant().isBefore(occurrence.plus(3, ChronoUnit.HOURS));
        }));
        for (List<Instant> group : byNearChange.values()) {
            int every = Math.max(1, group.size() / aroundOccurrences);
            for (int i = 0; i < group.size(); i += every) {
                Instant occurrence = group.get(i);
                points.addAll(List.of(occurrence.minus(1, ChronoUnit.MINUTES), occurrence.minusNanos(1), occurrence,
                        occurrence.plusSeconds(1)));
            }
        }
        points.removeIf(at -> at.isBefore(start) || at.isAfter(end));
        return points;
    }

    /**
     * Numbers, `*`, ranges, lists and steps matched against each wall-clock minute, then placed on the timeline by
     * Vixie cron's daylight-saving rules, written without the code under test.
     */
    private static final class Reference {

        private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};

        private final BitSet[] allowed = new BitSet[5];
        private final boolean dayOfMonthStar;
        private final boolean dayOfWeekStar;
        private final boolean wallClock;

        Reference(String expression) {
            String[] fields = expression.split(" ");
            for (int f = 0; f < 5; f++) {
                allowed[f] = new BitSet();
                for (String item : fields[f].split(",")) {
                    String[] rangeAndStep = item.split("/");
                    int step = rangeAndStep.length == 2 ? Integer.parseInt(rangeAndStep[1]) : 1;
                    String range = rangeAndStep[0];
                    int low;
                    int high;
                    if (range.equals("*")) {
                        low = RANGES[f][0];
                        high = RANGES[f][1];
                    } else if (range.contains("-")) {
                        low = Integer.parseInt(range.split("-")[0]);
                        high = Integer.parseInt(range.split("-")[1]);
                    } else {
                        low = Integer.parseInt(range);
                        high = rangeAndStep.length == 2 ? RANGES[f][1] : low;
                    }
                    for (int v = low; v <= high; v += step) {
                        allowed[f].set(v);
                    }
                }
            }
            if (allowed[4].get(7)) {
                allowed[4].set(0);
            }
            dayOfMonthStar = fields[2].startsWith("*");
            dayOfWeekStar = fields[4].startsWith("*");
            wallClock = fields[0].startsWith("*") || fields[1].startsWith("*");
        }

        boolean matches(LocalDateTime t) {
            return matchesDay(t) && allowed[0].get(t.getMinute()) && allowed[1].get(t.getHour());
        }

        private boolean matchesDay(LocalDateTime t) {
            boolean dayOfMonth = allowed[2].get(t.getDayOfMonth());
            boolean dayOfWeek = allowed[4].get(t.getDayOfWeek().getValue() % 7);
            boolean day = dayOfMonthStar || dayOfWeekStar ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
            return day && allowed[3].get(t.getMonthValue());
        }

        /** Whether any day of a 28-year cycle with 29 February (2024-2051) matches. */
        boolean matchesSomeDay() {
            for (LocalDateTime t = LocalDateTime.of(2024, 1, 1, 0, 0); t.getYear() < 2052; t = t.plusDays(1)) {
                if (matchesDay(t)) {
                    return true;
                }
            }
            return false;
        }

        TreeSet<Instant> occurrences(ZoneId zone, Instant from, Instant to) {
            TreeSet<Instant> instants = new TreeSet<>();
            LocalDateTime last = LocalDateTime.ofInstant(to, ZoneOffset.UTC).plusDays(1);
            for (LocalDateTime t = LocalDateTime.ofInstant(from, ZoneOffset.UTC).minusDays(1); t.isBefore(last);
                 t = t.plusMinutes(1)) {
                if (matches(t)) {
                    instants.addAll(instants(t, zone.getRules()));
                }
            }
            return new TreeSet<>(instants.subSet(from, true, to, true));
        }

        private List<Instant> instants(LocalDateTime t, ZoneRules rules) {
            List<Instant> instants = rules.getValidOffsets(t).stream().map(t::toInstant).sorted().toList();
            if (instants.isEmpty()) {
                // skipped by the clock: a fixed time fires when the clock resumes, a wildcard one not at all
                return wallClock ? List.of() : List.of(rules.getTransition(t).getInstant());
            }
            // repeated by the clock: a wildcard time fires at both, a fixed time at its first
            return wallClock ? instants : instants.subList(0, 1);
        }
    }
}
