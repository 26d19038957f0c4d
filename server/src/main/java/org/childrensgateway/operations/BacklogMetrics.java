package org.childrensgateway.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gauges of work waiting in PostgreSQL, shared by every node: {@code gateway_quarantine_open}
 * (records waiting to be fixed and replayed) and {@code gateway_ingest_jobs{status=queued|running}}.
 * The counts are read with one small query at most once per {@code gateway.metrics.backlog-refresh}
 * (default 30 s) whatever the scrape rate; every node reports the same cluster-wide value, so
 * aggregate with {@code max}, not {@code sum}.
 */
@Component
public class BacklogMetrics {

    private static final Logger log = LoggerFactory.getLogger(BacklogMetrics.class);

    private final JdbcClient jdbc;
    private final long refreshNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Map<String, Long> values = Map.of();
    private volatile long readAt;

    public BacklogMetrics(JdbcClient jdbc, MeterRegistry registry,
                          @Value("${gateway.metrics.backlog-refresh:PT30S}") Duration refresh) {
        this.jdbc = jdbc;
        this.refreshNanos = refresh.toNanos();
        this.readAt = System.nanoTime() - refreshNanos - 1;
        Gauge.builder("gateway.quarantine.open", () -> value("quarantine"))
                .description("Quarantined source records not yet resolved (whole cluster)").register(registry);
        for (String status : new String[] {"queued", "running"}) {
            Gauge.builder("gateway.ingest.jobs", () -> value(status)).tag("status", status)
                    .description("Background ingest jobs by status (whole cluster)").register(registry);
        }
    }

    private double value(String key) {
        refreshIfStale();
        Long v = values.get(key);
        return v == null ? Double.NaN : v;
    }

    private void refreshIfStale() {
        if (System.nanoTime() - readAt < refreshNanos || !lock.tryLock()) {
            return;
        }
        try {
            Map<String, Long> next = new HashMap<>();
            next.put("quarantine", 0L);
            next.put("queued", 0L);
            next.put("running", 0L);
            jdbc.sql("select 'quarantine', count(*) from quarantine where status = 'open'"
                            + " union all select status, count(*) from ingest_job where status in ('queued', 'running') group by status")
                    .query(rs -> {
                        next.put(rs.getString(1), rs.getLong(2));
                    });
            values = Map.copyOf(next);
        } catch (RuntimeException e) {
            // The database being away shows on the readiness probe; the gauges go blank rather than stale.
            log.warn("Could not read backlog gauges: {}", e.getClass().getSimpleName());
            values = Map.of();
        } finally {
            readAt = System.nanoTime();
            lock.unlock();
        }
    }
}
