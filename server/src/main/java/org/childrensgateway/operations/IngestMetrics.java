package org.childrensgateway.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.childrensgateway.ingest.RecordOutcome;
import org.springframework.stereotype.Component;

/**
 * {@code gateway_ingest_records_total{feed, file, outcome}}: every source record this node stored
 * or quarantined, sent synchronously or run as a background job (replays of
 * quarantined records are not counted here). Feed and file
 * names come from the mapping registry (a fixed, small set), outcomes from {@link RecordOutcome}.
 * Also {@link #batchRewritten()}.
 */
@Component
public class IngestMetrics {

    static final String RECORDS = "gateway.ingest.records";
    static final String REWRITTEN = "gateway.ingest.batches.rewritten";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String feed, String file, RecordOutcome outcome) {
        String key = feed + '/' + file + '/' + outcome;
        counters.computeIfAbsent(key, k -> Counter.builder(RECORDS)
                .description("Source records ingested, by feed, file and outcome")
                .tag("feed", GatewayMetrics.tagValue(feed))
                .tag("file", GatewayMetrics.tagValue(file))
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry)).increment();
    }

    /**
     * {@code gateway_ingest_batches_rewritten_total}: batches a failing record made the gateway
     * write again record by record (each such batch costs about twice its work; many of them mean
     * a feed's batch size is too large for how often its records fail).
     */
    public void batchRewritten() {
        Counter.builder(REWRITTEN).description("Ingest batches written again record by record after one record failed")
                .register(registry).increment();
    }
}
