package io.slimjobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of a Prometheus text scrape: a name with its labels, and its value. */
public final class MetricSamples {

    /** One sample line: {@code name{label="value",...} number}. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    private final List<Sample> samples;

    private MetricSamples(List<Sample> samples) {
        this.samples = samples;
    }

    public static MetricSamples parse(String text) {
        return new MetricSamples(text.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(MetricSamples::sample).toList());
    }

    private static Sample sample(String line) {
        Matcher matcher = LINE.matcher(line);
        if (!matcher.matches()) {
            throw new AssertionError("not a Prometheus sample: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (matcher.group(2) != null) {
            Matcher label = LABEL.matcher(matcher.group(2));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
        }
        return new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(3)));
    }

    /**
     * The value of the one sample of that name whose labels include all of {@code labels} (name, value, name,
     * value...); empty when there is none, an assertion error when there are several.
     */
    public Optional<Double> value(String name, String... labels) {
        List<Sample> matching = matching(name, labels);
        if (matching.size() > 1) {
            throw new AssertionError("several samples match " + name + " " + List.of(labels) + ": " + matching);
        }
        return matching.stream().findFirst().map(Sample::value);
    }

    /** The same, 0 when there is no such sample: a counter not yet incremented. */
    public double count(String name, String... labels) {
        return value(name, labels).orElse(0.0);
    }

    public List<Sample> matching(String name, String... labels) {
        return samples.stream().filter(sample -> sample.name().equals(name))
                .filter(sample -> {
                    for (int i = 0; i + 1 < labels.length; i += 2) {
                        if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
                            return false;
                        }
                    }
                    return true;
                }).toList();
    }

    /** Every sample name. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(sample -> names.add(sample.name()));
        return names;
    }

    /** Every label name some sample of that name carries. */
    public Set<String> labelNames(String name) {
        Set<String> names = new TreeSet<>();
        matching(name).forEach(sample -> names.addAll(sample.labels().keySet()));
        return names;
    }
}
