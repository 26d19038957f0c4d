package org.childrensgateway.fhir.validation;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the compiled checks honest on live traffic. They are held to HAPI's validator by a
 * differential test and a fuzz test, but HAPI has hard-coded rules beyond the profiles, and a
 * corpus only reaches what it contains. So every {@code every}-th resource they accept on a write
 * is also validated by HAPI, on one background thread after the write (the write is never held up:
 * when the thread is behind, the sample is skipped). A disagreement, an error HAPI finds that the
 * compiled checks did not, is counted ({@code gateway_validation_cross_checks_total{outcome="disagreed"}})
 * and logged with the resource type and the elements HAPI named, never their values: the signal to
 * set {@code gateway.validation.compiled-checks: false} and report the gap.
 * <p>
 * A HAPI validation costs tens of milliseconds, so under a heavy feed one in a hundred writes was
 * 7–9% of the CPU on two cores, taken from the writes themselves (and HAPI validations run one at a
 * time, so a write sent to HAPI waited behind it). The samples are therefore also held to a share of
 * one core: after a check that took {@code d} of this thread's CPU, none starts for
 * {@code d / share - d}, and one runs at a time. A light load is still checked at the full rate; a
 * heavy one at most at {@code share}. Samples passed over for the budget are counted as
 * {@code outcome="over-budget"}.
 */
final class FastPathCrossCheck {

    private static final Logger log = LoggerFactory.getLogger(FastPathCrossCheck.class);
    static final String METER = "gateway.validation.cross.checks";

    private final int every;
    private final AtomicLong accepted = new AtomicLong();
    private final ThreadPoolExecutor worker;
    private final Counter agreed;
    private final Counter disagreed;
    private final Counter skipped;
    private final Counter overBudget;
    /** The share of one core the checks may use (1: no bound beyond {@code every}). */
    private final double share;
    /** This thread's CPU time and the clock the budget is kept in (nanoseconds); a test gives its own. */
    private final LongSupplier cpuNanos;
    private final LongSupplier clockNanos;
    /** No sample is taken before this instant of {@link #clockNanos}. */
    private volatile long nextAllowed = Long.MIN_VALUE;

    /** {@code every}: one accepted resource in this many is checked again (0: none), using at most {@code share} of one core. */
    FastPathCrossCheck(MeterRegistry registry, int every, double share) {
        this(registry, every, share, FastPathCrossCheck::threadCpuNanos, System::nanoTime);
    }

    FastPathCrossCheck(MeterRegistry registry, int every, double share, LongSupplier cpuNanos, LongSupplier clockNanos) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("gateway.validation.cross-check-share must be more than 0 and at most 1");
        }
        this.every = every;
        this.share = share;
        this.cpuNanos = cpuNanos;
        this.clockNanos = clockNanos;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(32), r -> {
            Thread t = new Thread(r, "validation-cross-check");
            t.setDaemon(true);
            return t;
        }, (task, executor) -> skippedWhenBehind());
        this.agreed = counter(registry, "agreed");
        this.disagreed = counter(registry, "disagreed");
        this.skipped = counter(registry, "skipped");
        this.overBudget = counter(registry, "over-budget");
    }

    /** Whether a check is running or queued under a budget (its cost not yet known); for tests. */
    boolean checking() {
        return nextAllowed == Long.MAX_VALUE;
    }

    private static long threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder(METER).description("Writes the compiled checks accepted, validated again by HAPI")
                .tag("outcome", outcome).register(registry);
    }

    /** Called for each resource the compiled checks accepted; {@code hapi} validates it (from its stored JSON). */
    void accepted(String type, Supplier<ValidationResult> hapi) {
        if (every <= 0 || accepted.incrementAndGet() % every != 0) {
            return;
        }
        if (share < 1) {
            if (clockNanos.getAsLong() < nextAllowed) {
                overBudget.increment();
                return;
            }
            nextAllowed = Long.MAX_VALUE; // one at a time: the budget is set when this one ends
        }
        worker.execute(() -> check(type, hapi));
    }

    /** The thread is behind (its queue is full): the sample is dropped, and counted, rather than delay the write. */
    private void skippedWhenBehind() {
        skipped.increment();
        nextAllowed = Long.MIN_VALUE;
    }

    private void check(String type, Supplier<ValidationResult> hapi) {
        long cpuStart = cpuNanos.getAsLong();
        try {
            List<String> errors = hapi.get().getMessages().stream()
                    .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                    .map(SingleValidationMessage::getLocationString).toList();
            if (errors.isEmpty()) {
                agreed.increment();
            } else {
                disagreed.increment();
                log.warn("The compiled profile checks accepted a {} that HAPI's validator refuses at {}; set "
                        + "gateway.validation.compiled-checks: false and report it", type, errors);
            }
        } catch (RuntimeException e) {
            skipped.increment();
            log.warn("Cross-check of a {} the compiled checks accepted failed: {}", type, e.toString());
        } finally {
            long used = Math.max(0, cpuNanos.getAsLong() - cpuStart);
            nextAllowed = clockNanos.getAsLong() + (long) (used / share) - used;
        }
    }
}
