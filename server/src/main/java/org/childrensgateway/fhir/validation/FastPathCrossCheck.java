package org.childrensgateway.fhir.validation;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

    /** {@code every}: one accepted resource in this many is checked again (0: none). */
    FastPathCrossCheck(MeterRegistry registry, int every) {
        this.every = every;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(32), r -> {
            Thread t = new Thread(r, "validation-cross-check");
            t.setDaemon(true);
            return t;
        }, (task, executor) -> skippedWhenBehind());
        this.agreed = counter(registry, "agreed");
        this.disagreed = counter(registry, "disagreed");
        this.skipped = counter(registry, "skipped");
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
        worker.execute(() -> check(type, hapi));
    }

    /** The thread is behind (its queue is full): the sample is dropped, and counted, rather than delay the write. */
    private void skippedWhenBehind() {
        skipped.increment();
    }

    private void check(String type, Supplier<ValidationResult> hapi) {
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
        }
    }
}
