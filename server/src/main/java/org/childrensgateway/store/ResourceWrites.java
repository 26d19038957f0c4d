package org.childrensgateway.store;

import java.time.Instant;
import java.util.Optional;

/**
 * The write side of the store: what the FHIR write path and the audit log need. It reads only the
 * row a write is about to replace (locked), never to answer a caller; reads that answer callers
 * go through the access gate ({@code org.childrensgateway.access}), the only holder of
 * {@link ResourceStore}.
 */
public interface ResourceWrites {

    /** As a read of the current version (possibly a deletion marker), locking the row until the surrounding transaction ends (for version checks). */
    Optional<StoredResource> readForUpdate(String type, String id);

    /**
     * As {@link #readForUpdate(String, String)} for several resources of one type in one statement,
     * locked in id order (so that writers locking overlapping sets cannot deadlock); ids not stored
     * are absent.
     */
    java.util.List<StoredResource> readForUpdate(String type, java.util.Collection<String> ids);

    /** Stores a new version: version 1 creates the resource, later versions replace the current one. */
    StoredResource write(String type, String id, long version, Instant lastUpdated, String json, IndexRows rows, String method);

    /** Stores a deletion marker as the next version; the resource stays in history. */
    StoredResource delete(StoredResource current, Instant when);

    /** Serialises competing conditional writes on the same criteria until the transaction ends. */
    void lockCriteria(String criteria);

    /**
     * {@link #lockCriteria(String)} for each of several criteria, in one statement and in sorted
     * order (so two transactions locking overlapping sets cannot deadlock on them).
     */
    void lockCriteria(java.util.Collection<String> criteria);

    /**
     * From now until {@link #flushCreates}, new resources (version 1) written in the current
     * transaction are held and then written together, in one statement; {@link #write} returns each
     * as it will be stored (its key reserved). Every statement on the transaction's connection,
     * whoever runs it, and its commit first write what is held ({@link HeldCreatesDataSource}), so
     * everything in the transaction sees it. {@code expected}: about how many creates will follow
     * (a Bundle's entries). Outside a transaction it does nothing.
     */
    void holdCreates(int expected);

    /**
     * Writes the held creates and stops holding them.
     *
     * @throws DuplicateCreateException if one's type and id were already stored; the transaction
     *                                  must then roll back (so must it for this exception thrown by
     *                                  any statement, which writes the held creates first): it
     *                                  cannot commit
     */
    void flushCreates();
}
