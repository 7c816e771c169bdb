package io.slimjobs.trigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.slimjobs.error.ClusterUnavailableException;

/**
 * How long a trigger may wait for the API server before its door answers 503: below the 10 s SlimFaas clients
 * usually wait, whatever fabric8's own timeouts and retries would make of a stalled API server.
 */
public final class TriggerDeadline {

    private final Duration timeout;
    private final Clock clock;
    /** Runs the writes, so that a caller can stop waiting for one that is still in flight. */
    private final ExecutorService writes;

    public TriggerDeadline(Duration timeout, Clock clock, ExecutorService writes) {
        this.timeout = timeout;
        this.clock = clock;
        this.writes = writes;
    }

    /** When a trigger starting now must have its answer. */
    public Instant answerBy() {
        return clock.instant().plus(timeout);
    }

    /**
     * The call's result, if it comes by {@code answerBy}; otherwise {@code gaveUp} is told, the caller gets a 503, and
     * the call goes on unattended, followed by {@code afterLateEnd} once it ends. A failure of the call is thrown as
     * it is.
     */
    public <T> T within(Instant answerBy, Callable<T> call, Runnable gaveUp, Runnable afterLateEnd) {
        CompletableFuture<T> result = CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, writes);
        try {
            return result.get(Math.max(0, Duration.between(clock.instant(), answerBy).toMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            gaveUp.run();
            result.whenCompleteAsync((created, failure) -> afterLateEnd.run(), writes);
            throw new ClusterUnavailableException("the Kubernetes API server did not answer within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
