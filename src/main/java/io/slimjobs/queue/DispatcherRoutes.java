package io.slimjobs.queue;

import org.apache.camel.builder.RouteBuilder;

/** The dispatcher's safety net: a periodic pass over every job name, whatever events were missed. */
public class DispatcherRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:dispatcher-resync?period={{slimjobs.dispatcher.resync-interval}}").routeId("dispatcher-resync")
                .bean("dispatcher", "resyncAll");
    }
}
