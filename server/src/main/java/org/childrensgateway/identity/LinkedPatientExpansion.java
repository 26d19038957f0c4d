package org.childrensgateway.identity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.childrensgateway.fhir.SearchExpansion;
import org.childrensgateway.search.SearchParamType;
import org.childrensgateway.store.ReferenceTarget;
import org.childrensgateway.store.SearchQuery;
import org.springframework.stereotype.Component;

/**
 * A search whose reference parameter names a child record ({@code Observation?patient=<child>},
 * {@code Consent?patient=}, {@code RelatedPerson?patient=}, {@code subject=Patient/<child>} ...) also
 * matches resources recorded against any source record linked to it, so clients need not know the
 * linkage. One indexed query finds the linked records; the search itself stays one query.
 */
@Component
class LinkedPatientExpansion implements SearchExpansion {

    private final PersonIndexStore index;

    LinkedPatientExpansion(PersonIndexStore index) {
        this.index = index;
    }

    @Override
    public SearchQuery expand(SearchQuery query) {
        Set<String> patients = new LinkedHashSet<>();
        for (SearchQuery.Clause c : query.clauses()) {
            if (expandable(c)) {
                c.values().forEach(v -> {
                    String id = patientId(c, v);
                    if (id != null) {
                        patients.add(id);
                    }
                });
            }
        }
        if (patients.isEmpty()) {
            return query;
        }
        Map<String, List<String>> members = index.membersOf(ChildRecordWriter.POOL, patients);
        if (members.isEmpty()) {
            return query;
        }
        // The search relies on these links: named in its audit record (an unlink's disclosure report reads it).
        org.childrensgateway.audit.AuditTrail.current().ifPresent(a -> members.forEach((child, ids) -> a.followed("Patient/" + child, ids)));
        List<SearchQuery.Clause> clauses = new ArrayList<>();
        for (SearchQuery.Clause c : query.clauses()) {
            if (!expandable(c)) {
                clauses.add(c);
                continue;
            }
            Set<String> values = new LinkedHashSet<>(c.values());
            for (String v : c.values()) {
                String id = patientId(c, v);
                if (id != null) {
                    members.getOrDefault(id, List.of()).forEach(m -> values.add("Patient/" + m));
                }
            }
            clauses.add(new SearchQuery.Clause(c.param(), c.special(), c.modifier(), List.copyOf(values), c.chain()));
        }
        return new SearchQuery(query.resourceType(), clauses, query.sort());
    }

    private static boolean expandable(SearchQuery.Clause c) {
        return c.param() != null && c.param().type() == SearchParamType.REFERENCE && !c.isChain() && c.modifier() == null
                // Patient?link= asks about the link itself; it must not be widened.
                && !("Patient".equals(c.param().resourceType()) && "link".equals(c.param().name()));
    }

    /** The Patient id a reference value names, or null (read as the search reads it: {@link ReferenceTarget}). */
    private static String patientId(SearchQuery.Clause c, String value) {
        return ReferenceTarget.of(c.param(), value).filter(t -> "Patient".equals(t.type())).map(ReferenceTarget::id).orElse(null);
    }
}
