package org.childrensgateway.ingest;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.childrensgateway.fhir.BundleProcessor;
import org.childrensgateway.fhir.WriteOutcome;
import org.childrensgateway.mappers.MappedRecord;
import org.childrensgateway.operations.IngestMetrics;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores each mapped source record as one FHIR transaction Bundle, so a record is all-or-nothing
 * and one bad record never affects the others; several records can share one database transaction
 * ({@link #writeAll}). Re-sent identical records and records older than what is
 * stored are recognised here and change nothing.
 */
@Component
public class RecordWriter {

    /** The result for one record; {@code reason} is set when it was quarantined. */
    public record Result(RecordOutcome outcome, String reason) {
    }

    private final BundleProcessor bundles;
    private final SourceRecordStore sourceRecords;
    private final TransactionTemplate transactions;
    private final PartialUpdateMerger partials;
    private final IngestMetrics metrics;

    public RecordWriter(BundleProcessor bundles, SourceRecordStore sourceRecords, TransactionTemplate transactions,
                        PartialUpdateMerger partials, IngestMetrics metrics) {
        this.metrics = metrics;
        this.partials = partials;
        this.bundles = bundles;
        this.sourceRecords = sourceRecords;
        this.transactions = transactions;
    }

    /** Stores one record in its own transaction. */
    public Result write(MappedRecord record) {
        if (record.isQuarantined()) {
            return new Result(RecordOutcome.QUARANTINED, record.quarantineReason());
        }
        try {
            return transactions.execute(status -> store(record, key -> sourceRecords.find(key.feed(), key.file(), key.sourceId()),
                    (key, accepted) -> sourceRecords.accept(key.feed(), key.file(), key.sourceId(), accepted.contentHash(),
                            accepted.sourceLastUpdated())));
        } catch (BaseServerResponseException e) {
            return new Result(RecordOutcome.QUARANTINED, "rejected by the FHIR store (" + e.getStatusCode() + "): " + e.getMessage());
        }
    }

    /**
     * Stores several records in one transaction: one commit, one locking of the person index's keys
     * and one rewrite of each child record concerned, instead of one of each per record. If any
     * record fails, nothing of the batch is kept and each record is written again in its own
     * transaction, so a bad record still affects only itself (and is quarantined with its own reason).
     */
    public List<Result> writeAll(List<MappedRecord> records) {
        if (records.size() <= 1) {
            return records.stream().map(this::write).toList();
        }
        try {
            return transactions.execute(status -> {
                // What was accepted before, for the whole batch in one statement; what the batch accepts
                // is kept here (a later record of the batch with the same source id sees it) and written
                // in one statement at the end, inside the same transaction.
                Map<SourceRecordStore.Key, SourceRecordStore.Accepted> known = sourceRecords.findAll(records.stream()
                        .filter(r -> !r.isQuarantined()).map(RecordWriter::sourceKey).filter(Objects::nonNull).distinct().toList());
                Map<SourceRecordStore.Key, SourceRecordStore.Accepted> accepted = new LinkedHashMap<>();
                List<Result> results = new ArrayList<>(records.size());
                for (MappedRecord record : records) {
                    results.add(record.isQuarantined() ? new Result(RecordOutcome.QUARANTINED, record.quarantineReason())
                            : store(record, key -> Optional.ofNullable(known.get(key)), (key, a) -> {
                                known.put(key, a);
                                accepted.remove(key);
                                accepted.put(key, a);
                            }));
                }
                sourceRecords.acceptAll(accepted);
                return results;
            });
        } catch (RuntimeException batchFailed) {
            metrics.batchRewritten();
            return records.stream().map(this::write).toList();
        }
    }

    /** Stores a record inside the caller's transaction; a refusal is thrown, so that the transaction rolls back. */
    private Result store(MappedRecord record, Function<SourceRecordStore.Key, Optional<SourceRecordStore.Accepted>> previouslyAccepted,
                         BiConsumer<SourceRecordStore.Key, SourceRecordStore.Accepted> accept) {
        String hash = hash(record);
        SourceRecordStore.Key sourceKey = sourceKey(record);
        if (sourceKey != null) {
            Optional<SourceRecordStore.Accepted> previous = previouslyAccepted.apply(sourceKey);
            if (previous.isPresent() && (previous.get().contentHash().equals(hash) || isOlder(record, previous.get()))) {
                return new Result(RecordOutcome.UNCHANGED, null);
            }
        }
        Bundle transaction = record.toTransactionBundle();
        var unknown = partials.unknownIdentityOnlyPatient(transaction);
        if (unknown.isPresent()) {
            return new Result(RecordOutcome.QUARANTINED, unknown.get());
        }
        partials.mergeInto(transaction);
        Bundle response = bundles.process(transaction);
        if (sourceKey != null) {
            accept.accept(sourceKey, new SourceRecordStore.Accepted(hash, record.lastUpdated()));
        }
        return new Result(classify(response), null);
    }

    /**
     * Source ids are only unique within the sending organisation (two trusts may both have a client
     * RIO1000123), so the sender's organisation is part of the key.
     */
    private static SourceRecordStore.Key sourceKey(MappedRecord record) {
        if (record.sourceId() == null) {
            return null;
        }
        return new SourceRecordStore.Key(record.feed(), record.file(),
                org.childrensgateway.security.CallerContext.current().map(c -> c.organisation()).orElse("-") + "/" + record.sourceId());
    }

    /** A record the source says is older than the one already accepted must not overwrite it. */
    private static boolean isOlder(MappedRecord record, SourceRecordStore.Accepted previous) {
        return record.lastUpdated() != null && previous.sourceLastUpdated() != null
                && record.lastUpdated().isBefore(previous.sourceLastUpdated());
    }

    /** Created if anything new was created, updated if anything changed, else unchanged; Provenance doesn't count. */
    private static RecordOutcome classify(Bundle response) {
        boolean updated = false;
        for (Bundle.BundleEntryComponent entry : response.getEntry()) {
            if (entry.getResource() != null && "Provenance".equals(entry.getResource().fhirType())) {
                continue;
            }
            Object kind = entry.getUserData(BundleProcessor.WRITE_KIND);
            if (kind == WriteOutcome.Kind.CREATED) {
                return RecordOutcome.CREATED;
            }
            updated |= kind == WriteOutcome.Kind.UPDATED;
        }
        return updated ? RecordOutcome.UPDATED : RecordOutcome.UNCHANGED;
    }

    /** The mapping version is part of the hash: after a mapping change, the same record is mapped and stored again. */
    static String hash(MappedRecord record) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((record.mappingVersion() + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(record.rawText().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
