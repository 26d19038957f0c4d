package org.childrensgateway.access;

import ca.uhn.fhir.context.FhirContext;
import org.childrensgateway.audit.AuditTrail;
import org.childrensgateway.audit.PendingAudit;
import org.childrensgateway.consent.BreakGlassLog;
import org.childrensgateway.consent.ConsentDecisionPoint;
import org.childrensgateway.consent.ChildFactsCache;
import org.childrensgateway.consent.ConsentDirectiveCache;
import org.childrensgateway.fhir.ResourceCodec;
import org.childrensgateway.fhir.ResourceWriteListener;
import org.childrensgateway.fhir.WriteOutcome;
import org.childrensgateway.operations.GatewayMetrics;
import org.childrensgateway.search.SearchIndexer;
import org.childrensgateway.search.SearchParamRegistry;
import org.childrensgateway.security.Caller;
import org.childrensgateway.security.CallerContext;
import org.childrensgateway.store.ResourceStore;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The gate every disclosure passes: it hands each request its {@link GatedRepository}, the only
 * object through which providers, operations, bundles, paging, exports and the identity desk obtain
 * stored resources. It alone holds the {@link ResourceStore}'s reads (besides the named system
 * bypass, {@link SystemRepository}); see docs/security.md, "The gate".
 */
@Component
public class AccessGate implements ResourceWriteListener {

    private static final String ATTRIBUTE = GatedRepository.class.getName();

    private final ResourceStore store;
    private final ResourceCodec codec;
    private final ConsentDecisionPoint decisions;
    private final SearchParamRegistry params;
    private final BreakGlassLog breakGlass;
    private final GatewayMetrics metrics;
    private final DerivedRecordComposer composer;
    private final SearchIndexer indexer;
    private final ConsentDirectiveCache directives;
    private final ChildFactsCache childFacts;
    private final StoredFacts.Reader storedFacts;

    public AccessGate(ResourceStore store, ResourceCodec codec, ConsentDecisionPoint decisions, SearchParamRegistry params,
                      BreakGlassLog breakGlass, GatewayMetrics metrics, DerivedRecordComposer composer, SearchIndexer indexer,
                      ConsentDirectiveCache directives, ChildFactsCache childFacts) {
        this.indexer = indexer;
        this.directives = directives;
        this.childFacts = childFacts;
        this.store = store;
        this.codec = codec;
        this.decisions = decisions;
        this.params = params;
        this.breakGlass = breakGlass;
        this.metrics = metrics;
        this.composer = composer;
        this.storedFacts = new StoredFacts.Reader(codec.context(), params);
    }

    /**
     * The repository of the request on this thread, for its caller (none: everything is withheld).
     * Within an HTTP request it is built once, so decisions, audit counts and break-glass
     * notifications are per request.
     */
    public GatedRepository forRequest() {
        Caller caller = CallerContext.current().orElse(null);
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null && attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST) instanceof GatedRepository repo
                && repo.caller() == caller) {
            return repo;
        }
        PendingAudit audit = AuditTrail.current().orElse(null);
        if (audit != null && caller != null && caller.isBreakGlass()) {
            if (decisions.mayBreakGlass(caller)) {
                audit.detail("break-glass", "declared");
            } else {
                // Not a use: the role may not override consent. Audited as a refused attempt.
                audit.detail("break-glass", "refused: the role " + caller.role() + " may not break the glass");
            }
        }
        GatedRepository repo = new GatedRepository(this, caller, audit, false);
        if (attributes != null) {
            attributes.setAttribute(ATTRIBUTE, repo, RequestAttributes.SCOPE_REQUEST);
        }
        return repo;
    }

    /** Decisions as {@code perspective} would get them, for an auditor's explanation: nothing is disclosed, audited as theirs or notified. */
    public GatedRepository explainFor(Caller perspective) {
        return new GatedRepository(this, perspective, null, true);
    }

    public boolean isAuditor(Caller caller) {
        return decisions.isAuditor(caller);
    }

    /** A write may change what the request's later reads decide (a transaction's GET after its PUT). */
    @Override
    public void written(WriteOutcome outcome) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null && attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST) instanceof GatedRepository repo) {
            repo.forget();
        }
    }

    ResourceStore store() {
        return store;
    }

    Resource decode(StoredResource stored) {
        return (Resource) codec.decode(stored);
    }

    /** Decision facts read off stored JSON, so deciding a stored resource need not parse it. */
    StoredFacts.Reader storedFacts() {
        return storedFacts;
    }

    FhirContext context() {
        return codec.context();
    }

    ConsentDecisionPoint decisions() {
        return decisions;
    }

    SearchParamRegistry params() {
        return params;
    }

    BreakGlassLog breakGlass() {
        return breakGlass;
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    DerivedRecordComposer composer() {
        return composer;
    }

    SearchIndexer indexer() {
        return indexer;
    }

    ConsentDirectiveCache directives() {
        return directives;
    }

    ChildFactsCache childFacts() {
        return childFacts;
    }
}
