package org.childrensgateway.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.childrensgateway.store.GenericPlans;
import org.childrensgateway.store.PostgresResourceStore;
import org.childrensgateway.store.StoredResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The person index tables (020-identity.sql): features, blocking keys, links and review tasks. */
@Repository
public class PersonIndexStore {

    /** A row of person_link. */
    public record Link(long id, String pool, String sourceId, String childId, String status, String method, Double score,
                       List<Evidence> evidence, Instant created, String createdBy, Instant ended, String endedBy, String endReason) {
    }

    /** A row of review_task. */
    public record Review(long id, String pool, String sourceId, String candidateChildId, Double score, List<Evidence> evidence,
                         String reason, String status, Instant created, Instant resolved, String resolvedBy) {
    }

    private static final String LINK_COLUMNS = "id, pool, source_id, child_id, status, method, score, evidence::text, created,"
            + " created_by, ended, ended_by, end_reason";
    /*
     * The lookups of one source's or one child record's links, run several times per feed record.
     * PersonLinkPlansTest holds each to an index condition on its own key once the table is analysed
     * (a plan cached while the table was empty may walk the pool until that ANALYZE replaces it).
     */
    /** A source's open links (its current one and the child records it must not be linked to). */
    static final String OPEN_LINKS_OF_SOURCE = "select " + LINK_COLUMNS + " from person_link where pool = ? and source_id = ? and ended is null";
    static final String CURRENT_LINK_OF_SOURCE = "select " + LINK_COLUMNS
            + " from person_link where pool = ? and source_id = ? and status = 'linked' and ended is null";
    static final String REJECTED_CHILDREN_OF_SOURCE = "select child_id from person_link where pool = ? and source_id = ?"
            + " and status = 'rejected' and ended is null";
    static final String MEMBERS_OF_CHILD = "select source_id from person_link where pool = ? and child_id = ? and status = 'linked'"
            + " and ended is null order by source_id";
    private static final String REVIEW_COLUMNS = "id, pool, source_id, candidate_child_id, score, evidence::text, reason, status,"
            + " created, resolved, resolved_by";
    private static final TypeReference<List<Evidence>> EVIDENCE = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final ObjectMapper json;

    public PersonIndexStore(JdbcClient jdbc, JdbcTemplate template, ObjectMapper json) {
        this.jdbc = jdbc;
        this.template = template;
        this.json = json;
    }

    // ---- features and blocking keys ----

    void saveFeatures(String pool, PersonFeatures f, Set<String> keys) {
        boolean inserted = jdbc.sql("insert into identity_features (pool, source_id, features, updated) values (?, ?, ?::jsonb, now())"
                        + " on conflict (pool, source_id) do update set features = excluded.features, updated = now()"
                        + " returning (xmax = 0)")
                .params(pool, f.sourceId(), write(f)).query(Boolean.class).single();
        if (!inserted) {
            jdbc.sql("delete from identity_key where pool = ? and source_id = ?").params(pool, f.sourceId()).update();
        }
        jdbc.sql("insert into identity_key (pool, key, source_id) select ?, k, ? from unnest(?::text[]) as u(k)")
                .params(pool, f.sourceId(), keys.stream().map(PersonIndexStore::trim).toArray(String[]::new)).update();
    }

    void removeFeatures(String pool, String sourceId) {
        jdbc.sql("delete from identity_key where pool = ? and source_id = ?").params(pool, sourceId).update();
        jdbc.sql("delete from identity_features where pool = ? and source_id = ?").params(pool, sourceId).update();
    }

    Optional<PersonFeatures> features(String pool, String sourceId) {
        return jdbc.sql("select features::text from identity_features where pool = ? and source_id = ?").params(pool, sourceId)
                .query(String.class).optional().map(this::readFeatures);
    }

    List<PersonFeatures> features(String pool, Collection<String> sourceIds) {
        if (sourceIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select features::text from identity_features where pool = ? and source_id = any(?) order by source_id")
                .params(pool, sourceIds.toArray(String[]::new)).query(String.class).list().stream().map(this::readFeatures).toList();
    }

    /** Every record of a pool with its features, for a batch re-match. */
    List<PersonFeatures> allFeatures(String pool) {
        return jdbc.sql("select features::text from identity_features where pool = ? order by source_id").param(pool)
                .query(String.class).list().stream().map(this::readFeatures).toList();
    }

    /** The current links of a pool, by source id. */
    Map<String, Link> currentLinks(String pool) {
        Map<String, Link> out = new HashMap<>();
        jdbc.sql("select " + LINK_COLUMNS + " from person_link where pool = ? and status = 'linked' and ended is null").param(pool)
                .query((org.springframework.jdbc.core.RowMapper<Link>) this::link).list().forEach(l -> out.put(l.sourceId(), l));
        return out;
    }

    /** Open review tasks of these records are superseded (a batch re-match proposes afresh). */
    void supersedeOpenReviews(String pool, Collection<String> sourceIds, String by) {
        if (sourceIds.isEmpty()) {
            return;
        }
        jdbc.sql("update review_task set status = 'superseded', resolved = now(), resolved_by = ?"
                        + " where pool = ? and status = 'open' and source_id = any(?)")
                .params(by, pool, sourceIds.toArray(String[]::new)).update();
    }

    /**
     * The child records that hold a record sharing a blocking key with {@code keys}, each with
     * <i>every</i> member (features, child id, link method): a child record is judged as a whole, so
     * a source that shares no key with the arriving record still counts (its NHS number, its system).
     * One indexed query; at most {@code limit} key hits whatever the population.
     */
    List<LinkDecider.Candidate> candidates(String pool, Set<String> keys, String excludeSourceId, int limit) {
        if (keys.isEmpty()) {
            return List.of();
        }
        // Two index-only steps rather than one statement: as one join the planner (on a freshly
        // written, unanalysed index) chose hash joins over all of person_link, 150 ms per record.
        // Each key is looked up by itself (lateral): with "key = any(?)" under "distinct ... limit"
        // the prepared statement's generic plan walked the pool's whole source index in order and
        // filtered on the key, a scan of every key in the index per record (100 ms per record
        // inside an ingest batch at only 2,400 keys). Both steps now run on their generic plans
        // (GenericPlans): every step is by key, so the values never change the plan, and left to
        // itself PostgreSQL planned both afresh on every call (0.25 ms per feed record, round 12).
        List<String> children = GenericPlans.list(template, CANDIDATE_CHILDREN,
                new Object[] {keys.stream().map(PersonIndexStore::trim).toArray(String[]::new), pool, excludeSourceId, limit, limit, pool},
                (rs, n) -> rs.getString(1));
        if (children.isEmpty()) {
            return List.of();
        }
        return GenericPlans.list(template, CANDIDATE_MEMBERS, new Object[] {children.toArray(String[]::new), pool, excludeSourceId},
                (rs, n) -> new LinkDecider.Candidate(readFeatures(rs.getString(1)), rs.getString(2), rs.getString(3)));
    }

    /** The child records of the linked sources that share a blocking key with the arriving record (at most {@code limit} key hits). */
    static final String CANDIDATE_CHILDREN = "select distinct l.child_id from"
            + " (select distinct c.source_id from unnest(?::text[]) as u(key) cross join lateral"
            + " (select k.source_id from identity_key k where k.pool = ? and k.key = u.key and k.source_id <> ? limit ?) c"
            + " limit ?) s"
            + " join person_link l on l.pool = ? and l.source_id = s.source_id and l.status = 'linked' and l.ended is null";

    /**
     * Every current member of those child records, with its features. Child by child (lateral), so
     * that the generic plan is key look-ups whatever the number of children: as a join with
     * {@code child_id = any(?)}, the generic plan (which cannot see how many children the array
     * holds) hashed the pool's every feature row (CandidatePlansTest).
     */
    static final String CANDIDATE_MEMBERS = "select m.features, m.child_id, m.method from unnest(?::text[]) as c(child_id) cross join lateral"
            + " (select f.features::text as features, l.child_id, l.method from person_link l"
            + " join identity_features f on f.pool = l.pool and f.source_id = l.source_id"
            + " where l.pool = ? and l.child_id = c.child_id and l.status = 'linked' and l.ended is null and l.source_id <> ?) m";

    /**
     * Takes the key locks only if no other transaction holds them (never waits, so it cannot
     * deadlock however it interleaves with the sorted locks of {@link #lockKeys}); false when any was
     * taken. Locks it did get are kept until the transaction ends, which is harmless.
     */
    boolean tryLockKeys(String pool, Set<String> keys) {
        if (keys.isEmpty()) {
            return true;
        }
        return jdbc.sql("select coalesce(bool_and(pg_try_advisory_xact_lock(hashtextextended(k, 0))), true) from"
                        + " (select ? || k as k from unnest(?::text[]) as u(k) order by 1) s")
                .params("identity:" + pool + ":", new java.util.TreeSet<>(keys).toArray(String[]::new)).query(Boolean.class).single();
    }

    /**
     * The pool's own lock: every matching transaction takes it shared, a batch re-match exclusively,
     * so a re-match never runs beside matching (one lock, not one per key of the whole pool).
     */
    void lockPool(String pool, boolean exclusive) {
        jdbc.sql("select " + (exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared") + "(hashtextextended(?, 0))::text")
                .param("identity-pool:" + pool).query(String.class).single();
    }

    /** Serialises matching of records that share a blocking key (so two arrivals cannot both start a child record). */
    void lockKeys(String pool, Set<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        // One round trip; sorted so that concurrent matchers take the locks in the same order.
        jdbc.sql("select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from"
                        + " (select ? || k as k from unnest(?::text[]) as u(k) order by 1) s")
                .params("identity:" + pool + ":", new java.util.TreeSet<>(keys).toArray(String[]::new)).query(Long.class).single();
    }

    // ---- links ----

    /** The current link and the rejected child records of a source, in one query. */
    record SourceState(Optional<Link> current, Set<String> rejected) {
    }

    SourceState state(String pool, String sourceId) {
        List<Link> rows = jdbc.sql(OPEN_LINKS_OF_SOURCE)
                .params(pool, sourceId).query((org.springframework.jdbc.core.RowMapper<Link>) this::link).list();
        Set<String> rejected = new HashSet<>();
        Optional<Link> current = Optional.empty();
        for (Link l : rows) {
            if ("linked".equals(l.status())) {
                current = Optional.of(l);
            } else if ("rejected".equals(l.status())) {
                rejected.add(l.childId());
            }
        }
        return new SourceState(current, rejected);
    }

    Optional<Link> currentLink(String pool, String sourceId) {
        return jdbc.sql(CURRENT_LINK_OF_SOURCE)
                .params(pool, sourceId).query((org.springframework.jdbc.core.RowMapper<Link>) this::link).optional();
    }

    /** Source ids currently linked to a child record, in id order. */
    public List<String> members(String pool, String childId) {
        return jdbc.sql(MEMBERS_OF_CHILD).params(pool, childId).query(String.class).list();
    }

    /** child id for each source id given that is linked (one query). */
    Map<String, String> childrenOf(String pool, Collection<String> sourceIds) {
        Map<String, String> out = new java.util.HashMap<>();
        if (sourceIds.isEmpty()) {
            return out;
        }
        jdbc.sql("select source_id, child_id from person_link where pool = ? and source_id = any(?) and status = 'linked' and ended is null")
                .params(pool, sourceIds.toArray(String[]::new)).query((rs, n) -> out.put(rs.getString(1), rs.getString(2))).list();
        return out;
    }

    /** The current link of each given source id that has one (one query). */
    Map<String, Link> currentLinksOf(String pool, Collection<String> sourceIds) {
        Map<String, Link> out = new HashMap<>();
        if (sourceIds.isEmpty()) {
            return out;
        }
        jdbc.sql("select " + LINK_COLUMNS + " from person_link where pool = ? and source_id = any(?) and status = 'linked' and ended is null")
                .params(pool, sourceIds.toArray(String[]::new)).query((org.springframework.jdbc.core.RowMapper<Link>) this::link).list()
                .forEach(l -> out.put(l.sourceId(), l));
        return out;
    }

    /**
     * The current row of the derived record (of type {@code recordType}) a source record is linked
     * into, or empty when it is linked into none: the link and the row in one statement.
     */
    Optional<StoredResource> linkedRecordRow(String pool, String recordType, String sourceId) {
        return jdbc.sql("select " + PostgresResourceStore.currentColumns("r") + " from person_link l"
                        + " join resource r on r.res_type = ? and r.res_id = l.child_id"
                        + " where l.pool = ? and l.source_id = ? and l.status = 'linked' and l.ended is null")
                .params(recordType, pool, sourceId).query(PostgresResourceStore.ROW).optional();
    }

    /** Current members of each given child id (one query); ids that are not child records are absent. */
    public Map<String, List<String>> membersOf(String pool, Collection<String> childIds) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (childIds.isEmpty()) {
            return out;
        }
        jdbc.sql("select child_id, source_id from person_link where pool = ? and child_id = any(?) and status = 'linked' and ended is null"
                        + " order by child_id, source_id")
                .params(pool, childIds.toArray(String[]::new))
                .query((rs, n) -> out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2))).list();
        return out;
    }

    boolean isChild(String pool, String childId) {
        return jdbc.sql("select exists (select 1 from person_link where pool = ? and child_id = ?)").params(pool, childId)
                .query(Boolean.class).single();
    }

    Set<String> rejectedChildren(String pool, String sourceId) {
        return new HashSet<>(jdbc.sql(REJECTED_CHILDREN_OF_SOURCE)
                .params(pool, sourceId).query(String.class).list());
    }

    long insertLink(String pool, String sourceId, String childId, String status, String method, MatchResult result, String by) {
        return jdbc.sql("insert into person_link (pool, source_id, child_id, status, method, score, evidence, created_by)"
                        + " values (?, ?, ?, ?, ?, ?, ?::jsonb, ?) returning id")
                .params(pool, sourceId, childId, status, method, result == null ? null : BigDecimal.valueOf(result.score()),
                        result == null ? null : write(result.evidence()), by)
                .query(Long.class).single();
    }

    /** A link {@link #insertLinks} makes: status linked. */
    record NewLink(String sourceId, String childId, String method, MatchResult result) {
    }

    /** {@link #insertLink} for several links of one pool and creator, in one statement, in the order given. */
    void insertLinks(String pool, List<NewLink> links, String by) {
        if (links.isEmpty()) {
            return;
        }
        // A run's carer links carry one of two evidences: each serialised once, not once per link.
        Map<List<Evidence>, String> evidence = new HashMap<>();
        jdbc.sql("insert into person_link (pool, source_id, child_id, status, method, score, evidence, created_by)"
                        + " select ?, u.s, u.c, 'linked', u.m, u.sc::numeric, u.ev::jsonb, ?"
                        + " from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) with ordinality as u(s, c, m, sc, ev, n) order by u.n")
                .params(pool, by, links.stream().map(NewLink::sourceId).toArray(String[]::new),
                        links.stream().map(NewLink::childId).toArray(String[]::new),
                        links.stream().map(NewLink::method).toArray(String[]::new),
                        links.stream().map(l -> l.result() == null ? null : BigDecimal.valueOf(l.result().score()).toString()).toArray(String[]::new),
                        links.stream().map(l -> l.result() == null ? null : evidence.computeIfAbsent(l.result().evidence(), this::write))
                                .toArray(String[]::new))
                .update();
    }

    long insertLink(String pool, String sourceId, String childId, String method, Double score, List<Evidence> evidence, String by) {
        return jdbc.sql("insert into person_link (pool, source_id, child_id, status, method, score, evidence, created_by)"
                        + " values (?, ?, ?, 'linked', ?, ?, ?::jsonb, ?) returning id")
                .params(pool, sourceId, childId, method, score == null ? null : BigDecimal.valueOf(score),
                        evidence == null ? null : write(evidence), by)
                .query(Long.class).single();
    }

    void endLink(long id, String by, String reason) {
        jdbc.sql("update person_link set ended = now(), ended_by = ?, end_reason = ? where id = ? and ended is null")
                .params(by, reason, id).update();
    }

    void endRejection(String pool, String sourceId, String childId, String by) {
        jdbc.sql("update person_link set ended = now(), ended_by = ?, end_reason = 'linked manually'"
                        + " where pool = ? and source_id = ? and child_id = ? and status = 'rejected' and ended is null")
                .params(by, pool, sourceId, childId).update();
    }

    /** Every link row, current and ended, of a source record, newest first. */
    List<Link> historyOfSource(String pool, String sourceId) {
        return jdbc.sql("select " + LINK_COLUMNS + " from person_link where pool = ? and source_id = ? order by id desc")
                .params(pool, sourceId).query((org.springframework.jdbc.core.RowMapper<Link>) this::link).list();
    }

    /** One link row by id. */
    public Optional<Link> link(long id) {
        return jdbc.sql("select " + LINK_COLUMNS + " from person_link where id = ?").param(id)
                .query((org.springframework.jdbc.core.RowMapper<Link>) this::link).optional();
    }

    /** Every link row, current and ended, that names a child record, oldest first. */
    public List<Link> historyOfChild(String pool, String childId) {
        return jdbc.sql("select " + LINK_COLUMNS + " from person_link where pool = ? and child_id = ? order by id")
                .params(pool, childId).query((org.springframework.jdbc.core.RowMapper<Link>) this::link).list();
    }

    // ---- review tasks ----

    void openReview(String pool, String sourceId, String childId, MatchResult result, String reason) {
        jdbc.sql("insert into review_task (pool, source_id, candidate_child_id, score, evidence, reason) values (?, ?, ?, ?, ?::jsonb, ?)"
                        + " on conflict (pool, source_id, candidate_child_id) where status = 'open' do update"
                        + " set score = excluded.score, evidence = excluded.evidence, reason = excluded.reason")
                .params(pool, sourceId, childId, BigDecimal.valueOf(result.score()), write(result.evidence()), reason).update();
    }

    public List<Review> reviews(String status, int limit) {
        return reviews(status, 0, limit);
    }

    /** Reviews with ids after {@code afterId}, oldest first: the next page starts after the last id seen. */
    public List<Review> reviews(String status, long afterId, int limit) {
        return jdbc.sql("select " + REVIEW_COLUMNS + " from review_task where status = ? and id > ? order by id limit ?")
                .params(status, afterId, limit).query((org.springframework.jdbc.core.RowMapper<Review>) this::review).list();
    }

    /** Reviews of one pool with ids after {@code afterId} (tests and the population report). */
    public List<Review> reviewsInPool(String pool, String status, long afterId, int limit) {
        return jdbc.sql("select " + REVIEW_COLUMNS + " from review_task where pool = ? and status = ? and id > ? order by id limit ?")
                .params(pool, status, afterId, limit).query((org.springframework.jdbc.core.RowMapper<Review>) this::review).list();
    }

    public List<Review> reviewsFor(String pool, String childOrSource) {
        return jdbc.sql("select " + REVIEW_COLUMNS + " from review_task where pool = ? and (source_id = ? or candidate_child_id = ?) order by id")
                .params(pool, childOrSource, childOrSource).query((org.springframework.jdbc.core.RowMapper<Review>) this::review).list();
    }

    public Optional<Review> review(long id) {
        return jdbc.sql("select " + REVIEW_COLUMNS + " from review_task where id = ? for update").param(id).query((org.springframework.jdbc.core.RowMapper<Review>) this::review).optional();
    }

    void resolveReview(long id, String status, String by) {
        jdbc.sql("update review_task set status = ?, resolved = now(), resolved_by = ? where id = ? and status = 'open'")
                .params(status, by, id).update();
    }

    /** Closes open reviews of a source that a later decision made moot. */
    void supersedeReviews(String pool, String sourceId, String childId, String status, String by) {
        jdbc.sql("update review_task set status = ?, resolved = now(), resolved_by = ?"
                        + " where pool = ? and source_id = ? and candidate_child_id = ? and status = 'open'")
                .params(status, by, pool, sourceId, childId).update();
    }

    // ---- mapping ----

    private Link link(ResultSet rs, int n) throws SQLException {
        BigDecimal score = rs.getBigDecimal(7);
        return new Link(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                score == null ? null : score.doubleValue(), readEvidence(rs.getString(8)), instant(rs.getTimestamp(9)),
                rs.getString(10), instant(rs.getTimestamp(11)), rs.getString(12), rs.getString(13));
    }

    private Review review(ResultSet rs, int n) throws SQLException {
        BigDecimal score = rs.getBigDecimal(5);
        return new Review(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), score == null ? null : score.doubleValue(),
                readEvidence(rs.getString(6)), rs.getString(7), rs.getString(8), instant(rs.getTimestamp(9)),
                instant(rs.getTimestamp(10)), rs.getString(11));
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    private static String trim(String key) {
        return key.length() <= 200 ? key : key.substring(0, 200);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise identity data", e);
        }
    }

    private PersonFeatures readFeatures(String text) {
        try {
            return json.readValue(text, PersonFeatures.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable identity features", e);
        }
    }

    private List<Evidence> readEvidence(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, EVIDENCE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable link evidence", e);
        }
    }
}
