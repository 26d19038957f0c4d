package org.childrensgateway.identity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.childrensgateway.search.SearchParamDefinition;
import org.childrensgateway.search.SearchParamRegistry;
import org.childrensgateway.search.SearchParamType;
import org.childrensgateway.store.GenericPlans;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.stereotype.Repository;

/**
 * Finds everything recorded about a set of Patients (a child record and its source records) in one
 * bounded query over the reference index: the Patients, every resource pointing at them (carers,
 * consents, observations, care plans, episodes, provenance) and the Provenance of those resources.
 * Audit events are the server's own record of access, not the child's record, and are left out.
 */
@Repository
class ChildDataQuery {

    private final JdbcOperations template;
    private final String[] referencingTypes;
    private final String[] referencingParams;

    ChildDataQuery(JdbcOperations template, SearchParamRegistry registry) {
        this.template = template;
        // Every (type, reference parameter) that can point at a Patient, audit events excepted. The
        // reference index holds rows for these parameters only, so naming them finds the same rows
        // as "any row pointing at the Patient", but through sp_reference_target_ix, whose leading
        // columns are (res_type, name): without them the query read the whole table, 40-70 ms at
        // 10,000 children and growing with the store and the audit trail (docs/benchmarks.md).
        List<SearchParamDefinition> params = registry.all().stream()
                .filter(d -> d.type() == SearchParamType.REFERENCE && !"AuditEvent".equals(d.resourceType()))
                .filter(d -> d.targetTypes().isEmpty() || d.targetTypes().contains("Patient"))
                .toList();
        this.referencingTypes = params.stream().map(SearchParamDefinition::resourceType).toArray(String[]::new);
        this.referencingParams = params.stream().map(SearchParamDefinition::name).toArray(String[]::new);
    }

    /** Keys (pids) in a stable order: Patients first, then by type, time and key. */
    List<Long> keys(Collection<String> patientIds, Collection<String> types, Instant since) {
        StringBuilder sql = new StringBuilder("with pats as (select unnest(?::text[]) as id),"
                + " direct as ("
                + "   select r.pid from resource r where r.res_type = 'Patient' and r.res_id in (select id from pats)"
                + "   union select f.pid from unnest(?::text[], ?::text[]) as p(res_type, name)"
                + "     join sp_reference f on f.res_type = p.res_type and f.name = p.name"
                + "     where f.target_type = 'Patient' and f.target_id = any(?::text[])),"
                + " prov as ("
                // From each direct match to its Provenance, never the other way round: joined freely,
                // the planner drove it from every Provenance row (11,000 at 100,000 children: 90-190 ms
                // per $everything). "offset 0" keeps the lateral subquery from being pulled up.
                + "   select f.pid from direct d join resource t on t.pid = d.pid cross join lateral"
                + "     (select f.pid from sp_reference f where f.res_type = 'Provenance' and f.name = 'target'"
                + "       and f.target_id = t.res_id and f.target_type = t.res_type offset 0) f)"
                + " select r.pid from resource r where r.pid in (select pid from direct union select pid from prov) and not r.deleted");
        List<Object> args = new java.util.ArrayList<>();
        args.add(patientIds.toArray(String[]::new));
        args.add(referencingTypes);
        args.add(referencingParams);
        args.add(patientIds.toArray(String[]::new));
        if (types != null && !types.isEmpty()) {
            sql.append(" and r.res_type = any(?)");
            args.add(types.toArray(String[]::new));
        }
        if (since != null) {
            sql.append(" and r.last_updated >= ?");
            args.add(Timestamp.from(since));
        }
        sql.append(" order by case when r.res_type = 'Patient' then 0 else 1 end, r.res_type, r.last_updated, r.pid");
        // Planned afresh on every run, PostgreSQL spent 0.8 ms planning it for 0.35 ms of execution (the
        // read mix's largest planning cost, docs/benchmarks.md round 11); its generic plan is the same
        // index lookups (the arrays' contents never change the plan: every step is by key).
        return GenericPlans.list(template, sql.toString(), args.toArray(), (rs, n) -> rs.getLong(1));
    }
}
