package org.childrensgateway.consent;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.childrensgateway.fhir.ResourceCodec;
import org.childrensgateway.search.SearchParamRegistry;
import org.childrensgateway.security.Caller;
import org.childrensgateway.security.CallerContext;
import org.childrensgateway.store.ResourceStore;
import org.childrensgateway.store.SearchQuery;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * Applies the {@link ConsentDecisionPoint} to what a read path is about to return: drops what the
 * caller may not see, reduces what they may see only in part, records break-glass use. Every path
 * that returns a child's data (read, search and its totals and includes, history, operations,
 * export) goes through here, for the caller of the current request.
 */
@Component
public class Disclosure {

    private static final int CHUNK = 500;
    /** How many decided resources a search keeps for its first page (at least the largest page size). */
    static final int KEPT = 1_000;

    /** A stored resource, parsed, with the decision this session made about it. */
    public record Checked(StoredResource stored, Resource resource, Decision decision) {
    }

    /**
     * What a search may return: all permitted keys in order, and the decided resources for the
     * first of them (empty for a count).
     */
    public record Permitted(List<Long> keys, Map<Long, Checked> checked) {
        public static Permitted of(List<Long> keys) {
            return new Permitted(keys, Map.of());
        }
    }
    private static final String REDACTED_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

    private final ConsentDecisionPoint decisions;
    private final ResourceStore store;
    private final SearchParamRegistry params;
    private final FhirContext context;
    /** Stored rows are decoded as everywhere else (versioned id, meta), so a page served from them is the same. */
    private final ResourceCodec codec;
    private final BreakGlassLog breakGlass;
    private final SharingPolicyProperties policy;
    private final org.childrensgateway.operations.GatewayMetrics metrics;
    private final ObjectMapper json = new ObjectMapper();

    public Disclosure(ConsentDecisionPoint decisions, ResourceStore store, SearchParamRegistry params, FhirContext context, ResourceCodec codec,
                      BreakGlassLog breakGlass, SharingPolicyProperties policy, org.childrensgateway.operations.GatewayMetrics metrics) {
        this.policy = policy;
        this.metrics = metrics;
        this.decisions = decisions;
        this.store = store;
        this.params = params;
        this.context = context;
        this.codec = codec;
        this.breakGlass = breakGlass;
    }

    /** A per-call memory of each child's consent directives, so a page of one child's data loads them once. */
    public final class Session {
        private final Caller caller;
        private final Map<String, List<ConsentDirective>> directives = new HashMap<>();
        private final List<String> explanations = new ArrayList<>();
        private final boolean recordBreakGlass;

        private Session(Caller caller, boolean recordBreakGlass) {
            this.caller = caller;
            this.recordBreakGlass = recordBreakGlass;
        }

        public Decision decide(Resource resource) {
            Decision decision = decisions.decide(caller, resource, this::directivesFor, this::load);
            if (recordBreakGlass) { // real decisions only, not an auditor's explanation
                metrics.consentDecision(switch (decision.effect()) {
                    case PERMIT -> "permit";
                    case REDUCE -> "permit_with_redaction";
                    case DENY -> "deny";
                });
            }
            if (recordBreakGlass && "break-glass".equals(decision.rule())) {
                breakGlass.record(caller, resource);
            }
            explanations.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart() + ": "
                    + (decision.disclosed() ? "disclosed" : "withheld") + " by rule " + decision.rule() + " (" + decision.detail() + ")");
            return decision;
        }

        /** The resource as this caller may see it, or empty. */
        public Optional<Resource> apply(Resource resource) {
            return release(resource, decide(resource));
        }

        /** The resource as a decision already made for it (in this session) releases it, or empty. */
        public Optional<Resource> release(Resource resource, Decision decision) {
            return switch (decision.effect()) {
                case DENY -> Optional.empty();
                case PERMIT -> Optional.of(resource);
                case REDUCE -> Optional.of(reduce(resource, decision));
            };
        }

        /** The keys (pids) of those stored resources this caller may see, in order. */
        public List<Long> permittedKeys(List<Long> pids) {
            return permitted(pids).keys();
        }

        /**
         * The stored resources this caller may see, in order: their keys, and for the first
         * {@link #KEPT} of them the parsed resource with its decision, so the first page of results
         * is served without loading, parsing and deciding each resource a second time.
         */
        public Permitted permitted(List<Long> pids) {
            List<Long> permitted = new ArrayList<>();
            Map<Long, Checked> kept = new HashMap<>();
            for (int from = 0; from < pids.size(); from += CHUNK) {
                List<StoredResource> chunk = store.loadCurrent(pids.subList(from, Math.min(pids.size(), from + CHUNK)));
                for (StoredResource stored : chunk) {
                    Resource resource = (Resource) codec.decode(stored);
                    Decision decision = decide(resource);
                    if (decision.disclosed()) {
                        permitted.add(stored.key());
                        if (kept.size() < KEPT) {
                            kept.put(stored.key(), new Checked(stored, resource, decision));
                        }
                    }
                }
            }
            return new Permitted(permitted, kept);
        }

        public Caller caller() {
            return caller;
        }

        public List<String> explanations() {
            return explanations;
        }

        private final Map<String, Optional<Resource>> loaded = new HashMap<>();

        /** A current resource by reference (e.g. a child record's source Patient), for decisions about derived records. */
        private Resource load(String reference) {
            if (reference == null || !reference.contains("/")) {
                return null;
            }
            return loaded.computeIfAbsent(reference, ref -> {
                String[] parts = ref.split("/");
                return store.read(parts[parts.length - 2], parts[parts.length - 1]).filter(r -> !r.deleted())
                        .map(r -> (Resource) codec.decode(r));
            }).orElse(null);
        }

        private List<ConsentDirective> directivesFor(String patientReference) {
            return directives.computeIfAbsent(patientReference, Disclosure.this::loadDirectives);
        }
    }

    /** Decisions for the caller of the current request. */
    public Session session() {
        return new Session(CallerContext.current().orElse(null), true);
    }

    /** Decisions as {@code perspective} would get them, for an auditor's explanation; nothing is disclosed to them. */
    public Session explainFor(Caller perspective) {
        return new Session(perspective, false);
    }

    public boolean isAuditor(Caller caller) {
        var role = caller == null ? null : policy.roles().get(caller.role());
        return role != null && role.auditor();
    }

    private List<ConsentDirective> loadDirectives(String patientReference) {
        SearchQuery query = new SearchQuery("Consent", List.of(new SearchQuery.Clause(params.find("Consent", "patient").orElseThrow(),
                null, null, List.of(patientReference), null, null)), List.of());
        List<ConsentDirective> out = new ArrayList<>();
        for (StoredResource stored : store.loadCurrent(store.search(query))) {
            out.addAll(ConsentDirective.from((Consent) codec.decode(stored)));
        }
        return out;
    }

    /** A copy holding only what the decision releases, labelled as redacted. */
    private Resource reduce(Resource resource, Decision decision) {
        try {
            ObjectNode node = (ObjectNode) json.readTree(context.newJsonParser().encodeResourceToString(resource));
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                boolean structural = field.equals("resourceType") || field.equals("id") || field.equals("meta");
                boolean listed = decision.elements().contains(field);
                if (!structural && (decision.removeListed() == listed)) {
                    it.remove();
                }
            }
            Resource reduced = (Resource) context.newJsonParser().parseResource(json.writeValueAsString(node));
            reduced.setId(resource.getIdElement());
            reduced.getMeta().addSecurity(REDACTED_SYSTEM, "REDACTED", "redacted");
            return reduced;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
