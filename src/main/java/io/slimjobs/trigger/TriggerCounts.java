package io.slimjobs.trigger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;

/**
 * Counts triggers by job name, door and outcome ({@code slimjobs_triggers_total}). Counted straight in the registry
 * rather than through a dynamic micrometer endpoint, which resolved and looked up an endpoint URI per trigger; the
 * tags are those that endpoint gave, camelContext included, so that dashboards keep working.
 */
public final class TriggerCounts {

    public static final String BEAN = "triggerCounts";

    private final MeterRegistry registry;
    private final String camelContext;

    public TriggerCounts(MeterRegistry registry, String camelContext) {
        this.registry = registry;
        this.camelContext = camelContext;
    }

    public void accepted(Exchange exchange) {
        count(exchange, "accepted");
    }

    /** A trigger refused once its job name was read; one refused before has no definition to count under. */
    public void rejected(Exchange exchange) {
        if (exchange.getProperty(TriggerSteps.DEFINITION_PROPERTY) != null) {
            count(exchange, "rejected");
        }
    }

    private void count(Exchange exchange, String outcome) {
        Counter.builder("slimjobs.triggers").description("Triggers by job name, door and outcome")
                .tag("camelContext", camelContext)
                .tag("job_name", exchange.getProperty(TriggerSteps.DEFINITION_PROPERTY, String.class))
                .tag("door", exchange.getProperty(TriggerSteps.REQUEST_PROPERTY, TriggerRequest.class).door().tag())
                .tag("outcome", outcome)
                .register(registry).increment();
    }
}
