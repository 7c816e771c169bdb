package io.slimjobs;

/** The `direct:` endpoints that tie the routes together; tests and extensions address them by these names. */
public final class Endpoints {

    /** The one trigger pipeline every door ends in: takes a TriggerRequest, answers a TriggerAccepted. */
    public static final String TRIGGER = "direct:trigger";
    /**
     * The in-process entry for the operator's own routes: header `slimjobs-job` names the job, optional
     * `Idempotency-Key`, the body is the overrides JSON; answers a TriggerAccepted and header `slimjobs-execution-id`.
     */
    public static final String RUN_JOB = "direct:run-job";

    public static final String API_JOB_POST = "direct:api-job-post";
    public static final String API_JOB_LIST = "direct:api-job-list";
    public static final String API_JOB_GET = "direct:api-job-get";
    public static final String API_JOB_DELETE = "direct:api-job-delete";
    public static final String API_SCHEDULE_POST = "direct:api-schedule-post";
    public static final String API_SCHEDULE_LIST = "direct:api-schedule-list";
    public static final String API_SCHEDULE_DELETE = "direct:api-schedule-delete";
    public static final String API_JOBS_STATUS = "direct:api-jobs-status";
    public static final String API_READY = "direct:api-ready";
    public static final String API_METRICS = "direct:api-metrics";
    public static final String API_OPENAPI = "direct:api-openapi";
    /** The dashboard page served at `/`. */
    public static final String DASHBOARD_PAGE = "direct:dashboard-page";
    /** A file the dashboard page loads (script, style sheet), header `file` naming it. */
    public static final String DASHBOARD_FILE = "direct:dashboard-file";
    /** One tick of the schedules: on the leader, fires every occurrence due. */
    public static final String SCHEDULE_TICK = "direct:schedule-tick";
    /** Fires one occurrence of a schedule (a `Fire`) through the trigger pipeline and records the outcome. */
    public static final String SCHEDULE_FIRE = "direct:schedule-fire";
    /**
     * Publishes its body, a structured CloudEvent as JSON bytes, to the events topic, keyed by the header `kafka.KEY`
     * (the execution Id); returns once the broker acknowledged it, throws otherwise.
     */
    public static final String KAFKA_EVENTS = "direct:kafka-events";
    /** Writes the body as SlimJobs JSON, keeping only the response code among the headers. */
    public static final String API_JSON_RESPONSE = "direct:api-json-response";

    private Endpoints() {
    }
}
