package io.slimjobs.trigger;

import org.apache.camel.builder.RouteBuilder;

/**
 * A crash between creating an execution's input Secret and handing it to its Job leaves an ownerless Secret behind:
 * the leader adopts it (its Job exists) or deletes it, once it is older than the sweep interval.
 */
public class InputSweepRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:input-sweep?period={{slimjobs.inputs.sweep-interval}}&delay={{slimjobs.inputs.sweep-interval}}")
                .routeId("input-sweep")
                .filter(method("leadership", "leads"))
                    .setBody(constant("{{slimjobs.inputs.sweep-interval}}"))
                    .bean("inputSecrets", "sweep");
    }
}
