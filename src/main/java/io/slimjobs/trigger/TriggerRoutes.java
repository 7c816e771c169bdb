package io.slimjobs.trigger;

import io.slimjobs.Endpoints;
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
                .bean("triggerSteps", "create")
                .bean("triggerSteps", "ownInput")
                .bean("triggerSteps", "accepted")
                .bean(TriggerCounts.BEAN, "accepted");

        // every replica deletes the Jobs it gave up on as soon as its cache shows them
        from("timer:abandoned-jobs?period=1000").routeId("abandoned-jobs")
                .bean(AbandonedJobs.BEAN, "sweep");
    }
}
