package org.childrensgateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.childrensgateway.fhir.patch.Patches;
import org.childrensgateway.fhir.validation.ResourceValidator;
import org.childrensgateway.store.DuplicateCreateException;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Processes {@code batch} and {@code transaction} Bundles. A transaction runs in one database
 * transaction (any failure rolls back every entry), in FHIR's order (DELETE, POST, PUT, GET), with
 * {@code urn:uuid:} and conditional references resolved before anything is written.
 */
@Service
public class BundleProcessor {

    /** User-data key on response entries: the {@link WriteOutcome.Kind} of the write (created, updated, unchanged). */
    public static final String WRITE_KIND = "gateway.write-kind";
    /** The {@link ConditionalMatch} a conditional update's or create's entry id was assigned from. */
    private static final String CONDITIONAL_MATCH = "gateway.conditional-match";

    private final FhirResourceService service;
    private final TransactionTemplate transactions;
    private final FhirContext context;
    private final ResourceValidator validator;

    public BundleProcessor(FhirResourceService service, TransactionTemplate transactions, FhirContext context,
                           ResourceValidator validator) {
        this.service = service;
        this.transactions = transactions;
        this.context = context;
        this.validator = validator;
    }

    public Bundle process(Bundle bundle) {
        return process(bundle, null);
    }

    /**
     * @param serverBase the FHIR base URL the response's {@code fullUrl}s are absolute against
     *                   (R4: a fullUrl is absolute); null for the gateway's own use (ingest)
     */
    public Bundle process(Bundle bundle, String serverBase) {
        Bundle response = processWithoutBase(bundle);
        if (serverBase != null) {
            String base = serverBase.endsWith("/") ? serverBase : serverBase + "/";
            for (Bundle.BundleEntryComponent entry : response.getEntry()) {
                if (entry.hasFullUrl() && !entry.getFullUrl().contains("://")) {
                    entry.setFullUrl(base + entry.getFullUrl());
                }
                if (entry.getResource() instanceof Bundle searchset) {
                    for (Bundle.BundleEntryComponent match : searchset.getEntry()) {
                        if (match.hasFullUrl() && !match.getFullUrl().contains("://")) {
                            match.setFullUrl(base + match.getFullUrl());
                        }
                    }
                }
            }
        }
        return response;
    }

    private Bundle processWithoutBase(Bundle bundle) {
        if (bundle.hasEntry()) {
            // Just after a start: wait (bounded) for the compiled profile checks before the
            // transaction takes a connection, instead of validating every entry with HAPI in it.
            validator.awaitWriteChecks();
        }
        if (bundle.getType() == Bundle.BundleType.TRANSACTION) {
            return transactions.execute(status -> transaction(bundle));
        }
        if (bundle.getType() == Bundle.BundleType.BATCH) {
            return batch(bundle);
        }
        throw new InvalidRequestException("Bundle.type must be 'transaction' or 'batch' to be processed, not '"
                + (bundle.hasType() ? bundle.getType().toCode() : "missing") + "'");
    }

    private Bundle batch(Bundle bundle) {
        Bundle response = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            try {
                response.addEntry(transactions.execute(status -> execute(entry, Map.of())));
            } catch (BaseServerResponseException e) {
                response.addEntry(failure(e));
            }
        }
        return response;
    }

    private Bundle transaction(Bundle bundle) {
        List<Bundle.BundleEntryComponent> entries = bundle.getEntry();
        entries.forEach(BundleProcessor::requireRequest);
        refuseRepeatedCriteria(entries);
        Map<String, IdType> placeholders = assignIds(entries);
        // Nothing is written while references are rewritten, so a conditional reference (every event
        // of a feed record names its Patient by identifier) is searched once per transaction, not per entry.
        Map<String, Optional<String>> resolved = new HashMap<>();
        for (Bundle.BundleEntryComponent entry : entries) {
            if (entry.hasResource()) {
                rewriteReferences(entry.getResource(), placeholders, resolved);
            }
        }
        // FHIR's processing order; the response keeps the request's order.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> rank(entries.get(i).getRequest().getMethod())));
        Bundle.BundleEntryComponent[] results = new Bundle.BundleEntryComponent[entries.size()];
        // The entries' new resources are written together, in one statement (or before any later
        // statement in the transaction, which may read them), still before the commit.
        service.holdCreates(entries.size());
        for (int i : order) {
            try {
                results[i] = execute(entries.get(i), placeholders);
            } catch (BaseServerResponseException e) {
                // Tell the client which entry failed; the whole transaction rolls back.
                throw located(e, i, entries.get(i).getRequest());
            } catch (DuplicateCreateException e) {
                throw createdMeanwhile(e, order, results, entries);
            }
        }
        refuseRepeatedIdentities(results, entries);
        try {
            service.flushCreates();
        } catch (DuplicateCreateException e) {
            throw createdMeanwhile(e, order, results, entries);
        }
        Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        for (Bundle.BundleEntryComponent r : results) {
            response.addEntry(r);
        }
        return response;
    }

    /**
     * FHIR R4 (http.html#trules): a resource appears in a transaction once, and a transaction whose
     * entries' identities overlap, conditional ones as resolved, fails. Two entries with the same
     * conditional criteria would either both resolve to one resource, or, matching nothing, create
     * two that each claim to be the only one (two children from one NHS number), so they are refused
     * before anything is searched.
     */
    private static void refuseRepeatedCriteria(List<Bundle.BundleEntryComponent> entries) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Bundle.BundleEntryRequestComponent request = entries.get(i).getRequest();
            String criteria = switch (request.getMethod()) {
                case POST -> request.hasIfNoneExist() ? request.getUrl().split("[/?]")[0] + "?" + FhirResourceService.criteriaOf(request.getIfNoneExist()) : null;
                case PUT, PATCH, DELETE -> request.getUrl().contains("?") ? request.getUrl() : null;
                default -> null;
            };
            if (criteria == null) {
                continue;
            }
            Integer first = seen.putIfAbsent(criteria, i);
            if (first != null) {
                throw repeated(first, i, entries, "have the same conditional criteria '" + criteria + "'");
            }
        }
    }

    /** The same rule for the identities the entries resolved to: each written or deleted resource once. */
    private static void refuseRepeatedIdentities(Bundle.BundleEntryComponent[] results, List<Bundle.BundleEntryComponent> entries) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < results.length; i++) {
            Bundle.BundleEntryRequestComponent request = entries.get(i).getRequest();
            String identity = results[i].getUserData(WRITE_KIND) != null ? results[i].getFullUrl()
                    : request.getMethod() == Bundle.HTTPVerb.DELETE && !request.getUrl().contains("?")
                    ? new IdType(request.getUrl()).toUnqualifiedVersionless().getValue() : null;
            if (identity == null) {
                continue;
            }
            Integer first = seen.putIfAbsent(identity, i);
            if (first != null) {
                throw repeated(first, i, entries, "both name " + identity);
            }
        }
    }

    private static InvalidRequestException repeated(int first, int second, List<Bundle.BundleEntryComponent> entries, String why) {
        InvalidRequestException e = new InvalidRequestException("Transaction entries " + first + " (" + describe(entries.get(first))
                + ") and " + second + " (" + describe(entries.get(second)) + ") " + why
                + ": a resource can appear in a transaction only once, so nothing in the transaction was written");
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.BUSINESSRULE)
                .setDiagnostics(e.getMessage()).addExpression("Bundle.entry[" + second + "]");
        e.setOperationOutcome(outcome);
        return e;
    }

    private static String describe(Bundle.BundleEntryComponent entry) {
        return entry.getRequest().getMethod().toCode() + " " + entry.getRequest().getUrl();
    }

    /**
     * A held create whose id was taken first (by another request, or by an earlier entry given the
     * same id), located at the entry that created it: the last such in processing order, as a direct
     * insert would have failed at the second of two.
     */
    private BaseServerResponseException createdMeanwhile(DuplicateCreateException e, List<Integer> order,
                                                         Bundle.BundleEntryComponent[] results, List<Bundle.BundleEntryComponent> entries) {
        BaseServerResponseException conflict = FhirResourceService.createdMeanwhile(e.type(), e.id());
        String created = e.type() + "/" + e.id();
        Integer at = null;
        for (int i : order) {
            if (results[i] != null && results[i].getUserData(WRITE_KIND) == WriteOutcome.Kind.CREATED && created.equals(results[i].getFullUrl())) {
                at = i;
            }
        }
        return at == null ? conflict : located(conflict, at, entries.get(at).getRequest());
    }

    /** The same failure, with a first issue saying which entry failed and that nothing was written. */
    private BaseServerResponseException located(BaseServerResponseException e, int index, Bundle.BundleEntryRequestComponent request) {
        String where = "Transaction entry " + index + " (" + request.getMethod().toCode() + " " + request.getUrl()
                + ") failed, so nothing in the transaction was written: " + e.getMessage();
        BaseServerResponseException located = BaseServerResponseException.newInstance(e.getStatusCode(), where);
        OperationOutcome outcome = e.getOperationOutcome() instanceof OperationOutcome oo ? oo.copy() : new OperationOutcome();
        outcome.getIssue().add(0, new OperationOutcome.OperationOutcomeIssueComponent()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics(where));
        located.setOperationOutcome(outcome);
        return located;
    }

    private static void requireRequest(Bundle.BundleEntryComponent entry) {
        if (!entry.hasRequest() || !entry.getRequest().hasMethod() || !entry.getRequest().hasUrl()) {
            throw new InvalidRequestException("Every transaction entry needs request.method and request.url");
        }
    }

    private static int rank(Bundle.HTTPVerb verb) {
        return switch (verb) {
            case DELETE -> 0;
            case POST -> 1;
            case PUT, PATCH -> 2;
            default -> 3;
        };
    }

    /**
     * Decides the id each {@code urn:uuid:} entry will have: an existing resource's for conditional
     * creates and updates that match, otherwise a new one, so references can be rewritten first.
     */
    private Map<String, IdType> assignIds(List<Bundle.BundleEntryComponent> entries) {
        Map<String, IdType> ids = new HashMap<>();
        // Every conditional entry's criteria locked at once (one statement, sorted), before any is searched.
        java.util.Set<String> locks = new java.util.TreeSet<>();
        for (Bundle.BundleEntryComponent entry : entries) {
            String conditional = conditionalOf(entry);
            if (conditional != null && !(entry.getUserData(CONDITIONAL_MATCH) instanceof ConditionalMatch)) {
                locks.add(FhirResourceService.criteriaLock(entry.getResource().fhirType(), conditional));
            }
        }
        service.lockCriteria(locks);
        for (Bundle.BundleEntryComponent entry : entries) {
            if (!entry.hasResource() || !entry.hasFullUrl() || !entry.getFullUrl().startsWith("urn:")) {
                continue;
            }
            String type = entry.getResource().fhirType();
            Bundle.BundleEntryRequestComponent request = entry.getRequest();
            String id = null;
            String conditional = conditionalOf(entry);
            if (conditional != null) {
                // Found under the criteria's lock and kept for the write itself (the update or the
                // create), which then need not search and parse the match again.
                ConditionalMatch match = matchOf(entry, type, conditional, locks);
                if (match.matches().size() > 1) {
                    throw new PreconditionFailedException("Conditional criteria '" + conditional + "' matched "
                            + match.matches().size() + " resources");
                }
                entry.setUserData(CONDITIONAL_MATCH, match);
                id = match.matches().isEmpty() ? null : match.matches().get(0).id();
            } else if (request.getMethod() == Bundle.HTTPVerb.PUT) {
                id = new IdType(request.getUrl()).getIdPart();
            }
            if (id == null) {
                id = UUID.randomUUID().toString();
            }
            ids.put(entry.getFullUrl(), new IdType(type, id));
            entry.getResource().setId(new IdType(type, id));
        }
        return ids;
    }

    /**
     * What an entry's conditional criteria match: the match the ingest already made for this entry
     * ({@link #carryMatch}) while it still stands (nothing of the type written since, the lock held
     * since), else a new one under the criteria's lock.
     */
    private ConditionalMatch matchOf(Bundle.BundleEntryComponent entry, String type, String conditional, java.util.Set<String> locked) {
        if (entry.getUserData(CONDITIONAL_MATCH) instanceof ConditionalMatch known
                && known.current(type, FhirResourceService.criteriaOf(conditional))) {
            return known;
        }
        return service.matchForUpdate(type, conditional, locked.contains(FhirResourceService.criteriaLock(type, conditional)));
    }

    /**
     * The conditional criteria (or URL) of an entry whose id {@link #assignIds} decides from a match:
     * a {@code urn:} entry's create with {@code If-None-Exist} or conditional update; else null.
     */
    private static String conditionalOf(Bundle.BundleEntryComponent entry) {
        if (!entry.hasResource() || !entry.hasFullUrl() || !entry.getFullUrl().startsWith("urn:")) {
            return null;
        }
        Bundle.BundleEntryRequestComponent request = entry.getRequest();
        return request.getMethod() == Bundle.HTTPVerb.POST && request.hasIfNoneExist() ? request.getIfNoneExist()
                : request.getMethod() == Bundle.HTTPVerb.PUT && request.getUrl().contains("?") ? request.getUrl() : null;
    }

    /**
     * For the ingest, which looks at a conditional entry's match before the transaction is
     * processed (a partial update's base, whether an identity-only Patient is known): the match
     * ({@link FhirResourceService#matchForUpdate}) is carried to the entry's id assignment and its
     * write, which reuse it while it stands instead of searching again.
     */
    public static void carryMatch(Bundle.BundleEntryComponent entry, ConditionalMatch match) {
        entry.setUserData(CONDITIONAL_MATCH, match);
    }

    private String single(String type, String criteria) {
        List<StoredResource> matches = service.match(type, FhirResourceService.criteriaOf(criteria));
        if (matches.size() > 1) {
            throw new PreconditionFailedException("Conditional criteria '" + criteria + "' matched " + matches.size() + " resources");
        }
        return matches.isEmpty() ? null : matches.get(0).id();
    }

    private void rewriteReferences(Resource resource, Map<String, IdType> placeholders, Map<String, Optional<String>> resolved) {
        for (Reference ref : context.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            String value = ref.getReference();
            if (value == null) {
                continue;
            }
            if (placeholders.containsKey(value)) {
                ref.setReference(placeholders.get(value).getValue());
            } else if (value.startsWith("urn:uuid:") || value.startsWith("urn:oid:")) {
                throw new InvalidRequestException("Reference '" + value + "' matches no fullUrl in this transaction");
            } else if (value.contains("?")) {
                String type = value.substring(0, value.indexOf('?'));
                String id = resolved.computeIfAbsent(value, v -> Optional.ofNullable(single(type, v))).orElse(null);
                if (id == null) {
                    throw new InvalidRequestException("Conditional reference '" + value + "' matches no resource");
                }
                ref.setReference(type + "/" + id);
            }
        }
    }

    private Bundle.BundleEntryComponent execute(Bundle.BundleEntryComponent entry, Map<String, IdType> placeholders) {
        Bundle.BundleEntryRequestComponent request = entry.getRequest();
        String url = request.getUrl();
        IBaseResource resource = entry.getResource();
        if (resource != null) {
            DerivedRecords.refuseFromClient(resource);
        }
        return switch (request.getMethod()) {
            case POST -> {
                IdType assigned = entry.hasFullUrl() ? placeholders.get(entry.getFullUrl()) : null;
                yield written(service.create(requireResource(resource, url), request.getIfNoneExist(),
                        assigned == null ? null : assigned.getIdPart(), (ConditionalMatch) entry.getUserData(CONDITIONAL_MATCH)));
            }
            case PUT -> {
                requireResource(resource, url);
                String ifMatch = request.hasIfMatch() ? request.getIfMatch().replace("W/", "").replace("\"", "") : null;
                yield url.contains("?")
                        ? written(service.conditionalUpdate(resource, url, (ConditionalMatch) entry.getUserData(CONDITIONAL_MATCH)))
                        : written(service.update(resource, new IdType(url), ifMatch));
            }
            case DELETE -> {
                if (url.contains("?")) {
                    service.conditionalDelete(url.substring(0, url.indexOf('?')), url);
                } else {
                    IdType id = new IdType(url);
                    service.delete(id.getResourceType(), id, null);
                }
                yield status("204 No Content");
            }
            case PATCH -> {
                // FHIRPath Patch as a Parameters resource, or JSON Patch as a Binary (as FHIR R4 says for Bundles).
                UnaryOperator<Resource> patcher = patcher(requireResource(resource, url), url);
                String ifMatch = request.hasIfMatch() ? request.getIfMatch().replace("W/", "").replace("\"", "") : null;
                String type = url.split("[/?]")[0];
                yield written(url.contains("?")
                        ? service.patch(type, null, url, patcher, ifMatch)
                        : service.patch(type, new IdType(url), null, patcher, ifMatch));
            }
            case GET -> read(url);
            default -> throw new InvalidRequestException("Method " + request.getMethod().toCode() + " is not supported in a Bundle");
        };
    }

    private UnaryOperator<Resource> patcher(IBaseResource resource, String url) {
        if (resource instanceof org.hl7.fhir.r4.model.Parameters parameters) {
            return Patches.fhirPath(context, parameters);
        }
        if (resource instanceof org.hl7.fhir.r4.model.Binary binary && binary.getContentType() != null
                && binary.getContentType().startsWith(Patches.JSON_PATCH) && binary.hasData()) {
            ca.uhn.fhir.parser.IParser strict = context.newJsonParser().setParserErrorHandler(new DataLossRefusingErrorHandler());
            return Patches.json(context, strict,
                    new String(binary.getData(), java.nio.charset.StandardCharsets.UTF_8));
        }
        throw new InvalidRequestException("PATCH of " + url + " needs a Parameters resource (FHIRPath Patch) or a Binary of "
                + Patches.JSON_PATCH);
    }

    private Bundle.BundleEntryComponent read(String url) {
        if (url.contains("?")) {
            String type = url.substring(0, url.indexOf('?'));
            SearchResults results = service.searchPages(type, FhirResourceService.queryParameters(url.substring(url.indexOf('?') + 1)), false);
            Integer total = results.size(); // null: _total=none asked for no count
            Bundle searchset = new Bundle().setType(Bundle.BundleType.SEARCHSET);
            if (total != null) {
                searchset.setTotal(total);
            }
            // A searchset's entries need a fullUrl (made absolute with the others in process) and their search mode.
            results.getResources(0, total == null ? 100 : Math.min(total, 100)).forEach(r -> searchset.addEntry()
                    .setFullUrl(r.getIdElement().toUnqualifiedVersionless().getValue()).setResource((Resource) r)
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH));
            Bundle.BundleEntryComponent entry = status("200 OK");
            entry.setResource(searchset);
            return entry;
        }
        IdType id = new IdType(url);
        Resource resource = (Resource) service.read(id.getResourceType(), id);
        Bundle.BundleEntryComponent entry = status("200 OK");
        entry.setResource(resource);
        entry.getResponse().setEtag("W/\"" + resource.getMeta().getVersionId() + "\"").setLastModified(resource.getMeta().getLastUpdated());
        return entry;
    }

    private static IBaseResource requireResource(IBaseResource resource, String url) {
        if (resource == null) {
            throw new InvalidRequestException("Entry for " + url + " has no resource");
        }
        return resource;
    }

    private static Bundle.BundleEntryComponent written(WriteOutcome outcome) {
        Resource resource = (Resource) outcome.resource();
        String status = switch (outcome.kind()) {
            case CREATED -> "201 Created";
            default -> "200 OK";
        };
        Bundle.BundleEntryComponent entry = status(status);
        entry.setUserData(WRITE_KIND, outcome.kind());
        entry.setFullUrl(resource.getIdElement().toUnqualifiedVersionless().getValue());
        // The response can carry the resource as the JSON it was stored as (StoredJsonResponse), not encoded again.
        entry.setResource((Resource) StoredJsonResponse.offer(resource, outcome.stored().json()));
        entry.getResponse()
                .setLocation(resource.getIdElement().toUnqualified().getValue())
                .setEtag("W/\"" + outcome.stored().version() + "\"")
                .setLastModified(java.util.Date.from(outcome.stored().lastUpdated()));
        return entry;
    }

    private static Bundle.BundleEntryComponent status(String status) {
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent();
        entry.getResponse().setStatus(status);
        return entry;
    }

    private static Bundle.BundleEntryComponent failure(BaseServerResponseException e) {
        Bundle.BundleEntryComponent entry = status(e.getStatusCode() + " " + e.getClass().getSimpleName().replace("Exception", ""));
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics(e.getMessage());
        entry.getResponse().setOutcome(oo);
        return entry;
    }
}
