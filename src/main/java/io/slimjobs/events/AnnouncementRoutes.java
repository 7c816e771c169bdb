package io.slimjobs.events;

import io.slimjobs.Endpoints;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Finished executions are announced from these routes, on the leader. `execution-finished` builds the event once and
 * publishes it to the events topic; `callback-delivery` posts it to the callback URL, each attempt through
 * `callback-post`, retried with a growing delay by {@link CallbackErrorHandling} without holding a thread.
 */
public class AnnouncementRoutes extends RouteBuilder {

    /**
     * Announcements taken on; see {@link ExecutionAnnouncer#finished}. Polled every 100 ms rather than every second,
     * as the dispatcher's passes are: a stop waits for each idle consumer's poll to time out.
     */
    public static final String FINISHED = "seda:execution-finished?pollTimeout=100";
    private static final String CALLBACKS = "seda:callback-delivery?pollTimeout=100";
    private static final String CALLBACK_POST = "direct:callback-post";
    private static final String ANNOUNCEMENT = ExecutionAnnouncer.ANNOUNCEMENT;
    private static final String EVENT = ExecutionAnnouncer.EVENT;

    @Override
    public void configure() {
        // at once on taking the lead, then as often as the dispatcher's resync
        from("master:slimjobs:timer:execution-finished-resync?delay=0&period={{slimjobs.dispatcher.resync-interval}}")
                .routeId("execution-finished-resync")
                .bean("announcer", "resync");

        from(FINISHED).routeId("execution-finished")
                .setProperty(ANNOUNCEMENT, body())
                .bean("announcer", "event")
                .filter(body().isNotNull())
                    .setProperty(EVENT, body())
                    .filter(simple("${exchangeProperty." + ANNOUNCEMENT + ".publish()}"))
                        .doTry()
                            .setHeader(KafkaConstants.KEY, simple("${exchangeProperty." + ANNOUNCEMENT
                                    + ".execution().id()}"))
                            .to(Endpoints.KAFKA_EVENTS)
                            .bean("announcer", "published")
                        .doCatch(Exception.class)
                            .bean("announcer", "publishFailed")
                        .end()
                    .end()
                    .filter(simple("${exchangeProperty." + ANNOUNCEMENT + ".callback()}"))
                        .to(CALLBACKS);

        from(CALLBACKS).routeId("callback-delivery").routeConfigurationId(CallbackErrorHandling.ID)
                .removeHeaders("*")
                .to(CALLBACK_POST)
                .bean("announcer", "delivered")
                .to(deliveries(ExecutionAnnouncer.DELIVERED));

        // one attempt; a failure goes back to callback-delivery's error handler, which sends the attempt again
        from(CALLBACK_POST).routeId("callback-post")
                .errorHandler(noErrorHandler())
                // the redelivery counter is the error handler's, and what an answer left is not sent again
                .removeHeaders("*", "CamelRedeliver*")
                .filter(header(Exchange.REDELIVERY_COUNTER).isGreaterThan(0))
                    .to(deliveries("retried"))
                .end()
                .setBody(exchangeProperty(EVENT))
                .bean("announcer", "callbackRequest")
                .to("vertx-http:callback?httpMethod=POST&connectTimeout={{slimjobs.callbacks.timeout}}"
                        + "&timeout={{slimjobs.callbacks.timeout}}");
    }

    /** The count of callback delivery attempts with that outcome. */
    static String deliveries(String outcome) {
        return "micrometer:counter:slimjobs.callback.deliveries?tags.outcome=" + outcome;
    }
}
