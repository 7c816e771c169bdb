package io.slimjobs.api;

import static io.slimjobs.api.RestAnswers.answer;
import static io.slimjobs.api.RestAnswers.refusal;

import java.util.List;
import java.util.Map;

import io.slimjobs.Endpoints;
import io.slimjobs.config.JobOverrides;
import io.slimjobs.config.ScheduleDefinition;
import io.slimjobs.kube.ExecutionDetail;
import io.slimjobs.kube.ExecutionView;
import io.slimjobs.schedule.ScheduleView;
import io.slimjobs.trigger.TriggerAccepted;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;


/** The SlimFaas-compatible HTTP API: the REST DSL declares verbs and paths; each `direct:` route does one call. */
public class ApiRoutes extends RouteBuilder {

    private static final String TRUSTED = JobsApi.TRUSTED_CALLER;
    private static final Map<Integer, String> REFUSALS = Map.of(
            400, "invalid_request: a bad name, malformed JSON, an unknown property, an override outside the definition,"
                    + " a bad header or a malformed percent-escape",
            403, "forbidden: a Private job and an untrusted caller",
            404, "not_found: no such Id for this job",
            409, "conflict: the schedule is defined by the configuration or a CronJob",
            413, "payload_too_large: the body, or the input files, over the limit",
            415, "unsupported_media_type: a body that is not JSON, or a charset this server cannot decode",
            503, "cluster_unavailable: the Kubernetes API refused or could not be reached, or the definitions are not"
                    + " read yet");

    @Override
    public void configure() {
        RestDefinition jobs = rest("/job").description("Executions: trigger, list, read, delete");
        jobs.post("/{name}").id("trigger").description("Queue an execution of the job, with the overrides of the body,"
                        + " or with a CloudEvent as its input (binary: ce-* headers; structured:"
                        + " application/cloudevents+json)")
                .type(JobOverrides.class);
        jobName(jobs);
        jobs.param().name("body").type(RestParamType.body).required(false)
                .description("Overrides of the definition, all optional (JSON, or curl -d's form encoding, or empty);"
                        + " or a CloudEvent's data (binary mode, any content type) or the whole event (structured)")
                .endParam()
                .param().name("Content-Type").type(RestParamType.header).required(false)
                .description("application/json (any charset), application/x-www-form-urlencoded or none: overrides;"
                        + " application/cloudevents+json: a structured CloudEvent; any type with ce-* headers: the data"
                        + " of a binary CloudEvent").endParam()
                .param().name("Idempotency-Key").type(RestParamType.header).required(false)
                .description("1 to 255 visible ASCII characters: every repeat with the same key gets the same"
                        + " execution (200) and creates nothing").endParam()
                .param().name("X-Callback-Url").type(RestParamType.header).required(false)
                .description("absolute http(s) URL of an allowed host (slimjobs.callbacks.allowed-hosts) that receives"
                        + " a CloudEvent when the execution ends").endParam();
        for (String attribute : List.of("ce-specversion", "ce-id", "ce-source", "ce-type")) {
            jobs.param().name(attribute).type(RestParamType.header).required(false)
                    .description("binary CloudEvent attribute " + attribute.substring(3) + " (required in binary mode;"
                            + " any other ce-* header is an extension attribute)").endParam();
        }
        answer(jobs, 202, "queued: the Id to read or delete the execution by", TriggerAccepted.class);
        answer(jobs, 200, "a repeat of an Idempotency-Key (or of a CloudEvent's source and id): the same Id, nothing"
                + " created", TriggerAccepted.class);
        refusals(jobs, 400, 403, 413, 415, 503);
        jobs.to(Endpoints.API_JOB_POST);

        jobs.get("/{name}").id("list-executions").description("The job's executions: those that left the queue newest"
                + " first, then the queued ones in release order");
        jobName(jobs);
        answer(jobs, 200, "the executions; timestamps in epoch milliseconds, -1 when not started",
                ExecutionView[].class);
        refusals(jobs, 400, 403, 503);
        jobs.to(Endpoints.API_JOB_LIST);

        jobs.get("/{name}/{id}").id("get-execution").description("One execution, with how it ended");
        jobName(jobs);
        executionId(jobs);
        answer(jobs, 200, "the execution", ExecutionDetail.class);
        refusals(jobs, 400, 403, 404, 503);
        jobs.to(Endpoints.API_JOB_GET);

        jobs.delete("/{name}/{id}").id("delete-execution").description("Delete an execution, queued, running or"
                + " finished: its Job goes at once, Kubernetes then removes its pods");
        jobName(jobs);
        executionId(jobs);
        answer(jobs, 200, "deleted: its Id and Kubernetes Job name", DeletedExecution.class);
        refusals(jobs, 400, 403, 404, 503);
        jobs.to(Endpoints.API_JOB_DELETE);

        RestDefinition schedules = rest("/job-schedules").description("Cron schedules of a job");
        schedules.post("/{name}").id("create-schedule").description("Create a schedule: a 5-field cron read in its"
                        + " TimeZone, run with the overrides beside it, checked by the trigger's guard rails")
                .type(ScheduleDefinition.class);
        jobName(schedules);
        schedules.param().name("body").type(RestParamType.body).required(true)
                .description("Schedule (required), TimeZone (IANA, UTC when left out) and a trigger's overrides")
                .endParam();
        answer(schedules, 201, "created: the schedule's Id", TriggerAccepted.class);
        refusals(schedules, 400, 403, 413, 415, 503);
        schedules.to(Endpoints.API_SCHEDULE_POST);

        schedules.get("/{name}").id("list-schedules").description("Every schedule of the job: configured and CronJob"
                + " ones in definition order, then API ones by creation");
        jobName(schedules);
        answer(schedules, 200, "the schedules, with their next and last runs", ScheduleView[].class);
        refusals(schedules, 400, 403, 503);
        schedules.to(Endpoints.API_SCHEDULE_LIST);

        schedules.delete("/{name}/{id}").id("delete-schedule").description("Delete a schedule created through the"
                + " API; one of the configuration or of a CronJob is changed there (409)");
        jobName(schedules);
        schedules.param().name("id").type(RestParamType.path).dataType("string")
                .description("the schedule's Id, as listed").endParam();
        answer(schedules, 204, "deleted", null);
        refusals(schedules, 400, 403, 404, 409, 503);
        schedules.to(Endpoints.API_SCHEDULE_DELETE);

        RestDefinition operations = rest().description("Operations: status, probes, metrics, this description");
        operations.get("/jobs/status").id("jobs-status").description("Every definition the caller may see, with its"
                + " schedules and its executions not finished");
        answer(operations, 200, "the definitions", JobStatus[].class);
        refusals(operations, 400, 503);
        operations.to(Endpoints.API_JOBS_STATUS);

        operations.get("/ready").id("ready").description("Readiness: the informer caches are synced and the"
                + " dispatcher runs; says whether this replica leads");
        answer(operations, 200, "ready", Health.class);
        answer(operations, 503, "not ready, with a message when something is wrong", Health.class);
        operations.to(Endpoints.API_READY);

        operations.get("/metrics").id("metrics").description("Prometheus metrics, text exposition format 0.0.4")
                .produces("text/plain");
        answer(operations, 200, "the metrics", null);
        operations.to(Endpoints.API_METRICS);

        operations.get("/openapi.json").id("openapi").description("This OpenAPI 3 description of the HTTP API");
        answer(operations, 200, "the OpenAPI document", null);
        operations.to(Endpoints.API_OPENAPI);

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

        from(Endpoints.API_OPENAPI).routeId("api-openapi").routeConfigurationId(ApiErrorHandling.ID)
                .removeHeaders("*")
                .bean(OpenApiDocument.class, "render")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from(Endpoints.API_JSON_RESPONSE).routeId("api-json-response")
                .removeHeaders("*", Exchange.HTTP_RESPONSE_CODE)
                .bean(JsonBody.class, "of")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
    }

    private static void jobName(RestDefinition rest) {
        rest.param().name("name").type(RestParamType.path).dataType("string")
                .description("the job name: 3 to 30 of a-z, 0-9, - and _, in any case; a name nothing defines runs"
                        + " under Default").endParam();
    }

    private static void executionId(RestDefinition rest) {
        rest.param().name("id").type(RestParamType.path).dataType("string")
                .description("the execution's Id, as the trigger answered it").endParam();
    }

    /** The error answers the verb declared last may give, each with the `{"error","message"}` body. */
    private static void refusals(RestDefinition rest, int... statuses) {
        for (int status : statuses) {
            refusal(rest, status, REFUSALS.get(status));
        }
    }

    /** A route that answers on behalf of a job: it knows first whether the caller may use Private jobs. */
    private RouteDefinition apiRoute(String endpoint, String routeId) {
        return from(endpoint).routeId(routeId).routeConfigurationId(ApiErrorHandling.ID)
                .setProperty(TRUSTED, method("jobsApi", "trustedCaller"));
    }
}
