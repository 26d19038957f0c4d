package org.childrensgateway.mappers;

/** No mapping of that feed or file exists (a 404 at the API), as opposed to a mapping that exists but cannot be used. */
public class UnknownMappingException extends MappingException {
    public UnknownMappingException(String message) {
        super(message);
    }
}
