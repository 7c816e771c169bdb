import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Writes docs/performance.md to standard output from two result files of bench/run.sh: the "before" build's and the
 * "after" build's ({@code key<TAB>value} lines; a missing file leaves its column empty).
 *
 * <p>Usage: {@code java bench/Report.java bench/results/before.tsv bench/results/after.tsv > docs/performance.md}, from
 * the repository root: the profiles' findings and what was changed, which no run measures by itself, come from
 * {@code bench/analysis.md}.
 */
public final class Report {

    /** One figure: how to show it from a result file, its target, and whether a result file meets it. */
    record Row(String figure, String target, Function<Map<String, String>, String> cell,
               Predicate<Map<String, String>> met) {
    }

    static final List<Row> ROWS = new ArrayList<>();
    static final Path ANALYSIS = Path.of("bench/analysis.md");

    static {
        for (String c : new String[] {"1", "8", "32"}) {
            ROWS.add(new Row("triggers/s with " + c + (c.equals("1") ? " client" : " clients")
                    + ": SlimJobs / raw fabric8 creates, median", "",
                    r -> r.containsKey("tp" + c + "_ratio")
                            ? v(r, "tp" + c + "_slimjobs_per_s") + " / " + v(r, "tp" + c + "_raw_per_s") : "", null));
            ROWS.add(new Row("throughput ratio SlimJobs ÷ raw, " + c + (c.equals("1") ? " client" : " clients")
                    + " (median of per-round ratios)", c.equals("1") ? "" : "≥ 0.8",
                    r -> v(r, "tp" + c + "_ratio"), c.equals("1") ? null : r -> num(r, "tp" + c + "_ratio") >= 0.8));
        }
        ROWS.add(new Row("service CPU per trigger, ms (8 clients; raw creates: per Job it only watches)", "",
                r -> r.containsKey("tp8_cpu_ms_per_trigger")
                        ? v(r, "tp8_cpu_ms_per_trigger") + " (" + v(r, "tp8_cpu_ms_per_raw_job") + ")" : "", null));
        ROWS.add(new Row("dispatch latency, completion → next release: p50 / p90 / p99 / max, ms", "p99 < 50",
                r -> r.containsKey("dispatch_p99_ms") ? v(r, "dispatch_p50_ms") + " / " + v(r, "dispatch_p90_ms")
                        + " / " + v(r, "dispatch_p99_ms") + " / " + v(r, "dispatch_max_ms") : "",
                r -> num(r, "dispatch_p99_ms") < 50));
        for (String n : new String[] {"1000", "10000"}) {
            ROWS.add(new Row("`GET /job/<name>`, " + n + " executions: p50 / p99, ms (body)",
                    n.equals("10000") ? "p99 < 20" : "",
                    r -> r.containsKey("list" + n + "_p99_ms") ? v(r, "list" + n + "_p50_ms") + " / "
                            + v(r, "list" + n + "_p99_ms") + " (" + v(r, "list" + n + "_body_kib") + " KiB)" : "",
                    n.equals("10000") ? r -> num(r, "list" + n + "_p99_ms") < 20 : null));
        }
        ROWS.add(new Row("RSS idle, MiB (median of the starts)", "≤ 128",
                r -> v(r, "rss_idle_mib"), r -> num(r, "rss_idle_mib") <= 128));
        ROWS.add(new Row("RSS with 1 000 queued + 10 000 finished executions, MiB", "≤ 128",
                r -> v(r, "rss_loaded_mib"), r -> num(r, "rss_loaded_mib") <= 128));
        ROWS.add(new Row("live heap after a full GC, same state, MiB", "",
                r -> v(r, "live_heap_mib"), null));
        ROWS.add(new Row("start to ready, ms: median (all starts)", "≤ 2000",
                r -> r.containsKey("ready_ms") ? v(r, "ready_ms") + " (" + v(r, "ready_all") + ")" : "",
                r -> num(r, "ready_ms") <= 2000));
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> before = read(Path.of(args[0])), after = read(Path.of(args[1]));
        StringBuilder table = new StringBuilder("| figure | target | before | after | met? |\n|---|---|---|---|---|\n");
        List<String> met = new ArrayList<>(), missed = new ArrayList<>();
        for (Row row : ROWS) {
            String verdict = "";
            if (row.met() != null && !row.cell().apply(after).isEmpty()) {
                boolean ok = row.met().test(after);
                verdict = ok ? "met" : "not met";
                (ok ? met : missed).add(row.figure().replaceAll("(, (MiB|ms))?( \\(.*|:.*)?$", ""));
            }
            table.append("| ").append(row.figure()).append(" | ").append(row.target()).append(" | ")
                    .append(row.cell().apply(before)).append(" | ").append(row.cell().apply(after)).append(" | ")
                    .append(verdict).append(" |\n");
        }
        StringBuilder rounds = new StringBuilder("| clients | before: SlimJobs/s per round | raw/s | ratios "
                + "| after: SlimJobs/s per round | raw/s | ratios |\n|---|---|---|---|---|---|---|\n");
        for (String c : new String[] {"1", "8", "32"}) {
            rounds.append("| ").append(c);
            for (Map<String, String> r : List.of(before, after)) {
                rounds.append(" | ").append(v(r, "tp" + c + "_slimjobs_all")).append(" | ")
                        .append(v(r, "tp" + c + "_raw_all")).append(" | ").append(v(r, "tp" + c + "_ratios"));
            }
            rounds.append(" |\n");
        }
        String closing = after.isEmpty() ? "No \"after\" run yet."
                : "Met: " + (met.isEmpty() ? "none" : String.join("; ", met)) + ". Not met: "
                        + (missed.isEmpty() ? "none" : String.join("; ", missed)) + ".";
        System.out.print(TEMPLATE
                .replace("{machine_before}", machine(before))
                .replace("{machine_after}", machine(after))
                .replace("{flags}", after.getOrDefault("jvm_flags", before.getOrDefault("jvm_flags", "")))
                .replace("{table}", table)
                .replace("{rounds}", rounds)
                .replace("{closing}", closing)
                .replace("{analysis}", Files.exists(ANALYSIS) ? Files.readString(ANALYSIS).strip() + "\n" : ""));
    }

    static String machine(Map<String, String> r) {
        return r.isEmpty() ? "no run" : r.get("machine_date") + ", build " + r.get("build").replaceAll(" \\(.*", "")
                + "; " + r.get("machine_cpus") + "; " + r.get("machine_memory") + "; load average (1, 5, 15 min) "
                + "at the start " + r.get("machine_load") + "; " + r.get("machine_java") + "; " + r.get("settings")
                + "; the run took " + r.getOrDefault("run_seconds", "? (stopped before the end)") + " s."
                + (r.containsKey("note") ? " " + r.get("note") : "");
    }

    static String v(Map<String, String> r, String key) {
        return r.getOrDefault(key, "");
    }

    static double num(Map<String, String> r, String key) {
        try {
            return Double.parseDouble(r.get(key));
        } catch (RuntimeException e) {
            return Double.NaN;   // compares false: a missing figure is not met
        }
    }

    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    values.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        }
        return values;
    }

    static final String TEMPLATE = """
            # Performance

            Figures from `bench/run.sh`, an on-demand benchmark (not part of the build or CI). From the repository root:

            ```
            bench/run.sh                          # builds target/slimjobs.jar if missing; results: bench/results/after.tsv
            bench/run.sh --label before OLD/target   # an older build (its jar and lib/): bench/results/before.tsv
            bench/run.sh --profile                # also JFR of SlimJobs under load: bench/results/profile/
            ```

            A run takes 15 minutes at most: the script stops everything then, keeping the figures measured so far
            (the duration of each run is given under Machine). Each run writes its figures
            to `bench/results/<label>.tsv` and rewrites this page from `before.tsv` and `after.tsv`.

            ## What is measured, and how

            Three processes on loopback: the **API server** (fabric8's Kubernetes mock server in CRUD mode,
            `bench/ApiServer.java`), **SlimJobs** (`java -jar slimjobs.jar` with a kubeconfig naming that API server
            and the image's JVM flags, `{flags}`, where `MaxRAM` stands for the Deployment's 384Mi limit), and the
            **load generator** (`bench/Load.java`: `java.net.http` over HTTP/1.1 to SlimJobs, the fabric8 client to
            the API server). Nothing in the API server changes status by itself; the load generator plays the Job
            controller where a phase needs one. Three jobs are configured, each `busybox:1.36` and Public:
            `bench` (`NumberParallelJob: 1`, nothing completes it, so its executions stay queued), `relay`
            (`NumberParallelJob: 2`) and `listed`. Percentiles are nearest-rank. The counts below are the defaults
            (`BENCH_*` variables shorten a run); the counts of each run are given under Machine.

            1. **Start to ready**: from launching the JVM to the first `GET /ready` 200 (polled every 20 ms), against
               the already running API server; 5 cold starts, median and every value. **Idle RSS**: `VmRSS` 5 s
               after ready, median of the same starts. The last start serves the phases below.
            2. **Trigger throughput** at 1, 8 and 32 concurrent clients: rounds of 2 000 `POST /job/bench`
               `{"Args":["42"]}` (202 expected), each next to a round creating 2 000 suspended Jobs built as SlimJobs
               builds them (same labels, annotations and spec) straight through the fabric8 client from as many
               threads, against the same API server; the raw rounds are the limit. 3 round pairs per client count,
               alternating which side goes first; after every round a label-selected delete, and the next round starts
               once SlimJobs lists none. One unmeasured pair of 500 first (JIT). Figures: the median of each side,
               and the median of the per-round ratios. **Service CPU per trigger**: the SlimJobs process's user +
               system time (`/proc/<pid>/stat`) over a round, divided by the executions; during the raw rounds the
               same figure is what its informers and dispatcher spend on Jobs it did not create.
            3. **Dispatch latency**: 300 executions of `relay` queued at once; then the load generator, on its own
               watch of the Jobs, marks each released Job Complete through the status subresource 100 ms after it sees
               the release (the fields SlimJobs reads: `Complete` and `SuccessCriteriaMet` conditions, `succeeded`,
               start and completion times). The k-th completion frees the slot the (2 + k)-th release takes; the
               latency is the time between the two on that watch, so the watch's own delay cancels out.
            4. **Listing**: 1 000, then 10 000 finished executions of `listed` created straight through the fabric8
               client (a succeeded Job with its succeeded Pod each, as a cluster keeps them until their TTL); once
               SlimJobs lists them all, 200 sequential `GET /job/listed`: p50, p99, body size.
            5. **Memory under load**: 1 000 executions of `bench` queued on top of those 10 000, then 5 s later the
               RSS and the live heap (`jcmd <pid> GC.class_histogram`, which runs a full GC first).

            The machines these figures come from are shared and noisy: compare the two columns of one table, whose
            ratios are taken within one run, rather than absolute times across runs.

            ## Machine

            - before: {machine_before}
            - after: {machine_after}

            ## Results

            {table}
            Trigger throughput per round:

            {rounds}
            {analysis}
            ## Closing note

            {closing}
            """;
}
