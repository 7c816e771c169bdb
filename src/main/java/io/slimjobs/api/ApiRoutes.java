package io.slimjobs.api;

import io.slimjobs.Endpoints;
import io.slimjobs.Json;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jackson.JacksonDataFormat;

/** The SlimFaas-compatible HTTP API: the REST DSL declares verbs and paths; each `direct:` route does one call. */
public class ApiRoutes extends RouteBuilder {

    private static final String TRUSTED = JobsApi.TRUSTED_CALLER;

    @Override
    public void configure() {
        // `curl -d` sends JSON as a form; keep the raw body instead of a map of form fields
        restConfiguration().endpointProperty("populateBodyWithForm", "false");

        rest("/job")
                .post("/{name}").to(Endpoints.API_JOB_POST)
                .get("/{name}").to(Endpoints.API_JOB_LIST)
                .delete("/{name}/{id}").to(Endpoints.API_JOB_DELETE);
        rest("/jobs")
                .get("/status").to(Endpoints.API_JOBS_STATUS);
        rest()
                .get("/ready").to(Endpoints.API_READY)
                .get("/metrics").to(Endpoints.API_METRICS);

        from(Endpoints.API_JOB_POST).routeId("api-job-post").routeConfigurationId(ApiErrorHandling.ID)
                .setProperty(TRUSTED, method("jobsApi", "trustedCaller"))
                .bean("jobsApi", "triggerRequest")
                .to(Endpoints.TRIGGER)
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                .to(Endpoints.API_JSON_RESPONSE);

        from(Endpoints.API_JOB_LIST).routeId("api-job-list").routeConfigurationId(ApiErrorHandling.ID)
                .setProperty(TRUSTED, method("jobsApi", "trustedCaller"))
                .bean("jobsApi", "list")
                .to(Endpoints.API_JSON_RESPONSE);

        from(Endpoints.API_JOB_DELETE).routeId("api-job-delete").routeConfigurationId(ApiErrorHandling.ID)
                .setProperty(TRUSTED, method("jobsApi", "trustedCaller"))
                .bean("jobsApi", "delete")
                .to(Endpoints.API_JSON_RESPONSE);

        from(Endpoints.API_JOBS_STATUS).routeId("api-jobs-status").routeConfigurationId(ApiErrorHandling.ID)
                .setProperty(TRUSTED, method("jobsApi", "trustedCaller"))
                .bean("jobsApi", "status")
                .to(Endpoints.API_JSON_RESPONSE);

        from(Endpoints.API_READY).routeId("api-ready").routeConfigurationId(ApiErrorHandling.ID)
                .bean("readiness", "check")
                .to(Endpoints.API_JSON_RESPONSE);

        from(Endpoints.API_METRICS).routeId("api-metrics").routeConfigurationId(ApiErrorHandling.ID)
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("text/plain; version=0.0.4; charset=utf-8"))
                .bean("metricsRegistry", "scrape");

        from(Endpoints.API_JSON_RESPONSE).routeId("api-json-response")
                .removeHeaders("*", Exchange.HTTP_RESPONSE_CODE)
                .marshal(new JacksonDataFormat(Json.MAPPER, Object.class))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
    }
}
