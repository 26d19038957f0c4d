package org.childrensgateway.store;

import org.springframework.dao.DuplicateKeyException;

/**
 * A held create ({@link ResourceWrites#holdCreates}) whose type and id were already stored when the
 * held creates were written: what a direct insert reports as a {@link DuplicateKeyException}, with
 * the resource it concerns, since it surfaces later than the write that asked for it.
 */
public class DuplicateCreateException extends DuplicateKeyException {

    private final String type;
    private final String id;

    public DuplicateCreateException(String type, String id) {
        super(type + "/" + id + " is already stored");
        this.type = type;
        this.id = id;
    }

    public String type() {
        return type;
    }

    public String id() {
        return id;
    }
}
