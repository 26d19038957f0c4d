package org.childrensgateway.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.childrensgateway.access.AccessGate;
import org.childrensgateway.access.GatedRepository;
import org.childrensgateway.access.DecisionExplanation;
import org.childrensgateway.consent.RecordingOrganisation;
import org.childrensgateway.fhir.validation.ResourceValidator;
import org.childrensgateway.security.Caller;
import org.childrensgateway.security.CallerContext;
import org.childrensgateway.search.ParsedSearch;
import org.childrensgateway.search.SearchIndexer;
import org.childrensgateway.search.SearchRequestParser;
import org.childrensgateway.store.SearchPosition;
import org.childrensgateway.store.ConcurrentVersionException;
import org.childrensgateway.store.ResourceWrites;
import org.childrensgateway.store.SearchQuery;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The FHIR interactions: versioning, conditional writes, optimistic locking, validation and
 * indexing. Providers, the transaction processor and the ingest pipeline all come through here, so
 * the rules hold whichever way data arrives. It reads only through the request's
 * {@link GatedRepository} (reads, searches, history, conditional matching, ownership of what a
 * write replaces) and writes through {@link ResourceWrites}.
 */
@Service
public class FhirResourceService {

    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final ResourceWrites store;
    private final ResourceCodec codec;
    private final SearchIndexer indexer;
    private final SearchRequestParser parser;
    private final ResourceValidator validator;
    private final PageLoader pages;
    private final List<ResourceWriteListener> listeners;
    private final AccessGate gate;
    private final List<SearchExpansion> expansions;
    private final DecisionExplanation explanations;

    public FhirResourceService(ResourceWrites store, ResourceCodec codec, SearchIndexer indexer,
                               SearchRequestParser parser, ResourceValidator validator, PageLoader pages,
                               List<ResourceWriteListener> listeners, AccessGate gate, List<SearchExpansion> expansions,
                               DecisionExplanation explanations) {
        this.explanations = explanations;
        this.listeners = listeners;
        this.gate = gate;
        this.expansions = expansions;
        this.store = store;
        this.codec = codec;
        this.indexer = indexer;
        this.parser = parser;
        this.validator = validator;
        this.pages = pages;
    }

    // ---- reads ----

    /**
     * Read or vread, as the current caller may see it. What consent withholds answers exactly as a
     * resource that does not exist (404), so its existence is not hinted at.
     */
    @Transactional(readOnly = true)
    public IBaseResource read(String type, IdType id) {
        return read(type, id, false);
    }

    /** As {@link #read}, for the HTTP response only: a resource released whole may be a stand-in ({@link StoredStandIn}). */
    @Transactional(readOnly = true)
    public IBaseResource readForResponse(String type, IdType id) {
        return read(type, id, true);
    }

    private IBaseResource read(String type, IdType id, boolean forResponse) {
        GatedRepository repo = gate.forRequest();
        IdType notFound = id.hasVersionIdPart() ? new IdType(type, id.getIdPart(), id.getVersionIdPart()) : new IdType(type, id.getIdPart());
        GatedRepository.Lookup found = id.hasVersionIdPart()
                ? repo.readVersion(type, id.getIdPart(), parseVersion(id.getVersionIdPart()))
                : repo.read(type, id.getIdPart());
        return switch (found.status()) {
            case FOUND -> forResponse ? found.forResponse(codec.context()) : StoredJsonResponse.offer(found.resource(), found.storedJson());
            case GONE -> throw new ResourceGoneException("Resource " + type + "/" + id.getIdPart() + " was deleted at version " + found.version());
            case MISSING -> throw new ResourceNotFoundException(notFound);
        };
    }

    /** A search as the API runs it: parsed, then widened by the expansions (a child record's sources). */
    public SearchQuery query(String type, Map<String, String[]> parameters) {
        return expand(parser.parse(type, parameters, false).query());
    }

    private SearchQuery expand(SearchQuery query) {
        for (SearchExpansion expansion : expansions) {
            query = expansion.expand(query);
        }
        return query;
    }

    /**
     * A search as the caller may see it, every key listed (for code that reads all its results, e.g.
     * exports). Totals count only what the caller may see: the gate decides before counting, never after.
     */
    @Transactional(readOnly = true)
    public StoredBundleProvider search(String type, Map<String, String[]> parameters, boolean lenient) {
        return (StoredBundleProvider) search(type, parameters, lenient, false);
    }

    /**
     * A search as pages of a response show it. In the default order or by {@code _lastUpdated}, a
     * search that asks for no total ({@code _total=none} or {@code estimate}) decides matches only
     * until its page is filled, and a broad one that does has them counted, not listed; both page by
     * keyset ({@link KeysetBundleProvider}). Any other order lists every key the caller may see.
     */
    @Transactional(readOnly = true)
    public SearchResults searchPages(String type, Map<String, String[]> parameters, boolean lenient) {
        return search(type, parameters, lenient, true);
    }

    private SearchResults search(String type, Map<String, String[]> parameters, boolean lenient, boolean pages) {
        ParsedSearch search = parser.parse(type, parameters, lenient);
        SearchQuery query = expand(search.query());
        GatedRepository repo = gate.forRequest();
        if (search.countOnly()) {
            return StoredBundleProvider.countOnly(repo.count(query));
        }
        boolean keyset = pages && SearchPosition.supports(query) && !parameters.containsKey("_explain") && !parameters.containsKey("_offset");
        if (keyset && search.total() == ParsedSearch.Total.NONE) {
            return KeysetBundleProvider.first(this.pages, type, query, criteria(parameters), search.includes(), null);
        }
        GatedRepository.Permitted permitted = repo.search(query, keyset);
        if (permitted.keys() == null) {
            return KeysetBundleProvider.first(this.pages, type, query, criteria(parameters), search.includes(), permitted.total());
        }
        StoredBundleProvider results = StoredBundleProvider.forSearch(this.pages, type, permitted, search.includes());
        if (parameters.containsKey("_explain")) {
            // Added to the response Bundle by ExplanationInterceptor, whatever the page holds.
            var attributes = org.springframework.web.context.request.RequestContextHolder.getRequestAttributes();
            if (attributes != null) {
                attributes.setAttribute(ExplanationInterceptor.ATTRIBUTE, explanations.explain(query, parameters),
                        org.springframework.web.context.request.RequestAttributes.SCOPE_REQUEST);
            }
        }
        return results;
    }

    /**
     * A keyset search's query for a later page: its stored criteria parsed again (leniently: they
     * were accepted when it began) and widened by the expansions as they stand now.
     */
    @Transactional(readOnly = true)
    public SearchQuery keysetQuery(String type, String criteria) {
        return expand(parser.parse(type, queryParameters(criteria), true).query());
    }

    /** Search parameters as a query string that {@link #queryParameters} reads back. */
    static String criteria(Map<String, String[]> parameters) {
        StringBuilder out = new StringBuilder();
        parameters.forEach((name, values) -> {
            for (String value : values) {
                out.append(out.isEmpty() ? "" : "&").append(encode(name)).append('=').append(encode(value));
            }
        });
        return out.toString();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s == null ? "" : s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Resources matching conditional criteria such as {@code identifier=sys|123} that the caller may
     * change: its own organisation's. Another organisation's record, seen or not, never decides a
     * conditional write or reference, so the answer cannot tell whether one exists.
     */
    @Transactional(readOnly = true)
    public List<StoredResource> match(String type, String criteria) {
        return gate.forRequest().matchOwn(criteriaQuery(type, criteria));
    }

    private SearchQuery criteriaQuery(String type, String criteria) {
        Map<String, String[]> params = queryParameters(criteria);
        if (params.isEmpty()) {
            throw new InvalidRequestException("Conditional criteria for " + type + " must not be empty");
        }
        return parser.parse(type, params, false).query();
    }

    @Transactional(readOnly = true)
    public StoredBundleProvider history(String type, String id, Instant since, int limit) {
        return StoredBundleProvider.forHistory(pages, type, gate.forRequest().history(type, id, since, limit));
    }

    // ---- writes ----

    @Transactional
    public WriteOutcome create(IBaseResource resource, String ifNoneExist) {
        return create(resource, ifNoneExist, null);
    }

    /**
     * Creates a resource; {@code assignedId} is the id a transaction already promised for a
     * {@code urn:uuid:} entry (null lets the server choose, as FHIR create requires).
     */
    @Transactional
    public WriteOutcome create(IBaseResource resource, String ifNoneExist, String assignedId) {
        return create(resource, ifNoneExist, assignedId, null);
    }

    /**
     * {@code known}: what {@link #matchForUpdate} found for the {@code If-None-Exist} criteria
     * earlier in the transaction (under their lock, held since), or null; reused unless something
     * of the type was written in between, so the create does not search again.
     */
    @Transactional
    public WriteOutcome create(IBaseResource resource, String ifNoneExist, String assignedId, ConditionalMatch known) {
        String type = resource.fhirType();
        if (ifNoneExist != null && !ifNoneExist.isBlank()) {
            String criteria = criteriaOf(ifNoneExist);
            List<GatedRepository.Parsed> matches;
            if (known != null && known.current(type, criteria)) {
                matches = known.parsed(); // the criteria lock has been held since
            } else {
                store.lockCriteria(lockKey(type, criteria));
                matches = gate.forRequest().matchOwnParsed(criteriaQuery(type, criteria));
            }
            if (matches.size() > 1) {
                throw new PreconditionFailedException("If-None-Exist matched " + matches.size() + " " + type + " resources; expected at most one");
            }
            if (matches.size() == 1) {
                return new WriteOutcome(WriteOutcome.Kind.UNCHANGED, matches.get(0).stored(), matches.get(0).resource());
            }
        }
        return insert(resource, assignedId != null ? assignedId : UUID.randomUUID().toString());
    }

    @Transactional
    public WriteOutcome update(IBaseResource resource, IdType id, String ifMatchVersion) {
        return doUpdate(resource, id, ifMatchVersion);
    }

    /**
     * For the person index: the current rows of its derived records of one type, locked until the
     * transaction ends, in one statement and in id order (so two runs locking overlapping sets
     * cannot deadlock); ids never stored are absent. Pass each to {@link #writeDerived}.
     */
    @Transactional
    public Map<String, StoredResource> lockDerived(String type, java.util.Collection<String> ids) {
        Map<String, StoredResource> out = new java.util.HashMap<>();
        store.readForUpdate(type, ids).forEach(r -> out.put(r.id(), r));
        return out;
    }

    /**
     * For the person index: writes one of its derived records at {@code id}, over {@code locked}
     * (that id's row as {@link #lockDerived} locked it; null: none stored). It is created, written
     * as the next version, or left as it is when it would say what the stored version says; the
     * gate's check and the version rules are those of an update. The comparison is of the JSON
     * text, so the stored version is not parsed (nor is it for the gate's check when its stored
     * JSON says it is a derived record); derived records skip the profile validator (see
     * {@link #validateOrThrow}).
     */
    @Transactional
    public WriteOutcome writeDerived(Resource derived, String id, StoredResource locked) {
        if (!DerivedRecords.isDerived(derived) || (derived.getIdElement().hasIdPart() && !derived.getIdElement().getIdPart().equals(id))
                || !FHIR_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("Not a derived record for " + derived.fhirType() + "/" + id);
        }
        if (locked == null) {
            return insert(derived, id);
        }
        Resource parsed = gate.forRequest().requireChangeableDerived(locked, derived);
        RecordingOrganisation.stamp(derived, RecordingOrganisation.GATEWAY);
        Instant now = now();
        String json = prepare(derived, id, locked.version() + 1, now);
        if (!locked.deleted()) {
            Boolean same = VersionFreeJson.same(locked.json(), json);
            if (same == null) {
                same = sameContent(parsed != null ? parsed : (Resource) codec.decode(locked), derived);
            }
            if (same) {
                // As the stored version says (this is the content that was compared).
                derived.setId(new IdType(locked.type(), id, Long.toString(locked.version())));
                derived.getMeta().setVersionId(Long.toString(locked.version()));
                derived.getMeta().setLastUpdated(java.util.Date.from(locked.lastUpdated()));
                return new WriteOutcome(WriteOutcome.Kind.UNCHANGED, locked, derived);
            }
        }
        return writeVersion(locked, derived, now, json);
    }

    private WriteOutcome doUpdate(IBaseResource resource, IdType id, String ifMatchVersion) {
        String type = resource.fhirType();
        String resourceId = id.getIdPart();
        if (resource.getIdElement().hasIdPart() && !resource.getIdElement().getIdPart().equals(resourceId)) {
            throw new InvalidRequestException("Resource id '" + resource.getIdElement().getIdPart()
                    + "' does not match the id in the URL '" + resourceId + "'");
        }
        if (!FHIR_ID.matcher(resourceId).matches()) {
            throw new InvalidRequestException("'" + resourceId + "' is not a valid FHIR id");
        }
        Optional<StoredResource> current = store.readForUpdate(type, resourceId);
        if (current.isEmpty()) {
            if (ifMatchVersion != null || !DerivedRecords.isDerived(resource)) {
                // No update-as-create for clients (CapabilityStatement updateCreate=false): a record
                // another organisation holds at this id must answer exactly as a missing one.
                throw new ResourceNotFoundException(new IdType(type, resourceId));
            }
            return insert(resource, resourceId); // the person index creating a derived record at its own id
        }
        StoredResource existing = current.get();
        Resource parsed = gate.forRequest().requireChangeable(existing, resource);
        if (ifMatchVersion != null && parseVersion(ifMatchVersion) != existing.version()) {
            throw new PreconditionFailedException("If-Match version " + ifMatchVersion + " does not match the current version "
                    + existing.version() + " of " + type + "/" + resourceId);
        }
        return replace(existing, parsed, resource);
    }

    @Transactional
    public WriteOutcome conditionalUpdate(IBaseResource resource, String conditionalUrl) {
        return conditionalUpdate(resource, conditionalUrl, null);
    }

    /**
     * Locks a conditional write's criteria (an update's URL or a create's {@code If-None-Exist}) and
     * finds what they match, for a transaction that needs the id before it writes
     * ({@link BundleProcessor}) or the ingest that looks at the match first; passed back to
     * {@link #conditionalUpdate} or {@link #create(IBaseResource, String, String, ConditionalMatch)},
     * the write does not search again unless something of the type was written in between.
     */
    @Transactional
    public ConditionalMatch matchForUpdate(String type, String conditionalUrl) {
        return matchForUpdate(type, conditionalUrl, false);
    }

    /**
     * Locks several conditional writes' criteria ({@code type?criteria} or a conditional URL, as
     * {@link #criteriaLock} makes them) in one statement, in sorted order; each match then made by
     * {@link #matchForUpdate(String, String, boolean)} with {@code locked} need not lock again.
     */
    @Transactional
    public void lockCriteria(java.util.Collection<String> locks) {
        store.lockCriteria(locks);
    }

    /** The lock a conditional write on {@code conditionalUrl} (or criteria) of {@code type} takes. */
    public static String criteriaLock(String type, String conditionalUrl) {
        return lockKey(type, criteriaOf(conditionalUrl));
    }

    /** The one spelling of a criteria lock's key: locked one by one or in a batch, the same key is the same lock. */
    private static String lockKey(String type, String criteria) {
        return type + "?" + criteria;
    }

    /** {@code locked}: the caller has already taken this criteria's lock in this transaction ({@link #lockCriteria}). */
    @Transactional
    public ConditionalMatch matchForUpdate(String type, String conditionalUrl, boolean locked) {
        String criteria = criteriaOf(conditionalUrl);
        if (!locked) {
            store.lockCriteria(lockKey(type, criteria));
        }
        long epoch = ConditionalMatch.epoch(type);
        return new ConditionalMatch(type, criteria, List.copyOf(gate.forRequest().matchOwnParsed(criteriaQuery(type, criteria))), epoch);
    }

    /** {@code known}: what {@link #matchForUpdate} found for these criteria earlier in the transaction, or null. */
    @Transactional
    public WriteOutcome conditionalUpdate(IBaseResource resource, String conditionalUrl, ConditionalMatch known) {
        String type = resource.fhirType();
        String criteria = criteriaOf(conditionalUrl);
        List<StoredResource> matches;
        GatedRepository.Parsed parsedMatch = null;
        if (known != null && known.current(type, criteria)) {
            matches = known.matches(); // the criteria lock has been held since
            parsedMatch = known.parsed().size() == 1 ? known.parsed().get(0) : null;
        } else {
            store.lockCriteria(lockKey(type, criteria));
            matches = match(type, criteria);
        }
        if (matches.size() > 1) {
            throw new PreconditionFailedException("Conditional update matched " + matches.size() + " " + type
                    + " resources; the criteria must identify at most one");
        }
        if (matches.isEmpty()) {
            String id = resource.getIdElement().hasIdPart() ? resource.getIdElement().getIdPart() : UUID.randomUUID().toString();
            return insert(resource, id);
        }
        StoredResource existing = store.readForUpdate(type, matches.get(0).id()).orElseThrow();
        // The match's parse serves if the locked row is still that version (requireChangeable checks).
        Resource parsed = gate.forRequest().requireChangeable(existing, parsedMatch, resource);
        if (resource.getIdElement().hasIdPart() && !resource.getIdElement().getIdPart().equals(existing.id())) {
            throw new InvalidRequestException("Resource id does not match the resource found by the conditional URL");
        }
        return replace(existing, parsed, resource);
    }

    /**
     * PATCH: the same rules as PUT, applied to what the patch makes of the stored resource. Only the
     * recording organisation may patch (a record the caller cannot see is 404, one it sees but did
     * not record 403, a derived record 403/404); {@code If-Match} is checked before the patch is
     * applied; the result keeps its id and recorder, is validated against its profile and written
     * as the next version. A conditional patch matches only the caller's own records, as a
     * conditional update does: none is 404, more than one 412.
     *
     * @param patcher applies the patch to a copy of the stored resource
     */
    @Transactional
    public WriteOutcome patch(String type, IdType id, String conditionalUrl, java.util.function.UnaryOperator<Resource> patcher,
                              String ifMatchVersion) {
        StoredResource existing;
        if (conditionalUrl != null) {
            String criteria = criteriaOf(conditionalUrl);
            List<StoredResource> matches = match(type, criteria);
            if (matches.size() > 1) {
                throw new PreconditionFailedException("Conditional patch matched " + matches.size() + " " + type
                        + " resources; the criteria must identify one");
            }
            if (matches.isEmpty()) {
                throw new ResourceNotFoundException("No " + type + " of the caller's organisation matches " + criteria);
            }
            existing = store.readForUpdate(type, matches.get(0).id()).orElseThrow();
        } else {
            existing = store.readForUpdate(type, id.getIdPart())
                    .orElseThrow(() -> new ResourceNotFoundException(new IdType(type, id.getIdPart())));
        }
        gate.forRequest().requireChangeable(existing, null);
        if (existing.deleted()) {
            throw new ResourceGoneException("Resource " + type + "/" + existing.id() + " was deleted at version " + existing.version());
        }
        if (ifMatchVersion != null && parseVersion(ifMatchVersion) != existing.version()) {
            throw new PreconditionFailedException("If-Match version " + ifMatchVersion + " does not match the current version "
                    + existing.version() + " of " + type + "/" + existing.id());
        }
        Resource patched = patcher.apply(((Resource) codec.decode(existing)).copy());
        if (patched == null || !type.equals(patched.fhirType())) {
            throw new InvalidRequestException("A patch of " + type + "/" + existing.id() + " must leave it a " + type);
        }
        if (!existing.id().equals(patched.getIdElement().getIdPart())) {
            throw new InvalidRequestException("A patch cannot change the resource id (" + existing.id() + ")");
        }
        DerivedRecords.refuseFromClient(patched);
        return replace(existing, null, patched);
    }

    @Transactional
    public WriteOutcome delete(String type, IdType id, String ifMatchVersion) {
        Optional<StoredResource> current = store.readForUpdate(type, id.getIdPart());
        if (current.isEmpty()) {
            throw new ResourceNotFoundException(new IdType(type, id.getIdPart()));
        }
        StoredResource existing = current.get();
        gate.forRequest().requireChangeable(existing, null);
        if (existing.deleted()) {
            return new WriteOutcome(WriteOutcome.Kind.UNCHANGED, existing, null);
        }
        if (ifMatchVersion != null && parseVersion(ifMatchVersion) != existing.version()) {
            throw new PreconditionFailedException("If-Match version " + ifMatchVersion + " does not match the current version "
                    + existing.version());
        }
        return notify(new WriteOutcome(WriteOutcome.Kind.DELETED, store.delete(existing, now()), null));
    }

    /** For the person index: deletes one of its own derived records (a child record whose sources are all gone). */
    @Transactional
    public void deleteDerived(String type, String id) {
        Optional<StoredResource> current = store.readForUpdate(type, id);
        if (current.isEmpty() || current.get().deleted()) {
            return;
        }
        if (!DerivedRecords.isDerived(codec.decode(current.get()))) {
            throw new IllegalStateException(type + "/" + id + " is not a derived record");
        }
        notify(new WriteOutcome(WriteOutcome.Kind.DELETED, store.delete(current.get(), now()), null));
    }

    @Transactional
    public List<WriteOutcome> conditionalDelete(String type, String conditionalUrl) {
        String criteria = criteriaOf(conditionalUrl);
        List<StoredResource> matches = match(type, criteria);
        if (matches.size() > 1) {
            throw new PreconditionFailedException("Conditional delete matched " + matches.size() + " " + type
                    + " resources; the criteria must identify at most one");
        }
        return matches.stream().map(m -> delete(type, new IdType(type, m.id()), null)).toList();
    }

    /**
     * For a transaction: the creates that follow are written together when {@link #flushCreates}
     * is called (or earlier, before the transaction's next statement), one statement instead of
     * one per resource; each is validated, indexed and announced to the listeners as before.
     */
    public void holdCreates(int expected) {
        store.holdCreates(expected);
    }

    /** Writes the held creates; a {@link org.childrensgateway.store.DuplicateCreateException} must roll the transaction back. */
    public void flushCreates() {
        store.flushCreates();
    }

    /** Validates without storing ({@code $validate}); the outcome lists every issue. */
    public OperationOutcome validate(IBaseResource resource) {
        return validator.validate(resource);
    }

    // ---- internals ----

    private WriteOutcome insert(IBaseResource resource, String id) {
        RecordingOrganisation.stamp((Resource) resource, recorderFor(resource));
        Instant now = now();
        String json = prepare(resource, id, 1, now);
        try {
            StoredResource stored = store.write(resource.fhirType(), id, 1, now, json, indexer.index(resource), "POST");
            return notify(new WriteOutcome(WriteOutcome.Kind.CREATED, stored, resource));
        } catch (DuplicateKeyException e) {
            throw createdMeanwhile(resource.fhirType(), id);
        }
    }

    /** The answer to a create whose id another write took first. */
    static ResourceVersionConflictException createdMeanwhile(String type, String id) {
        return new ResourceVersionConflictException(type + "/" + id + " was created by another request at the same time");
    }

    /** {@code parsed}: {@code existing} as the gate's check parsed it (null: parse it here), not parsed twice. */
    private WriteOutcome replace(StoredResource existing, Resource parsed, IBaseResource resource) {
        // The organisation that first recorded the resource stays its recorder, and only it may change it.
        Resource previous = parsed != null ? parsed : (Resource) codec.decode(existing);
        RecordingOrganisation.stamp((Resource) resource, DerivedRecords.isDerived(resource) ? RecordingOrganisation.GATEWAY
                : RecordingOrganisation.of(previous).orElse(recorderFor(resource)));
        if (!existing.deleted() && sameContent(previous, resource)) {
            return new WriteOutcome(WriteOutcome.Kind.UNCHANGED, existing, previous);
        }
        Instant now = now();
        return writeVersion(existing, resource, now, prepare(resource, existing.id(), existing.version() + 1, now));
    }

    /** Stores {@code json} (prepared for {@code now}) as the version after {@code existing}. */
    private WriteOutcome writeVersion(StoredResource existing, IBaseResource resource, Instant now, String json) {
        try {
            StoredResource stored = store.write(existing.type(), existing.id(), existing.version() + 1, now, json, indexer.index(resource), "PUT");
            return notify(new WriteOutcome(WriteOutcome.Kind.UPDATED, stored, resource));
        } catch (ConcurrentVersionException e) {
            throw new ResourceVersionConflictException(e.getMessage());
        }
    }

    /** An update that changes nothing but meta does not make a new version, so re-sent extracts are no-ops. */
    private static boolean sameContent(Resource stored, IBaseResource incoming) {
        Resource candidate = ((Resource) incoming).copy();
        candidate.setId(stored.getIdElement());
        candidate.getMeta().setVersionId(stored.getMeta().getVersionId());
        candidate.getMeta().setLastUpdated(stored.getMeta().getLastUpdated());
        return stored.equalsDeep(candidate);
    }

    /** Records the person index derives belong to the gateway, not to whoever's write set them off. */
    private static String recorderFor(IBaseResource resource) {
        return DerivedRecords.isDerived(resource) ? RecordingOrganisation.GATEWAY
                : CallerContext.current().map(Caller::organisation).orElse(null);
    }

    private WriteOutcome notify(WriteOutcome outcome) {
        ConditionalMatch.written(outcome.stored().type());
        listeners.forEach(l -> l.written(outcome));
        return outcome;
    }

    /** Gives the resource its identity and version, validates it and returns the JSON to store. */
    private String prepare(IBaseResource resource, String id, long version, Instant now) {
        resource.setId(new IdType(resource.fhirType(), id, Long.toString(version)));
        Resource r = (Resource) resource;
        r.getMeta().setVersionId(Long.toString(version));
        r.getMeta().setLastUpdated(java.util.Date.from(now));
        String json = codec.encode(resource);
        validateOrThrow(resource, json); // the stored text is what is validated, encoded once
        return json;
    }

    private void validateOrThrow(IBaseResource resource, String json) {
        if (DerivedRecords.isDerived(resource)) {
            // Child and carer records are assembled by the gateway from source records that were
            // validated when they were stored, and clients cannot write them (refuseFromClient); the
            // full profile validator on each of them was a fifth of ingest CPU (docs/benchmarks.md).
            return;
        }
        OperationOutcome outcome = validator.validate(resource, json);
        boolean failed = outcome.getIssue().stream().anyMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL);
        if (failed) {
            throw new UnprocessableEntityException(codec.context(), outcome); // errors come first (ProfileResourceValidator)
        }
    }

    private static Instant now() {
        // Milliseconds: FHIR instants and ETags round-trip exactly.
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static long parseVersion(String version) {
        String v = version.replace("W/", "").replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("'" + version + "' is not a version of this server (expected a number)");
        }
    }

    /** The query part of a conditional URL such as {@code Patient?identifier=a|b} or {@code identifier=a|b}. */
    static String criteriaOf(String conditionalUrl) {
        int q = conditionalUrl.indexOf('?');
        return q >= 0 ? conditionalUrl.substring(q + 1) : conditionalUrl;
    }

    static Map<String, String[]> queryParameters(String criteria) {
        Map<String, List<String>> multi = UriComponentsBuilder.newInstance().query(criteria).build().getQueryParams();
        Map<String, String[]> params = new java.util.LinkedHashMap<>();
        multi.forEach((k, v) -> params.put(decode(k), v.stream().map(FhirResourceService::decode).toArray(String[]::new)));
        return params;
    }

    private static String decode(String s) {
        return s == null ? "" : java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
