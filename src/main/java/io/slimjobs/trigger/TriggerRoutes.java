package io.slimjobs.trigger;

import io.fabric8.kubernetes.client.KubernetesClientException;
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
                .doTry()
                    .to("kubernetes-job:local?operation=createJob")
                    .bean("triggerSteps", "accepted")
                .doCatch(KubernetesClientException.class).onWhen(TriggerSteps::isRepeat)
                    .bean("triggerSteps", "repeated")
                .end()
                .toD("micrometer:counter:slimjobs.triggers?tags.job=${exchangeProperty."
                        + TriggerSteps.DEFINITION_PROPERTY + "}&tags.door=${exchangeProperty."
                        + TriggerSteps.REQUEST_PROPERTY + ".door().tag()}&tags.outcome=accepted");
    }
}
