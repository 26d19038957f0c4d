package org.childrensgateway.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Counters for the gateway's decisions, for features that record what they decided. Outcomes are
 * short fixed words chosen by the caller (never values from a record: a tag must not carry personal
 * data, and every distinct value is a new time series).
 *
 * <ul>
 *   <li>{@link #consentDecision(String)} → {@code gateway_consent_decisions_total{outcome}}, e.g.
 *       {@code permit}, {@code deny}, {@code permit_with_redaction}.</li>
 *   <li>{@link #linkageOutcome(String)} → {@code gateway_linkage_outcomes_total{outcome}}, e.g.
 *       {@code linked}, {@code new_record}, {@code possible_match}, {@code conflict}.</li>
 * </ul>
 *
 * Inject this bean and call it once per decision; it is cheap and thread-safe.
 */
@Component
public class GatewayMetrics {

    static final String CONSENT = "gateway.consent.decisions";
    static final String LINKAGE = "gateway.linkage.outcomes";
    static final String LINKAGE_TIME = "gateway.linkage.match";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One consent decision made on a request or a record (permit, deny, ...). */
    public void consentDecision(String outcome) {
        count(CONSENT, "Consent decisions by outcome", outcome);
    }

    /** One record-linkage result (linked, new_record, possible_match, ...). */
    public void linkageOutcome(String outcome) {
        count(LINKAGE, "Record linkage results by outcome", outcome);
    }

    /**
     * Time the person index spent on {@code records} written source records (matching them and
     * rewriting their child records), spread evenly over them: {@code gateway_linkage_match_seconds}
     * (sum / count = cost per record; the benchmark checks it does not grow with the store).
     */
    public void linkageTime(long nanos, int records) {
        if (records <= 0) {
            return;
        }
        Timer timer = Timer.builder(LINKAGE_TIME).description("Person-index time per source record written").register(registry);
        long each = nanos / records;
        for (int i = 0; i < records; i++) {
            timer.record(each, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private void count(String name, String description, String outcome) {
        String tag = tagValue(outcome);
        counters.computeIfAbsent(name + '\u0000' + tag,
                k -> Counter.builder(name).description(description).tag("outcome", tag).register(registry)).increment();
    }

    /**
     * A tag value safe to publish: lower case letters, digits, '_' and '-', at most 40 characters.
     * Anything else becomes {@code other}, so a caller's mistake cannot leak data or explode series.
     */
    static String tagValue(String value) {
        if (value == null || value.isBlank()) {
            return "unknown";
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.length() <= 40 && v.matches("[a-z][a-z0-9_-]*") ? v : "other";
    }
}
