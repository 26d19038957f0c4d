package org.childrensgateway.store;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.sql.Timestamp;
import java.util.List;
import org.childrensgateway.search.DateRanges;
import org.childrensgateway.search.ReferenceAlias;
import org.childrensgateway.search.SearchParamDefinition;
import org.childrensgateway.search.SearchParamType;
import org.childrensgateway.search.TextNormaliser;

/**
 * Translates a {@link SearchQuery} into one SQL statement over the index tables. Each clause
 * becomes an EXISTS on its index table, so every parameter is answered by an index and a
 * search costs one query whatever its size.
 */
final class SearchSqlBuilder {

    private SearchSqlBuilder() {
    }

    static SqlFragment keys(SearchQuery query) {
        return select("r.pid", query);
    }

    /** The matching rows themselves, in the same order as {@link #keys}: the search and the load in one statement. */
    static SqlFragment rows(String columns, SearchQuery query) {
        return select(columns, query);
    }

    /**
     * The first {@code limit} matches after {@code after} (null: from the start) in the query's order,
     * which {@link SearchPosition#supports} must allow: a keyset page, never more rows than asked for.
     */
    static SqlFragment rowsAfter(String columns, SearchQuery query, SearchPosition after, int limit) {
        if (!SearchPosition.supports(query)) {
            throw new IllegalArgumentException("keyset paging needs the default order or _lastUpdated");
        }
        SqlFragment past = new SqlFragment();
        if (after != null && query.sort().isEmpty()) {
            past.append(" and r.pid > ?", after.pid());
        } else if (after != null) {
            Timestamp at = Timestamp.from(after.lastUpdated());
            past.append(query.sort().get(0).descending() ? " and (r.last_updated < ? or r.last_updated = ? and r.pid > ?)"
                    : " and (r.last_updated, r.pid) > (?, ?)", query.sort().get(0).descending() ? new Object[] {at, at, after.pid()}
                    : new Object[] {at, after.pid()});
        }
        return select(columns, query, past).append(" limit ?", limit);
    }

    /**
     * For each match, only the named top-level members of its JSON, exactly as stored (absent ones
     * absent, a JSON null kept as null), as the text of one JSON object: what the consent decision
     * reads, without the rest. Each member is one field lookup ({@code ->}), far cheaper for
     * PostgreSQL than expanding the object; content that is no object projects to null, which the
     * reader declines.
     */
    static String projection(String alias, java.util.Collection<String> members) {
        StringBuilder parts = new StringBuilder();
        for (String m : members) {
            if (!m.matches("[A-Za-z]+")) {
                throw new IllegalArgumentException("not a member name: " + m);
            }
            parts.append(", '\"").append(m).append("\":' || (").append(alias).append(".content -> '").append(m).append("')::text");
        }
        return "(case when jsonb_typeof(" + alias + ".content) = 'object' then '{' || concat_ws(','" + parts + ") || '}' end)";
    }

    private static SqlFragment select(String columns, SearchQuery query) {
        return select(columns, query, new SqlFragment());
    }

    private static SqlFragment select(String columns, SearchQuery query, SqlFragment extra) {
        SqlFragment sql = new SqlFragment().append("select " + columns + " from resource r");
        sql.append(where(query)).append(extra);
        sql.append(" order by ");
        for (SearchQuery.Sort sort : query.sort()) {
            sql.append(sortKey(sort, sort.descending())).append(sort.descending() ? " desc nulls last, " : " asc nulls last, ");
        }
        return sql.append("r.pid");
    }

    /**
     * Whether the query is only reference equalities ({@code subject=Patient/1}, no modifier, no chain)
     * and ids, unsorted: its SQL is index lookups by exact value whatever the values are, so a plan
     * PostgreSQL caches for it is as good for every value.
     */
    static boolean equalityLookupsOnly(SearchQuery query) {
        if (!query.sort().isEmpty() || query.clauses().isEmpty()) {
            return false;
        }
        for (SearchQuery.Clause c : query.clauses()) {
            if (c.special() == SearchQuery.Special.ID || exactIdentifier(query, c)) {
                continue; // an identifier system|value is as selective for every value (every conditional write's criteria)
            }
            if (c.special() != null || c.param() == null || c.isChain() || c.modifier() != null
                    || c.param().type() != SearchParamType.REFERENCE) {
                return false;
            }
        }
        return true;
    }

    /** Whether some clause is an exact identifier lookup ({@link #exactIdentifier}). */
    static boolean hasExactIdentifier(SearchQuery query) {
        return query.clauses().stream().anyMatch(c -> exactIdentifier(query, c));
    }

    /**
     * {@code identifier=system|value} (one or more such values, no modifier, no chain) on the searched
     * type: it finds at most a few resources through {@code sp_token_code_ix}, whatever the value.
     */
    static boolean exactIdentifier(SearchQuery query, SearchQuery.Clause c) {
        SearchParamDefinition p = c.param();
        if (c.special() != null || p == null || c.isChain() || c.modifier() != null || p.type() != SearchParamType.TOKEN
                || !"identifier".equals(p.name()) || !query.resourceType().equals(p.resourceType()) || c.values().isEmpty()) {
            return false;
        }
        for (String v : c.values()) {
            int bar = v.indexOf('|');
            if (bar <= 0 || bar == v.length() - 1) {
                return false; // no system, or no value: "|x" and "sys|" can match many
            }
        }
        return true;
    }

    static SqlFragment count(SearchQuery query) {
        return new SqlFragment().append("select count(*) from resource r").append(where(query));
    }

    private static SqlFragment where(SearchQuery query) {
        // An exact identifier clause already restricts the type: its EXISTS names it (x.res_type), and
        // an index row carries the type of the resource it was written with (PostgresResourceStore.write).
        // Saying it on r too let the planner, whenever its statistics had not yet seen the type (a
        // feed's first EpisodeOfCare or Consent records, until the next ANALYZE), walk every resource
        // of the type and probe the token index once for each: per conditional match, a scan that
        // grew with the feed (docs/benchmarks.md, "Conditional matches that grew with the feed").
        SqlFragment sql = hasExactIdentifier(query) ? new SqlFragment().append(" where not r.deleted")
                : new SqlFragment().append(" where r.res_type = ? and not r.deleted", query.resourceType());
        for (SearchQuery.Clause clause : query.clauses()) {
            sql.append(" and (").append(exactIdentifier(query, clause) ? identifierPids(clause) : clause(clause)).append(")");
        }
        return sql;
    }

    /**
     * An exact identifier clause as {@code r.pid = any(array(<its index rows' pids>))}, not an EXISTS.
     * These lookups run on a generic plan (PostgresResourceStore.planned), which cannot see that the
     * value matches one or two rows. Written as an EXISTS, that plan was sometimes a merge join that
     * walked the resource table in pid order up to the match: 19,828 resources and 25 ms for a child
     * stored late among 2,000, growing with the store, whenever the statistics were taken while audit
     * rows outnumbered identifiers in {@code sp_token} (docs/benchmarks.md, round 11). An array
     * subquery is evaluated once, before the resource table is touched, so every plan of it is the
     * token index probe then the resources by pid.
     */
    private static SqlFragment identifierPids(SearchQuery.Clause clause) {
        SearchParamDefinition p = clause.param();
        return new SqlFragment().append("r.pid = any(array(select x.pid from sp_token x where x.res_type = ? and x.name = ? and (",
                        p.resourceType(), storedName(p))
                .append(orValues(clause.values(), v -> valueCondition(p, null, v))).append(")))");
    }

    /**
     * A resource's sort value. FHIR: of a repeating element's values, the one that comes earliest in
     * the requested order decides, so ascending sorts on the smallest value and descending on the
     * largest (for a date, the latest moment its range covers).
     */
    private static SqlFragment sortKey(SearchQuery.Sort sort, boolean descending) {
        if (sort.param() == null) {
            return new SqlFragment().append("r.last_updated");
        }
        SearchParamDefinition p = sort.param();
        String aggregate = descending ? "max" : "min";
        return switch (p.type()) {
            case DATE -> new SqlFragment().append(
                    "(select " + aggregate + "(d." + (descending ? "high" : "low") + ") from sp_date d where d.pid = r.pid and d.name = ?)", p.name());
            case STRING -> new SqlFragment().append(
                    "(select " + aggregate + "(s.value_norm) from sp_string s where s.pid = r.pid and s.name = ?)", p.name());
            case TOKEN -> new SqlFragment().append(
                    "(select " + aggregate + "(t.code) from sp_token t where t.pid = r.pid and t.name = ?)", p.name());
            case REFERENCE -> new SqlFragment().append(
                    "(select " + aggregate + "(f.target_id) from sp_reference f where f.pid = r.pid and f.name = ?", storedName(p))
                    .append(aliasTarget(p, "f")).append(")");
        };
    }

    private static SqlFragment clause(SearchQuery.Clause clause) {
        if (clause.special() == SearchQuery.Special.ID) {
            return new SqlFragment().append("r.res_id = any(?)", (Object) clause.values().toArray(String[]::new));
        }
        if (clause.special() == SearchQuery.Special.LAST_UPDATED) {
            // last_updated is an instant at millisecond precision: its range is [last_updated, last_updated + 1 ms).
            return orValues(clause.values(), v -> dateCondition("r.last_updated", null, v));
        }
        SearchParamDefinition p = clause.param();
        if (clause.isChain()) {
            return chain(clause);
        }
        if ("missing".equals(clause.modifier())) {
            boolean missing = Boolean.parseBoolean(clause.values().get(0));
            return new SqlFragment().append(missing ? "not exists (" : "exists (")
                    .append(indexExists(p)).append(")");
        }
        // token:not excludes every resource holding the token, including those with other values too,
        // and keeps those with no value at all: a NOT EXISTS, not an EXISTS of some other value.
        boolean not = "not".equals(clause.modifier()) && p.type() == SearchParamType.TOKEN;
        String modifier = not ? null : clause.modifier();
        return new SqlFragment().append(not ? "not exists (" : "exists (").append(indexExists(p))
                .append(" and (").append(orValues(clause.values(), v -> valueCondition(p, modifier, v))).append("))");
    }

    /** {@code select 1 from <index> x where x.pid = r.pid and x.name = ?} for the parameter's index table. */
    private static SqlFragment indexExists(SearchParamDefinition p) {
        return new SqlFragment().append("select 1 from " + table(p) + " x where x.pid = r.pid and x.res_type = ? and x.name = ?",
                p.resourceType(), storedName(p)).append(aliasTarget(p, "x"));
    }

    /** The name a parameter's index rows are stored under ({@link ReferenceAlias}). */
    private static String storedName(SearchParamDefinition p) {
        return p.type() == SearchParamType.REFERENCE ? ReferenceAlias.storedName(p.resourceType(), p.name()) : p.name();
    }

    /** For an aliased reference parameter: only its alias's rows that point at its target type. */
    private static SqlFragment aliasTarget(SearchParamDefinition p, String alias) {
        return p.type() != SearchParamType.REFERENCE ? new SqlFragment()
                : ReferenceAlias.of(p.resourceType(), p.name())
                        .map(a -> new SqlFragment().append(" and " + alias + ".target_type = ?", a.targetType()))
                        .orElseGet(SqlFragment::new);
    }

    private static String table(SearchParamDefinition p) {
        return switch (p.type()) {
            case TOKEN -> "sp_token";
            case STRING -> "sp_string";
            case DATE -> "sp_date";
            case REFERENCE -> "sp_reference";
        };
    }

    /**
     * One EXISTS per target type the chain may reach (ORed): the reference row, the target resource
     * (live), and the target's index row for the chained parameter with the chained values.
     */
    private static SqlFragment chain(SearchQuery.Clause clause) {
        SearchParamDefinition ref = clause.param();
        SqlFragment sql = new SqlFragment();
        for (int i = 0; i < clause.chain().size(); i++) {
            SearchParamDefinition target = clause.chain().get(i);
            if (i > 0) {
                sql.append(" or ");
            }
            sql.append("exists (select 1 from sp_reference f join resource p on p.res_type = f.target_type and p.res_id = f.target_id"
                            + " and not p.deleted join " + table(target) + " x on x.pid = p.pid and x.res_type = ? and x.name = ?"
                            + " where f.pid = r.pid and f.res_type = ? and f.name = ? and f.target_type = ?",
                    target.resourceType(), target.name(), ref.resourceType(), storedName(ref), target.resourceType());
            sql.append(aliasTarget(ref, "f"));
            boolean not = "not".equals(clause.modifier()) && target.type() == SearchParamType.TOKEN;
            if (not) {
                throw new InvalidRequestException("Modifier :not is not supported after a chain");
            }
            sql.append(" and (").append(orValues(clause.values(), v -> valueCondition(target, clause.modifier(), v))).append("))");
        }
        return sql;
    }

    private static SqlFragment orValues(List<String> values, java.util.function.Function<String, SqlFragment> condition) {
        SqlFragment sql = new SqlFragment();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sql.append(" or ");
            }
            sql.append("(").append(condition.apply(values.get(i))).append(")");
        }
        return sql;
    }

    /** The condition on index row alias {@code x} for one value. */
    private static SqlFragment valueCondition(SearchParamDefinition p, String modifier, String value) {
        return switch (p.type()) {
            case TOKEN -> token(value, modifier);
            case STRING -> string(p, value, modifier);
            case DATE -> dateCondition("x.low", "x.high", value);
            case REFERENCE -> reference(p, value);
        };
    }

    private static SqlFragment token(String value, String modifier) {
        if (modifier != null) {
            throw new InvalidRequestException("Modifier :" + modifier + " is not supported on token parameters");
        }
        SqlFragment sql = new SqlFragment();
        int bar = value.indexOf('|');
        if (bar < 0) {
            sql.append("x.code = ?", value);
        } else {
            String system = value.substring(0, bar);
            String code = value.substring(bar + 1);
            if (system.isEmpty()) {
                sql.append("x.system is null and x.code = ?", code);
            } else if (code.isEmpty()) {
                sql.append("x.system = ?", system);
            } else {
                sql.append("x.system = ? and x.code = ?", system, code);
            }
        }
        return sql;
    }

    private static SqlFragment string(SearchParamDefinition p, String value, String modifier) {
        if (modifier == null) {
            return new SqlFragment().append("x.value_norm like ?", escapeLike(normalised(p, value)) + "%");
        }
        return switch (modifier) {
            case "exact" -> new SqlFragment().append("x.value_exact = ?", value);
            // Postcodes are stored without spaces, so the searched part loses them too: "4 6" is in "LS14 6AB".
            case "contains" -> new SqlFragment().append("x.value_norm like ?", "%" + escapeLike(normalised(p, value)) + "%");
            default -> throw new InvalidRequestException("Modifier :" + modifier + " is not supported on string parameters");
        };
    }

    private static String normalised(SearchParamDefinition p, String value) {
        return p.compactsWhitespace() ? TextNormaliser.compact(value) : TextNormaliser.normalise(value);
    }

    private static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static SqlFragment reference(SearchParamDefinition p, String value) {
        return ReferenceTarget.of(p, value)
                .map(t -> t.type() == null ? new SqlFragment().append("x.target_id = ?", t.id())
                        : new SqlFragment().append("x.target_type = ? and x.target_id = ?", t.type(), t.id()))
                .orElseGet(() -> new SqlFragment().append("false"));
    }

    /**
     * FHIR date comparison between the stored range [low, high) and the searched value's range. A null
     * {@code high} means the stored value is an instant at millisecond precision, [low, low + 1 ms):
     * conditions on its upper bound are written on {@code low} with the bound moved 1 ms earlier
     * ({@code low + 1 ms > t} is {@code low > t - 1 ms}), so that they can use an index on the column.
     */
    private static SqlFragment dateCondition(String low, String high, String raw) {
        boolean hasPrefix = raw.length() > 2 && Character.isLetter(raw.charAt(0)) && Character.isLetter(raw.charAt(1));
        String prefix = hasPrefix ? raw.substring(0, 2) : "eq";
        String value = hasPrefix ? raw.substring(2) : raw;
        DateRanges.Range range;
        try {
            range = DateRanges.parse(value);
        } catch (Exception e) {
            throw new InvalidRequestException("Invalid date/time value '" + raw + "': expected a FHIR date such as 2023, 2023-05 or 2023-05-14");
        }
        Timestamp from = Timestamp.from(range.low());
        Timestamp to = Timestamp.from(range.high());
        String hi = high != null ? high : low;
        Timestamp fromHi = high != null ? from : Timestamp.from(range.low().minusMillis(1));
        Timestamp toHi = high != null ? to : Timestamp.from(range.high().minusMillis(1));
        // eq: the stored range lies within [from, to). "low < to" follows from "high <= to" (a range is
        // never empty) but bounds the index scan on (low) from both sides and gives the planner a
        // closed range to estimate (a one-day Consent?date=... went from 69 ms to 0.3 ms at 1M resources).
        SqlFragment within = high != null
                ? new SqlFragment().append(low + " >= ? and " + low + " < ? and " + high + " <= ?", from, to, to)
                : new SqlFragment().append(low + " >= ? and " + low + " <= ?", from, toHi);
        return switch (prefix) {
            case "eq" -> within;
            case "ne" -> new SqlFragment().append("not (").append(within).append(")");
            case "lt" -> new SqlFragment().append(low + " < ?", from);
            case "gt" -> new SqlFragment().append(hi + " > ?", toHi);
            case "le" -> new SqlFragment().append(low + " < ?", to);
            case "ge" -> new SqlFragment().append(hi + " > ?", fromHi);
            case "sa" -> new SqlFragment().append(low + " >= ?", to);
            case "eb" -> new SqlFragment().append(hi + " <= ?", fromHi);
            default -> throw new InvalidRequestException("Unknown date prefix '" + prefix + "': use eq, ne, lt, le, gt, ge, sa or eb");
        };
    }
}
