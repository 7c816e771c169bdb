package io.slimjobs.schedule;

import io.slimjobs.Endpoints;
import org.apache.camel.builder.RouteBuilder;

/**
 * Schedules fire from these routes. A Quartz tick at second 0 of every minute runs on every replica and goes on only
 * on the leader; a leader-only takeover runs the same tick as soon as a replica leads (or starts leading), so an
 * occurrence missed while nobody led is caught up at once. The occurrences due are fired in parallel, each through
 * the trigger pipeline like any other trigger.
 */
public class ScheduleRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // every minute at second 0: the granularity of 5-field cron, not a setting
        from("quartz:slimjobs/schedule-tick?cron=0+*+*+*+*+?").routeId("schedule-tick")
                .to(Endpoints.SCHEDULE_TICK);

        from("master:slimjobs:timer:schedule-takeover?repeatCount=1&delay=0").routeId("schedule-takeover")
                .bean("scheduleTicker", "takeOver")
                .to(Endpoints.SCHEDULE_TICK);

        from(Endpoints.SCHEDULE_TICK).routeId("schedule-due")
                .filter(method("leadership", "leads"))
                    .bean("scheduleTicker", "due")
                    .split(body()).parallelProcessing()
                        .to(Endpoints.SCHEDULE_FIRE);

        // the outcome of each fire is recorded, success or refusal, so no error escapes to the tick; an occurrence
        // fired late (caught up) or refused for good is a miss
        from(Endpoints.SCHEDULE_FIRE).routeId("schedule-fire")
                .setProperty(ScheduleTicker.FIRE_PROPERTY, body())
                .bean("scheduleTicker", "request")
                .doTry()
                    .to(Endpoints.TRIGGER)
                    .bean("scheduleTicker", "fired")
                    .toD(scheduleCounter("fires"))
                    .filter(simple("${exchangeProperty." + ScheduleTicker.FIRE_PROPERTY + ".catchUp()}"))
                        .toD(scheduleCounter("misses"))
                    .endDoTry()
                .doCatch(Exception.class)
                    .filter(method("scheduleTicker", "failed"))
                        .toD(scheduleCounter("misses"))
                    .end()
                .end();
    }

    private static String scheduleCounter(String name) {
        return "micrometer:counter:slimjobs.schedule." + name + "?tags.job_name=${exchangeProperty."
                + ScheduleTicker.FIRE_PROPERTY + ".schedule().jobName()}";
    }
}
