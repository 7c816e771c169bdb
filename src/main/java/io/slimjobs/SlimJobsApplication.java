package io.slimjobs;

import java.util.Objects;
import java.util.Set;

import org.apache.camel.main.Main;

/** Runs SlimJobs: routes, beans and configuration are found from this class's package. */
public final class SlimJobsApplication {

    /** The appenders of logback.xml, which picks one by the same setting. */
    private static final Set<String> LOG_FORMATS = Set.of("text", "json");

    private SlimJobsApplication() {
    }

    public static void main(String[] args) throws Exception {
        // logback.xml reads the setting before Camel does: with a format it has no appender for, it would log nothing,
        // this refusal included, so it is said on the console directly
        String logFormat = Objects.requireNonNullElse(System.getProperty("slimjobs.log.format"),
                Objects.requireNonNullElse(System.getenv("SLIMJOBS_LOG_FORMAT"), "text"));
        if (!LOG_FORMATS.contains(logFormat)) {
            System.err.println("slimjobs.log.format (environment variable SLIMJOBS_LOG_FORMAT) must be text or json, "
                    + "not \"" + logFormat + "\"");
            System.exit(2);
        }
        new Main(SlimJobsApplication.class).run(args);
    }
}
