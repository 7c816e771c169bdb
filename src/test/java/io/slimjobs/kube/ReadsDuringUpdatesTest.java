package io.slimjobs.kube;

import static io.slimjobs.SlimJobsTestSupport.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads by Id and by pod IP never miss an object that exists while the informer applies updates to it: each test
 * updates one object many times against a tight loop of lookups, so that a lookup landing in the middle of an
 * update is all but certain.
 */
class ReadsDuringUpdatesTest extends CachesTestSupport {

    private static final String NAMESPACE = "reads-during-updates";
    private static final String JOB_NAME = "racing";
    private static final int UPDATES = 400;

    private String id;
    private Pod pod;
    private InetAddress podIp;

    @Override
    protected String namespace() {
        return NAMESPACE;
    }

    /** A released execution whose pod the simulated kubelet keeps Running, both cached. */
    @BeforeEach
    void runOneExecution() {
        id = UUID.randomUUID().toString();
        Map<String, String> labels = Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.JOB, JOB_NAME,
                Labels.ID, id);
        Job job = new JobBuilder()
                .withNewMetadata().withName(Names.jobObjectName(JOB_NAME, id)).withLabels(labels).endMetadata()
                .withNewSpec()
                    .withSuspend(false)
                    .withBackoffLimit(0)
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .addNewContainer().withName("main").withImage("busybox").endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
        cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).resource(job).create();
        awaitUntil("the execution cached as Running", () -> execution().equals("Running"));
        pod = cluster.kubelet().livePod(job.getMetadata().getName()).orElseThrow();
        podIp = IpAddresses.parse(pod.getStatus().getPodIP()).orElseThrow();
        awaitUntil("its pod IP trusted", this::podIpTrusted);
    }


    @Test
    void should_find_an_execution_by_id_while_its_job_is_updated() {
        int misses = lookUpWhile(() -> touch(cluster.client().batch().v1().jobs().inNamespace(NAMESPACE)
                .withName(Names.jobObjectName(JOB_NAME, id))), () -> !execution().equals("Running"));

        assertEquals(0, misses, "lookups by Id that missed the execution or its running pod");
    }

    /** The dispatcher counts a running execution from this list: missing it would release past the cap. */
    @Test
    void should_count_a_running_execution_while_its_job_is_updated() {
        int misses = lookUpWhile(() -> touch(cluster.client().batch().v1().jobs().inNamespace(NAMESPACE)
                .withName(Names.jobObjectName(JOB_NAME, id))), () -> jobs.capGroupExecutions(JOB_NAME).size() != 1
                        || jobs.executions(JOB_NAME).size() != 1);

        assertEquals(0, misses, "passes and listings that missed the running execution");
    }

    @Test
    void should_keep_an_executions_pod_and_its_ip_while_the_pod_is_updated() {
        int misses = lookUpWhile(() -> touch(cluster.client().pods().inNamespace(NAMESPACE)
                .withName(pod.getMetadata().getName())), () -> !execution().equals("Running") || !podIpTrusted());

        assertEquals(0, misses, "lookups that missed the running pod or distrusted its IP");
    }

    /**
     * The definitions changed: the executions are grouped again, here back and forth between a rule that gives the
     * job its own group and one that puts it in `default`. A listing reads its group and the index by one rule.
     */
    @Test
    void should_list_an_execution_while_the_executions_are_grouped_again() {
        UnaryOperator<String> own = name -> name;
        UnaryOperator<String> shared = name -> "default";
        AtomicBoolean reading = new AtomicBoolean(true);
        CompletableFuture<Integer> regroups = CompletableFuture.supplyAsync(() -> {
            int count = 0;
            while (reading.get()) {
                jobs.regroup(count++ % 2 == 0 ? shared : own);
            }
            return count;
        });
        int misses = 0;
        for (int lookup = 0; lookup < 5 * UPDATES; lookup++) {
            try {
                misses += jobs.executions(JOB_NAME).size() == 1 ? 0 : 1;
            } catch (RuntimeException e) {
                misses++;
            }
        }
        reading.set(false);

        assertTrue(regroups.join() > UPDATES, "the regroupings ran alongside the lookups");
        assertEquals(0, misses, "listings that missed the execution");
    }

    /** Runs {@code update} {@link #UPDATES} times on another thread, counting the lookups that miss meanwhile. */
    private int lookUpWhile(Runnable update, BooleanSupplier missed) {
        CompletableFuture<Void> updates = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < UPDATES; i++) {
                update.run();
            }
        });
        int misses = 0;
        long lookups = 0;
        while (!updates.isDone()) {
            lookups++;
            if (missed.getAsBoolean()) {
                misses++;
            }
        }
        updates.join();
        assertTrue(lookups > UPDATES, "the lookups ran alongside the updates");
        return misses;
    }

    private static void touch(Resource<?> resource) {
        resource.patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"test/touched\":\"" + System.nanoTime() + "\"}}}");
    }

    private String execution() {
        return jobs.execution(JOB_NAME, id).map(view -> view.status().name()).orElse("absent");
    }

    private boolean podIpTrusted() {
        return pods.isTrustedPodIp(podIp);
    }
}
