package org.childrensgateway.mappers.build;

import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/** Builders for the pieces several layouts share (names, addresses, consents). */
public final class Resources {

    public static final String CONSENT_ACTOR_ROLE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

    private Resources() {
    }

    public static HumanName officialName(List<String> given, String family) {
        HumanName n = new HumanName().setUse(HumanName.NameUse.OFFICIAL).setFamily(family);
        given.forEach(n::addGiven);
        return n;
    }

    public static HumanName findName(List<HumanName> names, HumanName.NameUse use) {
        return names.stream().filter(n -> n.getUse() == use).findFirst()
                .orElse(use == HumanName.NameUse.OFFICIAL && !names.isEmpty() ? names.get(0) : null);
    }

    public static List<String> given(HumanName n) {
        return n == null ? List.of() : n.getGiven().stream().map(StringType::getValue).toList();
    }

    public static Address address(List<String> lines, String city, String postcode) {
        if (lines.isEmpty() && city == null && postcode == null) {
            return null;
        }
        Address a = new Address().setUse(Address.AddressUse.HOME);
        lines.forEach(a::addLine);
        a.setCity(city);
        a.setPostalCode(postcode);
        return a;
    }

    public static List<String> lines(Address a) {
        List<String> out = new ArrayList<>();
        if (a != null) {
            a.getLine().forEach(l -> out.add(l.getValue()));
        }
        return out;
    }

    public static String identifierValue(List<Identifier> ids, String kind) {
        return ids.stream().filter(i -> i.getSystem() != null && i.getSystem().endsWith("/" + kind))
                .map(Identifier::getValue).findFirst()
                .orElse(ids.isEmpty() ? null : ids.get(0).getValue());
    }

    /**
     * A sharing consent. granted: active + permit; refused: active + deny; withdrawn: inactive,
     * period ending on the withdrawal date. Scope codes are information recipients (IRCP actors,
     * identified in the consent-scope code system); an empty scope means "all partners".
     */
    public static Consent consent(String decision, DateTimeType decided, DateType periodEnd, DateType withdrawn,
                                  List<Coding> scopes, Reference patient, Reference grantor, Reference organisation) {
        Consent c = new Consent();
        c.setScope(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent")));
        c.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", "Patient Consent")));
        c.setPatient(patient);
        if (decided != null) {
            c.setDateTimeElement(decided);
        }
        if (grantor != null) {
            c.addPerformer(grantor);
        }
        if (organisation != null) {
            c.addOrganization(organisation);
        }
        boolean refused = "refused".equals(decision);
        c.addPolicy().setUri(Fhir.GW + "/policy/information-sharing");
        c.setPolicyRule(new CodeableConcept(new Coding(Fhir.ACT_CODE, refused ? "OPTOUT" : "OPTIN", refused ? "opt-out" : "opt-in")));
        Consent.ProvisionComponent p = c.getProvision();
        p.setType(refused ? Consent.ConsentProvisionType.DENY : Consent.ConsentProvisionType.PERMIT);
        Period period = new Period();
        if (decided != null) {
            period.setStartElement(new DateTimeType(decided.getValueAsString()));
        }
        if ("withdrawn".equals(decision) || withdrawn != null) {
            c.setStatus(Consent.ConsentState.INACTIVE);
            DateType end = withdrawn != null ? withdrawn : (decided == null ? null : new DateType(decided.getValueAsString().substring(0, 10)));
            if (end != null) {
                period.setEndElement(new DateTimeType(end.getValueAsString()));
            }
        } else {
            c.setStatus(Consent.ConsentState.ACTIVE);
            if (periodEnd != null) {
                period.setEndElement(new DateTimeType(periodEnd.getValueAsString()));
            }
        }
        if (!period.isEmpty()) {
            p.setPeriod(period);
        }
        for (Coding scope : scopes) {
            p.addActor().setRole(new CodeableConcept(new Coding(CONSENT_ACTOR_ROLE, "IRCP", "information recipient")))
                    .setReference(new Reference().setType("CareTeam")
                            .setIdentifier(new Identifier().setSystem(scope.getSystem()).setValue(scope.getCode()))
                            .setDisplay(scope.getDisplay()));
        }
        return c;
    }

    /** The scope codes of a consent's recipient actors. */
    public static List<Coding> scopes(Consent c) {
        List<Coding> out = new ArrayList<>();
        for (Consent.provisionActorComponent a : c.getProvision().getActor()) {
            Identifier id = a.getReference().getIdentifier();
            if (id != null && id.hasValue()) {
                out.add(new Coding(id.getSystem(), id.getValue(), null));
            }
        }
        return out;
    }

    /** granted / refused / withdrawn, as the source systems say it. */
    public static String decision(Consent c) {
        if (c.getStatus() == Consent.ConsentState.INACTIVE) {
            return "withdrawn";
        }
        return c.getProvision().getType() == Consent.ConsentProvisionType.DENY ? "refused" : "granted";
    }
}
