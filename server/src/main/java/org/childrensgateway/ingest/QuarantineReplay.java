package org.childrensgateway.ingest;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.childrensgateway.mappers.FeedReader;
import org.childrensgateway.mappers.MappedRecord;
import org.childrensgateway.mappers.RecordStream;
import org.springframework.stereotype.Component;

/**
 * Replays a quarantined record through the mapping now in force, optionally with corrected text.
 * On success the entry is resolved; otherwise it stays open with the new reason, and nothing is lost.
 */
@Component
public class QuarantineReplay {

    /** @param status {@code resolved} or {@code open} */
    public record Result(long id, String status, RecordOutcome outcome, String reason) {
    }

    private final QuarantineStore quarantine;
    private final IngestService ingest;
    private final RecordWriter writer;

    public QuarantineReplay(QuarantineStore quarantine, IngestService ingest, RecordWriter writer) {
        this.quarantine = quarantine;
        this.ingest = ingest;
        this.writer = writer;
    }

    public Result replay(long id, String correctedText) throws Exception {
        QuarantineStore.Entry entry = quarantine.find(id)
                .orElseThrow(() -> new IngestController.NotFoundException("No quarantined record " + id));
        if (!"open".equals(entry.status())) {
            return new Result(id, entry.status(), null, "already resolved");
        }
        String text = correctedText != null ? correctedText : entry.rawText();
        FeedReader reader = ingest.reader(entry.feed(), entry.file());
        int records = 0;
        RecordWriter.Result last = null;
        MappedRecord lastRecord = null;
        try (RecordStream stream = reader.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            for (MappedRecord record : stream) {
                records++;
                lastRecord = record;
                last = writer.write(record);
            }
        }
        if (records != 1) {
            String reason = "replay text must hold exactly one record (with its header for CSV), found " + records;
            quarantine.stillFailing(id, reason, text, reader.version());
            return new Result(id, "open", RecordOutcome.QUARANTINED, reason);
        }
        if (last.outcome() == RecordOutcome.QUARANTINED) {
            quarantine.stillFailing(id, last.reason(), text, lastRecord.mappingVersion());
            return new Result(id, "open", RecordOutcome.QUARANTINED, last.reason());
        }
        // A part quarantined by itself is resolved only when the replayed record maps that part too.
        var stillFailing = lastRecord.partFaults().stream().filter(p -> entry.location() != null && entry.location().endsWith("/" + p.location()))
                .findFirst();
        if (stillFailing.isPresent()) {
            quarantine.stillFailing(id, stillFailing.get().reason(), text, lastRecord.mappingVersion());
            return new Result(id, "open", RecordOutcome.QUARANTINED, stillFailing.get().reason());
        }
        quarantine.resolve(id);
        return new Result(id, "resolved", last.outcome(), null);
    }
}
