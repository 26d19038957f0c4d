package org.childrensgateway.ingest;

/** The vendors' sample files for tests outside this package (see {@link Samples}). */
public final class SampleFiles {

    private SampleFiles() {
    }

    public static byte[] bytes(String name) {
        return Samples.bytes(name);
    }
}
