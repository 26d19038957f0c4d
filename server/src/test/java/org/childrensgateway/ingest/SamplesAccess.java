package org.childrensgateway.ingest;

/** {@link Samples} for tests in other packages. */
public final class SamplesAccess {

    private SamplesAccess() {
    }

    public static byte[] bytes(String name) {
        return Samples.bytes(name);
    }
}
