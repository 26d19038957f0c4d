package org.childrensgateway.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What PostgreSQL did for a phase, per unit of work: commits, index and sequential scans (about one
 * per reading statement) and rows written, from its cumulative statistics views. Unlike CPU time and
 * rates, these do not change when the machine is shared, so they compare two builds fairly.
 */
final class DatabaseWork {

    private static final String[] NAMES = {"commits", "scans", "rowsInserted", "rowsUpdated", "rowsDeleted"};

    private final String url;

    DatabaseWork(int pgPort) {
        this.url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
    }

    /** Cumulative counters now (the statistics a backend holds are flushed within a second of its transaction). */
    long[] snapshot() {
        return flushed(s -> {
            long[] out = new long[NAMES.length];
            try (ResultSet rs = s.executeQuery("select xact_commit from pg_stat_database where datname = current_database()")) {
                rs.next();
                out[0] = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("select coalesce(sum(coalesce(idx_scan, 0) + coalesce(seq_scan, 0)), 0),"
                    + " coalesce(sum(n_tup_ins), 0), coalesce(sum(n_tup_upd), 0), coalesce(sum(n_tup_del), 0) from pg_stat_user_tables")) {
                rs.next();
                for (int i = 1; i < NAMES.length; i++) {
                    out[i] = rs.getLong(i);
                }
            }
            return out;
        });
    }

    /**
     * Cumulative reading work now: scans (index and sequential) and tuples they returned (fetched by
     * index, read sequentially), over the user tables. For a search, the tuples are the matches read.
     */
    long[] readWork() {
        return flushed(s -> {
            try (ResultSet rs = s.executeQuery("select coalesce(sum(coalesce(idx_scan, 0) + coalesce(seq_scan, 0)), 0),"
                    + " coalesce(sum(coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0)), 0) from pg_stat_user_tables")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        });
    }

    /**
     * Cumulative scans per index (sequential scans as "table (seq)") and rows inserted per table,
     * keyed by name: which index and table the per-unit totals come from.
     */
    Map<String, Long> byRelation() {
        return flushed(s -> {
            Map<String, Long> out = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery("select indexrelname, idx_scan from pg_stat_user_indexes")) {
                while (rs.next()) {
                    out.put("scans " + rs.getString(1), rs.getLong(2));
                }
            }
            try (ResultSet rs = s.executeQuery("select relname, coalesce(seq_scan, 0), n_tup_ins from pg_stat_user_tables")) {
                while (rs.next()) {
                    out.put("scans " + rs.getString(1) + " (seq)", rs.getLong(2));
                    out.put("inserted " + rs.getString(1), rs.getLong(3));
                }
            }
            return out;
        });
    }

    /** Statistics statements, run after the backends have flushed theirs (within a second of a transaction) on a fresh snapshot. */
    private <T> T flushed(StatisticsQuery<T> query) {
        try {
            Thread.sleep(1_100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("select pg_stat_clear_snapshot()");
            return query.run(s);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read PostgreSQL statistics", e);
        }
    }

    private interface StatisticsQuery<T> {
        T run(Statement s) throws SQLException;
    }

    /** Growth per unit of each relation's counter between two {@link #byRelation()} snapshots, largest first, zeros left out. */
    static Map<String, Object> perUnitByRelation(Map<String, Long> before, Map<String, Long> after, long units) {
        Map<String, Object> m = new LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0 && units > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> m.put(e.getKey(), Math.round(e.getValue() * 1000.0 / units) / 1000.0));
        return m;
    }

    /** Each counter's growth between two snapshots, per unit. */
    static Map<String, Object> perUnit(long[] before, long[] after, long units) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            m.put(NAMES[i], units == 0 ? 0 : Math.round((after[i] - before[i]) * 1000.0 / units) / 1000.0);
        }
        return m;
    }

    /** Resets pg_stat_statements when the gateway's PostgreSQL preloads it (a measurement run); false otherwise. */
    boolean resetStatements() {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("create extension if not exists pg_stat_statements");
            s.execute("select pg_stat_statements_reset()");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** The statements since {@link #resetStatements}, most calls first, as text lines. */
    String statements(long units) {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            try (ResultSet total = s.executeQuery("select coalesce(sum(calls), 0), count(*), coalesce(sum(plans), 0),"
                    + " coalesce(sum(total_plan_time), 0), coalesce(sum(total_exec_time), 0) from pg_stat_statements")) {
                total.next();
                double u = Math.max(1, units);
                out.append(String.format("all statements: %.2f calls/unit, %d distinct; %.2f plans/unit, planning %.3f ms/unit,"
                        + " execution %.3f ms/unit%n", total.getLong(1) / u, total.getLong(2), total.getLong(3) / u,
                        total.getDouble(4) / u, total.getDouble(5) / u));
            }
        } catch (SQLException e) {
            return "no pg_stat_statements: " + e.getMessage();
        }
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select calls, rows, round(total_exec_time::numeric, 1), shared_blks_hit + shared_blks_read,"
                     + " plans, round(total_plan_time::numeric, 1),"
                     + " regexp_replace(query, '\\s+', ' ', 'g') from pg_stat_statements order by calls desc, total_exec_time desc limit 80")) {
            // plans/unit near calls/unit: the statement is planned on every execution (no cached plan used).
            out.append("calls/unit rows/unit ms/unit blocks/unit plans/unit plan-ms/unit query (units: ").append(units).append(")\n");
            while (rs.next()) {
                double u = Math.max(1, units);
                out.append(String.format("%.2f %.2f %.3f %.1f %.2f %.3f %s%n", rs.getLong(1) / u, rs.getLong(2) / u, rs.getDouble(3) / u,
                        rs.getLong(4) / u, rs.getLong(5) / u, rs.getDouble(6) / u, rs.getString(7)));
            }
        } catch (SQLException e) {
            out.append("no pg_stat_statements: ").append(e.getMessage());
        }
        return out.toString();
    }
}
