package org.childrensgateway.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.childrensgateway.security.Caller;

/**
 * The audit record of the request being handled, filled in while it runs and written once when its
 * response is determined. Security and consent code add their decisions here (see {@link AuditTrail}):
 * <pre>
 * AuditTrail.current().ifPresent(a -&gt; a.decided("consent", true, "Consent/42"));
 * AuditTrail.current().ifPresent(a -&gt; a.breakGlass(reason));
 * AuditTrail.current().ifPresent(a -&gt; a.caller(caller).denied("no consent for CAREMGT"));
 * </pre>
 * Holds personal data: never log it.
 */
public final class PendingAudit {

    static final int MAX_PATIENTS = 1000;
    static final int MAX_RESOURCES = 100;

    private String action;
    private String resourceType;
    private Caller caller;
    private final Set<String> patients = new LinkedHashSet<>();
    private final Set<String> resources = new LinkedHashSet<>();
    private int resourcesOmitted;
    private int patientsOmitted;
    private String query;
    private String breakGlassReason;
    private String purposeOfUse;
    private String denial;
    private int consentPermitted;
    private int consentWithheld;
    private String consentDecision;
    private final List<String> consentPolicies = new ArrayList<>();
    /** How many resources each consent rule released or withheld in this request, e.g. {@code own-data} → 3. */
    private final Map<String, Integer> consentRules = new java.util.TreeMap<>();
    private final Map<String, String> details = new LinkedHashMap<>();
    /** Derived records whose links the request followed (search expansion, $everything), by reference: source ids. */
    private final Map<String, Set<String>> followed = new LinkedHashMap<>();
    /** Derived records the gate composed for the caller, by reference: the source ids each was composed from. */
    private final Map<String, Set<String>> composed = new LinkedHashMap<>();
    /** What the response returned, by the patient each resource is about (and every reference returned). */
    private final Map<String, Set<String>> returnedByPatient = new LinkedHashMap<>();
    private final Set<String> returned = new java.util.HashSet<>();
    private boolean recorded;
    private boolean described;

    PendingAudit() {
    }

    // ---- for security and consent ----

    /** The caller, when it is known before (or after) {@code CallerContext} holds it. */
    public synchronized PendingAudit caller(Caller caller) {
        if (caller != null) {
            this.caller = caller;
        }
        return this;
    }


    /**
     * One decision of the access gate: which rule decided, whether it disclosed, and the Consent it
     * relied on (or null). Counts and rules accumulate into the record's consent summary.
     */
    public synchronized PendingAudit decided(String rule, boolean disclosed, String policy) {
        if (disclosed) {
            consentPermitted++;
        } else {
            consentWithheld++;
        }
        consentRules.merge((disclosed ? "released:" : "withheld:") + rule, 1, Integer::sum);
        consentDecision = consentPermitted == 0 ? "deny" : consentWithheld == 0 ? "permit" : "partial";
        if (policy != null && !consentPolicies.contains(policy)) {
            consentPolicies.add(policy);
        }
        return this;
    }

    /** Marks the request as break-glass with the declared reason (only for a role that may break the glass). */
    public synchronized PendingAudit breakGlass(String reason) {
        if (reason != null && !reason.isBlank()) {
            breakGlassReason = reason;
        }
        return this;
    }

    /** Records why access was refused; the outcome becomes a failure even if the response is a filtered 200. */
    public synchronized PendingAudit denied(String reason) {
        denial = reason == null || reason.isBlank() ? "denied" : reason;
        return this;
    }

    public synchronized PendingAudit purposeOfUse(String code) {
        purposeOfUse = code;
        return this;
    }

    public synchronized PendingAudit patient(String reference) {
        if (reference == null || reference.isBlank()) {
            return this;
        }
        if (patients.size() < MAX_PATIENTS || patients.contains(reference)) {
            patients.add(reference);
        } else {
            patientsOmitted++;
        }
        return this;
    }

    public synchronized PendingAudit resource(String reference) {
        if (reference == null || reference.isBlank()) {
            return this;
        }
        if (resources.size() < MAX_RESOURCES || resources.contains(reference)) {
            resources.add(reference);
        } else {
            resourcesOmitted++;
        }
        return this;
    }

    public synchronized PendingAudit detail(String key, String value) {
        if (key != null && value != null) {
            details.put(key, value);
        }
        return this;
    }

    /**
     * The request followed a derived record's links: its search or operation also covered these
     * source records (ids) because they are linked to {@code derived} (e.g. {@code Patient/<child>}).
     */
    public synchronized PendingAudit followed(String derived, java.util.Collection<String> sourceIds) {
        if (derived != null && sourceIds != null) {
            followed.computeIfAbsent(derived, k -> new java.util.TreeSet<>()).addAll(sourceIds);
        }
        return this;
    }

    /** The gate composed {@code derived} for the caller from these source records (ids). Recorded only if it is returned. */
    public synchronized PendingAudit composed(String derived, java.util.Collection<String> sourceIds) {
        if (derived != null && sourceIds != null) {
            composed.computeIfAbsent(derived, k -> new java.util.TreeSet<>()).addAll(sourceIds);
        }
        return this;
    }

    /** The response returned (or, for a summary such as {@code $services}, drew on) {@code resource}, about {@code patient}. */
    public synchronized PendingAudit returned(String patient, String resource) {
        if (resource == null) {
            return this;
        }
        returned.add(resource);
        if (patient != null) {
            returnedByPatient.computeIfAbsent(patient, k -> new LinkedHashSet<>()).add(resource);
        }
        return this;
    }

    // ---- for the audit package ----

    /** True the first time only: the request's description is filled in once. */
    synchronized boolean describeOnce() {
        boolean first = !described;
        described = true;
        return first;
    }

    synchronized PendingAudit action(String action, String resourceType) {
        this.action = action;
        if (resourceType != null) {
            this.resourceType = resourceType;
        }
        return this;
    }

    synchronized PendingAudit query(String query) {
        this.query = query;
        return this;
    }

    synchronized boolean hasAction() {
        return action != null;
    }

    synchronized boolean recorded() {
        return recorded;
    }

    synchronized void markRecorded() {
        recorded = true;
    }

    synchronized Caller caller() {
        return caller;
    }

    synchronized String denial() {
        return denial;
    }

    /** How many derived records' links one audit record names; a broad search's others are counted, not named. */
    static final int MAX_LINKS = 20;
    /** How many returned resources of one linked source record are named. */
    static final int MAX_RELEASED_PER_SOURCE = 500;
    /** Detail values are stored up to 500 characters: longer lists are split over numbered keys. */
    private static final int DETAIL_CHARS = 480;

    /**
     * What a wrong link would have disclosed, so that an unlink's disclosure report can be made from
     * the audit trail: {@code linked-sources:<derived>} the links the request relied on (followed, or
     * composed into a derived record it returned), {@code composed-sources:<derived>} the sources a
     * returned derived record was composed from, and {@code released:Patient/<source>} (split as
     * {@code #2}, {@code #3} ...) what it returned about each of those source records.
     */
    private void linkDetails(Map<String, String> out) {
        Map<String, Set<String>> linked = new java.util.TreeMap<>();
        followed.forEach((d, ids) -> linked.computeIfAbsent(d, k -> new java.util.TreeSet<>()).addAll(ids));
        composed.forEach((d, ids) -> {
            if (returned.contains(d)) {
                linked.computeIfAbsent(d, k -> new java.util.TreeSet<>()).addAll(ids);
            }
        });
        int named = 0;
        Set<String> sources = new java.util.TreeSet<>();
        for (Map.Entry<String, Set<String>> e : linked.entrySet()) {
            if (named++ >= MAX_LINKS) {
                out.put("linked-sources-omitted", Integer.toString(linked.size() - MAX_LINKS));
                break;
            }
            out.put("linked-sources:" + e.getKey(), String.join(",", e.getValue()));
            if (composed.containsKey(e.getKey()) && returned.contains(e.getKey())) {
                out.put("composed-sources:" + e.getKey(), String.join(",", composed.get(e.getKey())));
            }
            sources.addAll(e.getValue());
        }
        for (String id : sources) {
            String patient = "Patient/" + id;
            Set<String> refs = returnedByPatient.getOrDefault(patient, Set.of());
            List<String> named2 = refs.stream().limit(MAX_RELEASED_PER_SOURCE).toList();
            if (refs.size() > MAX_RELEASED_PER_SOURCE) {
                out.put("released-omitted:" + patient, Integer.toString(refs.size() - MAX_RELEASED_PER_SOURCE));
            }
            StringBuilder chunk = new StringBuilder();
            int part = 1;
            for (String ref : named2) {
                if (chunk.length() > 0 && chunk.length() + ref.length() + 1 > DETAIL_CHARS) {
                    out.put("released:" + patient + (part == 1 ? "" : "#" + part), chunk.toString());
                    part++;
                    chunk.setLength(0);
                }
                chunk.append(chunk.length() == 0 ? "" : ",").append(ref);
            }
            if (chunk.length() > 0) {
                out.put("released:" + patient + (part == 1 ? "" : "#" + part), chunk.toString());
            }
        }
    }

    /** The record for a response with HTTP {@code status}; {@code failure} describes an error, if any. */
    synchronized AuditRecord toRecord(int status, String failure, String sourceNode, String clientAddress) {
        AuditRecord.Outcome outcome = AuditRecord.Outcome.ofHttpStatus(status);
        String description = failure;
        if (denial != null) {
            if (outcome == AuditRecord.Outcome.SUCCESS) {
                outcome = AuditRecord.Outcome.MINOR_FAILURE;
            }
            description = "Denied: " + denial + (failure == null ? "" : " (" + failure + ")");
        }
        // Only what the access gate marked: an ineligible role's header is a refused attempt, not a use.
        String breakGlass = breakGlassReason;
        AuditRecord.ConsentSummary consent = consentDecision == null ? null
                : new AuditRecord.ConsentSummary(consentDecision, consentPermitted, consentWithheld, consentPolicies);
        Map<String, String> allDetails = new LinkedHashMap<>(details);
        allDetails.put("http-status", Integer.toString(status));
        if (!consentRules.isEmpty()) {
            StringBuilder rules = new StringBuilder();
            consentRules.forEach((rule, n) -> rules.append(rules.length() == 0 ? "" : ",").append(rule).append('=').append(n));
            allDetails.put("consent-rules", rules.toString());
        }
        if (patientsOmitted > 0) {
            allDetails.put("patients-omitted", Integer.toString(patientsOmitted));
        }
        linkDetails(allDetails);
        return new AuditRecord(action, resourceType, caller, patients, new ArrayList<>(resources), resourcesOmitted, query,
                outcome, description, breakGlass, consent,
                purposeOfUse != null ? purposeOfUse : caller != null ? caller.purposeOfUse() : null,
                sourceNode, clientAddress, allDetails);
    }
}
