package io.slimjobs.config;

/** Where a schedule is defined, and so where it must be changed. */
public enum ScheduleSource {
    /** the jobs configuration (environment variable or file) */
    Configuration,
    /** the `SlimFaas/Schedules` annotation of a CronJob */
    CronJob,
    /** created through `POST /job-schedules/{name}` */
    Api
}
