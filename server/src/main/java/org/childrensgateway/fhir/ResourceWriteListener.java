package org.childrensgateway.fhir;

/**
 * Told about every successful create, update or delete, inside the writing transaction, whichever
 * way the write arrived (REST, transaction Bundle, ingest). Used by capabilities that keep derived
 * state in step with the store, e.g. the person index. Throwing rolls the write back.
 */
public interface ResourceWriteListener {

    void written(WriteOutcome outcome);
}
