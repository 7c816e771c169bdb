package io.slimjobs.queue;

import java.util.function.UnaryOperator;

import io.slimjobs.SlimJobsTestSupport;

/** SlimJobs under test, with a {@link ReleaseObserver} watching its releases from before it starts. */
abstract class ReleasesObservedTestSupport extends SlimJobsTestSupport {

    protected ReleaseObserver observer;

    /** The cap group the observer counts each job name in; by default its own. */
    protected UnaryOperator<String> observedGroups() {
        return UnaryOperator.identity();
    }

    @Override
    protected void doPreSetup() throws Exception {
        super.doPreSetup();
        observer = new ReleaseObserver(kube(), namespace, observedGroups());
    }

    @Override
    protected void doPostTearDown() throws Exception {
        observer.close();
        super.doPostTearDown();
    }

    /** The observer's watch has seen the marker released, and so every release before it. */
    @Override
    protected boolean releaseSeen(String markerId) {
        return observer.releaseOrder().contains(markerId);
    }
}
