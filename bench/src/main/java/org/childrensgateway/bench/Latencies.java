package org.childrensgateway.bench;

import java.util.Arrays;

/** Latency samples (nanoseconds) of one kind of operation; percentiles by nearest rank. */
final class Latencies {

    private long[] samples = new long[1024];
    private int n;
    int errors;

    synchronized void add(long nanos) {
        if (n == samples.length) {
            samples = Arrays.copyOf(samples, n * 2);
        }
        samples[n++] = nanos;
    }

    synchronized void error() {
        errors++;
    }

    synchronized int count() {
        return n;
    }

    /** Percentile in milliseconds (p in 0..100). */
    synchronized double percentileMs(double p) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, rank))] / 1e6;
    }
}
