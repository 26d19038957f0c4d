package org.childrensgateway.identity;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The data-quality desk for the person index, under {@code /identity}: the review queue (possible
 * matches with both records' evidence side by side, accept or reject), manual link and unlink, and a
 * child record's link history. Plain JSON rather than FHIR operations: these are work items about the
 * index, not FHIR resources.
 *
 * <p>Every endpoint here is for the data-quality role only: the route table (access.RouteTable)
 * refuses everyone else before a controller runs, and {@link #requireDataQualityRole} checks again.
 */
@RestController
@RequestMapping("/identity")
public class IdentityController {

    public static final String ROLE = "data-quality";
    private static final java.util.Set<String> ALLOWED_ROLES = java.util.Set.of(ROLE);

    /** Linking and unlinking decide whose data is shown as one child's: only the data-quality desk may. */
    @org.springframework.web.bind.annotation.ModelAttribute
    void requireDataQualityRole() {
        org.childrensgateway.security.Caller caller = org.childrensgateway.security.CallerContext.current().orElse(null);
        if (caller == null || !ALLOWED_ROLES.contains(caller.role())) {
            throw new ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException("The person index is for the data-quality role");
        }
    }

    /** Request body of link and unlink: references or ids of a source Patient and a child record. */
    public record LinkRequest(String source, String child) {
    }

    private final IdentityService identity;
    private final PersonIndexStore index;

    IdentityController(IdentityService identity, PersonIndexStore index) {
        this.identity = identity;
        this.index = index;
    }

    /**
     * The review queue, oldest first, a page at a time: at most {@code limit} (up to 1,000) tasks with
     * ids after {@code afterId}; the next page starts after the last id seen, so a queue of any length
     * can be read in full.
     */
    @GetMapping("/reviews")
    public List<PersonIndexStore.Review> reviews(@RequestParam(defaultValue = "open") String status,
                                                 @RequestParam(defaultValue = "0") long afterId,
                                                 @RequestParam(defaultValue = "100") int limit) {
        return index.reviews(status, afterId, Math.min(Math.max(limit, 1), 1000));
    }

    /** One review with the source record's and the candidate child's records side by side. */
    @GetMapping("/reviews/{id}")
    public Map<String, Object> review(@PathVariable long id) {
        PersonIndexStore.Review r = index.review(id)
                .orElseThrow(() -> new ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException("Review task " + id + " not found"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("review", r);
        out.put("source", index.features(r.pool(), r.sourceId()).orElse(null));
        List<PersonFeatures> candidate = new ArrayList<>(index.features(r.pool(), index.members(r.pool(), r.candidateChildId())));
        out.put("candidateChild", r.candidateChildId());
        out.put("candidateRecords", candidate);
        return out;
    }

    @PostMapping("/reviews/{id}/accept")
    public Map<String, Object> accept(@PathVariable long id, HttpServletRequest request) {
        identity.acceptReview(id, user(request));
        return Map.of("review", id, "status", "accepted");
    }

    @PostMapping("/reviews/{id}/reject")
    public Map<String, Object> reject(@PathVariable long id, HttpServletRequest request) {
        identity.rejectReview(id, user(request));
        return Map.of("review", id, "status", "rejected");
    }

    @PostMapping("/link")
    public Map<String, Object> link(@RequestBody LinkRequest body, HttpServletRequest request) {
        String source = patientId(body.source(), "source");
        String child = patientId(body.child(), "child");
        concerns(source, child);
        identity.link(source, child, user(request));
        return child(child);
    }

    @PostMapping("/unlink")
    public Map<String, Object> unlink(@RequestBody LinkRequest body, HttpServletRequest request) {
        String source = patientId(body.source(), "source");
        String child = patientId(body.child(), "child");
        concerns(source, child);
        identity.unlink(source, child, user(request));
        Map<String, Object> out = child(child);
        out.put("sourceNowIn", identity.childOf(source).orElse(null));
        // The link just ended: what it disclosed is reported (to the auditor role) under its id.
        index.historyOfSource(ChildRecordWriter.POOL, source).stream()
                .filter(l -> child.equals(l.childId()) && "linked".equals(l.status()) && "unlinked".equals(l.endReason()))
                .findFirst().ifPresent(l -> {
                    out.put("unlink", l.id());
                    out.put("disclosureReport", "/identity/unlinks/" + l.id() + "/disclosures");
                });
        return out;
    }

    /**
     * Batch re-match: every link the matcher made is made again in a canonical order, so the child
     * records no longer depend on the order the records arrived in (people's decisions stay). Answers
     * how many child records changed; each is named in the request's audit record.
     */
    @PostMapping("/rematch")
    public Map<String, Object> rematch() {
        java.util.Set<String> changed = identity.rematch();
        concerns(changed.toArray(String[]::new));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("changedChildRecords", changed.size());
        return out;
    }

    /** A child record's current source records, full link history and review tasks. */
    @GetMapping("/children/{childId}")
    public Map<String, Object> child(@PathVariable String childId) {
        concerns(childId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("child", childId);
        out.put("sources", identity.sourceRecordsOf(childId));
        out.put("links", identity.history(childId));
        out.put("reviews", index.reviewsFor(ChildRecordWriter.POOL, childId));
        return out;
    }

    /** The request's audit record names the children it touches, so it is in their access reports. */
    private static void concerns(String... patientIds) {
        org.childrensgateway.audit.AuditTrail.current().ifPresent(a -> {
            for (String id : patientIds) {
                a.patient("Patient/" + id);
            }
        });
    }

    private static String patientId(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("'" + name + "' is required (a Patient id or Patient/<id>)");
        }
        return value.startsWith("Patient/") ? value.substring("Patient/".length()) : value;
    }

    /** Who is acting, for the link history; the authenticated user once security is in place. */
    static String user(HttpServletRequest request) {
        return org.childrensgateway.security.CallerContext.current()
                .map(c -> c.clientId() + (c.userId() == null ? "" : "/" + c.userId())).orElse("anonymous");
    }
}
