package org.childrensgateway.limits;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts what passes through and fails with {@link LimitExceeded} once more than {@code max} bytes have. */
class LimitedInputStream extends FilterInputStream {

    private final long max;
    private final String what;
    private long count;

    LimitedInputStream(InputStream in, long max, String what) {
        super(in);
        this.max = max;
        this.what = what;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        add(skipped);
        return skipped;
    }

    private void add(long n) {
        count += n;
        if (count > max) {
            throw new LimitExceeded(what + " is larger than the limit of " + max + " bytes");
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
