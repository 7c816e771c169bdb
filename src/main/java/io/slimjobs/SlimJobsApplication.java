package io.slimjobs;

import org.apache.camel.main.Main;

/** Runs SlimJobs: routes, beans and configuration are found from this class's package. */
public final class SlimJobsApplication {

    private SlimJobsApplication() {
    }

    public static void main(String[] args) throws Exception {
        new Main(SlimJobsApplication.class).run(args);
    }
}
