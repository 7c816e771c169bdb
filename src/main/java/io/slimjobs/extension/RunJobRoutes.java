package io.slimjobs.extension;

import io.slimjobs.Endpoints;
import io.slimjobs.error.InvalidRequestException;
import io.slimjobs.trigger.Door;
import io.slimjobs.trigger.IdempotencyKey;
import io.slimjobs.trigger.TriggerAccepted;
import io.slimjobs.trigger.TriggerHeaders;
import io.slimjobs.trigger.TriggerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

/**
 * The in-process door for the operator's own routes: plain headers and body in, so that a YAML route needs no Java.
 * Routes are deployed by the operator, so their requests are trusted (Private jobs too). No error handler of its
 * own: a refusal goes back to the calling route as an exception, for its own onException or doTry to decide.
 */
public class RunJobRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from(Endpoints.RUN_JOB).routeId("run-job")
                .errorHandler(noErrorHandler())
                .process(RunJobRoutes::triggerRequest)
                .to(Endpoints.TRIGGER)
                // the trigger pipeline's createJob headers are no business of the calling route
                .removeHeaders("CamelKubernetes*")
                .process(exchange -> exchange.getMessage().setHeader(TriggerHeaders.EXECUTION_ID,
                        exchange.getMessage().getBody(TriggerAccepted.class).id()));
    }

    private static void triggerRequest(Exchange exchange) {
        Message message = exchange.getMessage();
        String jobName = message.getHeader(TriggerHeaders.JOB, String.class);
        if (jobName == null || jobName.isBlank()) {
            throw new InvalidRequestException("the header " + TriggerHeaders.JOB + " must name the job to run");
        }
        String overrides = message.getBody(String.class);
        message.setBody(new TriggerRequest(jobName, overrides == null ? "" : overrides, "application/json", true,
                IdempotencyKey.checked(message.getHeader(TriggerHeaders.IDEMPOTENCY_KEY, String.class)), Door.ROUTE));
    }
}
