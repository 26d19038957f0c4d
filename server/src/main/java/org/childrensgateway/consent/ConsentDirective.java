package org.childrensgateway.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;

/**
 * One recorded sharing decision for a child, as the decision point needs it.
 *
 * @param custodian the organisation that recorded the consent: its data is what the consent governs
 * @param effective when the decision was made (the withdrawal date for a withdrawal): the latest wins
 * @param kind      grant, refusal or withdrawal
 * @param scopes    consent-scope codes of the recipients it names (empty: everyone)
 * @param labels    security labels the grant explicitly covers (sensitive data)
 * @param purposes  purposes of use it allows (empty: any)
 * @param ends      the review-due or expiry date after which a grant no longer permits sharing
 * @param organisations organisations (ODS / local-authority codes) it names as recipients: when any are
 *                  named, only they are covered, whatever kinds of team it also names
 */
public record ConsentDirective(String custodian, Instant effective, Kind kind, Set<String> scopes, Set<String> labels,
                               Set<String> purposes, Instant ends, String consentId, Set<String> organisations) {

    public ConsentDirective(String custodian, Instant effective, Kind kind, Set<String> scopes, Set<String> labels,
                            Set<String> purposes, Instant ends, String consentId) {
        this(custodian, effective, kind, scopes, labels, purposes, ends, consentId, Set.of());
    }

    /** Identifier systems of an Organization actor that name it by its ODS or local-authority code. */
    public static final Set<String> ORGANISATION_SYSTEMS = Set.of("https://fhir.nhs.uk/Id/ods-organization-code",
            "https://fhir.childrens-gateway.uk/Id/organisation");

    public enum Kind { GRANT, REFUSAL, WITHDRAWAL }

    public static final String SCOPE_SYSTEM = "https://fhir.childrens-gateway.uk/CodeSystem/consent-scope";

    /** Reads a Consent; proposed, draft and entered-in-error ones decide nothing. */
    public static List<ConsentDirective> from(Consent consent) {
        List<ConsentDirective> out = new ArrayList<>();
        Consent.ConsentState status = consent.getStatus();
        if (status != Consent.ConsentState.ACTIVE && status != Consent.ConsentState.INACTIVE && status != Consent.ConsentState.REJECTED) {
            return out;
        }
        String custodian = RecordingOrganisation.of(consent).orElse(null);
        Consent.ProvisionComponent provision = consent.getProvision();
        Instant ends = provision.getPeriod().hasEnd() ? provision.getPeriod().getEndElement().getValue().toInstant() : null;
        Instant given = consent.hasDateTime() ? consent.getDateTime().toInstant()
                : provision.getPeriod().hasStart() ? provision.getPeriod().getStart().toInstant() : Instant.EPOCH;
        Kind kind;
        Instant effective = given;
        if (status == Consent.ConsentState.INACTIVE || status == Consent.ConsentState.REJECTED) {
            // A withdrawn consent: it stops permitting from its end date (the withdrawal date).
            kind = Kind.WITHDRAWAL;
            effective = ends != null ? ends : given;
        } else {
            kind = provision.getType() == Consent.ConsentProvisionType.DENY ? Kind.REFUSAL : Kind.GRANT;
        }
        Set<String> scopes = provision.getActor().stream()
                .map(a -> a.getReference().getIdentifier())
                .filter(id -> SCOPE_SYSTEM.equals(id.getSystem()) && id.hasValue())
                .map(id -> id.getValue()).collect(Collectors.toSet());
        Set<String> organisations = provision.getActor().stream()
                .map(a -> a.getReference())
                .filter(r -> r.getIdentifier().hasValue() && ORGANISATION_SYSTEMS.contains(r.getIdentifier().getSystem()))
                .map(r -> r.getIdentifier().getValue()).collect(Collectors.toSet());
        Set<String> labels = provision.getSecurityLabel().stream().map(Coding::getCode).collect(Collectors.toSet());
        Set<String> purposes = provision.getPurpose().stream().map(Coding::getCode).collect(Collectors.toSet());
        out.add(new ConsentDirective(custodian, effective, kind, scopes, labels, purposes, kind == Kind.GRANT ? ends : null,
                "Consent/" + consent.getIdElement().getIdPart(), organisations));
        return out;
    }

    /**
     * Does this decision concern the caller? A consent naming organisations covers only those (and,
     * if it also names kinds of team, only those organisations' teams of those kinds); one naming
     * kinds of team only covers every organisation with such a team; one naming no one, everyone.
     */
    boolean covers(String organisation, List<String> callerScopes) {
        if (!organisations.isEmpty() && !organisations.contains(organisation)) {
            return false;
        }
        return scopes.isEmpty() || callerScopes.stream().anyMatch(scopes::contains);
    }
}
