package io.slimjobs.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the definitions from their two sources together into {@link Definitions}: the jobs configuration (environment
 * variable or file) and, on top, the namespace's CronJobs (see {@link CronJobMapping}). Each source reports its whole
 * current state, so a CronJob that is deleted, the last one included, simply stops defining its job.
 */
public final class DefinitionSources {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionSources.class);

    private final Definitions definitions;
    private JobsConfiguration configured;
    private List<CronJobDefinition> cronJobs = List.of();
    /** What was last said about each CronJob, so that an informer event or resync does not say it again. */
    private Map<String, String> reported = Map.of();

    /** Starts from the definitions in force, which come from the configuration alone. */
    public DefinitionSources(Definitions definitions) {
        this.definitions = definitions;
        this.configured = definitions.current();
        definitions.awaitFirstRead("the namespace's CronJobs");
    }

    /** A new jobs configuration, already validated whole: it replaces the previous one under the CronJobs'. */
    public synchronized void configurationChanged(JobsConfiguration next) {
        configured = next;
        definitions.replace(configured.withCronJobs(cronJobs));
    }

    /** Every CronJob of the namespace as it is now. Says once what is wrong with each; changes what changed. */
    public synchronized void cronJobsRead(List<CronJob> all) {
        List<CronJobDefinition> read = new ArrayList<>();
        Map<String, String> said = new HashMap<>();
        for (CronJob cronJob : all) {
            CronJobMapping.Result result = CronJobMapping.map(cronJob);
            if (result.definition() != null) {
                read.add(result.definition());
            }
            if (result.message() != null) {
                said.put(result.cronJob(), result.message());
                if (!Objects.equals(reported.get(result.cronJob()), result.message())) {
                    LOG.atLevel(result.level()).log(result.message());
                }
            }
        }
        reported = said;
        read.sort(Comparator.comparing(CronJobDefinition::name));
        if (!read.equals(cronJobs)) {
            logChanges(cronJobs, read);
            cronJobs = List.copyOf(read);
            definitions.replace(configured.withCronJobs(cronJobs));
        }
        definitions.read();
    }

    private static void logChanges(List<CronJobDefinition> before, List<CronJobDefinition> after) {
        Map<String, CronJobDefinition> previous = new HashMap<>();
        before.forEach(definition -> previous.put(definition.name(), definition));
        for (CronJobDefinition definition : after) {
            CronJobDefinition was = previous.remove(definition.name());
            if (!definition.equals(was)) {
                LOG.info("Job {} is {} by its CronJob", definition.name(), was == null ? "now defined" : "redefined");
            }
        }
        previous.keySet().forEach(name -> LOG.info("Job {} is no longer defined by a CronJob", name));
    }
}
