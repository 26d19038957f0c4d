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
        return new AuditRecord(action, resourceType, caller, patients, new ArrayList<>(resources), resourcesOmitted, query,
                outcome, description, breakGlass, consent,
                purposeOfUse != null ? purposeOfUse : caller != null ? caller.purposeOfUse() : null,
                sourceNode, clientAddress, allDetails);
    }
}
