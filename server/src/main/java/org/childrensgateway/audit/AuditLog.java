package org.childrensgateway.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the audit trail: each {@link AuditRecord} becomes one AuditEvent in the resource store's
 * tables (so the generic AuditEvent read and search work on it) and one link in the hash chain, in
 * one short transaction of its own ({@link AuditStore}: one statement for a whole group). Server-generated, so it skips profile validation and write
 * listeners; it never goes through the FHIR API, so audit writes are not audited again. Records
 * are committed in groups ({@link AuditGroupCommit}); {@link #record} returns only once its record is
 * committed, so a response never completes before its audit record is durable.
 */
@Service
public class AuditLog {

    private final AuditStore store;
    private final TransactionTemplate transaction;
    private final String node;
    /** AuditEvents ready to store: written and indexed on the request's thread, so the writer only writes. */
    private final AuditGroupCommit<AuditStore.Event> writer;

    AuditLog(AuditStore store, PlatformTransactionManager transactions, @Value("${gateway.audit.node:}") String node,
             @Value("${gateway.audit.max-group:64}") int maxGroup) {
        this.store = store;
        this.transaction = new TransactionTemplate(transactions);
        // Never inside the caller's transaction: the audit survives its rollback and holds no locks of it.
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.node = node == null || node.isBlank() ? defaultNode() : node;
        this.writer = new AuditGroupCommit<>(this::storeAll, Math.max(1, maxGroup), 30);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        writer.close();
    }

    /** The name this gateway node records as the audit source. */
    public String node() {
        return node;
    }

    /** Stores the record as an AuditEvent linked into the chain; returns the stored AuditEvent's id. */
    public String record(AuditRecord record) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String id = UUID.randomUUID().toString();
        // The stored JSON and the search index rows are both written directly from the record: no
        // AuditEvent is built (AuditEventJsonTest and AuditIndexRowsTest hold both to what the built
        // event would give).
        writer.store(new AuditStore.Event(id, now, AuditEventJson.write(record, id, now), AuditIndexRows.of(record, now)));
        return id;
    }

    /** One transaction for a group: all its records stored and linked into the chain, in arrival order, in one statement. */
    private void storeAll(java.util.List<AuditStore.Event> group) {
        transaction.executeWithoutResult(status -> store.storeAndLink(group));
    }

    private static String defaultNode() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "gateway" : host;
    }
}
