package io.slimjobs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.slimjobs.api.HttpFallback;
import io.slimjobs.api.JobsApi;
import io.slimjobs.api.Readiness;
import io.slimjobs.api.SchedulesApi;
import io.slimjobs.config.ConfigurationFile;
import io.slimjobs.config.DefinitionSources;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobsConfiguration;
import io.slimjobs.config.JobsConfigurationLoader;
import io.slimjobs.demo.EmbeddedCluster;
import io.slimjobs.events.KafkaRecordReader;
import io.slimjobs.events.KafkaTopicSubscription;
import io.slimjobs.events.CallbackUrls;
import io.slimjobs.events.ExecutionAnnouncer;
import io.slimjobs.kube.ClusterConnection;
import io.slimjobs.kube.CronJobIndex;
import io.slimjobs.kube.DependencyIndex;
import io.slimjobs.kube.InputSecrets;
import io.slimjobs.kube.JobFactory;
import io.slimjobs.kube.JobIndex;
import io.slimjobs.kube.KubeconfigFiles;
import io.slimjobs.kube.PodIndex;
import io.slimjobs.observe.DecisionLog;
import io.slimjobs.observe.DecisionMetrics;
import io.slimjobs.observe.ExecutionDecision;
import io.slimjobs.observe.ExecutionDecisions;
import io.slimjobs.observe.ExecutionGauges;
import io.slimjobs.observe.KubernetesEvents;
import io.slimjobs.observe.KubernetesEventsRoutes;
import io.slimjobs.observe.LeadershipMetrics;
import io.slimjobs.queue.CapGroups;
import io.slimjobs.queue.Dispatcher;
import io.slimjobs.queue.LeaderIdentity;
import io.slimjobs.queue.LeaseLeadership;
import io.slimjobs.schedule.RunRecords;
import io.slimjobs.schedule.ScheduleBackup;
import io.slimjobs.schedule.ScheduleBackupRoutes;
import io.slimjobs.schedule.ScheduleBackupSettings;
import io.slimjobs.schedule.ScheduleCatalog;
import io.slimjobs.schedule.ScheduleConfigMap;
import io.slimjobs.schedule.ScheduleStore;
import io.slimjobs.schedule.ScheduleTicker;
import io.slimjobs.schedule.ScheduleViews;
import io.slimjobs.security.CallerTrust;
import io.slimjobs.trigger.AbandonedJobs;
import io.slimjobs.trigger.TriggerCounts;
import io.slimjobs.trigger.TriggerDeadline;
import io.slimjobs.trigger.TriggerSteps;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.ResourceHelper;

/**
 * Wires SlimJobs: the configuration first (a broken one stops startup before anything else is opened), then
 * the cluster connection, the definitions with their sources (the configuration, watched when it is a file, and the
 * namespace's CronJobs), the informer-backed indexes, the dispatcher and the beans the routes call.
 */
public class SlimJobsBeans implements CamelConfiguration {

    static final String DEMO_CONFIGURATION = "classpath:demo/jobs.json";
    /** The clock schedules read "now" from. */
    public static final String CLOCK = "clock";
    /** The name camel-micrometer looks the meter registry up by. */
    private static final String METRICS_REGISTRY = "metricsRegistry";

    @PropertyInject("slimjobs.http.port")
    private int httpPort;
    @PropertyInject("slimjobs.http.max-body-size")
    private long maxBodySize;
    @PropertyInject("slimjobs.http.worker-threads")
    private int httpWorkerThreads;
    @PropertyInject(value = "slimjobs.namespace", defaultValue = "")
    private String namespace;
    @PropertyInject(value = "slimjobs.kubernetes.master-url", defaultValue = "")
    private String masterUrl;
    @PropertyInject("slimjobs.kubernetes.request-retries")
    private int requestRetries;
    @PropertyInject("slimjobs.trigger.timeout")
    private long triggerTimeoutMillis;
    @PropertyInject("slimjobs.trigger.clock-skew")
    private long clockSkewMillis;
    @PropertyInject("slimjobs.embedded-cluster")
    private boolean embeddedClusterAllowed;
    @PropertyInject("slimjobs.embedded.run-duration")
    private long demoRunMillis;
    @PropertyInject(value = "slimjobs.config.file", defaultValue = "")
    private String configFile;
    @PropertyInject(value = "slimjobs.trusted-cidrs", defaultValue = "")
    private String trustedCidrs;
    @PropertyInject("slimjobs.trust-pod-ips")
    private boolean trustPodIps;
    @PropertyInject(value = "slimjobs.trusted-proxies", defaultValue = "")
    private String trustedProxies;
    @PropertyInject("slimjobs.informer.resync-interval")
    private long informerResyncMillis;
    @PropertyInject("slimjobs.image-pull-timeout")
    private long imagePullTimeoutMillis;
    @PropertyInject("slimjobs.leader.lease-name")
    private String leaseName;
    @PropertyInject("slimjobs.leader.lease-duration")
    private long leaseDurationMillis;
    @PropertyInject("slimjobs.leader.renew-deadline")
    private long renewDeadlineMillis;
    @PropertyInject("slimjobs.leader.retry-period")
    private long retryPeriodMillis;
    @PropertyInject("slimjobs.schedules.config-map")
    private String schedulesConfigMap;
    @PropertyInject("slimjobs.schedules.runs-config-map")
    private String scheduleRunsConfigMap;
    @PropertyInject(value = "slimjobs.schedules.backup-directory", defaultValue = "")
    private String backupDirectory;
    @PropertyInject(value = "slimjobs.schedules.backup-interval", defaultValue = "60")
    private String backupInterval;
    @PropertyInject(value = "slimjobs.kafka.bootstrap-servers", defaultValue = "")
    private String kafkaBootstrapServers;
    @PropertyInject("slimjobs.kafka.topic")
    private String kafkaTopic;
    @PropertyInject("slimjobs.kafka.dead-letter-topic")
    private String kafkaDeadLetterTopic;
    @PropertyInject(value = "slimjobs.kafka.events-topic", defaultValue = "")
    private String kafkaEventsTopic;
    @PropertyInject(value = "slimjobs.callbacks.allowed-hosts", defaultValue = "")
    private String callbackAllowedHosts;
    @PropertyInject("slimjobs.callbacks.max-attempts")
    private int callbackMaxAttempts;
    @PropertyInject(value = "slimjobs.callback-secret", defaultValue = "")
    private String callbackSecret;
    @PropertyInject("slimjobs.events.enabled")
    private boolean kubernetesEventsEnabled;

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener(new HttpServerCheck());
        // platform-http runs every request's route on a Vert.x worker thread, which a trigger holds while its Job is
        // created and cached: the pool bounds how many requests are served at once. The HTTP server takes the one
        // VertxOptions of the registry when it creates its Vert.x.
        context.getRegistry().bind("httpVertxOptions", new VertxOptions().setWorkerPoolSize(httpWorkerThreads));
        Map<String, String> env = System.getenv();
        KubeconfigFiles kubeconfig = KubeconfigFiles.discovered();
        boolean namedElsewhere = ClusterConnection.isNamedOutsideKubeconfig(env, masterUrl);
        kubeconfig.check(!namedElsewhere);
        boolean embedded = !namedElsewhere && !kubeconfig.present();
        if (embedded && !embeddedClusterAllowed) {
            throw new IllegalStateException("No Kubernetes cluster is configured (no service account, KUBECONFIG, "
                    + "~/.kube/config or slimjobs.kubernetes.master-url) and the embedded demo cluster is disabled");
        }
        Optional<JobsConfigurationLoader.Source> source = configurationSource(context, env, embedded);
        JobsConfiguration configuration = source.map(JobsConfigurationLoader::parse)
                .orElseGet(JobsConfigurationLoader::builtInDefault);
        Optional<ScheduleBackupSettings> backup = ScheduleBackupSettings.resolve(env, backupDirectory, backupInterval);

        ClusterConnection cluster = embedded ? EmbeddedCluster.demoConnection(Duration.ofMillis(demoRunMillis))
                : ClusterConnection.configured(masterUrl, namespace, requestRetries);
        try {
            Definitions definitions = new Definitions(configuration);
            DefinitionSources sources = new DefinitionSources(definitions);
            // only a file is watched: the environment variable cannot change, and the demo's sample is not the user's
            source.filter(read -> read.file() != null).ifPresent(file ->
                    context.getRegistry().bind(ConfigurationFile.BEAN, new ConfigurationFile(file, sources)));
            wire(context, definitions, sources, cluster, embedded, backup);
        } catch (Exception e) {
            // an embedded cluster's threads would keep the JVM alive after a failed start
            cluster.close();
            throw e;
        }
    }

    private void wire(CamelContext context, Definitions definitions, DefinitionSources sources,
                      ClusterConnection cluster, boolean embedded, Optional<ScheduleBackupSettings> backup)
            throws Exception {
        String ns = cluster.namespace();
        CronJobIndex cronJobs = new CronJobIndex(cluster.client(), ns, informerResyncMillis);
        cronJobs.onChange(sources::cronJobsRead);
        PodIndex pods = new PodIndex(cluster.client(), ns, informerResyncMillis);
        CapGroups capGroups = new CapGroups(definitions);
        DependencyIndex dependencies = new DependencyIndex(cluster.client(), ns, informerResyncMillis);
        JobIndex jobs = new JobIndex(cluster.client(), ns, informerResyncMillis, pods, capGroups.inForce(),
                dependencies);
        ExecutionDecisions decisions = new ExecutionDecisions();
        decisions.listen(new DecisionLog());
        Dispatcher dispatcher = new Dispatcher(cluster.client(), ns, jobs, capGroups, Clock.systemUTC(),
                Duration.ofMillis(imagePullTimeoutMillis), dependencies, decisions);
        // the first listener: others are told once executions are grouped by the new definitions
        definitions.onChange(dispatcher::definitionsChanged);
        jobs.onChange(dispatcher::enqueue);
        pods.onChange(dispatcher::enqueue);
        dependencies.onChange(dispatcher::dependencyChanged);
        // the embedded demo is reached from this machine only, so loopback callers are trusted there
        String trusted = embedded && trustedCidrs.isBlank() ? "127.0.0.0/8,::1" : trustedCidrs;
        CallerTrust callerTrust = new CallerTrust(trusted, trustedProxies, pods, trustPodIps);

        String identity = LeaderIdentity.of(System.getenv());
        LeaseLeadership leadership = new LeaseLeadership(cluster.client(), ns, leaseName,
                identity, Duration.ofMillis(leaseDurationMillis),
                Duration.ofMillis(renewDeadlineMillis), Duration.ofMillis(retryPeriodMillis));

        Registry registry = context.getRegistry();
        // what "now" is for schedules: a test binds its own clock first
        Clock clock = registry.lookupByNameAndType(CLOCK, Clock.class);
        if (clock == null) {
            clock = Clock.systemUTC();
            registry.bind(CLOCK, clock);
        }
        ScheduleConfigMap storedSchedules = new ScheduleConfigMap(cluster.client(), ns, schedulesConfigMap,
                informerResyncMillis);
        ScheduleStore scheduleStore = new ScheduleStore(storedSchedules);
        RunRecords runRecords = new RunRecords(new ScheduleConfigMap(cluster.client(), ns, scheduleRunsConfigMap,
                informerResyncMillis));
        ScheduleCatalog schedules = new ScheduleCatalog(definitions, cronJobs, scheduleStore);
        ScheduleViews scheduleViews = new ScheduleViews(schedules, runRecords, clock);

        registry.bind("kubernetesClient", cluster.client());
        // camel.metrics.enabled has already bound the registry its route metrics go to: share it, so that
        // /metrics serves them with SlimJobs' own; replacing it would leave them in a registry nobody scrapes
        PrometheusMeterRegistry metrics = registry.lookupByNameAndType(METRICS_REGISTRY, PrometheusMeterRegistry.class);
        if (metrics == null) {
            metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(METRICS_REGISTRY, metrics);
        }
        // bound even when off: the route names it
        ProducerTemplate eventsQueue = context.createProducerTemplate();
        context.addService(eventsQueue);
        KubernetesEvents kubernetesEvents = new KubernetesEvents(cluster.client(), ns, jobs, identity,
                decision -> eventsQueue.send(KubernetesEventsRoutes.QUEUE,
                        exchange -> exchange.getMessage().setBody(decision)).getException() == null,
                Counter.builder("slimjobs_kubernetes_events_dropped")
                        .description("Kubernetes Events not created because they came faster than "
                                + "slimjobs.events.max-per-second allows and found the queue full")
                        .register(metrics));
        registry.bind(KubernetesEvents.BEAN, kubernetesEvents);
        if (kubernetesEventsEnabled) {
            decisions.listen(kubernetesEvents);
        }
        leadership.getView("metrics").addEventListener(new LeadershipMetrics(metrics, leadership::leads));
        decisions.listen(new DecisionMetrics(metrics, capGroups::of));
        registry.bind("executionGauges", new ExecutionGauges(metrics, () -> definitions.current().definitions().keySet(),
                jobs::unfinishedCounts));
        if (!kafkaEventsTopic.isBlank() && kafkaBootstrapServers.isBlank()) {
            // else every end would be announced to a topic nobody can reach, and retried at every resync
            throw new IllegalStateException("slimjobs.kafka.events-topic is set (" + kafkaEventsTopic
                    + ") but slimjobs.kafka.bootstrap-servers is not: set both, or neither");
        }
        ExecutionAnnouncer announcer = new ExecutionAnnouncer(jobs, cluster.client(), ns, leadership::leads,
                !kafkaEventsTopic.isBlank(), callbackMaxAttempts, callbackSecret);
        jobs.onFinished(announcer::finished, announcer::removed);
        // every replica sees a Job end; the leader tells of it, once
        jobs.onEnded(ended -> {
            if (leadership.leads()) {
                decisions.decided(ExecutionDecision.finished(ended, Clock.systemUTC().instant()));
            }
        });
        registry.bind("decisions", decisions);
        registry.bind("announcer", announcer);
        registry.bind("definitions", definitions);
        registry.bind("leadership", leadership);
        registry.bind("dispatcher", dispatcher);
        Duration triggerTimeout = Duration.ofMillis(triggerTimeoutMillis);
        KubernetesClient triggerWrites = cluster.withRequestTimeout(triggerTimeout);
        AbandonedJobs abandonedJobs = new AbandonedJobs(cluster.client(), ns, jobs, Clock.systemUTC(),
                Duration.ofMillis(clockSkewMillis));
        registry.bind(AbandonedJobs.BEAN, abandonedJobs);
        InputSecrets inputSecrets = new InputSecrets(triggerWrites, ns, jobs, Clock.systemUTC());
        registry.bind("inputSecrets", inputSecrets);
        TriggerDeadline deadline = new TriggerDeadline(triggerTimeout, Clock.systemUTC(),
                context.getExecutorServiceManager().newCachedThreadPool(this, "TriggerWrites"));
        registry.bind(TriggerCounts.BEAN, new TriggerCounts(metrics, context.getName()));
        registry.bind("triggerSteps", new TriggerSteps(definitions, new JobFactory(ns, Clock.systemUTC()), jobs,
                inputSecrets, triggerWrites, ns, new CallbackUrls(callbackAllowedHosts), decisions, deadline,
                abandonedJobs));
        registry.bind("jobsApi", new JobsApi(definitions, jobs, callerTrust, scheduleViews, cluster.client(), ns,
                decisions, Clock.systemUTC()));
        registry.bind("schedulesApi", new SchedulesApi(definitions, schedules, scheduleStore, scheduleViews, clock));
        registry.bind("scheduleTicker", new ScheduleTicker(schedules, runRecords, clock));
        registry.bind("readiness", new Readiness(jobs, pods, cronJobs,
                () -> scheduleStore.hasSynced() && runRecords.hasSynced(), dispatcher, leadership));
        context.addService(new SlimJobsRuntime(context, cluster, cronJobs, pods, dependencies, jobs, dispatcher,
                scheduleStore, runRecords, announcer));
        context.addService(leadership);
        // after the runtime: started after it (the restore runs before the routes start), stopped before it closes
        // the connection
        if (backup.isPresent()) {
            ScheduleBackup scheduleBackup = new ScheduleBackup(storedSchedules, backup.get());
            registry.bind(ScheduleBackupRoutes.BACKUP, scheduleBackup);
            context.addService(scheduleBackup);
        }
        // on shutdown the Lease is given up first, before in-flight requests are waited for, so that another
        // replica dispatches within seconds instead of after the Lease expires; and informer events stop asking
        // for passes, whose route is about to stop
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext stopping) {
                leadership.stop();
                dispatcher.stop();
            }
        });
        context.addStartupListener((ctx, alreadyStarted) -> HttpFallback.install(ctx, httpPort, maxBodySize));
        if (!kafkaBootstrapServers.isBlank()) {
            // every Kafka endpoint (the door, the dead-letter and events topics) reaches these brokers; set here, not
            // as camel.component.kafka.brokers, so that without Kafka the component and its client are never loaded
            context.getComponent("kafka", KafkaComponent.class).getConfiguration().setBrokers(kafkaBootstrapServers);
            registry.bind("kafkaRecordReader", new KafkaRecordReader(definitions, kafkaTopic));
            KafkaTopicSubscription subscription = new KafkaTopicSubscription(context, definitions, kafkaTopic,
                    Set.of(kafkaDeadLetterTopic, kafkaEventsTopic));
            context.addService(subscription);
            context.addStartupListener(subscription);
        }
    }

    /** The configured source; else, for the embedded demo only, a sample `fibonacci` job; else none: just `Default`. */
    private Optional<JobsConfigurationLoader.Source> configurationSource(CamelContext context, Map<String, String> env,
                                                                         boolean embedded) throws Exception {
        var source = JobsConfigurationLoader.configuredSource(env, configFile);
        if (source.isEmpty() && embedded) {
            try (var demo = ResourceHelper.resolveMandatoryResourceAsInputStream(context, DEMO_CONFIGURATION)) {
                source = Optional.of(new JobsConfigurationLoader.Source("the embedded demo's " + DEMO_CONFIGURATION,
                        new String(demo.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return source;
    }
}
