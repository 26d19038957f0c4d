package org.childrensgateway.store;

import java.util.ArrayList;
import java.util.List;

/** A piece of SQL with its positional arguments, built up as a search is translated. */
final class SqlFragment {

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> args = new ArrayList<>();

    SqlFragment append(String text, Object... values) {
        sql.append(text);
        args.addAll(List.of(values));
        return this;
    }

    SqlFragment append(SqlFragment other) {
        sql.append(other.sql);
        args.addAll(other.args);
        return this;
    }

    String sql() {
        return sql.toString();
    }

    List<Object> args() {
        return args;
    }

    boolean isEmpty() {
        return sql.isEmpty();
    }
}
