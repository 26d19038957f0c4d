package org.childrensgateway.limits;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/** A body that cannot be what its headers say (compressed data that is not), found while it streams in: 400. */
public class BadBody extends InvalidRequestException {

    public BadBody(String message) {
        super(message);
    }
}
