package org.childrensgateway.access;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.childrensgateway.consent.RecordingOrganisation;
import org.childrensgateway.store.StoredResource;

/**
 * What the readers of stored JSON ({@link StoredFacts}, {@link StoredConsentDirectives}) share: one
 * token pass over a version's top-level members, and reads of string members that say when they
 * are not sure ({@link #UNSURE}), so the caller can parse instead.
 */
final class StoredJson {

    /** A member whose value only a parse can say (not a non-empty string, or its holder is no object). */
    static final String UNSURE = "\u0000";

    /**
     * Duplicate members are refused wherever the readers read: which one HAPI keeps is its business,
     * and Jackson's tree would silently keep the last. Inside a kept member the tree refuses a second
     * name ({@code FAIL_ON_READING_DUP_TREE_KEY}); at the top level {@link #members} checks every name.
     * Not the parser's {@code STRICT_DUPLICATE_DETECTION}: that tracks every name of every object,
     * the skipped ones (most of a resource) included, which no reader looks at.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

    private StoredJson() {
    }

    /**
     * The top-level members {@code keep} names of a stored version's JSON, in one token pass (the
     * rest skipped); empty if it is not one object of the stored type, names a member twice, or names
     * one {@code refuse} names.
     */
    static Optional<Map<String, JsonNode>> members(StoredResource stored, Predicate<String> refuse, Predicate<String> keep) {
        Map<String, JsonNode> members = new HashMap<>();
        Set<String> names = new HashSet<>();
        try (JsonParser p = MAPPER.createParser(stored.json())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (refuse.test(name) || !names.add(name)) {
                    return Optional.empty();
                }
                if (name.equals("resourceType") || keep.test(name)) {
                    members.put(name, p.readValueAsTree());
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return Optional.empty();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        JsonNode type = members.get("resourceType");
        if (type == null || !type.isTextual() || !type.asText().equals(stored.type())) {
            return Optional.empty();
        }
        return Optional.of(members);
    }

    /** The values of a member that may be one value or an array (an object each); anything else yields nothing and is caught by the caller's checks. */
    static Iterable<JsonNode> elements(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        if (node.isArray()) {
            return node;
        }
        return List.of(node);
    }

    /** A string member: its text, null if absent, {@link #UNSURE} if not a non-empty string or its holder is no object. */
    static String text(JsonNode holder, String name) {
        if (holder == null || !holder.isObject()) {
            return UNSURE;
        }
        JsonNode value = holder.get(name);
        if (value == null) {
            return null;
        }
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : UNSURE;
    }

    /**
     * The recording organisation of a {@code meta} member as {@link RecordingOrganisation#of} reads
     * it from the parse (the first recorder tag's code): null when there is none, {@link #UNSURE}
     * when only a parse can say (a tag without a code, a tag that is no coding, a meta that is no object).
     */
    static String recorder(JsonNode meta) {
        if (meta == null) {
            return null;
        }
        if (!meta.isObject() || meta.has("tag") && !meta.get("tag").isArray()) {
            return UNSURE;
        }
        String recorder = null;
        boolean found = false;
        for (JsonNode tag : elements(meta.get("tag"))) {
            String system = text(tag, "system");
            String code = text(tag, "code");
            if (system == UNSURE || code == UNSURE) {
                return UNSURE;
            }
            if (RecordingOrganisation.SYSTEM.equals(system) && !found) {
                if (code == null) {
                    return UNSURE;
                }
                recorder = code;
                found = true;
            }
        }
        return recorder;
    }
}
