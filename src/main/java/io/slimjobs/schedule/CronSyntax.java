package io.slimjobs.schedule;

import java.time.DayOfWeek;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.slimjobs.error.InvalidRequestException;

/**
 * Checks the text of a 5-field Unix cron token by token, so that a mistake is reported with its field and token,
 * and rewrites it for cron-utils: macros expanded, names as numbers. cron-utils' own messages name neither the
 * field nor the token, it accepts what Unix cron does not (`+5`, non-ASCII digits, `|` between expressions) and it
 * reads `SUN` as 7, which breaks `SUN-SAT`.
 */
final class CronSyntax {

    /** The expression as cron-utils is to read it, and what Vixie cron's rules need to know of its text. */
    record Checked(String numeric, boolean wallClock, boolean eitherDay) {
    }

    private static final String FIELDS = "minute hour day-of-month month day-of-week";

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    private static final Pattern ITEM = Pattern.compile("(\\*|(\\w+)(?:-(\\w+))?)(?:/(\\w+))?");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+");
    /** Quartz' ?, L, W and # items, which are worth a message of their own. */
    private static final Pattern QUARTZ = Pattern.compile("\\?|L|LW|L-[0-9]+|[0-9]+[LW]|[0-9]+#[0-9]+",
            Pattern.CASE_INSENSITIVE);

    private enum Field {
        MINUTE("minute", 0, 59, null),
        HOUR("hour", 0, 23, null),
        DAY_OF_MONTH("day-of-month", 1, 31, null),
        MONTH("month", 1, 12, i -> Month.of(i).getDisplayName(TextStyle.SHORT, Locale.ENGLISH)),
        // 0 and 7 are both Sunday
        DAY_OF_WEEK("day-of-week", 0, 7, i -> DayOfWeek.of(i == 0 ? 7 : i).getDisplayName(TextStyle.SHORT, Locale.ENGLISH));

        final String label;
        final int min;
        final int max;
        final IntFunction<String> name;

        Field(String label, int min, int max, IntFunction<String> name) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.name = name;
        }

        /** What a value of this field may be, for messages. */
        String accepted() {
            String numbers = "a number " + min + "-" + max;
            return name == null ? numbers : numbers + " or a name " + name.apply(min).toUpperCase(Locale.ROOT) + "-"
                    + name.apply(max - (this == DAY_OF_WEEK ? 1 : 0)).toUpperCase(Locale.ROOT);
        }

        /** The number a value stands for; `SUN` ends a range as 7, so that `FRI-SUN` reads as Unix cron users mean. */
        int value(String expression, String item, String token, boolean rangeEnd) {
            if (NUMBER.matcher(token).matches()) {
                int value = token.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(token);
                if (value < min || value > max) {
                    throw invalid(expression, where(item, token) + " is out of range " + min + "-" + max);
                }
                return value;
            }
            for (int i = min; name != null && i <= max; i++) {
                if (name.apply(i).equalsIgnoreCase(token) && (i != 0 || !rangeEnd)) {
                    return i;
                }
            }
            throw invalid(expression, where(item, token) + " is not " + accepted());
        }

        int step(String expression, String item, String token) {
            if (!NUMBER.matcher(token).matches() || token.length() > 9 || Integer.parseInt(token) < 1
                    || Integer.parseInt(token) > max) {
                throw invalid(expression, where(item, token) + " is not a step 1-" + max);
            }
            return Integer.parseInt(token);
        }

        /** The field and the bad token, and the list item that holds it when that is longer. */
        String where(String item, String token) {
            return label + ": '" + token + "'" + (token.equals(item) ? "" : " in '" + item + "'");
        }
    }

    private CronSyntax() {
    }

    static Checked check(String expression) {
        String text = expression == null ? "" : expression.trim();
        if (text.isEmpty()) {
            throw new InvalidRequestException("invalid cron: the expression is empty; expected 5 fields: " + FIELDS);
        }
        if (text.startsWith("@")) {
            String macro = MACROS.get(text.toLowerCase(Locale.ROOT));
            if (macro == null) {
                throw invalid(text, "unknown macro; expected one of " + String.join(", ", new TreeSet<>(MACROS.keySet())));
            }
            return check(text, macro.split(" "));
        }
        String[] fields = text.split("\\s+");
        if (fields.length != Field.values().length) {
            throw invalid(text, fields.length + (fields.length == 1 ? " field" : " fields") + " given, 5 expected: "
                    + FIELDS + (fields.length > 5 ? " (a seconds or year field is Quartz syntax, not Unix cron)" : ""));
        }
        return check(text, fields);
    }

    private static Checked check(String expression, String[] fields) {
        List<String> numeric = new ArrayList<>();
        for (Field field : Field.values()) {
            numeric.add(numeric(expression, field, fields[field.ordinal()]));
        }
        // Vixie cron: a field "begins with *" is unrestricted for the day rule and makes times follow the wall clock
        boolean minuteOrHourStar = fields[0].startsWith("*") || fields[1].startsWith("*");
        boolean eitherDay = !fields[2].startsWith("*") && !fields[4].startsWith("*");
        return new Checked(String.join(" ", numeric), minuteOrHourStar, eitherDay);
    }

    private static String numeric(String expression, Field field, String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            items.add(numericItem(expression, field, item));
        }
        return String.join(",", items);
    }

    private static String numericItem(String expression, Field field, String item) {
        if (QUARTZ.matcher(item).matches()) {
            throw invalid(expression, field.where(item, item) + " is Quartz syntax (?, L, W, #), not Unix cron");
        }
        Matcher m = ITEM.matcher(item);
        if (!m.matches()) {
            throw invalid(expression, field.where(item, item) + " is not *, " + field.accepted()
                    + ", a range a-b or a step */s, a-b/s or n/s");
        }
        boolean star = m.group(2) == null;
        int from = star ? field.min : field.value(expression, item, m.group(2), false);
        int to = m.group(3) == null ? from : field.value(expression, item, m.group(3), true);
        if (from > to) {
            throw invalid(expression, field.where(item, item) + " is a range that starts after it ends");
        }
        String base = star ? "*" : m.group(3) == null ? Integer.toString(from) : from + "-" + to;
        if (m.group(4) == null) {
            return base;
        }
        int step = field.step(expression, item, m.group(4));
        if (field == Field.DAY_OF_WEEK) {
            // cron-utils maps a stepped day-of-week's start or step of 7 to Sunday's 0 (7/1 would be every day,
            // 1-5/7 a step of 0): write the days out, * and n/s running up to 7
            int last = m.group(3) == null ? field.max : to;
            return IntStream.iterate(from, day -> day <= last, day -> day + step).mapToObj(Integer::toString)
                    .collect(Collectors.joining(","));
        }
        return base + "/" + step;
    }

    static InvalidRequestException invalid(String expression, String problem) {
        return new InvalidRequestException("invalid cron '" + expression + "': " + problem);
    }
}
