package io.slimjobs.observe;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per decision, with the job name, the execution Id and the decision as fields (MDC keys
 * {@code job_name}, {@code execution_id}, {@code decision}) for log collectors.
 */
public final class DecisionLog implements Consumer<ExecutionDecision> {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);

    @Override
    public void accept(ExecutionDecision d) {
        try (var job = MDC.putCloseable("job_name", d.jobName());
             var id = MDC.putCloseable("execution_id", d.executionId());
             var decision = MDC.putCloseable("decision", d.decision().tag())) {
            switch (d.decision()) {
                case QUEUED -> LOG.info("Job {} execution {} queued ({}, door {})", d.jobName(), d.executionId(),
                        d.objectName(), d.detail());
                case RELEASED -> LOG.info("Job {} execution {} released ({}) after {} queued", d.jobName(),
                        d.executionId(), d.objectName(), seconds(d.enqueuedAt(), d.at()));
                case WAITING -> LOG.info("Job {} execution {} stays queued ({}): {}", d.jobName(), d.executionId(),
                        d.objectName(), d.detail());
                case FINISHED -> LOG.info("Job {} execution {} finished ({}): {}{}", d.jobName(), d.executionId(),
                        d.objectName(), d.detail(),
                        d.startedAt() == null ? "" : " after running " + seconds(d.startedAt(), d.endedAt()));
                case DELETED -> LOG.info("Job {} execution {} deleted ({}) while {}", d.jobName(), d.executionId(),
                        d.objectName(), d.detail());
            }
        }
    }

    /** "1.25 s" */
    private static String seconds(Instant from, Instant to) {
        if (from == null || to == null) {
            return "?";
        }
        return BigDecimal.valueOf(Duration.between(from, to).toMillis(), 3).stripTrailingZeros().toPlainString()
                + " s";
    }
}
