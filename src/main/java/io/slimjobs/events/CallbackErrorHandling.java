package io.slimjobs.events;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.OnExceptionDefinition;

/**
 * Retries of a callback: any failure (a non-2xx answer, no answer in time, no connection) is tried again after
 * `slimjobs.callbacks.initial-backoff`, the delay doubling each time, for at most `slimjobs.callbacks.max-attempts`
 * attempts, while this replica leads. The wait is a scheduled redelivery, no thread sleeps; a shutdown stops it.
 */
public class CallbackErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "callback-errors";
    /** A day: the doubling is not capped in practice (Camel caps it at a minute by default). */
    private static final long LONGEST_DELAY = 86_400_000L;

    @Override
    public void configuration() {
        OnExceptionDefinition retries = routeConfiguration(ID)
                .onException(Exception.class)
                    .redeliveryDelay("{{slimjobs.callbacks.initial-backoff}}")
                    .useExponentialBackOff().backOffMultiplier(2)
                    .maximumRedeliveryDelay(LONGEST_DELAY)
                    .asyncDelayedRedelivery()
                    .retryWhile(method("announcer", "retryDelivery"))
                    .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                    .logExhausted(false);
        // a shutdown does not wait for the next attempt: the next leader makes it
        retries.getRedeliveryPolicyType().allowRedeliveryWhileStopping(false);
        retries.handled(true)
                .filter(method("announcer", "deliveryFailed"))
                    .to(AnnouncementRoutes.deliveries(ExecutionAnnouncer.FAILED))
                .end()
                .end();
    }
}
