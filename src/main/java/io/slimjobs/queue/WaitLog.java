package io.slimjobs.queue;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.slimjobs.kube.ExecutionView;
import io.slimjobs.observe.ExecutionDecision;
import io.slimjobs.observe.ExecutionDecisions;

/** Tells once per execution and reason why a queued execution is held back, instead of on every pass. */
final class WaitLog {

    private final ExecutionDecisions decisions;
    private final Clock clock;
    /** The reason last told, by cap group and execution id. */
    private final Map<String, Map<String, String>> said = new ConcurrentHashMap<>();

    WaitLog(ExecutionDecisions decisions, Clock clock) {
        this.decisions = decisions;
        this.clock = clock;
    }

    /** Tells the reasons of a cap group's waiting executions that changed; forgets those that no longer wait. */
    void note(String capGroup, List<ExecutionView> waiting) {
        Map<String, String> before = said.getOrDefault(capGroup, Map.of());
        Map<String, String> now = new ConcurrentHashMap<>();
        for (ExecutionView execution : waiting) {
            now.put(execution.id(), execution.reason());
            if (!execution.reason().equals(before.get(execution.id()))) {
                decisions.decided(ExecutionDecision.waiting(execution, clock.instant()));
            }
        }
        if (now.isEmpty()) {
            said.remove(capGroup);
        } else {
            said.put(capGroup, now);
        }
    }
}
