package org.childrensgateway.mappers;

/** A mapping file, ConceptMap or input file header that cannot be used; the message says which file and field. */
public class MappingException extends RuntimeException {
    public MappingException(String message) {
        super(message);
    }

    public MappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
