package io.slimjobs.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The release route's Throttle bounds how fast releases reach the API server, whatever the free slots: a backlog
 * that may start at once goes out at `slimjobs.dispatcher.max-releases-per-second`.
 */
class ReleaseRateTest extends SlimJobsTestSupport {

    private static final int RATE = 2;
    private static final int BACKLOG = 6;

    private ReleaseObserver observer;

    @Override
    protected String jobsConfiguration() {
        return """
                {"Configurations": {
                  "wide": {"Image": "busybox:1.36", "Visibility": "Public", "NumberParallelJob": 100}
                }}
                """;
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("slimjobs.dispatcher.max-releases-per-second", String.valueOf(RATE));
    }

    @BeforeEach
    void observe() {
        observer = new ReleaseObserver(kube(), namespace, name -> name);
    }

    @AfterEach
    void stopObserving() {
        observer.close();
    }

    @Test
    void should_send_a_backlog_of_releases_no_faster_than_the_configured_rate() {
        for (int i = 0; i < BACKLOG; i++) {
            trigger("wide", "");
        }
        awaitUntil("every execution released", () -> observer.releases().size() == BACKLOG);

        List<ReleaseObserver.Release> releases = observer.releases();
        assertEquals(BACKLOG, releases.stream().map(ReleaseObserver.Release::id).distinct().count());
        // RATE per second: the first RATE go at once, the last one no sooner than (BACKLOG / RATE - 1) periods later
        Duration spread = Duration.ofNanos(releases.get(BACKLOG - 1).seenAtNanos() - releases.get(0).seenAtNanos());
        Duration least = Duration.ofSeconds(BACKLOG / RATE - 1).minusMillis(100);
        assertTrue(spread.compareTo(least) >= 0, "releases spread over " + spread + ", at least " + least + " expected");
    }
}
