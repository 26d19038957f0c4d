package org.childrensgateway.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The answer to an ingest and the body of a job's status resource: counts per outcome, progress,
 * and every quarantined record with where it was in the file and why.
 *
 * @param status    {@code queued}, {@code running}, {@code done} or {@code failed}
 * @param records   source records read so far
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestReport(
        UUID jobId,
        String feed,
        String file,
        String mappingVersion,
        String status,
        Instant createdAt,
        Instant finishedAt,
        int records,
        int created,
        int updated,
        int unchanged,
        int quarantined,
        List<QuarantinedRecord> quarantinedRecords,
        String error) {

    /**
     * @param id       quarantine entry id, for {@code GET /ingest/quarantine/{id}} and replay
     * @param location line number or XML element path in the file
     * @param sourceId the source system's identifier of the record, when it could be read
     * @param reason   why it was not stored (no personal data)
     */
    public record QuarantinedRecord(long id, String location, String sourceId, String reason) {
    }
}
