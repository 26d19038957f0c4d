package org.childrensgateway.access;

import static org.childrensgateway.access.StoredJson.UNSURE;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.childrensgateway.consent.ConsentDirective;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.DateTimeType;

/**
 * The directives of a stored Consent version, read off its stored JSON as
 * {@link ConsentDirective#from} reads them off the parse (a HAPI parse of each Consent was most of
 * the cost of loading a child's consents). It reads exactly the members that method reads, and
 * answers only when sure to read what the parse gives: a member it does not know (at the top level,
 * in the provision, its period, actors, their references, identifiers and codings), a primitive's
 * extension ({@code _dateTime}), a modifier extension, a value that is not a plain non-empty string,
 * a code outside its value set, a date HAPI would not read, a duplicate member: it declines (empty),
 * and the Consent is parsed and read as before. Nested provisions are not read, as by the parse's reader.
 */
final class StoredConsentDirectives {

    private static final Set<String> TOP = Set.of("resourceType", "id", "meta", "implicitRules", "language", "text", "contained",
            "extension", "identifier", "status", "scope", "category", "patient", "dateTime", "performer", "organization",
            "sourceAttachment", "sourceReference", "policy", "policyRule", "verification", "provision");
    private static final Set<String> READ = Set.of("meta", "status", "dateTime", "provision");
    private static final Set<String> PROVISION = Set.of("id", "extension", "type", "period", "actor", "action", "securityLabel",
            "purpose", "class", "code", "dataPeriod", "data", "provision");
    private static final Set<String> PERIOD = Set.of("id", "extension", "start", "end");
    private static final Set<String> ACTOR = Set.of("id", "extension", "role", "reference");
    private static final Set<String> REFERENCE = Set.of("id", "extension", "reference", "type", "identifier", "display");
    private static final Set<String> IDENTIFIER = Set.of("id", "extension", "use", "type", "system", "value", "period", "assigner");
    private static final Set<String> CODING = Set.of("id", "extension", "system", "version", "code", "display", "userSelected");
    /** Consent.status codes; only these three decide anything ({@link ConsentDirective#from}). */
    private static final Set<String> STATES = Set.of("draft", "proposed", "active", "rejected", "inactive", "entered-in-error");
    private static final Set<String> DECIDING = Set.of("active", "inactive", "rejected");

    /** Thrown within a read when only the parse can say; no stack trace, it never leaves this class. */
    private static final class Unsure extends RuntimeException {
        Unsure() {
            super(null, null, false, false);
        }
    }

    private static final Unsure UNSURE_READ = new Unsure();

    private StoredConsentDirectives() {
    }

    /** The directives {@link ConsentDirective#from} gives for the parse of this version, or empty when only the parse can say. */
    static Optional<List<ConsentDirective>> read(StoredResource stored) {
        if (stored.deleted() || stored.json() == null || !stored.type().equals("Consent")) {
            return Optional.empty();
        }
        Optional<Map<String, JsonNode>> members = StoredJson.members(stored, name -> !TOP.contains(name), READ::contains);
        if (members.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(directives(stored, members.get()));
        } catch (Unsure e) {
            return Optional.empty();
        }
    }

    private static List<ConsentDirective> directives(StoredResource stored, Map<String, JsonNode> members) {
        String status = value(members.get("status"));
        if (status != null && !STATES.contains(status)) {
            throw UNSURE_READ;
        }
        if (status == null || !DECIDING.contains(status)) {
            return List.of(); // proposed, draft and entered-in-error ones decide nothing
        }
        String custodian = StoredJson.recorder(members.get("meta"));
        if (custodian == UNSURE) {
            throw UNSURE_READ;
        }
        JsonNode provision = object(members.get("provision"), PROVISION);
        JsonNode period = provision == null ? null : object(provision.get("period"), PERIOD);
        Instant ends = period == null ? null : instant(period.get("end"));
        Instant start = period == null ? null : instant(period.get("start"));
        Instant dateTime = instant(members.get("dateTime"));
        Instant given = dateTime != null ? dateTime : start != null ? start : Instant.EPOCH;
        String type = provision == null ? null : value(provision.get("type"));
        if (type != null && !type.equals("permit") && !type.equals("deny")) {
            throw UNSURE_READ;
        }
        ConsentDirective.Kind kind;
        Instant effective = given;
        if (!status.equals("active")) {
            // A withdrawn consent: it stops permitting from its end date (the withdrawal date).
            kind = ConsentDirective.Kind.WITHDRAWAL;
            effective = ends != null ? ends : given;
        } else {
            kind = "deny".equals(type) ? ConsentDirective.Kind.REFUSAL : ConsentDirective.Kind.GRANT;
        }
        Set<String> scopes = new HashSet<>();
        Set<String> organisations = new HashSet<>();
        for (JsonNode actor : objects(provision, "actor", ACTOR)) {
            JsonNode reference = object(actor.get("reference"), REFERENCE);
            JsonNode identifier = reference == null ? null : object(reference.get("identifier"), IDENTIFIER);
            String system = identifier == null ? null : value(identifier.get("system"));
            String id = identifier == null ? null : value(identifier.get("value"));
            if (id != null && ConsentDirective.SCOPE_SYSTEM.equals(system)) {
                scopes.add(id);
            }
            if (id != null && ConsentDirective.ORGANISATION_SYSTEMS.contains(system)) {
                organisations.add(id);
            }
        }
        return List.of(new ConsentDirective(custodian, effective, kind, Set.copyOf(scopes), codes(provision, "securityLabel"),
                codes(provision, "purpose"), kind == ConsentDirective.Kind.GRANT ? ends : null, "Consent/" + stored.id(),
                Set.copyOf(organisations)));
    }

    /** The codes of a list of codings; one without a code is left to the parse (it would put a null in the set). */
    private static Set<String> codes(JsonNode provision, String name) {
        Set<String> out = new HashSet<>();
        for (JsonNode coding : objects(provision, name, CODING)) {
            String code = value(coding.get("code"));
            if (code == null) {
                throw UNSURE_READ;
            }
            value(coding.get("system"));
            out.add(code);
        }
        return Set.copyOf(out);
    }

    /** The objects of a list member (absent: none); each may hold only the members {@code known} names. */
    private static Iterable<JsonNode> objects(JsonNode holder, String name, Set<String> known) {
        JsonNode list = holder == null ? null : holder.get(name);
        if (list == null) {
            return List.of();
        }
        if (!list.isArray()) {
            throw UNSURE_READ;
        }
        for (JsonNode element : list) {
            if (object(element, known) == null) {
                throw UNSURE_READ;
            }
        }
        return list;
    }

    /** An object member (null if absent) holding only members {@code known} names (a modifier extension or a {@code _x} is none of them). */
    private static JsonNode object(JsonNode node, Set<String> known) {
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            throw UNSURE_READ;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            if (!known.contains(names.next())) {
                throw UNSURE_READ;
            }
        }
        return node;
    }

    /** A string value (null if absent); anything but a non-empty string without surrounding white space is the parse's business. */
    private static String value(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (!node.isTextual() || node.asText().isEmpty() || !node.asText().strip().equals(node.asText())) {
            throw UNSURE_READ;
        }
        return node.asText();
    }

    /** A dateTime as HAPI reads it (the same type, so the same precision and time-zone rules). */
    private static Instant instant(JsonNode node) {
        String text = value(node);
        if (text == null) {
            return null;
        }
        DateTimeType parsed;
        try {
            parsed = new DateTimeType(text);
        } catch (RuntimeException e) {
            throw UNSURE_READ;
        }
        if (parsed.getValue() == null) {
            throw UNSURE_READ;
        }
        return parsed.getValue().toInstant();
    }
}
