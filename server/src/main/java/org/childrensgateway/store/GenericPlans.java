package org.childrensgateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs a statement with PostgreSQL told to use its cached generic plan ({@code plan_cache_mode =
 * force_generic_plan}), then puts the connection's setting back. For statements whose every plan is
 * the same index lookups whatever the values (see {@code PostgresResourceStore.planned}). Left to
 * itself, PostgreSQL compares the generic plan's cost with the custom plans' and, for an exact
 * identifier lookup, costs the generic one (about ten matches from the column's statistics) above the
 * custom one (one match), so it planned the lookup afresh on every execution: 0.4–0.5 ms of planning
 * for 0.1 ms of execution, four times per feed record. The setting is never left behind for the
 * searches that must be planned with their values: it is reset after the statement, and if the
 * statement failed inside a transaction (where nothing more can run), that transaction's rollback
 * undoes the setting with everything else.
 */
final class GenericPlans {

    /** Work on the connection that may throw SQLException. */
    interface Work<T> {
        T run() throws SQLException;
    }

    private GenericPlans() {
    }

    static <T> T during(Connection connection, Work<T> work) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("set plan_cache_mode = force_generic_plan");
        }
        boolean ran = false;
        try {
            T result = work.run();
            ran = true;
            return result;
        } finally {
            reset(connection, ran);
        }
    }

    private static void reset(Connection connection, boolean ran) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("reset plan_cache_mode");
        } catch (SQLException e) {
            if (ran) {
                throw e;
            }
            // The statement's own failure is the one to report; an aborted transaction's rollback undoes the setting.
        }
    }
}
