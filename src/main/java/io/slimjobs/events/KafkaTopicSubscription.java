package io.slimjobs.events;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;

import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobsConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Kafka door, the route `kafka-trigger` made from the template of the same name, consuming the shared topic
 * and every definition's KafkaTopic. When the definitions change that set, the route is made again with the new
 * topics: a record in flight then comes again, which its idempotency key makes harmless. Only made when Kafka is
 * configured, so no Kafka client exists otherwise.
 */
public final class KafkaTopicSubscription extends ServiceSupport implements StartupListener {

    public static final String ROUTE_ID = "kafka-trigger";
    static final String TEMPLATE_ID = "kafka-trigger";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopicSubscription.class);

    private final CamelContext context;
    private final Definitions definitions;
    private final String sharedTopic;
    /** Topics never consumed: records SlimJobs writes itself. */
    private final Set<String> ownTopics;
    private ExecutorService follower;
    private Set<String> subscribed;

    public KafkaTopicSubscription(CamelContext context, Definitions definitions, String sharedTopic,
                                  Set<String> ownTopics) {
        this.context = context;
        this.definitions = definitions;
        this.sharedTopic = sharedTopic;
        this.ownTopics = ownTopics;
    }

    @Override
    protected void doStart() {
        follower = context.getExecutorServiceManager().newSingleThreadExecutor(this, "kafka-topics");
    }

    /** Once every route is up, so that records find the trigger pipeline running. */
    @Override
    public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
        follow();
        // the listener runs on the thread that changed the definitions (an informer's, a file watcher's): no waiting
        definitions.onChange(() -> follower.execute(this::followQuietly));
    }

    @Override
    public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
        // the routes are not all started yet
    }

    private void followQuietly() {
        try {
            follow();
        } catch (Exception e) {
            LOG.error("The Kafka door could not follow the new KafkaTopics; it still consumes {}", subscribed, e);
        }
    }

    private synchronized void follow() throws Exception {
        Set<String> topics = topics(definitions.current());
        if (Objects.equals(topics, subscribed) || !isRunAllowed()) {
            return;
        }
        if (subscribed != null) {
            context.getRouteController().stopRoute(ROUTE_ID);
            context.removeRoute(ROUTE_ID);
        }
        TemplatedRouteBuilder.builder(context, TEMPLATE_ID).routeId(ROUTE_ID)
                .parameter("topics", String.join(",", topics)).add();
        subscribed = topics;
        LOG.info("The Kafka door consumes the topics {}", topics);
    }

    private Set<String> topics(JobsConfiguration configuration) {
        Set<String> topics = new TreeSet<>();
        topics.add(sharedTopic);
        configuration.definitions().forEach((name, definition) -> {
            String topic = definition.kafkaTopic();
            if (topic != null && ownTopics.contains(topic)) {
                LOG.warn("Job {} has the KafkaTopic {}, which SlimJobs writes to itself: not consumed", name, topic);
            } else if (topic != null) {
                topics.add(topic);
            }
        });
        return topics;
    }

    @Override
    protected void doStop() {
        if (follower != null) {
            context.getExecutorServiceManager().shutdownNow(follower);
        }
    }
}
