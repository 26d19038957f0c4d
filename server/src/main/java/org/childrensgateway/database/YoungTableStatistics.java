package org.childrensgateway.database;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Analyses the gateway's young tables as soon as they have doubled, rather than waiting for
 * autovacuum. On a new deployment every table starts empty, and PostgreSQL caches each prepared
 * statement's generic plan from the statistics of that moment. On an empty table every index costs
 * the same, so a lookup may be planned on the wrong one. In the benchmark's feed phase the person
 * index's lookups read 1,800–2,000 buffers per call instead of 3 to 25 until the first ANALYZE
 * (docs/benchmarks.md, round 11). Autovacuum's ANALYZE comes up to a minute
 * ({@code autovacuum_naptime}) after the first rows, which is the first load's worst minute.
 *
 * <p>Only tables below {@link #YOUNG_ROWS} are watched: past that, one more doubling no longer
 * changes which index a key lookup should use, and autovacuum's own thresholds take over. The rule
 * counts live rows, not modifications, so a small table that is only updated (the audit chain's
 * head) is never analysed here: each ANALYZE makes every connection re-plan the statements on it.
 * Every node runs this; an ANALYZE resets the table's count, so another node's next look finds
 * nothing due.
 */
@Component
@ConditionalOnProperty(name = "gateway.database.young-table-analyze", havingValue = "true", matchIfMissing = true)
class YoungTableStatistics {

    private static final Logger log = LoggerFactory.getLogger(YoungTableStatistics.class);

    /** Tables with statistics for fewer rows than this are watched. */
    static final long YOUNG_ROWS = 100_000;

    /** As autovacuum's {@code autovacuum_analyze_threshold}: below this many rows a plan hardly matters. */
    static final long MIN_ROWS = 50;

    private final JdbcClient jdbc;
    private final Counter analyses;

    YoungTableStatistics(JdbcClient jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        // An operator sees it at work (a dozen or so per table on a new database, then none) without debug logs.
        this.analyses = Counter.builder("gateway.database.young.table.analyses")
                .description("Tables this node analysed because they had doubled while young").register(registry);
    }

    /**
     * Whether a table whose statistics say {@code analysedRows} ({@code -1}: never analysed) and
     * which now holds about {@code liveRows} should be analysed now.
     */
    static boolean due(double analysedRows, long liveRows) {
        double known = Math.max(analysedRows, 0);
        return known < YOUNG_ROWS && liveRows >= MIN_ROWS + 2 * known;
    }

    /**
     * The young tables of the gateway's schema that it may analyse: those whose owner's privileges
     * it has ({@code pg_has_role}, true for a superuser too). On an external database the gateway's
     * role need not own the tables (another role ran the migrations): PostgreSQL then skips the
     * ANALYZE with a warning and the table stays due, so without the condition the server's log had
     * one warning per table every 5 seconds.
     */
    static final String YOUNG_TABLES = "select quote_ident(s.relname), c.reltuples, s.n_live_tup from pg_stat_user_tables s"
            + " join pg_class c on c.oid = s.relid where s.schemaname = current_schema() and c.reltuples < ?"
            + " and pg_has_role(c.relowner, 'USAGE')";

    @Scheduled(initialDelayString = "PT5S", fixedDelayString = "${gateway.database.young-table-analyze-interval:PT5S}")
    void analyseWhatHasDoubled() {
        try {
            List<Table> young = jdbc.sql(YOUNG_TABLES).param(YOUNG_ROWS)
                    .query((rs, n) -> new Table(rs.getString(1), rs.getDouble(2), rs.getLong(3))).list();
            for (Table table : young) {
                if (due(table.analysedRows(), table.liveRows())) {
                    // Table names come from the catalogue, quoted by quote_ident; they hold no personal data.
                    jdbc.sql("analyze " + table.name()).update();
                    analyses.increment();
                    log.debug("Analysed young table {} ({} live rows, statistics had {})", table.name(), table.liveRows(),
                            Math.round(table.analysedRows()));
                }
            }
        } catch (RuntimeException e) {
            // Autovacuum still analyses the table later; nothing is lost but speed.
            log.warn("Could not analyse young tables: {}", e.getClass().getSimpleName());
        }
    }

    private record Table(String name, double analysedRows, long liveRows) {
    }
}
