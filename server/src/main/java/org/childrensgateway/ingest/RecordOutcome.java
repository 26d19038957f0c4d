package org.childrensgateway.ingest;

/** What happened to one source record. */
public enum RecordOutcome {
    CREATED, UPDATED, UNCHANGED, QUARANTINED
}
