package io.slimjobs.api;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.slimjobs.Endpoints;
import io.slimjobs.error.ClusterUnavailableException;
import io.slimjobs.error.SlimJobsException;
import io.slimjobs.kube.KubernetesErrors;
import io.slimjobs.trigger.TriggerCounts;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure of an API route into a JSON error answer with its status; a 500 means a bug. */
public class ApiErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "api-errors";
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorHandling.class);

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(SlimJobsException.class, KubernetesClientException.class).handled(true)
                    .process(ApiErrorHandling::answer)
                    .bean(TriggerCounts.BEAN, "rejected")
                    .to(Endpoints.API_JSON_RESPONSE)
                    .filter(header(Exchange.HTTP_RESPONSE_CODE).isEqualTo(503))
                        .setHeader("Retry-After", constant(ClusterUnavailableException.RETRY_AFTER_SECONDS))
                    .end()
                .end()
                .onException(Exception.class).handled(true)
                    .process(ApiErrorHandling::internalError)
                    .to(Endpoints.API_JSON_RESPONSE)
                .end();
    }

    private static void answer(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        SlimJobsException error = KubernetesErrors.meaning(caught);
        LOG.debug("{} {}: {}", error.status(), error.error(), error.getMessage());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, error.status());
        exchange.getMessage().setBody(new ApiError(error.error(), error.getMessage()));
    }

    private static void internalError(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.error("Unexpected failure in route {}", exchange.getFromRouteId(), caught);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 500);
        exchange.getMessage().setBody(new ApiError("internal_error", "unexpected failure: " + caught));
    }
}
