package org.childrensgateway.fhir;

import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;

/**
 * Writes a searchset Bundle with Jackson instead of HAPI's encoder: the envelope (id, meta, type,
 * total, links, each entry's fullUrl and search mode) from the Bundle model, each entry's resource
 * from its stored JSON where the gate released it whole, and HAPI's own encoding, one resource at a
 * time, for the others (composed, reduced, made by the gateway). Members in HAPI's order: resourceType,
 * id, meta, type, total, link, entry; in an entry fullUrl, resource, search.
 *
 * <p>Only a Bundle made of exactly those members is written here ({@link #writable}); anything else a
 * Bundle may carry (identifier, timestamp, a search score, extensions, requests) makes the caller take
 * another path, so nothing HAPI would write is ever left out.
 */
final class SearchsetJsonWriter {

    private SearchsetJsonWriter() {
    }

    /** Whether the Bundle holds nothing but what {@link #write} writes, and every entry has a resource. */
    static boolean writable(Bundle bundle) {
        if (bundle.getType() != Bundle.BundleType.SEARCHSET || bundle.hasImplicitRules() || bundle.hasLanguage() || bundle.hasIdentifier()
                || bundle.hasTimestamp() || bundle.hasSignature() || bundle.getIdElement().hasExtension()
                || extended(bundle.getTypeElement()) || extended(bundle.getTotalElement()) || !plain(bundle.getMeta())) {
            return false;
        }
        for (Bundle.BundleLinkComponent link : bundle.getLink()) {
            if (link.hasId() || link.hasExtension() || link.hasModifierExtension() || extended(link.getRelationElement())
                    || extended(link.getUrlElement())) {
                return false;
            }
        }
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasId() || entry.hasExtension() || entry.hasModifierExtension() || entry.hasLink() || entry.hasRequest()
                    || entry.hasResponse() || entry.getResource() == null || extended(entry.getFullUrlElement())) {
                return false;
            }
            Bundle.BundleEntrySearchComponent search = entry.getSearch();
            if (entry.hasSearch() && (search.hasId() || search.hasExtension() || search.hasModifierExtension() || search.hasScore()
                    || extended(search.getModeElement()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param storedJson an entry resource's stored JSON when the gate released it whole (marked by
     *                   {@link StoredJsonResponse#offer}), else null: then {@code parser} encodes it
     * @param parser     the request's parser (its settings are those HAPI would encode the Bundle with)
     */
    static void write(Bundle bundle, Function<Resource, String> storedJson, IParser parser, Writer out) throws IOException {
        try (JsonGenerator g = StoredJsonWriter.JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("resourceType", "Bundle");
            String id = bundle.getIdElement().getIdPart();
            if (id != null && !id.isBlank()) {
                g.writeStringField("id", id);
            }
            Meta meta = bundle.getMeta();
            if (!meta.isEmpty()) {
                g.writeObjectFieldStart("meta");
                if (meta.hasVersionId()) {
                    g.writeStringField("versionId", meta.getVersionId());
                }
                if (meta.hasLastUpdated()) {
                    g.writeStringField("lastUpdated", meta.getLastUpdatedElement().getValueAsString());
                }
                g.writeEndObject();
            }
            if (bundle.hasType()) {
                g.writeStringField("type", bundle.getType().toCode());
            }
            if (bundle.hasTotal()) {
                g.writeNumberField("total", bundle.getTotal());
            }
            if (bundle.hasLink()) {
                g.writeArrayFieldStart("link");
                for (Bundle.BundleLinkComponent link : bundle.getLink()) {
                    g.writeStartObject();
                    if (link.hasRelation()) {
                        g.writeStringField("relation", link.getRelation());
                    }
                    if (link.hasUrl()) {
                        g.writeStringField("url", link.getUrl());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (bundle.hasEntry()) {
                g.writeArrayFieldStart("entry");
                for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                    entry(entry, storedJson, parser, g);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }

    private static void entry(Bundle.BundleEntryComponent entry, Function<Resource, String> storedJson, IParser parser, JsonGenerator g)
            throws IOException {
        g.writeStartObject();
        if (entry.hasFullUrl()) {
            g.writeStringField("fullUrl", entry.getFullUrl());
        }
        Resource resource = entry.getResource();
        String json = storedJson.apply(resource);
        g.writeFieldName("resource");
        if (json != null) {
            StoredJsonWriter.writeResource(json, resource.fhirType(), g);
        } else {
            g.writeRawValue(parser.encodeResourceToString(resource)); // HAPI's own compact encoding of this one resource
        }
        if (entry.hasSearch() && entry.getSearch().hasMode()) {
            g.writeObjectFieldStart("search");
            g.writeStringField("mode", entry.getSearch().getMode().toCode());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** Only versionId and lastUpdated, as HAPI's Bundle factory sets them. */
    private static boolean plain(Meta meta) {
        return !meta.hasId() && !meta.hasExtension() && !meta.hasSource() && !meta.hasProfile() && !meta.hasSecurity() && !meta.hasTag()
                && !extended(meta.getVersionIdElement()) && !extended(meta.getLastUpdatedElement());
    }

    private static boolean extended(Element element) {
        return element != null && (element.hasId() || element.hasExtension());
    }
}
