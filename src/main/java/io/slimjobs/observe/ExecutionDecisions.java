package io.slimjobs.observe;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place each decision about an execution is told: the log line, the metrics and the Kubernetes Event all
 * listen here, so that they never tell different stories. A listener that fails never stops the decision.
 */
public final class ExecutionDecisions {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionDecisions.class);

    private final List<Consumer<ExecutionDecision>> listeners = new CopyOnWriteArrayList<>();

    public void listen(Consumer<ExecutionDecision> listener) {
        listeners.add(listener);
    }

    public void decided(ExecutionDecision decision) {
        for (Consumer<ExecutionDecision> listener : listeners) {
            try {
                listener.accept(decision);
            } catch (RuntimeException e) {
                LOG.warn("Telling of job {} execution {} {} failed", decision.jobName(), decision.executionId(),
                        decision.decision().tag(), e);
            }
        }
    }
}
