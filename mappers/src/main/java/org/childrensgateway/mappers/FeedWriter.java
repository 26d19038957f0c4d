package org.childrensgateway.mappers;

import java.io.Writer;
import java.util.List;

import org.hl7.fhir.r4.model.Resource;

/** Writes FHIR resources in a source system's own layout, streaming to a Writer. */
public interface FeedWriter {

    /** Starts an output (writes the CSV header / XML root); add records, then close to finish the document. */
    Sink open(Writer out);

    /** Writes all records; returns what could not be written (e.g. a code with no reverse translation). */
    default WriteResult write(Iterable<OutboundRecord> records, Writer out) {
        try (Sink sink = open(out)) {
            records.forEach(sink::accept);
            return sink.result();
        }
    }

    /** Convenience: one child's resources. */
    default WriteResult write(String receiverChildId, List<? extends Resource> resources, Writer out) {
        return write(List.of(new OutboundRecord(receiverChildId, resources)), out);
    }

    /** An open output. Not thread-safe. */
    interface Sink extends AutoCloseable {
        void accept(OutboundRecord record);

        WriteResult result();

        @Override
        void close();
    }

    /** @param written rows or elements written; @param issues resources skipped and why (no personal data) */
    record WriteResult(int written, List<Issue> issues) {
        public WriteResult {
            issues = List.copyOf(issues);
        }
    }
}
