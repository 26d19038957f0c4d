package org.childrensgateway.store;

/** Another writer replaced the version this write was based on. */
public class ConcurrentVersionException extends RuntimeException {

    public ConcurrentVersionException(String type, String id, long expectedVersion) {
        super(type + "/" + id + " is no longer at version " + expectedVersion + "; it was changed by another request");
    }
}
