package org.childrensgateway.limits;

import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;

/**
 * A body found too large while it streams in. Thrown from {@code read()} as an unchecked HAPI
 * exception so that HAPI (413 OperationOutcome) and the /ingest error advice answer it with its
 * status instead of wrapping it as an I/O failure.
 */
public class LimitExceeded extends PayloadTooLargeException {

    public LimitExceeded(String message) {
        super(message);
    }
}
