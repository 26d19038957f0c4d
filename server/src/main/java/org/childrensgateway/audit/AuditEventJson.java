package org.childrensgateway.audit;

import static org.childrensgateway.audit.AuditEventBuilder.ACT_REASON;
import static org.childrensgateway.audit.AuditEventBuilder.ANONYMOUS;
import static org.childrensgateway.audit.AuditEventBuilder.AUDIT_EVENT_TYPE;
import static org.childrensgateway.audit.AuditEventBuilder.BREAK_GLASS;
import static org.childrensgateway.audit.AuditEventBuilder.CLIENT_ID;
import static org.childrensgateway.audit.AuditEventBuilder.DCM;
import static org.childrensgateway.audit.AuditEventBuilder.ENTITY_TYPE;
import static org.childrensgateway.audit.AuditEventBuilder.GATEWAY_ACTION;
import static org.childrensgateway.audit.AuditEventBuilder.NODE_ID;
import static org.childrensgateway.audit.AuditEventBuilder.OBJECT_ROLE;
import static org.childrensgateway.audit.AuditEventBuilder.ODS;
import static org.childrensgateway.audit.AuditEventBuilder.PARTICIPATION_TYPE;
import static org.childrensgateway.audit.AuditEventBuilder.PURPOSE;
import static org.childrensgateway.audit.AuditEventBuilder.REQUEST_ID;
import static org.childrensgateway.audit.AuditEventBuilder.RESOURCE_TYPES;
import static org.childrensgateway.audit.AuditEventBuilder.RESTFUL_INTERACTION;
import static org.childrensgateway.audit.AuditEventBuilder.ROLE;
import static org.childrensgateway.audit.AuditEventBuilder.ROLE_CLASS;
import static org.childrensgateway.audit.AuditEventBuilder.USER_ID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.childrensgateway.security.Caller;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;

/**
 * The stored JSON of an AuditEvent, written straight from its {@link AuditRecord} with Jackson:
 * HAPI's encoder cost more CPU per request than any other part of writing the trail. It writes the
 * same resource {@link AuditEventBuilder} builds (that class stays the definition, and the one the
 * search index is taken from); {@code AuditEventJsonTest} holds the two to the same JSON, element by
 * element. Like HAPI's encoder it leaves out blank values and empty elements.
 */
final class AuditEventJson {

    private static final JsonFactory JSON = new JsonFactory();

    private AuditEventJson() {
    }

    /** The AuditEvent as stored: id, meta (version 1, lastUpdated = recorded) and the record. */
    static String write(AuditRecord record, String id, Instant recorded) {
        StringWriter out = new StringWriter(2048);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, record, id, recorded);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, AuditRecord record, String id, Instant recorded) throws IOException {
        String action = record.action() == null ? "unknown" : record.action();
        String instant = new InstantType(Date.from(recorded)).getValueAsString();
        g.writeStartObject();
        g.writeStringField("resourceType", "AuditEvent");
        g.writeStringField("id", id);
        g.writeObjectFieldStart("meta");
        g.writeStringField("versionId", "1");
        g.writeStringField("lastUpdated", instant);
        if (record.breakGlass()) {
            g.writeArrayFieldStart("security");
            coding(g, ACT_REASON, BREAK_GLASS, "break the glass");
            g.writeEndArray();
        }
        g.writeEndObject();

        switch (action) {
            case "ingest" -> codingField(g, "type", DCM, "110107", "Import");
            case "export" -> codingField(g, "type", DCM, "110106", "Export");
            default -> codingField(g, "type", AUDIT_EVENT_TYPE, "rest", "Restful Operation");
        }
        g.writeArrayFieldStart("subtype");
        if (AuditEventBuilder.isRestCode(action)) {
            coding(g, RESTFUL_INTERACTION, action, action);
        } else {
            if (action.startsWith("$")) {
                coding(g, RESTFUL_INTERACTION, "operation", "operation");
            }
            coding(g, GATEWAY_ACTION, action, action);
        }
        if (!record.patients().isEmpty()) {
            coding(g, DCM, "110110", "Patient Record");
        }
        g.writeEndArray();
        AuditEventAction act = AuditEventBuilder.actionCode(action);
        g.writeStringField("action", act.toCode());
        g.writeStringField("recorded", instant);
        g.writeStringField("outcome", record.outcome().code());
        string(g, "outcomeDesc", truncate(record.outcomeDescription(), 1000));
        String[] purpose = purpose(record);
        if (purpose != null || record.breakGlass()) {
            g.writeArrayFieldStart("purposeOfEvent");
            if (purpose != null) {
                purpose(g, purpose);
            }
            if (record.breakGlass()) {
                breakGlass(g, record.breakGlassReason());
            }
            g.writeEndArray();
        }
        agents(g, record, purpose);
        g.writeObjectFieldStart("source");
        string(g, "site", record.sourceNode());
        g.writeObjectFieldStart("observer");
        identifier(g, NODE_ID, node(record));
        g.writeEndObject();
        g.writeArrayFieldStart("type");
        coding(g, "http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server");
        g.writeEndArray();
        g.writeEndObject();
        entities(g, record);
        g.writeEndObject();
    }

    /** The purpose's codings as (system, code, display) triples, or null. */
    private static String[] purpose(AuditRecord record) {
        if (record.purposeOfUse() == null || record.purposeOfUse().isBlank()) {
            return null;
        }
        String code = record.purposeOfUse();
        String[] v3 = AuditEventBuilder.V3_PURPOSE_FOR.get(code);
        return v3 == null ? new String[] {ACT_REASON, code, null} : new String[] {ACT_REASON, v3[0], v3[1], PURPOSE, code, null};
    }

    private static void purpose(JsonGenerator g, String[] codings) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("coding");
        for (int i = 0; i < codings.length; i += 3) {
            coding(g, codings[i], codings[i + 1], codings[i + 2]);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void breakGlass(JsonGenerator g, String reason) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("coding");
        coding(g, ACT_REASON, BREAK_GLASS, "break the glass");
        g.writeEndArray();
        string(g, "text", truncate(reason, 1000));
        g.writeEndObject();
    }

    private static void agents(JsonGenerator g, AuditRecord record, String[] purpose) throws IOException {
        Caller caller = record.caller();
        String clientId = caller == null || caller.clientId() == null ? ANONYMOUS : caller.clientId();
        boolean hasUser = caller != null && caller.userId() != null && !caller.userId().isBlank();
        AuditEventAction act = AuditEventBuilder.actionCode(record.action() == null ? "" : record.action());
        boolean write = act == AuditEventAction.C || act == AuditEventAction.U || act == AuditEventAction.D;
        String[] userType = write ? new String[] {ROLE_CLASS, "AGNT", "agent"} : new String[] {PARTICIPATION_TYPE, "IRCP", "information recipient"};
        String role = caller != null ? caller.role() : null;
        g.writeArrayFieldStart("agent");

        // The client application (Source Role ID); also the requestor when there is no user.
        g.writeStartObject();
        g.writeObjectFieldStart("type");
        g.writeArrayFieldStart("coding");
        coding(g, DCM, "110153", "Source Role ID");
        if (!hasUser) {
            coding(g, userType[0], userType[1], userType[2]);
        }
        g.writeEndArray();
        g.writeEndObject();
        if (!hasUser) {
            requestorRoleAndWho(g, role, CLIENT_ID, clientId);
        } else {
            who(g, CLIENT_ID, clientId);
            string(g, "altId", clientId);
        }
        g.writeBooleanField("requestor", !hasUser);
        if (record.clientAddress() != null) {
            g.writeObjectFieldStart("network");
            string(g, "address", record.clientAddress());
            g.writeStringField("type", "2");
            g.writeEndObject();
        }
        if (!hasUser) {
            purposesOfUse(g, record, purpose);
        }
        g.writeEndObject();

        // The gateway that served it (Destination Role ID).
        g.writeStartObject();
        g.writeObjectFieldStart("type");
        g.writeArrayFieldStart("coding");
        coding(g, DCM, "110152", "Destination Role ID");
        g.writeEndArray();
        g.writeEndObject();
        who(g, NODE_ID, node(record));
        g.writeBooleanField("requestor", false);
        g.writeEndObject();

        if (hasUser) {
            g.writeStartObject();
            g.writeObjectFieldStart("type");
            g.writeArrayFieldStart("coding");
            coding(g, userType[0], userType[1], userType[2]);
            g.writeEndArray();
            g.writeEndObject();
            requestorRoleAndWho(g, role, USER_ID, caller.userId());
            g.writeBooleanField("requestor", true);
            purposesOfUse(g, record, purpose);
            g.writeEndObject();
        }
        if (caller != null && caller.organisation() != null && !caller.organisation().isBlank()) {
            g.writeStartObject();
            g.writeObjectFieldStart("type");
            g.writeArrayFieldStart("coding");
            coding(g, ROLE_CLASS, "PROV", "healthcare provider");
            g.writeEndArray();
            g.writeEndObject();
            who(g, ODS, caller.organisation());
            string(g, "altId", caller.organisation());
            g.writeBooleanField("requestor", false);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** role (if any), who and altId of the requesting agent, in the element order of AuditEvent.agent. */
    private static void requestorRoleAndWho(JsonGenerator g, String role, String system, String value) throws IOException {
        if (role != null && !role.isBlank()) {
            g.writeArrayFieldStart("role");
            g.writeStartObject();
            g.writeArrayFieldStart("coding");
            coding(g, ROLE, role, null);
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
        }
        who(g, system, value);
        string(g, "altId", value);
    }

    private static void purposesOfUse(JsonGenerator g, AuditRecord record, String[] purpose) throws IOException {
        if (purpose == null && !record.breakGlass()) {
            return;
        }
        g.writeArrayFieldStart("purposeOfUse");
        if (purpose != null) {
            purpose(g, purpose);
        }
        if (record.breakGlass()) {
            breakGlass(g, record.breakGlassReason());
        }
        g.writeEndArray();
    }

    private static void entities(JsonGenerator g, AuditRecord record) throws IOException {
        g.writeArrayFieldStart("entity");
        for (String patient : record.patients()) {
            g.writeStartObject();
            reference(g, "what", patient);
            codingField(g, "type", ENTITY_TYPE, "1", "Person");
            codingField(g, "role", OBJECT_ROLE, "1", "Patient");
            g.writeEndObject();
        }
        for (String resource : record.resources()) {
            if (record.patients().contains(resource)) {
                continue;
            }
            IdType id = new IdType(resource);
            if (!AuditEventBuilder.isResourceType(id.getResourceType())) {
                continue;
            }
            g.writeStartObject();
            reference(g, "what", resource);
            codingField(g, "type", RESOURCE_TYPES, id.getResourceType(), id.getResourceType());
            codingField(g, "role", OBJECT_ROLE, "4", "Domain Resource");
            g.writeEndObject();
        }
        if (record.query() != null && !record.query().isEmpty()) {
            g.writeStartObject();
            codingField(g, "type", ENTITY_TYPE, "2", "System Object");
            codingField(g, "role", OBJECT_ROLE, "24", "Query");
            string(g, "description", record.resourceType());
            g.writeStringField("query", Base64.getEncoder().encodeToString(record.query().getBytes(StandardCharsets.UTF_8)));
            g.writeEndObject();
        }
        if (record.consent() != null) {
            AuditRecord.ConsentSummary consent = record.consent();
            g.writeStartObject();
            codingField(g, "type", ENTITY_TYPE, "2", "System Object");
            codingField(g, "role", OBJECT_ROLE, "13", "Security Resource");
            g.writeStringField("description", "consent decision: " + consent.decision());
            g.writeArrayFieldStart("detail");
            detail(g, "decision", consent.decision());
            detail(g, "permitted", Integer.toString(consent.permitted()));
            detail(g, "withheld", Integer.toString(consent.withheld()));
            for (String p : consent.policies()) {
                detail(g, "policy", p);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeStartObject();
        String requestId = record.details().get("request-id");
        if (requestId != null) {
            g.writeObjectFieldStart("what");
            identifier(g, REQUEST_ID, requestId);
            g.writeEndObject();
        }
        codingField(g, "type", ENTITY_TYPE, "2", "System Object");
        codingField(g, "role", OBJECT_ROLE, "20", "Job");
        string(g, "description", record.action());
        if (!record.details().isEmpty() || record.resourcesOmitted() > 0) {
            g.writeArrayFieldStart("detail");
            for (Map.Entry<String, String> d : record.details().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
                detail(g, d.getKey(), truncate(d.getValue(), 500));
            }
            if (record.resourcesOmitted() > 0) {
                detail(g, "resources-omitted", Integer.toString(record.resourcesOmitted()));
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndArray();
    }

    private static void detail(JsonGenerator g, String type, String value) throws IOException {
        g.writeStartObject();
        string(g, "type", type);
        string(g, "valueString", value);
        g.writeEndObject();
    }

    /** A reference as HAPI writes it: a versioned one loses its version (the parser's default). */
    private static void reference(JsonGenerator g, String field, String reference) throws IOException {
        if (reference == null || reference.isBlank()) {
            return;
        }
        IdType id = new IdType(reference);
        String text = id.hasIdPart() && id.hasVersionIdPart() ? id.toVersionless().getValue() : reference;
        g.writeObjectFieldStart(field);
        g.writeStringField("reference", text);
        g.writeEndObject();
    }

    private static void who(JsonGenerator g, String system, String value) throws IOException {
        g.writeObjectFieldStart("who");
        identifier(g, system, value);
        g.writeEndObject();
    }

    private static void identifier(JsonGenerator g, String system, String value) throws IOException {
        g.writeObjectFieldStart("identifier");
        string(g, "system", system);
        string(g, "value", value);
        g.writeEndObject();
    }

    private static void codingField(JsonGenerator g, String field, String system, String code, String display) throws IOException {
        g.writeFieldName(field);
        coding(g, system, code, display);
    }

    private static void coding(JsonGenerator g, String system, String code, String display) throws IOException {
        g.writeStartObject();
        string(g, "system", system);
        string(g, "code", code);
        string(g, "display", display);
        g.writeEndObject();
    }

    /** A string element; HAPI's encoder leaves out blank ones, so this does too. */
    private static void string(JsonGenerator g, String field, String value) throws IOException {
        if (value != null && !value.isBlank()) {
            g.writeStringField(field, value);
        }
    }

    private static String node(AuditRecord record) {
        return record.sourceNode() == null ? "gateway" : record.sourceNode();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
