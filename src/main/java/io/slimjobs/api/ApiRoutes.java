package io.slimjobs.api;

import io.slimjobs.Endpoints;
import io.slimjobs.Json;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.model.RouteDefinition;

/** The SlimFaas-compatible HTTP API: the REST DSL declares verbs and paths; each `direct:` route does one call. */
public class ApiRoutes extends RouteBuilder {

    private static final String TRUSTED = JobsApi.TRUSTED_CALLER;

    @Override
    public void configure() {
        rest("/job")
                .post("/{name}").to(Endpoints.API_JOB_POST)
                .get("/{name}").to(Endpoints.API_JOB_LIST)
                .get("/{name}/{id}").to(Endpoints.API_JOB_GET)
                .delete("/{name}/{id}").to(Endpoints.API_JOB_DELETE);
        rest("/job-schedules")
                .post("/{name}").to(Endpoints.API_SCHEDULE_POST)
                .get("/{name}").to(Endpoints.API_SCHEDULE_LIST)
                .delete("/{name}/{id}").to(Endpoints.API_SCHEDULE_DELETE);
        rest("/jobs")
                .get("/status").to(Endpoints.API_JOBS_STATUS);
        rest()
                .get("/ready").to(Endpoints.API_READY)
                .get("/metrics").to(Endpoints.API_METRICS);

        apiRoute(Endpoints.API_JOB_POST, "api-job-post")
                .bean(HttpTriggerReader.class, "read")
                .to(Endpoints.TRIGGER)
                // a repeat of an idempotency key made nothing: 200, where the request that made the execution got 202
                .choice()
                    .when(simple("${body.repeat()}")).setHeader(Exchange.HTTP_RESPONSE_CODE, constant(200))
                    .otherwise().setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                .end()
                .to(Endpoints.API_JSON_RESPONSE);

        apiRoute(Endpoints.API_JOB_LIST, "api-job-list")
                .bean("jobsApi", "list")
                .to(Endpoints.API_JSON_RESPONSE);

        apiRoute(Endpoints.API_JOB_GET, "api-job-get")
                .bean("jobsApi", "execution")
                .to(Endpoints.API_JSON_RESPONSE);

        apiRoute(Endpoints.API_JOB_DELETE, "api-job-delete")
                .bean("jobsApi", "delete")
                .to(Endpoints.API_JSON_RESPONSE);

        apiRoute(Endpoints.API_SCHEDULE_POST, "api-schedule-post")
                .bean("schedulesApi", "create")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201))
                .to(Endpoints.API_JSON_RESPONSE);

        apiRoute(Endpoints.API_SCHEDULE_LIST, "api-schedule-list")
                .bean("schedulesApi", "list")
                .to(Endpoints.API_JSON_RESPONSE);

        apiRoute(Endpoints.API_SCHEDULE_DELETE, "api-schedule-delete")
                .bean("schedulesApi", "delete")
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(204))
                .setBody(constant(""));

        apiRoute(Endpoints.API_JOBS_STATUS, "api-jobs-status")
                .bean("jobsApi", "status")
                .to(Endpoints.API_JSON_RESPONSE);

        from(Endpoints.API_READY).routeId("api-ready").routeConfigurationId(ApiErrorHandling.ID)
                .bean("readiness", "check")
                .to(Endpoints.API_JSON_RESPONSE);

        from(Endpoints.API_METRICS).routeId("api-metrics").routeConfigurationId(ApiErrorHandling.ID)
                .removeHeaders("*")
                // 200 even for an empty scrape: an empty body would be answered 204, which Prometheus counts as down
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(200))
                .setHeader(Exchange.CONTENT_TYPE, constant("text/plain; version=0.0.4; charset=utf-8"))
                .bean("executionGauges", "refresh")
                .bean("metricsRegistry", "scrape()");

        from(Endpoints.API_JSON_RESPONSE).routeId("api-json-response")
                .removeHeaders("*", Exchange.HTTP_RESPONSE_CODE)
                .marshal(new JacksonDataFormat(Json.MAPPER, Object.class))
                // written whole with a Content-Length, rather than chunked from a cached stream
                .convertBodyTo(String.class)
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
    }

    /** A route that answers on behalf of a job: it knows first whether the caller may use Private jobs. */
    private RouteDefinition apiRoute(String endpoint, String routeId) {
        return from(endpoint).routeId(routeId).routeConfigurationId(ApiErrorHandling.ID)
                .setProperty(TRUSTED, method("jobsApi", "trustedCaller"));
    }
}
