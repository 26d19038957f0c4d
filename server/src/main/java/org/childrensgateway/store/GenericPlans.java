package org.childrensgateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.RowMapperResultSetExtractor;

/**
 * Runs a query with PostgreSQL told to use its cached generic plan ({@code plan_cache_mode =
 * force_generic_plan}), then puts the connection's setting back. For statements whose every plan is
 * the same index lookups whatever the values (see {@code PostgresResourceStore.planned}). Left to
 * itself, PostgreSQL compares the generic plan's cost with the custom plans' and, for an exact
 * identifier lookup, costs the generic one (about ten matches from the column's statistics) above the
 * custom one (one match), so it planned the lookup afresh on every execution: 0.4–0.5 ms of planning
 * for 0.1 ms of execution, four times per feed record.
 *
 * <p>The setting, the query and the reset are one statement text, which the driver sends as three
 * statements in one round trip (not three). The setting is never left behind for the searches that
 * must be planned with their values: when the query fails, PostgreSQL skips the reset, but the
 * setting is undone with the rest of the failed transaction, the one the caller holds or, outside
 * one, the implicit transaction that the three statements of one round trip run in.
 */
public final class GenericPlans {

    static final String FORCE = "set plan_cache_mode = force_generic_plan; ";
    static final String RESET = "; reset plan_cache_mode";

    /** Sets a prepared statement's parameters. */
    interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    /** Reads the query's rows. */
    interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private GenericPlans() {
    }

    /**
     * Runs {@code sql} with {@code args} on its generic plan, on the connection of the caller's
     * transaction (or one of its own), and maps its rows. For a fixed statement whose every plan is the
     * same index lookups (the child record's {@code $everything}, {@code identity.ChildDataQuery}).
     */
    public static <T> List<T> list(JdbcOperations template, String sql, Object[] args, RowMapper<T> rows) {
        return template.execute((ConnectionCallback<List<T>>) connection -> query(connection, sql,
                new ArgumentPreparedStatementSetter(args)::setValues, new RowMapperResultSetExtractor<>(rows)::extractData));
    }

    /** Runs {@code sql} (one query, its parameters set by {@code parameters}) on its generic plan, and reads its rows. */
    static <T> T query(Connection connection, String sql, Parameters parameters, Rows<T> rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FORCE + sql + RESET)) {
            parameters.set(statement);
            // Results in order: the setting's (no rows), the query's rows, the reset's.
            boolean hasRows = statement.execute();
            while (!hasRows) {
                if (statement.getUpdateCount() == -1) {
                    throw new SQLException("the query under the generic-plan setting returned no rows");
                }
                hasRows = statement.getMoreResults();
            }
            try (ResultSet rs = statement.getResultSet()) {
                return rows.read(rs);
            }
        }
    }
}
