package org.childrensgateway.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.childrensgateway.security.Caller;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Turns an {@link AuditRecord} into an AuditEvent following the IHE Basic Audit Log Patterns (BALP)
 * for RESTful activity: client as Source Role ID, gateway as Destination Role ID, the user (or,
 * without one, the client) as the requesting agent with role and purpose of use, the organisation as
 * a healthcare-provider agent, one Patient entity per patient, one entity per resource and the query.
 */
public final class AuditEventBuilder {

    public static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    public static final String AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    public static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";
    public static final String GATEWAY_ACTION = "https://fhir.childrens-gateway.uk/CodeSystem/audit-action";
    public static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    public static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    public static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    public static final String PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public static final String ROLE_CLASS = "http://terminology.hl7.org/CodeSystem/v3-RoleClass";
    public static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
    public static final String CLIENT_ID = "https://fhir.childrens-gateway.uk/Id/client-id";
    public static final String USER_ID = "https://fhir.childrens-gateway.uk/Id/user-id";
    public static final String NODE_ID = "https://fhir.childrens-gateway.uk/Id/gateway-node";
    public static final String REQUEST_ID = "https://fhir.childrens-gateway.uk/Id/request-id";
    public static final String ROLE = "https://fhir.childrens-gateway.uk/CodeSystem/caller-role";
    public static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";
    public static final String ANONYMOUS = "anonymous";
    public static final String BREAK_GLASS = "BTG";
    /** The gateway's own purposes of use (those v3 PurposeOfUse has no code for); defined in profiles/. */
    public static final String PURPOSE = "https://fhir.childrens-gateway.uk/CodeSystem/purpose-of-use";
    /** The gateway's purpose -> the v3-ActReason (PurposeOfUse) code and display recorded for it. */
    static final java.util.Map<String, String[]> V3_PURPOSE_FOR = java.util.Map.of(
            "AUDIT", new String[] {"HCOMPL", "health compliance"},
            "OPERATIONS", new String[] {"HSYSADMIN", "health system administration"});

    /** R4 restful-interaction codes; other actions (operations, ingest, export) use the gateway's system. */
    private static final java.util.Set<String> REST_CODES = java.util.Set.of("read", "vread", "update", "patch", "delete",
            "history", "history-instance", "history-type", "history-system", "create", "search", "search-type",
            "search-system", "capabilities", "transaction", "batch", "operation");

    private AuditEventBuilder() {
    }

    public static AuditEvent build(AuditRecord record, Instant recorded) {
        AuditEvent event = new AuditEvent();
        String action = record.action() == null ? "unknown" : record.action();
        type(event, action, !record.patients().isEmpty());
        event.setAction(actionCode(action));
        event.setRecorded(Date.from(recorded));
        event.setOutcome(AuditEventOutcome.fromCode(record.outcome().code()));
        if (record.outcomeDescription() != null) {
            event.setOutcomeDesc(truncate(record.outcomeDescription(), 1000));
        }
        CodeableConcept purpose = purpose(record);
        if (purpose != null) {
            event.addPurposeOfEvent(purpose);
        }
        if (record.breakGlass()) {
            event.getMeta().addSecurity(new Coding(ACT_REASON, BREAK_GLASS, "break the glass"));
            event.addPurposeOfEvent(breakGlass(record.breakGlassReason()));
        }
        agents(event, record, purpose);
        event.getSource().setSite(record.sourceNode())
                .setObserver(new Reference().setIdentifier(new Identifier().setSystem(NODE_ID).setValue(node(record))))
                .addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));
        entities(event, record);
        return event;
    }

    private static void type(AuditEvent event, String action, boolean patientRecord) {
        switch (action) {
            case "ingest" -> event.setType(new Coding(DCM, "110107", "Import"));
            case "export" -> event.setType(new Coding(DCM, "110106", "Export"));
            default -> event.setType(new Coding(AUDIT_EVENT_TYPE, "rest", "Restful Operation"));
        }
        if (isRestCode(action)) {
            event.addSubtype(new Coding(RESTFUL_INTERACTION, action, action));
        } else {
            if (action.startsWith("$")) {
                event.addSubtype(new Coding(RESTFUL_INTERACTION, "operation", "operation"));
            }
            event.addSubtype(new Coding(GATEWAY_ACTION, action, action));
        }
        if (patientRecord) {
            // DICOM "Patient Record": lets auditors find every event that touched a child's record.
            event.addSubtype(new Coding(DCM, "110110", "Patient Record"));
        }
    }

    static AuditEventAction actionCode(String action) {
        return switch (action) {
            case "create", "ingest" -> AuditEventAction.C;
            case "update", "patch" -> AuditEventAction.U;
            case "delete" -> AuditEventAction.D;
            case "read", "vread", "history", "history-instance", "history-type", "history-system", "export" -> AuditEventAction.R;
            // BALP records queries, transactions and operations as Execute.
            default -> AuditEventAction.E;
        };
    }

    private static CodeableConcept purpose(AuditRecord record) {
        if (record.purposeOfUse() == null || record.purposeOfUse().isBlank()) {
            return null;
        }
        String code = record.purposeOfUse();
        String[] v3 = V3_PURPOSE_FOR.get(code);
        if (v3 == null) {
            return new CodeableConcept(new Coding(ACT_REASON, code, null));
        }
        // A purpose of the gateway's own (AUDIT, OPERATIONS) is no v3 PurposeOfUse code: the AuditEvent
        // carries the v3 code that means it, and the gateway's code beside it (searchable as before).
        return new CodeableConcept(new Coding(ACT_REASON, v3[0], v3[1])).addCoding(new Coding(PURPOSE, code, null));
    }

    private static CodeableConcept breakGlass(String reason) {
        return new CodeableConcept(new Coding(ACT_REASON, BREAK_GLASS, "break the glass")).setText(truncate(reason, 1000));
    }

    private static void agents(AuditEvent event, AuditRecord record, CodeableConcept purpose) {
        Caller caller = record.caller();
        String clientId = caller == null || caller.clientId() == null ? ANONYMOUS : caller.clientId();
        boolean hasUser = caller != null && caller.userId() != null && !caller.userId().isBlank();
        AuditEventAction act = actionCode(record.action() == null ? "" : record.action());
        boolean write = act == AuditEventAction.C || act == AuditEventAction.U || act == AuditEventAction.D;
        Coding userType = write ? new Coding(ROLE_CLASS, "AGNT", "agent")
                : new Coding(PARTICIPATION_TYPE, "IRCP", "information recipient");

        // The client application: DICOM Source Role ID, as BALP has it for the requesting system.
        AuditEventAgentComponent client = event.addAgent()
                .setType(new CodeableConcept(new Coding(DCM, "110153", "Source Role ID")))
                .setWho(identified(CLIENT_ID, clientId))
                .setAltId(clientId)
                .setRequestor(!hasUser);
        if (record.clientAddress() != null) {
            client.getNetwork().setAddress(record.clientAddress()).setType(AuditEventAgentNetworkType._2);
        }
        // The gateway that served it: DICOM Destination Role ID.
        event.addAgent()
                .setType(new CodeableConcept(new Coding(DCM, "110152", "Destination Role ID")))
                .setWho(identified(NODE_ID, node(record)))
                .setRequestor(false);

        // The person (or, without one, the client acting for itself) responsible for the request.
        AuditEventAgentComponent requestor;
        if (hasUser) {
            requestor = event.addAgent().setType(new CodeableConcept(userType)).setWho(identified(USER_ID, caller.userId()))
                    .setAltId(caller.userId()).setRequestor(true);
        } else {
            requestor = client;
            client.getType().addCoding(userType);
        }
        if (caller != null && caller.role() != null) {
            requestor.addRole(new CodeableConcept(new Coding(ROLE, caller.role(), null)));
        }
        if (purpose != null) {
            requestor.addPurposeOfUse(purpose.copy());
        }
        if (record.breakGlass()) {
            requestor.addPurposeOfUse(breakGlass(record.breakGlassReason()));
        }
        // The caller's organisation, as BALP's healthcare-provider agent.
        if (caller != null && caller.organisation() != null && !caller.organisation().isBlank()) {
            event.addAgent()
                    .setType(new CodeableConcept(new Coding(ROLE_CLASS, "PROV", "healthcare provider")))
                    .setWho(identified(ODS, caller.organisation()))
                    .setAltId(caller.organisation())
                    .setRequestor(false);
        }
    }

    static boolean isRestCode(String action) {
        return REST_CODES.contains(action);
    }

    static boolean isResourceType(String type) {
        return type != null && ResourceTypes.ALL.contains(type);
    }

    /** R4's resource type names, read once (HAPI builds the set anew on every call). */
    private static final class ResourceTypes {
        static final java.util.Set<String> ALL = java.util.Set.copyOf(ca.uhn.fhir.context.FhirContext.forR4Cached().getResourceTypes());
    }

    private static void entities(AuditEvent event, AuditRecord record) {
        for (String patient : record.patients()) {
            event.addEntity()
                    .setWhat(new Reference(patient))
                    .setType(new Coding(ENTITY_TYPE, "1", "Person"))
                    .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
        }
        for (String resource : record.resources()) {
            if (record.patients().contains(resource)) {
                continue;
            }
            IdType id = new IdType(resource);
            if (!isResourceType(id.getResourceType())) {
                continue; // e.g. /fhir/.well-known/smart-configuration: no resource, nothing to name
            }
            event.addEntity()
                    .setWhat(new Reference(resource))
                    .setType(new Coding(RESOURCE_TYPES, id.getResourceType(), id.getResourceType()))
                    .setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
        }
        if (record.query() != null && !record.query().isEmpty()) {
            AuditEventEntityComponent query = event.addEntity()
                    .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                    .setRole(new Coding(OBJECT_ROLE, "24", "Query"))
                    .setQuery(record.query().getBytes(StandardCharsets.UTF_8));
            if (record.resourceType() != null) {
                query.setDescription(record.resourceType());
            }
        }
        if (record.consent() != null) {
            AuditRecord.ConsentSummary consent = record.consent();
            AuditEventEntityComponent decision = event.addEntity()
                    .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                    .setRole(new Coding(OBJECT_ROLE, "13", "Security Resource"))
                    .setDescription("consent decision: " + consent.decision());
            decision.addDetail().setType("decision").setValue(new org.hl7.fhir.r4.model.StringType(consent.decision()));
            decision.addDetail().setType("permitted").setValue(new org.hl7.fhir.r4.model.StringType(Integer.toString(consent.permitted())));
            decision.addDetail().setType("withheld").setValue(new org.hl7.fhir.r4.model.StringType(Integer.toString(consent.withheld())));
            consent.policies().forEach(p -> decision.addDetail().setType("policy").setValue(new org.hl7.fhir.r4.model.StringType(p)));
        }
        AuditEventEntityComponent request = event.addEntity()
                .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                .setRole(new Coding(OBJECT_ROLE, "20", "Job"))
                .setDescription(record.action());
        if (record.details().containsKey("request-id")) {
            request.setWhat(new Reference().setIdentifier(new Identifier().setSystem(REQUEST_ID).setValue(record.details().get("request-id"))));
        }
        record.details().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(d ->
                request.addDetail().setType(d.getKey()).setValue(new org.hl7.fhir.r4.model.StringType(truncate(d.getValue(), 500))));
        if (record.resourcesOmitted() > 0) {
            request.addDetail().setType("resources-omitted")
                    .setValue(new org.hl7.fhir.r4.model.StringType(Integer.toString(record.resourcesOmitted())));
        }
    }

    private static Reference identified(String system, String value) {
        return new Reference().setIdentifier(new Identifier().setSystem(system).setValue(value));
    }

    private static String node(AuditRecord record) {
        return record.sourceNode() == null ? "gateway" : record.sourceNode();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
