package org.childrensgateway.ingest;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import org.childrensgateway.security.CallerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs queued ingest jobs in the background. Any node may claim a job; a job whose node stopped
 * (crash, deploy) is taken over once its heartbeat is stale and resumes after the last recorded record.
 *
 * <p>On an orderly shutdown the runner stops first (before the web server drains): it claims no
 * more jobs, and a job it is running stops at the next record boundary, saves its progress and is
 * put back in the queue, so another node resumes it at once rather than after the heartbeat goes stale.
 */
@Component
public class IngestJobRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IngestJobRunner.class);

    private final IngestJobStore jobs;
    private final IngestService ingest;
    private final Duration staleAfter;
    private final String node = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final Object monitor = new Object();
    private volatile boolean running;
    private volatile boolean stopping;
    private boolean busy;

    public IngestJobRunner(IngestJobStore jobs, IngestService ingest,
                           @Value("${gateway.ingest.job-stale-after:PT2M}") Duration staleAfter) {
        this.jobs = jobs;
        this.ingest = ingest;
        this.staleAfter = staleAfter;
    }

    @Scheduled(fixedDelayString = "${gateway.ingest.poll-interval:PT1S}")
    public void runQueuedJobs() {
        synchronized (monitor) {
            if (stopping || !running) {
                return;
            }
            busy = true;
        }
        try {
            while (!stopping) {
                var claimed = jobs.claim(node, staleAfter);
                if (claimed.isEmpty()) {
                    return;
                }
                run(claimed.get());
            }
        } finally {
            synchronized (monitor) {
                busy = false;
                monitor.notifyAll();
            }
        }
    }

    private void run(IngestJobStore.Job job) {
        try {
            IngestJobStore.Payload payload = jobs.payload(job.id())
                    .orElseThrow(() -> new IllegalStateException("the job's extract is no longer stored"));
            // The job writes as whoever submitted it, exactly as if they had waited for it.
            IngestJobStore.Counts counts = CallerContext.runAs(job.submittedBy(), () -> ingest.run(job.id(),
                    ingest.reader(job.feed(), job.file()), new ByteArrayInputStream(payload.body()), job.counts(), () -> stopping));
            jobs.finish(job.id(), counts, IngestJobStore.DONE, null);
        } catch (IngestService.Interrupted e) {
            jobs.release(job.id(), node, e.counts());
            log.info("Ingest job {} handed back to the queue after {} records: this node is stopping", job.id(), e.counts().records());
        } catch (RuntimeException e) {
            if (stopping) {
                // Failed while the node was going down (pool closing, ...): leave it running; its
                // heartbeat goes stale and another node resumes it.
                log.warn("Ingest job {} interrupted by shutdown ({}); another node will resume it", job.id(), e.getClass().getSimpleName());
                return;
            }
            log.warn("Ingest job {} failed: {}", job.id(), e.getClass().getSimpleName());
            jobs.finish(job.id(), jobs.find(job.id()).map(IngestJobStore.Job::counts).orElse(IngestJobStore.Counts.ZERO),
                    IngestJobStore.FAILED, e.getMessage());
        }
    }

    /** This node's name as recorded on the jobs it claims. */
    public String node() {
        return node;
    }

    @Override
    public void start() {
        stopping = false;
        running = true;
    }

    /** Stops claiming, and waits (within the shutdown phase timeout) for a running job to be handed back. */
    @Override
    public void stop(Runnable callback) {
        stopping = true;
        Thread waiter = new Thread(() -> {
            synchronized (monitor) {
                while (busy) {
                    try {
                        monitor.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                running = false;
            }
            callback.run();
        }, "ingest-runner-stop");
        waiter.setDaemon(true);
        waiter.start();
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown, so jobs are handed back while the database is still there. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
