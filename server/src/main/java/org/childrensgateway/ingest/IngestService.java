package org.childrensgateway.ingest;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.childrensgateway.mappers.FeedReader;
import org.childrensgateway.mappers.MappedRecord;
import org.childrensgateway.mappers.MappingRegistry;
import org.childrensgateway.mappers.RecordStream;
import org.childrensgateway.operations.IngestMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Reads an extract record by record through its feed mapping and stores each one, quarantining the
 * bad ones with their text and reason. Records are stored in batches of
 * {@code gateway.ingest.batch-size}, one database transaction each. The whole file is never held
 * in memory, and progress is written to the job row as it goes so status requests on any node see it.
 */
@Service
public class IngestService {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    private static final int PROGRESS_EVERY = 100;
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);

    private final MappingRegistry mappings;
    private final RecordWriter writer;
    private final QuarantineStore quarantine;
    private final IngestJobStore jobs;
    private final IngestMetrics metrics;
    private final int batchSize;

    public IngestService(MappingRegistry mappings, RecordWriter writer, QuarantineStore quarantine, IngestJobStore jobs,
                         IngestMetrics metrics, @Value("${gateway.ingest.batch-size:50}") int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("gateway.ingest.batch-size must be at least 1");
        }
        this.batchSize = batchSize;
        this.mappings = mappings;
        this.writer = writer;
        this.quarantine = quarantine;
        this.jobs = jobs;
        this.metrics = metrics;
    }

    /** Checks the feed and file exist and returns the reader, before anything is stored. */
    public FeedReader reader(String feed, String file) {
        return mappings.reader(feed, file);
    }

    /**
     * Processes an extract for a job. {@code resumeFrom} is the progress an earlier, interrupted run
     * of the same job recorded: its records are passed over (writing them again would be harmless,
     * but slow) and its counts carried on.
     */
    public IngestJobStore.Counts run(UUID jobId, FeedReader reader, InputStream in, IngestJobStore.Counts resumeFrom) {
        return run(jobId, reader, in, resumeFrom, () -> false);
    }

    /**
     * As above, but checks {@code stopRequested} before each record: when it answers true (the node
     * is shutting down) the progress so far is saved and {@link Interrupted} thrown, so the job can
     * be handed back and resumed, by any node, after the last record stored.
     */
    public IngestJobStore.Counts run(UUID jobId, FeedReader reader, InputStream in, IngestJobStore.Counts resumeFrom,
                                     BooleanSupplier stopRequested) {
        Tally tally = new Tally(resumeFrom);
        int skip = resumeFrom.records();
        int seen = 0;
        Progress progress = new Progress(jobId, tally, stopRequested);
        List<MappedRecord> batch = new ArrayList<>(batchSize);
        try (RecordStream stream = reader.open(in)) {
            for (MappedRecord record : stream) {
                if (++seen <= skip) {
                    continue;
                }
                batch.add(record);
                if (batch.size() >= batchSize) {
                    writeBatch(batch, progress);
                }
            }
            writeBatch(batch, progress);
        } catch (Exception e) {
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e);
        }
        IngestJobStore.Counts counts = tally.counts();
        log.info("Ingest job {} ({}/{}): {} records, {} created, {} updated, {} unchanged, {} quarantined", jobId,
                reader.mapping().feed, reader.mapping().file, counts.records(), counts.created(), counts.updated(),
                counts.unchanged(), counts.quarantined());
        return counts;
    }

    /**
     * Stores a batch of records in one transaction ({@link RecordWriter#writeAll}) and accounts for
     * each. Counts and progress move only after the batch is committed, so a job resumed after an
     * interruption starts after the last stored record.
     */
    private void writeBatch(List<MappedRecord> batch, Progress progress) {
        if (batch.isEmpty()) {
            return;
        }
        if (progress.stopRequested.getAsBoolean()) {
            jobs.progress(progress.jobId, progress.tally.counts());
            throw new Interrupted(progress.tally.counts());
        }
        List<RecordWriter.Result> results = writer.writeAll(batch);
        Tally tally = progress.tally;
        for (int i = 0; i < batch.size(); i++) {
            MappedRecord record = batch.get(i);
            RecordWriter.Result result = results.get(i);
            tally.records++;
            tally.add(result.outcome());
            metrics.record(record.feed(), record.file(), result.outcome());
            if (result.outcome() == RecordOutcome.QUARANTINED) {
                quarantine.add(progress.jobId, record.feed(), record.file(), record.mappingVersion(), record.location(),
                        record.line() > 0 ? record.line() : null, record.sourceId(), result.reason(), record.rawText());
            } else {
                // Parts that failed on their own (an event's unmapped code) are quarantined by themselves,
                // with the whole record's text: replaying it after the fix stores the part, the rest is unchanged.
                for (org.childrensgateway.mappers.PartFault part : record.partFaults()) {
                    tally.quarantined++;
                    quarantine.addPart(progress.jobId, record.feed(), record.file(), record.mappingVersion(),
                            record.location() + "/" + part.location(), record.line() > 0 ? record.line() : null, record.sourceId(),
                            part.location(), part.reason(), record.rawText());
                }
            }
        }
        batch.clear();
        if (tally.records - progress.savedAt >= PROGRESS_EVERY || System.nanoTime() - progress.savedNanos > PROGRESS_INTERVAL.toNanos()) {
            jobs.progress(progress.jobId, tally.counts());
            progress.savedAt = tally.records;
            progress.savedNanos = System.nanoTime();
        }
    }

    /** A run's job, counts, and when its progress was last saved. */
    private static final class Progress {
        final UUID jobId;
        final Tally tally;
        final BooleanSupplier stopRequested;
        int savedAt;
        long savedNanos = System.nanoTime();

        Progress(UUID jobId, Tally tally, BooleanSupplier stopRequested) {
            this.jobId = jobId;
            this.tally = tally;
            this.stopRequested = stopRequested;
            this.savedAt = tally.records;
        }
    }

    /** The report of a job, with its quarantined records (capped so a huge bad file gives a readable answer). */
    public IngestReport report(IngestJobStore.Job job) {
        List<IngestReport.QuarantinedRecord> bad = quarantine.list(null, null, null, job.id(), 1000).stream()
                .map(q -> new IngestReport.QuarantinedRecord(q.id(), q.location(), q.sourceId(), q.reason()))
                .toList();
        IngestJobStore.Counts c = job.counts();
        return new IngestReport(job.id(), job.feed(), job.file(), job.mappingVersion(), job.status(), job.created(), job.finished(),
                c.records(), c.created(), c.updated(), c.unchanged(), c.quarantined(), bad, job.error());
    }

    /** A background run stopped between records because its node is shutting down; {@code counts} are saved. */
    public static final class Interrupted extends RuntimeException {
        private final transient IngestJobStore.Counts counts;

        Interrupted(IngestJobStore.Counts counts) {
            super("stopped for shutdown after " + counts.records() + " records", null, false, false);
            this.counts = counts;
        }

        public IngestJobStore.Counts counts() {
            return counts;
        }
    }

    /** Counts per outcome, starting from an interrupted run's counts when resuming. */
    private static final class Tally {
        int records;
        int created;
        int updated;
        int unchanged;
        int quarantined;

        Tally(IngestJobStore.Counts start) {
            records = start.records();
            created = start.created();
            updated = start.updated();
            unchanged = start.unchanged();
            quarantined = start.quarantined();
        }

        void add(RecordOutcome outcome) {
            switch (outcome) {
                case CREATED -> created++;
                case UPDATED -> updated++;
                case UNCHANGED -> unchanged++;
                case QUARANTINED -> quarantined++;
            }
        }

        IngestJobStore.Counts counts() {
            return new IngestJobStore.Counts(records, created, updated, unchanged, quarantined);
        }
    }
}
