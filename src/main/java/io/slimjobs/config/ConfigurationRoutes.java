package io.slimjobs.config;

import org.apache.camel.builder.RouteBuilder;

/**
 * Reads the jobs configuration file again every `slimjobs.config.reload-interval`, on every replica (each serves
 * triggers from its own definitions). Only a file is watched: not the environment variable, nor the embedded demo's
 * sample, for which no {@link ConfigurationFile} is bound.
 */
public class ConfigurationRoutes extends RouteBuilder {

    @Override
    public void configure() {
        if (getCamelContext().getRegistry().lookupByNameAndType(ConfigurationFile.BEAN, ConfigurationFile.class) == null) {
            return;
        }
        from("timer:config-reload?period={{slimjobs.config.reload-interval}}&delay={{slimjobs.config.reload-interval}}")
                .routeId("config-reload")
                .bean(ConfigurationFile.BEAN, "reload");
    }
}
