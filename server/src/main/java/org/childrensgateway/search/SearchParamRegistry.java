package org.childrensgateway.search;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.childrensgateway.search.SearchParamType.DATE;
import static org.childrensgateway.search.SearchParamType.REFERENCE;
import static org.childrensgateway.search.SearchParamType.STRING;
import static org.childrensgateway.search.SearchParamType.TOKEN;

/**
 * The search parameters the gateway supports, per resource type. This table drives indexing,
 * query parsing and the CapabilityStatement, so what the server says it does is what it does.
 * Expressions follow the FHIR R4 definitions, simplified where R4 uses {@code resolve()}.
 */
public final class SearchParamRegistry {

    private static final Set<String> ANY = Set.of();
    private static final Set<String> PATIENT = Set.of("Patient");
    // R4's target types, which an untyped chain (EpisodeOfCare?organization.name=) searches.
    private static final Set<String> ORGANIZATION = Set.of("Organization");
    private static final Set<String> AGENT = Set.of("Practitioner", "PractitionerRole", "Organization", "Device", "Patient", "RelatedPerson");

    private final Map<String, Map<String, SearchParamDefinition>> byType = new LinkedHashMap<>();

    public SearchParamRegistry() {
        patient();
        add("RelatedPerson", "patient", REFERENCE, "RelatedPerson.patient", PATIENT, "The patient this person is related to");
        add("RelatedPerson", "identifier", TOKEN, "RelatedPerson.identifier", ANY, "A related person identifier");
        add("Consent", "identifier", TOKEN, "Consent.identifier", ANY, "Identifier for this record (external references)");
        add("Consent", "patient", REFERENCE, "Consent.patient", PATIENT, "Who the consent applies to");
        add("Consent", "status", TOKEN, "Consent.status", ANY, "draft | proposed | active | rejected | inactive | entered-in-error");
        add("Consent", "category", TOKEN, "Consent.category", ANY, "Classification of the consent statement");
        add("Consent", "date", DATE, "Consent.dateTime", ANY, "When this consent was created or indexed");
        clinical("Observation", Set.of("Patient", "Group", "Device", "Location"), "Observation.effective", "Obtained date/time");
        add("Observation", "identifier", TOKEN, "Observation.identifier", ANY, "The unique id for a particular observation");
        add("Observation", "code", TOKEN, "Observation.code", ANY, "The code of the observation type");
        add("Observation", "category", TOKEN, "Observation.category", ANY, "The classification of the type of observation");
        clinical("CarePlan", Set.of("Patient", "Group"), "CarePlan.period", "Time period plan covers");
        add("CarePlan", "identifier", TOKEN, "CarePlan.identifier", ANY, "External Ids for this plan");
        add("CarePlan", "status", TOKEN, "CarePlan.status", ANY, "draft | active | on-hold | revoked | completed | entered-in-error | unknown");
        add("CarePlan", "category", TOKEN, "CarePlan.category", ANY, "Type of plan");
        add("Organization", "identifier", TOKEN, "Organization.identifier", ANY, "Any identifier for the organization (e.g. ODS code)");
        add("Organization", "name", STRING, "Organization.name | Organization.alias", ANY, "A portion of the organization's name or alias");
        add("Practitioner", "identifier", TOKEN, "Practitioner.identifier", ANY, "A practitioner's identifier");
        add("Practitioner", "name", STRING, "Practitioner.name", ANY, "A portion of the practitioner's name");
        add("EpisodeOfCare", "patient", REFERENCE, "EpisodeOfCare.patient", PATIENT, "The patient who is the focus of this episode of care");
        add("EpisodeOfCare", "identifier", TOKEN, "EpisodeOfCare.identifier", ANY, "Business identifier(s) for the episode");
        add("EpisodeOfCare", "organization", REFERENCE, "EpisodeOfCare.managingOrganization", ORGANIZATION, "The organization managing the episode");
        add("EpisodeOfCare", "status", TOKEN, "EpisodeOfCare.status", ANY, "The current status of the episode");
        add("Provenance", "target", REFERENCE, "Provenance.target", ANY, "Target Reference(s)");
        add("Provenance", "patient", REFERENCE, "Provenance.target", PATIENT, "Target Reference(s) that are patients");
        add("Provenance", "recorded", DATE, "Provenance.recorded", ANY, "When the activity was recorded / updated");
        add("AuditEvent", "date", DATE, "AuditEvent.recorded", ANY, "Time when the event was recorded");
        add("AuditEvent", "patient", REFERENCE, "AuditEvent.entity.what", PATIENT, "Identity of the patient the event concerns");
        add("AuditEvent", "entity", REFERENCE, "AuditEvent.entity.what", ANY, "Specific instance of resource");
        add("AuditEvent", "type", TOKEN, "AuditEvent.type", ANY, "Type/identifier of event");
        add("AuditEvent", "subtype", TOKEN, "AuditEvent.subtype", ANY, "More specific type/id for the event");
        add("AuditEvent", "outcome", TOKEN, "AuditEvent.outcome", ANY, "Whether the event succeeded or failed");
        add("AuditEvent", "agent", REFERENCE, "AuditEvent.agent.who", AGENT, "Identifier of who");
        add("AuditEvent", "altid", TOKEN, "AuditEvent.agent.altId", ANY, "Alternative user identity (client, user or organisation code)");
        add("AuditEvent", "agent-role", TOKEN, "AuditEvent.agent.role", ANY, "Agent role in the event");
        add("AuditEvent", "purpose", TOKEN, "AuditEvent.purposeOfEvent | AuditEvent.agent.purposeOfUse", ANY,
                "The purposeOfUse of the event");
        add("AuditEvent", "action", TOKEN, "AuditEvent.action", ANY, "Type of action performed during the event");
        // _tag on every type: e.g. _tag:not=<record-kind>|child-record leaves out the person index's derived records.
        List.copyOf(byType.keySet()).forEach(type -> add(type, "_tag", TOKEN, type + ".meta.tag", ANY, "Tags applied to this resource"));
    }

    private void patient() {
        add("Patient", "identifier", TOKEN, "Patient.identifier", ANY, "A patient identifier, e.g. NHS number or a source system's id");
        add("Patient", "name", STRING, "Patient.name", ANY, "A portion of any part of the name");
        add("Patient", "family", STRING, "Patient.name.family", ANY, "A portion of the family name");
        add("Patient", "given", STRING, "Patient.name.given", ANY, "A portion of the given name");
        add("Patient", "birthdate", DATE, "Patient.birthDate", ANY, "The patient's date of birth");
        add("Patient", "gender", TOKEN, "Patient.gender", ANY, "Gender of the patient");
        add("Patient", "address-postalcode", STRING, "Patient.address.postalCode", ANY,
                "A postcode; matched ignoring spaces and case");
        add("Patient", "link", REFERENCE, "Patient.link.other", ANY, "All patients linked to the given patient");
    }

    /** subject, patient and date, which Observation and CarePlan share. */
    private void clinical(String type, Set<String> subjects, String dateExpression, String dateDescription) {
        add(type, "subject", REFERENCE, type + ".subject", subjects, "Who the resource is about");
        add(type, "patient", REFERENCE, type + ".subject", PATIENT, "Who the resource is about, if a patient");
        add(type, "date", DATE, dateExpression, ANY, dateDescription);
    }

    private void add(String type, String name, SearchParamType kind, String expression, Set<String> targets, String description) {
        byType.computeIfAbsent(type, t -> new LinkedHashMap<>())
                .put(name, new SearchParamDefinition(type, name, kind, expression, targets, description));
    }

    public Optional<SearchParamDefinition> find(String resourceType, String name) {
        return Optional.ofNullable(byType.getOrDefault(resourceType, Map.of()).get(name));
    }

    /** The resource types that have search parameters here. */
    public Collection<String> types() {
        return byType.keySet();
    }

    public Collection<SearchParamDefinition> forType(String resourceType) {
        return byType.getOrDefault(resourceType, Map.of()).values();
    }

    public List<SearchParamDefinition> all() {
        List<SearchParamDefinition> all = new ArrayList<>();
        byType.values().forEach(m -> all.addAll(m.values()));
        return all;
    }
}
