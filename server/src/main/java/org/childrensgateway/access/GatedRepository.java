package org.childrensgateway.access;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.childrensgateway.audit.PendingAudit;
import org.childrensgateway.consent.ChildFacts;
import org.childrensgateway.consent.ChildFactsCache;
import org.childrensgateway.consent.ConsentDecisionPoint;
import org.childrensgateway.consent.ConsentDirective;
import org.childrensgateway.consent.Decision;
import org.childrensgateway.consent.DecisionFacts;
import org.childrensgateway.consent.PatientOf;
import org.childrensgateway.consent.RecordingOrganisation;
import org.childrensgateway.fhir.DerivedRecords;
import org.childrensgateway.fhir.StoredJsonResponse;
import org.childrensgateway.fhir.StoredStandIn;
import ca.uhn.fhir.context.FhirContext;
import org.childrensgateway.search.IncludeSpec;
import org.childrensgateway.search.SearchParamDefinition;
import org.childrensgateway.security.Caller;
import org.childrensgateway.store.ReferenceTarget;
import org.childrensgateway.store.SearchPosition;
import org.childrensgateway.store.SearchQuery;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The only way a request obtains stored resources: built per request from the caller, the
 * request's audit record and its break-glass state (in the manner of Medplum's repository per
 * request). Everything it returns has been decided by {@link ConsentDecisionPoint} for this caller
 * and is released as decided: reduced to what an agreement allows, notes removed across sectors,
 * derived records composed from the sources the caller may see, types limited by the token's
 * scopes. Each decision is reported to the audit record. What it withholds answers as missing.
 *
 * <p>Writes ask it too: conditional matching sees only the caller's own organisation's records,
 * and a write aimed at a record the caller cannot see fails exactly as for a missing one.
 */
public final class GatedRepository {

    /** How many released resources a search keeps for its first page (at least the largest page size). */
    static final int KEPT = 1_000;
    /** Ages for agreements are reckoned on the date in England and Wales. */
    private static final java.time.ZoneId LONDON = java.time.ZoneId.of("Europe/London");
    private static final int CHUNK = 500;

    /**
     * A stored resource as this caller may see it ({@code resource} null when withheld), with the decision.
     * {@code asStored}: released whole, exactly as stored (no reduction, no composing), so its stored
     * JSON may stand for it.
     */
    public static final class Released {
        private final StoredResource stored;
        private final Decision decision;
        private final boolean asStored;
        private final java.util.function.Supplier<Resource> release;
        /** For a stand-in ({@link StoredStandIn}): the patients the audit names, read with the decision's facts; else null. */
        private final List<String> auditPatients;
        private Resource resource;
        private boolean made;

        public Released(StoredResource stored, Resource resource, Decision decision) {
            this(stored, resource, decision, false);
        }

        public Released(StoredResource stored, Resource resource, Decision decision, boolean asStored) {
            this(stored, decision, asStored, null, null);
            this.resource = resource;
            this.made = true;
        }

        /** Decided from facts: the resource (parsed, and reduced as decided) is made only if something asks for it. */
        private Released(StoredResource stored, Decision decision, boolean asStored, java.util.function.Supplier<Resource> release,
                         List<String> auditPatients) {
            this.stored = stored;
            this.decision = decision;
            this.asStored = asStored;
            this.release = release;
            this.auditPatients = auditPatients;
        }

        public StoredResource stored() {
            return stored;
        }

        /** The resource as released (null when withheld). */
        public Resource resource() {
            if (!made) {
                resource = release.get();
                made = true;
            }
            return resource;
        }

        public Decision decision() {
            return decision;
        }

        /** Released whole, exactly as stored (no reduction, no composing), so its stored JSON may stand for it. */
        public boolean asStored() {
            return asStored;
        }

        public boolean disclosed() {
            return decision.disclosed() && (made ? resource != null : release != null);
        }

        /**
         * What a response carries for it: a resource released whole carries its stored JSON, so it is
         * written without encoding it, and when decided from facts it is not even parsed (a stand-in).
         */
        IBaseResource offered(FhirContext context) {
            if (!asStored) {
                return resource();
            }
            if (auditPatients != null && !made) {
                return StoredStandIn.of(context, stored, auditPatients, this::resource);
            }
            return StoredJsonResponse.offer(resource(), stored.json());
        }
    }

    /**
     * What a search may return: all permitted keys in order, and the released resources for the first
     * of them; or, for a broad search in an order keyset paging serves, only how many there are
     * ({@code keys} null: its pages are found by {@link #keysetPage}).
     */
    public record Permitted(List<Long> keys, Map<Long, Released> released, int total) {
        public Permitted(List<Long> keys, Map<Long, Released> released) {
            this(keys, released, keys.size());
        }

        public static Permitted of(List<Long> keys) {
            return new Permitted(keys, Map.of());
        }

        static Permitted counted(int total) {
            return new Permitted(null, Map.of(), total);
        }
    }

    /** One keyset page: what it returns (matches, then includes), the last match it lists, and whether matches follow it. */
    public record KeysetPage(List<IBaseResource> resources, SearchPosition last, boolean more) {
    }

    /**
     * A by-id read: found (as released), gone (deleted, and the caller could see it before), or missing.
     * {@code storedJson}: the stored version's JSON when the resource is released exactly as stored, else null.
     */
    public record Lookup(Status status, Released released, long version) {

        public enum Status { FOUND, GONE, MISSING }

        /** The resource as released, or null. */
        public Resource resource() {
            return released == null ? null : released.resource();
        }

        /** The stored version's JSON when the resource is released exactly as stored, else null. */
        public String storedJson() {
            return released != null && released.asStored() ? released.stored().json() : null;
        }

        /** What the response carries: see {@link Released#offered}. */
        public IBaseResource forResponse(FhirContext context) {
            return released == null ? null : released.offered(context);
        }
    }

    private final AccessGate gate;
    private final Caller caller;
    private final PendingAudit audit;
    private final boolean explaining;
    private final Map<String, List<ConsentDirective>> directives = new HashMap<>();
    private final Map<String, Optional<Resource>> loaded = new HashMap<>();
    private final Map<String, ChildFacts> facts = new HashMap<>();
    /** Current rows this request has read, by Type/id: the facts of a Patient it decides need not read it again. */
    private final Map<String, StoredResource> currentRows = new HashMap<>();
    private final Map<String, Released> decided = new HashMap<>();
    private final Map<String, Released> latestDecided = new HashMap<>();
    /** Source records decided for composing derived records, by reference: each decided once per request. */
    private final Map<String, Released> decidedSources = new HashMap<>();
    /** For each derived record released: the ids of the source records it was composed from. */
    private final Map<String, List<String>> composedFrom = new HashMap<>();
    /**
     * Versions decided from a projection of their JSON (the members the facts reader reads), by key:
     * reported to the audit when decided, so deciding the whole version later (to return it) is not
     * reported again. A projection is never released, parsed or remembered as a row.
     */
    private final Set<String> decidedFromMembers = new HashSet<>();
    /** Break-glass notifications of this request, by owning organisation: one each. */
    private final Map<String, Long> notified = new HashMap<>();
    /** Lines of a decision explanation ({@code _explain}); empty unless {@code explaining}. */
    private final List<String> explanations = new ArrayList<>();
    /** Whether a chain's target (by chain clause and Type/id) matches as the caller sees it: decided once per request. */
    private final Map<List<Object>, Boolean> chainTargets = new HashMap<>();

    GatedRepository(AccessGate gate, Caller caller, PendingAudit audit, boolean explaining) {
        this.gate = gate;
        this.caller = caller;
        this.audit = audit;
        this.explaining = explaining;
    }

    public Caller caller() {
        return caller;
    }

    public List<String> explanations() {
        return explanations;
    }

    /** Forgets what it read and decided: a write in the same request may have changed it. */
    void forget() {
        directives.clear();
        loaded.clear();
        facts.clear();
        currentRows.clear();
        decided.clear();
        latestDecided.clear();
        decidedSources.clear();
        composedFrom.clear();
        chainTargets.clear();
    }

    // ---- reads by id ----

    /** The current version as released to the caller; a withheld resource is MISSING, like one never stored. */
    public Lookup read(String type, String id) {
        Optional<StoredResource> stored = gate.store().read(type, id);
        if (stored.isEmpty()) {
            return missing();
        }
        StoredResource s = current(stored.get());
        if (s.deleted()) {
            // Whether the caller may know of the deletion depends on whether they could see the resource before it.
            Optional<StoredResource> before = gate.store().readVersion(type, id, s.version() - 1);
            return before.isPresent() && decideByIdRead(before.get()).disclosed() ? new Lookup(Lookup.Status.GONE, null, s.version()) : missing();
        }
        Released r = decideByIdRead(s);
        return r.disclosed() ? found(r) : missing();
    }

    /** A past version: released only if its own decision and the current decision for the resource both release it. */
    public Lookup readVersion(String type, String id, long version) {
        Optional<StoredResource> stored = gate.store().readVersion(type, id, version);
        if (stored.isEmpty()) {
            return missing();
        }
        StoredResource s = stored.get();
        Released latest = latest(type, id);
        if (latest == null || !latest.disclosed()) {
            reportByIdDenial(latest == null ? null : latest.stored());
            return missing();
        }
        if (s.deleted()) {
            return new Lookup(Lookup.Status.GONE, null, s.version());
        }
        Released own = historical(s, latest);
        return own.disclosed() ? found(own) : missing();
    }

    private static Lookup found(Released r) {
        return new Lookup(Lookup.Status.FOUND, r, r.stored().version());
    }

    private static Lookup missing() {
        return new Lookup(Lookup.Status.MISSING, null, 0);
    }

    private Released decideByIdRead(StoredResource s) {
        Released r = decide(s);
        if (!r.disclosed()) {
            reportByIdDenial(s);
        }
        return r;
    }

    /** A refused by-id read names its child in the audit record, so it is in the child's access report. */
    private void reportByIdDenial(StoredResource s) {
        if (audit == null || s == null || s.deleted()) {
            return;
        }
        String patient = gate.storedFacts().read(s).map(f -> f.decision().patient()).orElseGet(() -> PatientOf.reference(gate.decode(s)));
        audit.patient(patient);
        audit.resource(s.type() + "/" + s.id());
    }

    // ---- searches ----

    /** Runs a search and keeps what the caller may see, matching and sorting only on what their view releases. */
    public Permitted search(SearchQuery query) {
        return search(query, false);
    }

    /**
     * As {@link #search(SearchQuery)}. Most searches match a few resources: found and loaded in one
     * statement. A broader one has its first chunk decided whole (its first page comes from it) and
     * every other match decided from a projection of its JSON ({@link #eachMatch}); with
     * {@code keysetOrder} (its order is one {@link SearchPosition#supports}) it is only counted, and
     * its pages are found by {@link #keysetPage}, so no list of its keys is kept.
     */
    public Permitted search(SearchQuery query, boolean keysetOrder) {
        List<StoredResource> few = gate.store().searchCurrent(query, CHUNK + 1);
        if (few.size() > CHUNK) {
            few.subList(0, CHUNK).forEach(stored -> decide(current(stored)));
            if (keysetOrder) {
                return Permitted.counted(count(query));
            }
            Admitted admitted = new Admitted();
            eachMatch(query, (stored, standing) -> admitted.add(stored.key(), standing, decided.get(key(stored))));
            return admitted.permitted();
        }
        Admitted admitted = new Admitted();
        few.forEach(stored -> admit(stored, query, admitted));
        return admitted.permitted();
    }

    /** The count a search would list, decided in the same way: from projections, never loading a match's whole JSON unless it must. */
    public int count(SearchQuery query) {
        int[] visible = {0};
        eachMatch(query, (stored, standing) -> visible[0] += standing == Standing.HIDDEN ? 0 : 1);
        return visible[0];
    }

    /**
     * One page of a search in keyset order: the first {@code size} matches after {@code after} (null:
     * from the start) that the caller may see, read a page at a time and decided whole (they are
     * returned), with their includes. {@code more}: a match the caller may see follows the page, or
     * the page filled before the matches ran out.
     */
    public KeysetPage keysetPage(SearchQuery query, SearchPosition after, int size, List<IncludeSpec> includes, boolean standIns) {
        Map<Long, Released> listed = new LinkedHashMap<>();
        SearchPosition read = after;
        SearchPosition last = after;
        boolean more = false;
        int batch = Math.min(CHUNK, size + 1);
        reading:
        while (true) {
            List<StoredResource> rows = gate.store().searchAfter(query, read, batch);
            for (StoredResource row : rows) {
                read = SearchPosition.of(row);
                Released r = decide(current(row));
                if (!r.disclosed() || !matchesVisibly(r, query)) {
                    continue; // hidden: not listed, and answered as if it did not exist
                }
                if (listed.size() == size) {
                    more = true;
                    break reading;
                }
                listed.put(row.key(), r);
                last = read;
            }
            if (rows.size() < batch) {
                break;
            }
            if (listed.size() == size) {
                more = true;
                break;
            }
            batch = Math.min(CHUNK, batch * 2); // hidden matches left the page short: read on in larger steps
        }
        return new KeysetPage(page(List.copyOf(listed.keySet()), includes, listed, standIns), last, more);
    }

    /** How a match stands for the caller: listed (sorted on released elements, or after them), hidden, or only its whole stored JSON can say. */
    private enum Standing { HEAD, TAIL, HIDDEN, WHOLE }

    /**
     * Each match of a search in order, with how it stands for the caller. Each is decided from a
     * projection of its JSON: only the members the facts reader reads, built in SQL and streamed, so a
     * match costs a small row and a token pass, not its whole content. Where the reader is not sure
     * (or the match is a derived record, or break-glass applies) the whole stored version is loaded
     * and decided; the projection is never parsed. A match deleted meanwhile is neither counted nor
     * listed. A chained search is decided from whole resources (the chain's check reads references
     * the projection does not hold).
     */
    private void eachMatch(SearchQuery query, java.util.function.BiConsumer<StoredResource, Standing> each) {
        Optional<Set<String>> members = gate.storedFacts().members(query.resourceType());
        if (members.isEmpty() || query.clauses().stream().anyMatch(SearchQuery.Clause::isChain)) {
            List<Long> pids = gate.store().search(query);
            for (int from = 0; from < pids.size(); from += CHUNK) {
                for (StoredResource stored : gate.store().loadCurrent(pids.subList(from, Math.min(pids.size(), from + CHUNK)))) {
                    each.accept(stored, standing(decide(current(stored)), query));
                }
            }
            return;
        }
        List<StoredResource> run = new ArrayList<>();
        gate.store().searchMembers(query, members.get(), projected -> {
            run.add(projected);
            if (run.size() == CHUNK) {
                resolve(run, query, each);
                run.clear();
            }
        });
        resolve(run, query, each);
    }

    /** A run of projected matches, in order: decided from their projections, or (in one statement for the run) from their whole JSON. */
    private void resolve(List<StoredResource> run, SearchQuery query, java.util.function.BiConsumer<StoredResource, Standing> each) {
        Standing[] standings = new Standing[run.size()];
        List<Optional<StoredFacts>> read = new ArrayList<>(run.size());
        Set<String> children = new LinkedHashSet<>();
        for (StoredResource projected : run) {
            Optional<StoredFacts> facts = decided.containsKey(key(projected)) ? Optional.empty() : gate.storedFacts().read(projected);
            read.add(facts);
            facts.map(f -> f.decision().patient()).ifPresent(children::add);
        }
        // Every decision of the run reads its child's consents: one statement for the run's children, not one each.
        loadDirectivesOf(children);
        List<Long> whole = new ArrayList<>();
        for (int i = 0; i < run.size(); i++) {
            standings[i] = standingFromMembers(run.get(i), read.get(i), query);
            if (standings[i] == Standing.WHOLE) {
                whole.add(run.get(i).key());
            }
        }
        Map<Long, StoredResource> rows = new HashMap<>();
        gate.store().loadCurrent(whole).forEach(row -> rows.put(row.key(), current(row)));
        for (int i = 0; i < run.size(); i++) {
            if (standings[i] != Standing.WHOLE) {
                each.accept(run.get(i), standings[i]);
                continue;
            }
            StoredResource row = rows.get(run.get(i).key());
            if (row != null) {
                each.accept(row, standing(decide(row), query));
            }
        }
    }

    /**
     * A match decided from a projection of its JSON, as {@link #decideStored} decides the whole
     * version (the same facts, the same rules), and reported; WHOLE when only the whole version can
     * say. Nothing is made from the projection but the decision.
     */
    private Standing standingFromMembers(StoredResource projected, Optional<StoredFacts> read, SearchQuery query) {
        Released known = decided.get(key(projected));
        if (known != null) {
            return standing(known, query);
        }
        if (read.isEmpty() || read.get().decision().derived()) {
            return Standing.WHOLE;
        }
        DecisionFacts facts = read.get().decision();
        Decision d = decision(facts);
        if (d.rule().startsWith(ConsentDecisionPoint.BREAK_GLASS) && d.disclosed()) {
            return Standing.WHOLE; // the owner's notification names the resource itself
        }
        report(facts.type(), facts.id(), d);
        decidedFromMembers.add(key(projected));
        if (!d.disclosed() || !SearchVisibility.criteriaReleased(d, query)) {
            return Standing.HIDDEN;
        }
        return SearchVisibility.sortReleased(d, query) ? Standing.HEAD : Standing.TAIL;
    }

    private Standing standing(Released r, SearchQuery query) {
        if (!r.disclosed() || !matchesVisibly(r, query)) {
            return Standing.HIDDEN;
        }
        return SearchVisibility.sortReleased(r.decision(), query) ? Standing.HEAD : Standing.TAIL;
    }

    /**
     * The stored resources this caller may see, in order (those sorted on an element their view
     * withholds go last, as resources without a value do): all their keys, and for the first
     * {@link #KEPT} the released resource, so a first page is served without deciding twice.
     *
     * @param query the search that found them, or null for a list of keys (e.g. {@code $everything})
     */
    public Permitted permitted(List<Long> pids, SearchQuery query) {
        Admitted admitted = new Admitted();
        for (int from = 0; from < pids.size(); from += CHUNK) {
            for (StoredResource stored : gate.store().loadCurrent(pids.subList(from, Math.min(pids.size(), from + CHUNK)))) {
                admit(stored, query, admitted);
            }
        }
        return admitted.permitted();
    }

    /** What a search has let through so far: keys sorted on released elements, then the others; released resources kept. */
    private static final class Admitted {
        final List<Long> head = new ArrayList<>();
        final List<Long> tail = new ArrayList<>();
        final Map<Long, Released> kept = new HashMap<>();

        /** {@code released}: the match as released, when it was decided whole (else its page decides it again). */
        void add(long key, Standing standing, Released released) {
            if (standing == Standing.HIDDEN) {
                return;
            }
            (standing == Standing.HEAD ? head : tail).add(key);
            if (released != null && kept.size() < 2 * KEPT) {
                kept.put(key, released);
            }
        }

        Permitted permitted() {
            head.addAll(tail);
            return new Permitted(head, kept);
        }
    }

    private void admit(StoredResource row, SearchQuery query, Admitted admitted) {
        Released r = decide(current(row));
        admitted.add(row.key(), standing(r, query), r);
    }

    /** The stored resources of these keys as released to the caller, in order (withheld ones left out), with their decisions. */
    public List<Released> released(List<Long> pids) {
        List<Released> out = new ArrayList<>();
        for (int from = 0; from < pids.size(); from += CHUNK) {
            for (StoredResource stored : gate.store().loadCurrent(pids.subList(from, Math.min(pids.size(), from + CHUNK)))) {
                Released r = decide(current(stored));
                if (r.disclosed()) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private boolean matchesVisibly(Released r, SearchQuery query) {
        if (query == null || query.clauses().isEmpty()) {
            return true;
        }
        if (!SearchVisibility.criteriaReleased(r.decision(), query) || !chainsMatchVisibly(r, query)) {
            return false;
        }
        List<String> sources = composedFrom.get(key(r.stored()));
        if (sources == null) {
            return true;
        }
        // A derived record's index holds every source's values; it matches only when a source the
        // caller may see matches too, so it cannot confirm what an invisible source holds.
        // Criteria on the record's own id, tags and timestamp are its own, not a source's: not re-checked.
        // Its links are exactly the sources the caller may see; every other criterion must hold for one of them.
        List<SearchQuery.Clause> clauses = new ArrayList<>();
        for (SearchQuery.Clause c : query.clauses()) {
            if (c.param() == null || SearchVisibility.structural(c.param())) {
                continue;
            }
            if ("link".equals(c.param().name()) && !c.isChain()) {
                if (c.values().stream().map(v -> v.substring(v.lastIndexOf('/') + 1)).noneMatch(sources::contains)) {
                    return false;
                }
                continue;
            }
            clauses.add(c);
        }
        if (clauses.isEmpty()) {
            return true;
        }
        clauses.add(new SearchQuery.Clause(null, SearchQuery.Special.ID, null, sources));
        for (StoredResource source : gate.store().searchCurrent(new SearchQuery(query.resourceType(), clauses, List.of()))) {
            Released known = decidedSources.get(source.type() + "/" + source.id());
            Released s = known != null ? known : decideQuietly(source);
            if (s.disclosed() && SearchVisibility.criteriaReleased(s.decision(), query)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A chain ({@code patient.identifier=…}) matches only through a target the caller may see, on an
     * element the caller's view of it releases, as a direct search on the target would: so a chain
     * cannot confirm an NHS number or a name that the caller's view of the child withholds.
     */
    private boolean chainsMatchVisibly(Released r, SearchQuery query) {
        for (SearchQuery.Clause c : query.clauses()) {
            if (!c.isChain()) {
                continue;
            }
            boolean matched = false;
            for (org.childrensgateway.store.IndexRows.Ref ref : gate.indexer().references(r.resource(), c.param())) {
                matched = chainTargets.computeIfAbsent(List.of(c, ref.targetType(), ref.targetId()),
                        k -> chainTargetMatches(c, ref.targetType(), ref.targetId()));
                if (matched) {
                    break;
                }
            }
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    private boolean chainTargetMatches(SearchQuery.Clause chain, String type, String id) {
        for (SearchParamDefinition target : chain.chain()) {
            if (!target.resourceType().equals(type)) {
                continue;
            }
            SearchQuery direct = new SearchQuery(type, List.of(new SearchQuery.Clause(target, null, chain.modifier(), chain.values()),
                    new SearchQuery.Clause(null, SearchQuery.Special.ID, null, List.of(id))), List.of());
            for (StoredResource found : gate.store().searchCurrent(direct)) {
                Released seen = decideQuietly(found);
                if (seen.disclosed() && matchesVisibly(seen, direct)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One page: the matches (from what the search already released, or decided again now) and what
     * their includes bring, each decided for the caller. An include follows only a reference the
     * caller's view of the resource releases.
     */
    public List<IBaseResource> page(List<Long> pids, List<IncludeSpec> includes, Map<Long, Released> released) {
        return page(pids, includes, released, false);
    }

    /**
     * As {@link #page(List, List, Map)}, for a response written from stored JSON: resources released
     * whole may be stand-ins, not parsed ({@link StoredStandIn}); only the response may hold them.
     */
    public List<IBaseResource> responsePage(List<Long> pids, List<IncludeSpec> includes, Map<Long, Released> released) {
        return page(pids, includes, released, true);
    }

    private List<IBaseResource> page(List<Long> pids, List<IncludeSpec> includes, Map<Long, Released> released, boolean standIns) {
        List<Long> toLoad = pids.stream().filter(pid -> !released.containsKey(pid)).toList();
        Map<Long, StoredResource> loadedRows = new HashMap<>();
        gate.store().loadCurrent(toLoad).forEach(m -> loadedRows.put(m.key(), current(m)));
        List<IBaseResource> page = new ArrayList<>();
        Map<Long, Released> matches = new LinkedHashMap<>();
        for (Long pid : pids) {
            Released known = released.get(pid);
            Released r = known != null ? known : loadedRows.containsKey(pid) ? decide(loadedRows.get(pid)) : null;
            if (r == null || !r.disclosed()) {
                continue; // deleted, or no longer visible, since the search ran
            }
            matches.put(pid, r);
            page.add(offered(r, standIns, BundleEntrySearchModeEnum.MATCH));
        }
        Map<String, StoredResource> included = new LinkedHashMap<>();
        for (IncludeSpec include : includes) {
            List<StoredResource> found;
            if (include.reverse()) {
                found = gate.store().loadRevIncludes(matches.values().stream().map(Released::stored).toList(), include.sourceType(), include.param());
            } else {
                List<Long> from = matches.entrySet().stream()
                        .filter(e -> referenceReleased(e.getValue(), include.sourceType(), include.param())).map(Map.Entry::getKey).toList();
                found = from.isEmpty() ? List.of() : gate.store().loadIncludes(from, include.sourceType(), include.param(), include.targetType());
            }
            for (StoredResource f : found) {
                if (!include.reverse() || referenceReleased(decideQuietly(f), include.sourceType(), include.param())) {
                    included.putIfAbsent(f.type() + "/" + f.id(), f);
                }
            }
        }
        matches.values().forEach(m -> included.remove(m.stored().type() + "/" + m.stored().id()));
        for (StoredResource inc : included.values()) {
            Released r = decide(inc);
            if (r.disclosed()) {
                page.add(offered(r, standIns, BundleEntrySearchModeEnum.INCLUDE));
            }
        }
        return page;
    }

    /** A resource released exactly as stored carries its stored JSON, so a Bundle can be written from it without encoding it. */
    private IBaseResource offered(Released r, boolean standIns, BundleEntrySearchModeEnum mode) {
        IBaseResource out = standIns ? r.offered(gate.context())
                : r.asStored() ? StoredJsonResponse.offer(r.resource(), r.stored().json()) : r.resource();
        ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put((org.hl7.fhir.instance.model.api.IAnyResource) out, mode);
        return out;
    }

    private boolean referenceReleased(Released r, String sourceType, String param) {
        if (!r.disclosed()) {
            return false;
        }
        Optional<SearchParamDefinition> definition = gate.params().find(sourceType, param);
        return definition.isPresent() && SearchVisibility.criteriaReleased(r.decision(),
                new SearchQuery(sourceType, List.of(new SearchQuery.Clause(definition.get(), null, null, List.of())), List.of()));
    }

    // ---- history ----

    /**
     * History keys the caller may see, newest first. An older version is shown only if the current
     * decision for its resource would release it too (re-labelling or withdrawal reaches history);
     * a deletion only if a version before it is shown.
     *
     * @throws ResourceNotFoundException for one resource the caller may not see (as if missing)
     */
    public List<Long> history(String type, String id, Instant since, int limit) {
        if (id != null) {
            Released latest = gate.store().read(type, id).isEmpty() ? null : latest(type, id);
            if (latest == null || !latest.disclosed()) {
                reportByIdDenial(latest == null ? null : latest.stored());
                throw new ResourceNotFoundException(new IdType(type, id));
            }
        }
        List<Long> hids = gate.store().historyKeys(type, id, since, limit);
        List<StoredResource> rows = gate.store().loadHistory(hids);
        Set<String> seen = new HashSet<>();
        Map<Long, Boolean> shown = new HashMap<>();
        // Oldest first, so each deletion is judged after the versions it follows.
        for (int i = rows.size() - 1; i >= 0; i--) {
            StoredResource row = rows.get(i);
            String resource = row.type() + "/" + row.id();
            boolean show;
            if (row.deleted()) {
                show = seen.contains(resource);
            } else {
                Released latest = latest(row.type(), row.id());
                show = latest != null && latest.disclosed() && historical(row, latest).disclosed();
            }
            if (show && !row.deleted()) {
                seen.add(resource);
            }
            shown.put(row.key(), show);
        }
        List<Long> visible = hids.stream().filter(h -> shown.getOrDefault(h, false)).toList();
        if (id != null && visible.isEmpty()) {
            throw new ResourceNotFoundException(new IdType(type, id));
        }
        return visible;
    }

    /** One page of history entries (listed by {@link #history}), each decided again as it is served. */
    public List<IBaseResource> historyPage(List<Long> hids) {
        List<IBaseResource> page = new ArrayList<>();
        for (StoredResource row : gate.store().loadHistory(hids)) {
            if (row.deleted()) {
                page.add(gate.decode(row)); // a deletion marker carries no data
                continue;
            }
            Released latest = latest(row.type(), row.id());
            if (latest != null && latest.disclosed()) {
                Released r = historical(row, latest);
                if (r.disclosed()) {
                    page.add(withMethod(r.resource(), row));
                }
            }
        }
        return page;
    }

    /**
     * A history entry needs the interaction that made its version (bdl-3: entry.request); the
     * current version and reduced copies come from elsewhere than the history row, so set it here.
     */
    private static IBaseResource withMethod(IBaseResource resource, StoredResource row) {
        if (row.method() != null && resource instanceof org.hl7.fhir.instance.model.api.IAnyResource any) {
            ca.uhn.fhir.model.api.ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD.put(any,
                    ca.uhn.fhir.model.valueset.BundleEntryTransactionMethodEnum.valueOf(row.method()));
        }
        return resource;
    }

    /** A past version as released: its own decision, and no more than the current decision releases. */
    private Released historical(StoredResource row, Released latest) {
        if (row.version() == latest.stored().version()) {
            return latest;
        }
        Released own = decide(row);
        if (!own.disclosed() || latest.decision().effect() != Decision.Effect.REDUCE || own.decision().effect() == Decision.Effect.REDUCE) {
            return own;
        }
        Resource original = gate.decode(row);
        return new Released(row, ElementRelease.reduce(gate.context(), original, latest.decision()), latest.decision());
    }

    /** The decision for the latest version that holds data (the one a deletion followed, if deleted). */
    private Released latest(String type, String id) {
        String key = type + "/" + id;
        if (latestDecided.containsKey(key)) {
            return latestDecided.get(key);
        }
        Released r = null;
        Optional<StoredResource> current = gate.store().read(type, id);
        if (current.isPresent()) {
            StoredResource s = current.get();
            Optional<StoredResource> withData = s.deleted() ? gate.store().readVersion(type, id, s.version() - 1) : current;
            r = withData.map(this::decideQuietly).orElse(null);
        }
        latestDecided.put(key, r);
        return r;
    }

    // ---- for writes ----

    /**
     * Resources matching conditional criteria that the caller may change: its own organisation's,
     * never a derived record. A record the caller cannot change never influences a conditional write.
     */
    public List<StoredResource> matchOwn(SearchQuery query) {
        return matchOwnParsed(query).stream().map(Parsed::stored).toList();
    }

    /**
     * A stored resource and its parse, made when first asked for and then kept (not to be changed:
     * it may be handed on), so a write can pass it to {@link #requireChangeable} unparsed again.
     */
    public static final class Parsed {
        private final StoredResource stored;
        private final java.util.function.Function<StoredResource, Resource> decoder;
        private Resource resource;

        Parsed(StoredResource stored, Resource resource, java.util.function.Function<StoredResource, Resource> decoder) {
            this.stored = stored;
            this.resource = resource;
            this.decoder = decoder;
        }

        public StoredResource stored() {
            return stored;
        }

        public Resource resource() {
            if (resource == null) {
                resource = decoder.apply(stored);
            }
            return resource;
        }

        /** Whether {@link #resource} has been parsed yet (for tests of what a match parses). */
        public boolean isParsed() {
            return resource != null;
        }
    }

    /**
     * {@link #matchOwn}, each match with its parse. Whether a match is the caller's own and not a
     * derived record is read off its stored JSON ({@link StoredFacts}: the recorder tag and the
     * derived tag, the facts the consent decision reads), so a match that is not (a Patient
     * identifier also matches the child record, which carries its sources' identifiers) is never
     * parsed, and an own one only when its parse is asked for. JSON the facts reader is unsure of is
     * parsed and decided as before.
     */
    public List<Parsed> matchOwnParsed(SearchQuery query) {
        List<Parsed> own = new ArrayList<>();
        for (StoredResource s : gate.store().searchCurrent(query)) {
            Optional<StoredFacts> facts = gate.storedFacts().read(s);
            if (facts.isPresent()) {
                DecisionFacts f = facts.get().decision();
                if (!f.derived() && caller != null && f.recorder() != null && f.recorder().equals(caller.organisation())) {
                    own.add(new Parsed(s, null, gate::decode));
                }
                continue;
            }
            Resource r = gate.decode(s);
            if (!DerivedRecords.isDerived(r) && isOwn(r)) {
                own.add(new Parsed(s, r, gate::decode));
            }
        }
        return own;
    }

    /**
     * Checks that the caller may change (update, delete) the stored resource: its own organisation
     * recorded it. A record the caller cannot even see fails as a missing one would (404); one they
     * can see but did not record is 403. Derived records change only as derived records, which only
     * the person index writes. Returns the stored resource it parsed to decide (null when
     * {@code existing} is a deletion), so that the write does not parse it again.
     */
    public Resource requireChangeable(StoredResource existing, IBaseResource incoming) {
        return requireChangeable(existing, null, incoming);
    }

    /**
     * {@link #requireChangeable(StoredResource, IBaseResource)} with {@code existing} already parsed
     * ({@code parsed}: the same resource and version, from {@link #matchOwnParsed}; null: parse it here).
     */
    public Resource requireChangeable(StoredResource existing, Parsed parsed, IBaseResource incoming) {
        StoredResource withData = existing;
        if (existing.deleted()) {
            withData = gate.store().readVersion(existing.type(), existing.id(), existing.version() - 1).orElse(null);
            if (withData == null) {
                return null;
            }
        }
        boolean sameVersion = parsed != null && !existing.deleted() && parsed.stored().key() == existing.key()
                && parsed.stored().version() == existing.version();
        Resource current = sameVersion ? parsed.resource() : gate.decode(withData);
        Resource decoded = existing.deleted() ? null : current;
        if (DerivedRecords.isDerived(current)) {
            if (incoming != null && DerivedRecords.isDerived(incoming)) {
                return decoded; // the person index maintaining its own record
            }
        } else if (isOwn(current)) {
            return decoded;
        }
        if (existing.deleted() || !decideQuietly(withData).disclosed()) {
            reportByIdDenial(withData);
            throw new ResourceNotFoundException(new IdType(existing.type(), existing.id()));
        }
        throw new ForbiddenOperationException(DerivedRecords.isDerived(current)
                ? "This record is maintained by the gateway's person index and cannot be written by clients"
                : "This resource was recorded by another organisation; only that organisation may change or delete it");
    }

    /**
     * {@link #requireChangeable(StoredResource, IBaseResource)} for the person index writing one of
     * its derived records: when the stored version's JSON says it is a derived record too (read off
     * the text, {@link StoredFacts}), that is all the check needs and nothing is parsed (answers
     * null); otherwise the full check, which parses it (and answers the parse).
     */
    public Resource requireChangeableDerived(StoredResource existing, IBaseResource incoming) {
        if (DerivedRecords.isDerived(incoming)) {
            Optional<StoredFacts> facts = gate.storedFacts().read(existing);
            if (facts.isPresent() && facts.get().decision().derived()) {
                return null;
            }
        }
        return requireChangeable(existing, incoming);
    }

    private boolean isOwn(Resource r) {
        String recorder = RecordingOrganisation.of(r).orElse(null);
        return caller != null && recorder != null && recorder.equals(caller.organisation());
    }

    // ---- deciding ----

    /** A resource the caller's request produced or holds (e.g. an export's rows) as this caller may see it, or empty. */
    public Optional<Resource> release(Resource resource) {
        Released r = decideResource(null, resource, true);
        return r.disclosed() ? Optional.of(r.resource()) : Optional.empty();
    }

    /** Decides a stored resource for this caller, reporting the decision. Decisions are remembered for the request. */
    Released decide(StoredResource stored) {
        String key = key(stored);
        Released known = decided.get(key);
        if (known != null) {
            return known;
        }
        Released r = decideStored(stored, !decidedFromMembers.contains(key));
        decided.put(key, r);
        return r;
    }

    /** As {@link #decide} but not counted in the audit record: for checks whose result is not itself returned. */
    private Released decideQuietly(StoredResource stored) {
        Released known = decided.get(key(stored));
        return known != null ? known : decideStored(stored, false);
    }

    /**
     * A stored version decided from the facts its stored JSON gives (no parse), by the same rules as a
     * parsed one; parsed only when it must be: a derived record (composed), or JSON the facts reader
     * is not sure of. What is released is made from the parse only when asked for.
     */
    private Released decideStored(StoredResource stored, boolean report) {
        Optional<StoredFacts> read = gate.storedFacts().read(stored);
        if (read.isEmpty() || read.get().decision().derived()) {
            return decideResource(stored, gate.decode(stored), report);
        }
        DecisionFacts facts = read.get().decision();
        Decision d = decision(facts);
        Released r;
        if (d.effect() == Decision.Effect.DENY) {
            r = new Released(stored, null, d);
        } else {
            Resource[] parsed = new Resource[1];
            java.util.function.Supplier<Resource> original = () -> parsed[0] != null ? parsed[0] : (parsed[0] = gate.decode(stored));
            if (d.rule().startsWith(ConsentDecisionPoint.BREAK_GLASS) && d.disclosed()) {
                breakGlassUsed(original.get());
            }
            r = d.effect() == Decision.Effect.PERMIT ? new Released(stored, d, true, original, read.get().auditPatients())
                    : new Released(stored, d, false, () -> ElementRelease.reduce(gate.context(), original.get(), d), null);
        }
        if (report) {
            report(facts.type(), facts.id(), r.decision());
        }
        return r;
    }

    /** The decision for a resource's facts: the token's scopes first, then the decision point's rules. */
    private Decision decision(DecisionFacts facts) {
        if (caller != null && !explaining && !ReturnedTypeScopes.mayReceive(caller.scopes(), facts.type())) {
            return Decision.deny("scope", "the token's scopes do not cover " + facts.type());
        }
        return gate.decisions().decide(caller, facts, this::directivesFor, this::factsFor, java.time.LocalDate.now(LONDON));
    }

    private Released decideResource(StoredResource stored, Resource resource, boolean report) {
        Released r;
        if (caller != null && !explaining && !ReturnedTypeScopes.mayReceive(caller.scopes(), resource.fhirType())) {
            r = new Released(stored, null, Decision.deny("scope", "the token's scopes do not cover " + resource.fhirType()));
        } else if (DerivedRecords.isDerived(resource)) {
            r = composed(stored, resource);
        } else {
            Decision d = gate.decisions().decide(caller, resource, this::directivesFor, this::factsFor, java.time.LocalDate.now(LONDON));
            if (d.rule().startsWith(ConsentDecisionPoint.BREAK_GLASS) && d.disclosed()) {
                breakGlassUsed(resource);
            }
            // Permitted whole: the resource is the stored version, unchanged (no reduction, no notes removed).
            boolean asStored = stored != null && !stored.deleted() && d.effect() == Decision.Effect.PERMIT;
            r = new Released(stored, release(resource, d), d, asStored);
        }
        if (report) {
            report(resource.fhirType(), resource.getIdElement().getIdPart(), r.decision());
        }
        return r;
    }

    /**
     * A derived record as this caller may see it: composed from the source records they may see
     * (each as released to them), never from the others. Withheld when they may see none.
     */
    private Released composed(StoredResource stored, Resource record) {
        List<Resource> released = new ArrayList<>();
        List<Resource> originals = new ArrayList<>();
        List<String> sourceIds = new ArrayList<>();
        boolean whole = false;
        Set<String> kept = new LinkedHashSet<>();
        for (String reference : gate.composer().sourcesOf(record)) {
            Resource source = load(reference);
            if (source == null || DerivedRecords.isDerived(source)) {
                continue;
            }
            Released r = decidedSources.computeIfAbsent(reference, ref -> decideResource(null, source, false));
            if (!r.disclosed()) {
                continue;
            }
            released.add(r.resource());
            originals.add(source);
            sourceIds.add(source.getIdElement().getIdPart());
            if (r.decision().effect() == Decision.Effect.PERMIT || r.decision().removeListed()) {
                whole = true;
            } else {
                kept.addAll(r.decision().elements());
            }
        }
        Resource composed = released.isEmpty() ? null : gate.composer().compose(record, released, originals);
        if (composed == null) {
            return new Released(stored, null, Decision.deny("derived-record", "no source record the caller may see"));
        }
        composed.setId(record.getIdElement());
        composed.setMeta(record.getMeta().copy());
        if (stored != null) {
            composedFrom.put(key(stored), sourceIds);
            reportLinks(record, sourceIds);
        }
        String detail = "composed from " + released.size() + " source record(s) the caller may see";
        if (whole) {
            return new Released(stored, composed, Decision.permit("derived-record", detail));
        }
        Decision reduced = Decision.keepOnly("derived-record", detail + ", as far as they are released", List.copyOf(kept));
        return new Released(stored, ElementRelease.reduce(gate.context(), composed, reduced), reduced);
    }

    /**
     * The request's audit record names the links each composed derived record relied on (which
     * source records it was built from for this caller), so that when a link is undone the
     * disclosures it caused can be found in the audit trail (kept only for records the response returns).
     */
    private void reportLinks(Resource record, List<String> sourceIds) {
        if (audit == null || explaining) {
            return;
        }
        audit.composed(record.fhirType() + "/" + record.getIdElement().getIdPart(), sourceIds);
    }

    private Resource release(Resource resource, Decision decision) {
        return switch (decision.effect()) {
            case DENY -> null;
            case PERMIT -> resource;
            case REDUCE -> ElementRelease.reduce(gate.context(), resource, decision);
        };
    }

    private void report(String type, String id, Decision decision) {
        if (explaining) {
            // Only an explanation keeps a line per decision: a broad search or count decides every match,
            // and a line each would hold the whole result's ids for the length of the request.
            explanations.add(type + "/" + id + ": "
                    + (decision.disclosed() ? "disclosed" : "withheld") + " by rule " + decision.rule() + " (" + decision.detail() + ")");
            return; // an auditor's explanation discloses nothing to the perspective explained
        }
        gate.metrics().consentDecision(switch (decision.effect()) {
            case PERMIT -> "permit";
            case REDUCE -> "permit_with_redaction";
            case DENY -> "deny";
        });
        if (audit != null) {
            audit.decided(decision.rule(), decision.disclosed(), decision.policy());
        }
    }

    /** One notification per request and owning organisation; later resources of the same owner are counted on it. */
    private void breakGlassUsed(Resource resource) {
        if (explaining) {
            return;
        }
        String owner = RecordingOrganisation.of(resource).orElse(null);
        Long id = notified.get(owner);
        if (id == null) {
            notified.put(owner, gate.breakGlass().notifyOwner(caller, owner, resource));
        } else {
            gate.breakGlass().seenAnother(id);
        }
        if (audit != null) {
            audit.breakGlass(caller.breakGlass());
        }
    }

    private Resource load(String reference) {
        if (reference == null || !reference.contains("/")) {
            return null;
        }
        return loaded.computeIfAbsent(reference, ref -> {
            String[] parts = ref.split("/");
            return currentRow(parts[parts.length - 2], parts[parts.length - 1]).filter(r -> !r.deleted()).map(gate::decode);
        }).orElse(null);
    }

    /** The child's facts for agreements with limits, from their (source) Patient record. */
    private ChildFacts factsFor(String patientReference) {
        return facts.computeIfAbsent(patientReference == null ? "" : patientReference, this::loadFacts);
    }

    private ChildFacts loadFacts(String patientReference) {
        Optional<ChildFactsCache.Known> patient = patientFacts(patientReference);
        if (patient.isEmpty()) {
            return ChildFacts.UNKNOWN;
        }
        ChildFacts facts = patient.get().facts();
        if (!patient.get().derived()) {
            // What one source says of the child (died, restricted, bereaved) holds in every source's record:
            // the child record carries it from whichever source says it.
            Optional<ChildFactsCache.Known> child = childRecordFacts(patientReference);
            if (child.isPresent()) {
                facts = facts.with(child.get().facts());
            }
        }
        return facts;
    }

    /**
     * The facts of a Patient's current version: which version is current is read now, what it says
     * once per version. What is parsed here is kept for the request, so composing a derived record
     * from it does not read or parse it again.
     */
    private Optional<ChildFactsCache.Known> patientFacts(String reference) {
        if (reference == null || !reference.contains("/")) {
            return Optional.empty();
        }
        String[] parts = reference.split("/");
        return patientFacts(reference, () -> currentRow(parts[parts.length - 2], parts[parts.length - 1]));
    }

    /**
     * The facts of the child record a source Patient is linked into. The link and the record's row
     * come in one statement; a row this request already read stands, as for any other read.
     */
    private Optional<ChildFactsCache.Known> childRecordFacts(String patientReference) {
        Optional<StoredResource> linked = gate.composer().childRecordOf(patientReference);
        if (linked.isEmpty()) {
            return Optional.empty();
        }
        String reference = linked.get().type() + "/" + linked.get().id();
        return patientFacts(reference, () -> Optional.of(currentRows.containsKey(reference) ? currentRows.get(reference) : current(linked.get())));
    }

    /** As {@link #patientFacts(String)}, the current row read by {@code currentRow} unless the request already parsed it. */
    private Optional<ChildFactsCache.Known> patientFacts(String reference, java.util.function.Supplier<Optional<StoredResource>> currentRow) {
        Optional<Resource> already = loaded.get(reference);
        if (already != null) {
            return already.filter(r -> r instanceof org.hl7.fhir.r4.model.Patient && r.getMeta().hasVersionId())
                    .flatMap(r -> gate.childFacts().of(r.getIdElement().getIdPart(), Long.parseLong(r.getMeta().getVersionId()), () -> r));
        }
        Optional<StoredResource> row = currentRow.get().filter(r -> !r.deleted());
        if (row.isEmpty()) {
            loaded.put(reference, Optional.empty());
            return Optional.empty();
        }
        StoredResource stored = row.get();
        // Read off the stored JSON when it can be (no parse); else parsed, and the parse kept for composing.
        return gate.childFacts().known(stored.id(), stored.version(), () -> gate.storedFacts().childFacts(stored).or(() -> {
            Resource parsed = gate.decode(stored);
            loaded.put(reference, Optional.of(parsed));
            return ChildFactsCache.of(parsed);
        }));
    }

    private List<ConsentDirective> directivesFor(String patientReference) {
        return directives.computeIfAbsent(patientReference, this::loadDirectives);
    }

    private List<ConsentDirective> loadDirectives(String patientReference) {
        SearchQuery query = new SearchQuery("Consent", List.of(new SearchQuery.Clause(consentPatient(), null, null, List.of(patientReference))), List.of());
        return directivesOf(gate.store().searchCurrent(query));
    }

    /**
     * Loads, in one statement per target type, the consents of each child this request has not yet
     * read them for: the same Consents {@link #loadDirectives} finds for each (the search's own reading
     * of a reference, {@link ReferenceTarget}), in the same order (by row).
     */
    private void loadDirectivesOf(Collection<String> patientReferences) {
        SearchParamDefinition param = consentPatient();
        Map<String, Map<String, List<String>>> referencesByTarget = new LinkedHashMap<>();
        for (String reference : patientReferences) {
            if (reference == null || directives.containsKey(reference)) {
                continue;
            }
            Optional<ReferenceTarget> target = ReferenceTarget.of(param, reference);
            if (target.isEmpty()) {
                directives.put(reference, List.of()); // nothing indexed can be it: the search finds no Consent either
            } else if (target.get().type() != null) {
                referencesByTarget.computeIfAbsent(target.get().type(), t -> new LinkedHashMap<>())
                        .computeIfAbsent(target.get().id(), i -> new ArrayList<>()).add(reference);
            } // else: left to the search, reference by reference
        }
        referencesByTarget.forEach((type, byId) -> {
            Map<String, List<StoredResource>> consents = gate.store().loadRevIncludesByTarget(type, byId.keySet(), param.resourceType(), param.name());
            byId.forEach((id, references) -> {
                List<ConsentDirective> of = directivesOf(consents.getOrDefault(id, List.of()));
                references.forEach(reference -> directives.put(reference, of));
            });
        });
    }

    /**
     * Which Consents apply comes from the database every time (a withdrawal counts at once); what each
     * version says is read once per version: off its stored JSON, or parsed when the reader is unsure.
     */
    private List<ConsentDirective> directivesOf(List<StoredResource> consents) {
        List<ConsentDirective> out = new ArrayList<>();
        for (StoredResource stored : consents) {
            out.addAll(gate.directives().of(stored.id(), stored.version(), () -> StoredConsentDirectives.read(stored)
                    .orElseGet(() -> ConsentDirective.from((Consent) gate.decode(stored)))));
        }
        return out;
    }

    private SearchParamDefinition consentPatient() {
        return gate.params().find("Consent", "patient").orElseThrow();
    }

    /** The current row of a resource: as this request already read it, else read now (and remembered). */
    private Optional<StoredResource> currentRow(String type, String id) {
        StoredResource seen = currentRows.get(type + "/" + id);
        return seen != null ? Optional.of(seen) : gate.store().read(type, id).map(this::current);
    }

    /** Remembers a row read as the current version in this request (until a write makes the request forget). */
    private StoredResource current(StoredResource row) {
        currentRows.put(row.type() + "/" + row.id(), row);
        return row;
    }

    private static String key(StoredResource s) {
        return s.type() + "/" + s.id() + "/" + s.version();
    }
}
