package io.slimjobs;

import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;

/**
 * Another SlimJobs in the test JVM, started the way `java -jar` starts one, on the same API server as the test's:
 * a second replica, or the same one after a restart. It has its own HTTP port and Camel name.
 */
public final class SlimJobsReplica implements AutoCloseable {

    private final Main main = new Main(SlimJobsApplication.class);
    private final HttpCaller http;
    private final ProducerTemplate template;

    /**
     * @param properties the test's properties (API server, namespace, configuration), then this replica's own
     * @param beans      bound before startup, such as a `clock`
     */
    public SlimJobsReplica(String name, Properties properties, Map<String, String> own, Map<String, Object> beans) {
        int port = AvailablePortFinder.getNextAvailable();
        properties.stringPropertyNames().forEach(key -> main.addOverrideProperty(key, properties.getProperty(key)));
        main.addOverrideProperty("camel.main.name", name);
        main.addOverrideProperty("slimjobs.http.port", String.valueOf(port));
        own.forEach(main::addOverrideProperty);
        beans.forEach(main::bind);
        try {
            main.start();
        } catch (RuntimeException e) {
            main.stop();
            throw e;
        }
        http = new HttpCaller(port);
        template = main.getCamelContext().createProducerTemplate();
        try {
            // a replica gets traffic once ready, as Kubernetes sends it none before
            SlimJobsTestSupport.awaitUntil("replica " + name + " ready",
                    () -> http.call(HttpCaller.OUTSIDER, "GET", "/ready", Map.of(), null).status() == 200);
        } catch (AssertionError e) {
            close();
            throw e;
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public HttpCaller http() {
        return http;
    }

    public ProducerTemplate template() {
        return template;
    }

    @Override
    public void close() {
        template.stop();
        main.stop();
    }
}
