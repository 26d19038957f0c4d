package org.childrensgateway.limits;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many heavy requests (a batch or transaction Bundle, a synchronous extract) the gateway works
 * on at once. Each holds up to a thousand parsed and validated resources; without a bound, a burst
 * of them exhausts the heap and stops the node for everyone (seen at 16 concurrent 400-entry
 * bundles on a 448 MB heap). A request waits its turn for a while and is then told to come back.
 */
public final class HeavyRequestPermits {

    private final Semaphore permits;
    private final Duration maxWait;

    public HeavyRequestPermits(int concurrent, Duration maxWait) {
        this.permits = new Semaphore(Math.max(1, concurrent), true);
        this.maxWait = maxWait;
    }

    /** Waits up to the configured time for a permit; false: the caller should answer 503 with Retry-After. */
    public boolean enter() {
        try {
            return permits.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void leave() {
        permits.release();
    }

    /** Seconds a refused caller should wait before trying again. */
    public long retryAfterSeconds() {
        return Math.max(1, maxWait.toSeconds());
    }

    /** A POST to the FHIR base (batch, transaction) or of an extract to /ingest/{feed}/{file}. */
    public static boolean isHeavy(String method, String path) {
        if (!"POST".equals(method)) {
            return false;
        }
        if (path.equals("/fhir") || path.equals("/fhir/")) {
            return true;
        }
        String[] segments = path.split("/");
        // /ingest/{feed}/{file}: not the jobs, quarantine or mappings routes, which are small
        return segments.length == 4 && "ingest".equals(segments[1]) && !"jobs".equals(segments[2])
                && !"quarantine".equals(segments[2]) && !"mappings".equals(segments[2]);
    }
}
