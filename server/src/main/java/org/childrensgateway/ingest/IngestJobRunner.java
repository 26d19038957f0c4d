package org.childrensgateway.ingest;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import org.childrensgateway.security.CallerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs queued ingest jobs in the background. Any node may claim a job; a job whose node stopped
 * (crash, deploy) is taken over once its heartbeat is stale and resumes after the last recorded record.
 */
@Component
public class IngestJobRunner {

    private static final Logger log = LoggerFactory.getLogger(IngestJobRunner.class);

    private final IngestJobStore jobs;
    private final IngestService ingest;
    private final Duration staleAfter;
    private final String node = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);

    public IngestJobRunner(IngestJobStore jobs, IngestService ingest,
                           @Value("${gateway.ingest.job-stale-after:PT2M}") Duration staleAfter) {
        this.jobs = jobs;
        this.ingest = ingest;
        this.staleAfter = staleAfter;
    }

    @Scheduled(fixedDelayString = "${gateway.ingest.poll-interval:PT1S}")
    public void runQueuedJobs() {
        while (true) {
            var claimed = jobs.claim(node, staleAfter);
            if (claimed.isEmpty()) {
                return;
            }
            run(claimed.get());
        }
    }

    private void run(IngestJobStore.Job job) {
        try {
            IngestJobStore.Payload payload = jobs.payload(job.id())
                    .orElseThrow(() -> new IllegalStateException("the job's extract is no longer stored"));
            // The job writes as whoever submitted it, exactly as if they had waited for it.
            IngestJobStore.Counts counts = CallerContext.runAs(job.submittedBy(), () -> ingest.run(job.id(),
                    ingest.reader(job.feed(), job.file()), new ByteArrayInputStream(payload.body()), job.counts()));
            jobs.finish(job.id(), counts, IngestJobStore.DONE, null);
        } catch (RuntimeException e) {
            log.warn("Ingest job {} failed: {}", job.id(), e.getClass().getSimpleName());
            jobs.finish(job.id(), jobs.find(job.id()).map(IngestJobStore.Job::counts).orElse(IngestJobStore.Counts.ZERO),
                    IngestJobStore.FAILED, e.getMessage());
        }
    }
}
