package io.slimjobs.trigger;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.slimjobs.Endpoints;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The trigger pipeline every door ends in, so no door can skip a guard rail. Errors are not handled here
 * (no error handler of its own): they go back to the door, which answers them its own way.
 */
public class TriggerRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from(Endpoints.TRIGGER).routeId("trigger")
                .errorHandler(noErrorHandler())
                .bean("triggerSteps", "plan")
                .bean("triggerSteps", "kubernetesJob")
                .bean("triggerSteps", "createInput")
                .doTry()
                    .to("kubernetes-job:local?operation=createJob")
                    .setProperty(TriggerSteps.CREATED_JOB_PROPERTY, body())
                .doCatch(KubernetesClientException.class).onWhen(TriggerSteps::isRepeat)
                    .log(LoggingLevel.DEBUG, "A request with the same idempotency key made the Job")
                .doCatch(Exception.class)
                    .bean("triggerSteps", "discardInput")
                .end()
                .bean("triggerSteps", "ownInput")
                .bean("triggerSteps", "accepted")
                .bean(TriggerCounts.BEAN, "accepted");
    }
}
