package org.childrensgateway.limits;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Inflates a gzip or deflate body as it is read, never all at once, and stops it as soon as the
 * inflated size passes the body limit or grows faster than {@code maxRatio} times what was
 * received (checked after the first MiB, so small bodies of repetitive text are not refused).
 */
final class DecompressingInputStream extends FilterInputStream {

    private static final long RATIO_CHECK_AFTER = 1024 * 1024;

    static final java.util.Set<String> SUPPORTED = java.util.Set.of("gzip", "x-gzip", "deflate");

    private final String encoding;
    private final LimitedInputStream compressed;
    private final long maxBytes;
    private final int maxRatio;
    private long inflated;

    DecompressingInputStream(String encoding, InputStream raw, long maxBytes, int maxRatio) {
        super(null);
        this.encoding = encoding;
        this.compressed = new LimitedInputStream(raw, maxBytes, "The request body");
        this.maxBytes = maxBytes;
        this.maxRatio = maxRatio;
    }

    /** Opened at the first read: a GZIP stream reads its header at once, and a request may have no body. */
    private InputStream inflating() throws IOException {
        if (in == null) {
            try {
                in = "deflate".equals(encoding) ? new InflaterInputStream(compressed) : new GZIPInputStream(compressed, 8192);
            } catch (java.io.EOFException e) {
                in = InputStream.nullInputStream();
            } catch (java.util.zip.ZipException e) {
                throw notCompressed();
            }
        }
        return in;
    }

    private BadBody notCompressed() {
        return new BadBody("The request body is not valid " + encoding + " data, as its Content-Encoding says");
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = inflating().read(b, off, len);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw notCompressed();
        }
        if (n > 0) {
            add(n);
        }
        return n;
    }

    /** Skipped bytes are inflated and counted like read ones. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        } else {
            compressed.close();
        }
    }

    @Override
    public int available() throws IOException {
        return 0;
    }

    private void add(long n) {
        inflated += n;
        if (inflated > maxBytes) {
            throw new LimitExceeded("The decompressed request body is larger than the limit of " + maxBytes + " bytes");
        }
        if (inflated > RATIO_CHECK_AFTER && inflated > (long) maxRatio * Math.max(1, compressed.count())) {
            throw new LimitExceeded("The request body decompresses more than " + maxRatio + " times its size (a compression bomb)");
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
