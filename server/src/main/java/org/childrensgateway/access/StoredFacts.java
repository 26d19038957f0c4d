package org.childrensgateway.access;

import static org.childrensgateway.access.StoredJson.UNSURE;
import static org.childrensgateway.access.StoredJson.elements;
import static org.childrensgateway.access.StoredJson.recorder;
import static org.childrensgateway.access.StoredJson.text;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildChoiceDefinition;
import ca.uhn.fhir.context.RuntimeChildResourceDefinition;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.LocalDate;
import org.childrensgateway.consent.ChildFacts;
import org.childrensgateway.consent.ChildFactsCache;
import org.childrensgateway.consent.DecisionFacts;
import org.childrensgateway.fhir.DerivedRecords;
import org.childrensgateway.search.SearchParamRegistry;
import org.childrensgateway.store.StoredResource;

/**
 * The facts the consent decision reads ({@link DecisionFacts}) and the patients the audit record
 * names for a resource, read off a stored version's JSON in one token pass instead of parsing it
 * into a HAPI resource (that parse was the largest single cost of a consent-filtered read).
 * It answers only when it is sure it reads what the parse would give: anything unusual (a
 * reference it cannot read as HAPI does, a label without a code, a duplicate member, an element
 * type it does not know) answers empty, and the caller parses and decides as before.
 *
 * @param decision      what the decision reads
 * @param auditPatients the patients {@code org.childrensgateway.audit.PatientReferences} would find
 *                      in the parsed resource, in its order; null when this reader cannot say
 */
public record StoredFacts(DecisionFacts decision, List<String> auditPatients) {

    /** Reads stored JSON; one per gate, sharing what it learnt of each type's shape. */
    static final class Reader {

        /** A reference HAPI reads as {@code Patient/id} (optionally versioned); anything else naming Patient is left to HAPI. */
        private static final Pattern PATIENT = Pattern.compile("Patient/([A-Za-z0-9\\-.]{1,64})(/_history/[A-Za-z0-9\\-.]{1,64})?");
        /** As {@code PatientOf}: the elements that say which child a resource is about, in its order. */
        private static final List<String> ABOUT = List.of("subject", "patient", "beneficiary", "target");

        private final FhirContext context;
        private final SearchParamRegistry params;
        private final Map<String, Optional<Shape>> shapes = new ConcurrentHashMap<>();

        Reader(FhirContext context, SearchParamRegistry params) {
            this.context = context;
            this.params = params;
        }

        /**
         * For each type: which of {@link #ABOUT} are Reference elements (only those can name the child),
         * and the one Reference element its {@code patient} search parameter reads (null: none, or
         * an expression this reader does not evaluate, then {@code auditKnown} is false).
         */
        private record Shape(List<String> about, String auditElement, boolean auditKnown) {
        }

        private Optional<Shape> shape(String type) {
            return shapes.computeIfAbsent(type, t -> {
                RuntimeResourceDefinition definition;
                try {
                    definition = context.getResourceDefinition(t);
                } catch (RuntimeException e) {
                    return Optional.empty();
                }
                List<String> about = new ArrayList<>();
                for (String name : ABOUT) {
                    BaseRuntimeChildDefinition child = definition.getChildByName(name);
                    if (child instanceof RuntimeChildChoiceDefinition || (child == null && definition.getChildByName(name + "[x]") != null)) {
                        return Optional.empty(); // a choice may hold a Reference under another member name
                    }
                    if (child instanceof RuntimeChildResourceDefinition) {
                        about.add(name);
                    }
                }
                String audit = null;
                boolean known = true;
                if (!t.equals("Patient") && !t.equals("AuditEvent")) {
                    var param = params.find(t, "patient");
                    if (param.isPresent()) {
                        String expression = param.get().expression();
                        String element = expression.startsWith(t + ".") ? expression.substring(t.length() + 1) : null;
                        if (element != null && element.matches("[a-zA-Z]+") && definition.getChildByName(element) instanceof RuntimeChildResourceDefinition) {
                            audit = element;
                        } else {
                            known = false;
                        }
                    }
                }
                return Optional.of(new Shape(List.copyOf(about), audit, known));
            });
        }

        /** The facts of a stored (not deleted) version, or empty when only a parse can say. */
        Optional<StoredFacts> read(StoredResource stored) {
            if (stored.deleted() || stored.json() == null) {
                return Optional.empty();
            }
            Optional<Shape> known = shape(stored.type());
            if (known.isEmpty()) {
                return Optional.empty();
            }
            Shape shape = known.get();
            Set<String> read = members(shape);
            return StoredJson.members(stored, name -> false, read::contains).flatMap(m -> facts(stored, shape, m));
        }

        /**
         * The top-level members {@link #read} reads of a type's JSON (and no other), so that a
         * projection of just these, made in SQL, gives it what the whole JSON gives; empty when it
         * declines every resource of the type (then only the whole stored JSON will do).
         */
        Optional<Set<String>> members(String type) {
            return shape(type).map(Reader::members);
        }

        private static Set<String> members(Shape shape) {
            Set<String> names = new LinkedHashSet<>(List.of("resourceType", "meta", "note"));
            names.addAll(shape.about());
            if (shape.auditElement() != null) {
                names.add(shape.auditElement());
            }
            return names;
        }

        private Optional<StoredFacts> facts(StoredResource stored, Shape shape, Map<String, JsonNode> members) {
            JsonNode meta = members.get("meta");
            String recorder = null;
            boolean derived = false;
            List<String> security = new ArrayList<>();
            if (meta != null) {
                if (!meta.isObject()) {
                    return Optional.empty();
                }
                recorder = recorder(meta);
                if (recorder == UNSURE) {
                    return Optional.empty();
                }
                for (JsonNode tag : elements(meta.get("tag"))) {
                    derived |= DerivedRecords.TAG_SYSTEM.equals(text(tag, "system"));
                }
                for (JsonNode label : elements(meta.get("security"))) {
                    String code = text(label, "code");
                    if (code == null || code == UNSURE) {
                        return Optional.empty();
                    }
                    security.add(code);
                }
                if (meta.has("tag") && !meta.get("tag").isArray() || meta.has("security") && !meta.get("security").isArray()) {
                    return Optional.empty();
                }
            }
            Boolean notes = notes(members.get("note"));
            if (notes == null) {
                return Optional.empty();
            }
            String patient;
            if (stored.type().equals("Patient")) {
                patient = "Patient/" + stored.id();
            } else {
                patient = null;
                for (String name : shape.about()) {
                    for (JsonNode value : elements(members.get(name))) {
                        String reference = text(value, "reference");
                        if (reference == UNSURE) {
                            return Optional.empty();
                        }
                        if (reference != null && reference.startsWith("Patient/")) {
                            String id = patientId(reference);
                            if (id == null) {
                                return Optional.empty();
                            }
                            patient = "Patient/" + id;
                            break;
                        }
                    }
                    if (patient != null) {
                        break;
                    }
                }
            }
            List<String> audit = auditPatients(stored, shape, members);
            if (audit != null && audit.contains(UNSURE)) {
                return Optional.empty();
            }
            DecisionFacts decision = new DecisionFacts(stored.type(), stored.id(), recorder, patient, List.copyOf(security), notes, derived);
            return Optional.of(new StoredFacts(decision, audit));
        }

        /** A full date (an age can be reckoned from it) or a partial one (it gives none); anything else is left to HAPI. */
        private static final Pattern DATE = Pattern.compile("\\d{4}(-\\d{2}(-\\d{2})?)?");

        /**
         * What a stored Patient version says of the child ({@link ChildFacts#of}) and whether it is a
         * derived record, read off its JSON; empty when only a parse can say (then the caller parses).
         */
        Optional<ChildFactsCache.Known> childFacts(StoredResource stored) {
            if (stored.deleted() || stored.json() == null || !stored.type().equals("Patient")) {
                return Optional.empty();
            }
            // Primitives carried by extensions only (_deceased..., _birthDate) are HAPI's business.
            Optional<Map<String, JsonNode>> read = StoredJson.members(stored, name -> name.startsWith("_deceased") || name.equals("_birthDate"),
                    name -> name.equals("resourceType") || name.equals("meta") || name.equals("birthDate") || name.equals("address")
                            || name.startsWith("deceased"));
            if (read.isEmpty()) {
                return Optional.empty();
            }
            Map<String, JsonNode> members = read.get();
            LocalDate born = null;
            JsonNode birthDate = members.get("birthDate");
            if (birthDate != null) {
                if (!birthDate.isTextual() || !DATE.matcher(birthDate.asText()).matches()) {
                    return Optional.empty();
                }
                try {
                    born = birthDate.asText().length() == 10 ? LocalDate.parse(birthDate.asText()) : null;
                } catch (java.time.format.DateTimeParseException e) {
                    return Optional.empty();
                }
            }
            String postcode = null;
            JsonNode address = members.get("address");
            if (address != null) {
                if (!address.isArray()) {
                    return Optional.empty();
                }
                for (JsonNode a : address) {
                    if (!a.isObject() || a.isEmpty()) {
                        return Optional.empty(); // an empty address changes which is "first" for HAPI
                    }
                }
                if (!address.isEmpty()) {
                    String code = text(address.get(0), "postalCode");
                    if (code == UNSURE) {
                        return Optional.empty();
                    }
                    postcode = code;
                }
            }
            boolean deceased = false;
            for (Map.Entry<String, JsonNode> m : members.entrySet()) {
                if (!m.getKey().startsWith("deceased")) {
                    continue;
                }
                if (m.getKey().equals("deceasedDateTime") && m.getValue().isTextual()) {
                    deceased = true;
                } else if (m.getKey().equals("deceasedBoolean") && m.getValue().isBoolean()) {
                    deceased |= m.getValue().booleanValue();
                } else {
                    return Optional.empty();
                }
            }
            boolean restricted = false;
            boolean bereaved = false;
            boolean derived = false;
            JsonNode meta = members.get("meta");
            if (meta != null) {
                if (!meta.isObject() || meta.has("tag") && !meta.get("tag").isArray() || meta.has("security") && !meta.get("security").isArray()) {
                    return Optional.empty();
                }
                for (JsonNode tag : elements(meta.get("tag"))) {
                    String system = text(tag, "system");
                    String code = text(tag, "code");
                    if (system == UNSURE || code == UNSURE) {
                        return Optional.empty();
                    }
                    bereaved |= ChildFacts.CIRCUMSTANCE_SYSTEM.equals(system) && ChildFacts.BEREAVED.equals(code);
                    derived |= DerivedRecords.TAG_SYSTEM.equals(system);
                }
                for (JsonNode label : elements(meta.get("security"))) {
                    String system = text(label, "system");
                    String code = text(label, "code");
                    if (system == UNSURE || code == UNSURE || ChildFacts.CONFIDENTIALITY.equals(system) && code == null) {
                        return Optional.empty();
                    }
                    restricted |= ChildFacts.CONFIDENTIALITY.equals(system) && ("R".equals(code) || "V".equals(code));
                }
            }
            return Optional.of(new ChildFactsCache.Known(new ChildFacts(born, postcode, deceased, restricted, bereaved), derived));
        }

        /** As {@code PatientReferences}: a Patient is about itself, an AuditEvent about no one, the rest by their patient parameter. */
        private List<String> auditPatients(StoredResource stored, Shape shape, Map<String, JsonNode> members) {
            if (stored.type().equals("Patient")) {
                return List.of("Patient/" + stored.id());
            }
            if (!shape.auditKnown()) {
                return null;
            }
            if (shape.auditElement() == null) {
                return List.of();
            }
            Set<String> out = new LinkedHashSet<>();
            for (JsonNode value : elements(members.get(shape.auditElement()))) {
                String reference = text(value, "reference");
                if (reference == UNSURE) {
                    return List.of(UNSURE);
                }
                if (reference != null && reference.contains("Patient")) {
                    String id = patientId(reference);
                    if (id == null) {
                        return List.of(UNSURE);
                    }
                    out.add("Patient/" + id);
                }
            }
            return List.copyOf(out);
        }

        /** Notes as the parse sees them: true if one has text, false if there are none; null (unsure) for anything else. */
        private static Boolean notes(JsonNode note) {
            if (note == null) {
                return false;
            }
            if (!note.isArray()) {
                return null;
            }
            if (note.isEmpty()) {
                return false;
            }
            for (JsonNode n : note) {
                String text = text(n, "text");
                if (text != null && text != UNSURE) {
                    return true;
                }
            }
            return null;
        }

        private static String patientId(String reference) {
            Matcher m = PATIENT.matcher(reference);
            return m.matches() ? m.group(1) : null;
        }
    }
}
