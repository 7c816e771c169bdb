package io.slimjobs.queue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.slimjobs.kube.ExecutionView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says once per execution and reason why a queued execution is held back, instead of on every pass. */
final class WaitLog {

    private static final Logger LOG = LoggerFactory.getLogger(WaitLog.class);

    /** The reason last said, by cap group and execution id. */
    private final Map<String, Map<String, String>> said = new ConcurrentHashMap<>();

    /** Logs the reasons of a cap group's waiting executions that changed; forgets those that no longer wait. */
    void note(String capGroup, List<ExecutionView> waiting) {
        Map<String, String> before = said.getOrDefault(capGroup, Map.of());
        Map<String, String> now = new ConcurrentHashMap<>();
        for (ExecutionView execution : waiting) {
            now.put(execution.id(), execution.reason());
            if (!execution.reason().equals(before.get(execution.id()))) {
                LOG.info("Execution {} ({}) stays queued: {}", execution.id(), execution.name(), execution.reason());
            }
        }
        if (now.isEmpty()) {
            said.remove(capGroup);
        } else {
            said.put(capGroup, now);
        }
    }
}
