package io.slimjobs.events;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.slimjobs.error.SlimJobsException;
import io.slimjobs.kube.KubernetesErrors;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Kafka door does with a record that failed. A refusal (every 4xx: malformed, no job name, a job Default
 * cannot run, a guard rail) can never succeed: the original record goes to the dead-letter topic with why, and the
 * offset moves on. Anything else (the API server away, a 503, a bug) is retried with exponential backoff for as long
 * as it takes; a stop during the retries ends the exchange failed, so that its offset is not committed.
 */
public class KafkaErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "kafka-errors";
    /** The error code of a dead letter, as the HTTP JSON `error` names it. */
    public static final String ERROR_HEADER = "slimjobs-error";
    /** Why a dead letter was refused, for people. */
    public static final String ERROR_MESSAGE_HEADER = "slimjobs-error-message";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaErrorHandling.class);

    @Override
    public void configuration() {
        RouteConfigurationDefinition configuration = routeConfiguration(ID);
        configuration.onException(SlimJobsException.class, KubernetesClientException.class)
                .onWhen(exchange -> refusal(exchange) != null)
                .handled(true)
                // the record as it came: value, key and headers
                .useOriginalMessage()
                .process(KafkaErrorHandling::markRefusal)
                .to("kafka:{{slimjobs.kafka.dead-letter-topic}}?valueSerializer="
                        + "org.apache.kafka.common.serialization.ByteArraySerializer")
                .toD("micrometer:counter:slimjobs.kafka.records?tags.topic=${header[" + KafkaConstants.TOPIC
                        + "]}&tags.outcome=dead_lettered")
                .end();
        configuration.onException(Exception.class)
                .maximumRedeliveries(-1)
                .redeliveryDelay("{{slimjobs.kafka.retry-initial-delay}}")
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay("{{slimjobs.kafka.retry-max-delay}}")
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logRetryAttempted(true)
                .logStackTrace(false)
                .getRedeliveryPolicyType()
                // a stop does not wait for the API server: the record stays uncommitted and comes again
                .allowRedeliveryWhileStopping(false);
    }

    /** The refusal that failed this exchange; null when it may succeed later (503) or is not a refusal at all. */
    private static SlimJobsException refusal(Exchange exchange) {
        SlimJobsException error = KubernetesErrors.meaning(exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                Exception.class));
        return error == null || error.status() == 503 ? null : error;
    }

    private static void markRefusal(Exchange exchange) {
        SlimJobsException error = refusal(exchange);
        Message record = exchange.getMessage();
        LOG.warn("Kafka record {}/{}/{} goes to the dead-letter topic: {}: {}", record.getHeader(KafkaConstants.TOPIC),
                record.getHeader(KafkaConstants.PARTITION), record.getHeader(KafkaConstants.OFFSET), error.error(),
                error.getMessage());
        exchange.getMessage().setHeader(ERROR_HEADER, error.error());
        exchange.getMessage().setHeader(ERROR_MESSAGE_HEADER, error.getMessage());
    }
}
