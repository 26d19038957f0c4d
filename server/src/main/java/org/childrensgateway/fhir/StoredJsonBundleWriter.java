package org.childrensgateway.fhir;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes a Bundle whose entries' resources were released whole from their stored JSON: HAPI encodes
 * the Bundle without those resources (the envelope: ids, links, totals, fullUrls, search modes), and
 * one streaming pass copies that encoding, putting each entry's stored resource back where HAPI
 * writes an entry's resource (after {@code link} and {@code fullUrl}, before {@code search},
 * {@code request}, {@code response}). Entries are matched by their fullUrl; if any stored resource
 * finds no entry the pass fails, and the caller answers by the ordinary encoding instead.
 */
final class StoredJsonBundleWriter {

    /** A resource to put into the entry with this fullUrl: its stored JSON and type. */
    record StoredEntry(String json, String resourceType) {
    }

    private static final Set<String> AFTER_RESOURCE = Set.of("search", "request", "response");

    private StoredJsonBundleWriter() {
    }

    /**
     * @param envelope the Bundle as HAPI encoded it (compact JSON) without the stored entries' resources
     * @param stored   by fullUrl, the resources to write into those entries
     */
    static void write(String envelope, Map<String, StoredEntry> stored, Writer out) throws IOException {
        Map<String, StoredEntry> pending = new HashMap<>(stored);
        try (JsonParser in = StoredJsonWriter.JSON.createParser(envelope); JsonGenerator g = StoredJsonWriter.JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the Bundle is not an object");
            }
            g.writeStartObject();
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                JsonToken value = in.nextToken();
                g.writeFieldName(name);
                if (name.equals("entry") && value == JsonToken.START_ARRAY) {
                    g.writeStartArray();
                    while (in.nextToken() == JsonToken.START_OBJECT) {
                        entry(in, g, pending);
                    }
                    g.writeEndArray();
                } else {
                    StoredJsonWriter.copy(in, g);
                }
            }
            g.writeEndObject();
        }
        if (!pending.isEmpty()) {
            throw new IOException(pending.size() + " stored resource(s) found no entry");
        }
    }

    private static void entry(JsonParser in, JsonGenerator g, Map<String, StoredEntry> pending) throws IOException {
        g.writeStartObject();
        StoredEntry resource = null;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            in.nextToken();
            if (resource != null && AFTER_RESOURCE.contains(name)) {
                writeResource(g, resource);
                resource = null;
            }
            if (resource != null && name.equals("resource")) {
                throw new IOException("an entry holds a resource already");
            }
            if (name.equals("fullUrl") && in.currentToken() == JsonToken.VALUE_STRING) {
                resource = pending.remove(in.getText());
            }
            g.writeFieldName(name);
            StoredJsonWriter.copy(in, g);
        }
        if (resource != null) {
            writeResource(g, resource);
        }
        g.writeEndObject();
    }

    private static void writeResource(JsonGenerator g, StoredEntry resource) throws IOException {
        g.writeFieldName("resource");
        StoredJsonWriter.writeResource(resource.json(), resource.resourceType(), g);
    }
}
