package org.childrensgateway.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What the FHIR parser would silently change or fail on, found before it runs: a JSON key given
 * twice (the parser keeps one value), an empty or skipped JSON key (see {@link #key}), an empty
 * value (JSON string or FHIR XML attribute) and a JSON null outside an array (both dropped),
 * invalid UTF-8 (replaced by U+FFFD), a lone surrogate (written out as {@code ?}), NUL and other
 * control characters (PostgreSQL cannot store NUL; FHIR strings allow only tab, CR and LF below
 * U+0020), and in XML a DOCTYPE (entities). Pure: the caller answers 400 with the message, which
 * names the element (a path such as {@code Patient.identifier[0].value}) but never its value.
 */
public final class FhirBodyCheck {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    private static final XMLInputFactory XML = XMLInputFactory.newFactory();
    private static final String FHIR_NAMESPACE = "http://hl7.org/fhir";
    /** FHIR has no empty values: HAPI's parsers read one as no value and drop the element. */
    private static final String EMPTY = "is empty, which FHIR does not allow (it would be dropped)";

    static {
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XML.setProperty(XMLInputFactory.IS_COALESCING, false);
    }

    private FhirBodyCheck() {
    }

    /**
     * Null when the body is valid UTF-8 (the only encoding FHIR allows), else where it is not. The
     * parsers below detect UTF-16 and UTF-32 from the first bytes; HAPI decodes as UTF-8 and would
     * replace what does not decode, so this strict check comes first.
     */
    public static String utf8(byte[] body) {
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(8192);
        while (true) {
            java.nio.charset.CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return "The request body is not valid UTF-8 (at byte " + in.position() + ")";
            }
            if (result.isUnderflow()) {
                return null;
            }
            out.clear();
        }
    }

    /** Null when the JSON can be parsed without losing or changing anything, else why not. */
    public static String json(byte[] body) {
        return json(body, Integer.MAX_VALUE);
    }

    /** The message of a JSON Bundle with more than the allowed entries (answered 413, not 400). */
    public static final String TOO_MANY_ENTRIES = "The Bundle has more than the limit of ";

    /**
     * As {@link #json(byte[])}, and counts the entries of a Bundle on the way, so one with more than
     * {@code maxEntries} is refused before the FHIR parser builds it.
     */
    public static String json(byte[] body, int maxEntries) {
        String resourceType = null;
        int entries = 0;
        Boolean resourceRoot = null; // a resource, not a JSON Patch (an array of operations)
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (resourceRoot == null) {
                    resourceRoot = token == JsonToken.START_OBJECT;
                }
                if (token.isStructStart() || token.isScalarValue()) {
                    JsonStreamContext context = parser.getParsingContext();
                    JsonStreamContext array = token.isStructStart() ? context.getParent() : context;
                    // An element of the root object's "entry" array.
                    if (array != null && array.inArray() && array.getParent() != null && array.getParent().getParent() != null
                            && array.getParent().getParent().inRoot() && "entry".equals(array.getParent().getCurrentName())
                            && ++entries > maxEntries) {
                        return TOO_MANY_ENTRIES + maxEntries + " entries";
                    }
                }
                if (token == JsonToken.FIELD_NAME) {
                    String problem = key(parser.currentName(), parser.getParsingContext(), resourceRoot);
                    if (problem != null) {
                        return "A JSON key in " + path(resourceType, parser.getParsingContext().getParent()) + " " + problem;
                    }
                } else if (token == JsonToken.VALUE_NULL && resourceRoot && parser.getParsingContext().inObject()) {
                    // null belongs only in the arrays of a repeating primitive, beside its "_" twin; elsewhere the parser drops it.
                    return "The value of " + path(resourceType, parser.getParsingContext()) + " is null, which FHIR JSON allows only in an array";
                } else if (token == JsonToken.VALUE_STRING) {
                    String value = parser.getText();
                    if (resourceType == null && "resourceType".equals(parser.currentName())
                            && parser.getParsingContext().getParent() != null && parser.getParsingContext().getParent().inRoot()) {
                        resourceType = value;
                    }
                    String problem = value.isEmpty() && resourceRoot ? EMPTY : text(value);
                    if (problem != null) {
                        return "The value of " + path(resourceType, parser.getParsingContext()) + " " + problem;
                    }
                }
            }
            return null;
        } catch (JsonParseException e) {
            String where = path(resourceType, e.getProcessor() == null ? null : e.getProcessor().getParsingContext());
            String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (message.startsWith("Duplicate field")) {
                return "The JSON element " + where + " is given twice: one value would be lost, so the request is refused";
            }
            if (message.contains("UTF-8") || message.contains("UTF8")) {
                return "The request body is not valid UTF-8 (in " + where + ")";
            }
            if (message.contains("CTRL-CHAR")) {
                return "The request body has an unescaped control character (in " + where + ")";
            }
            return "The request body is not well-formed JSON (in " + where + ", line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")";
        } catch (IOException e) {
            return "The request body could not be read as JSON";
        }
    }

    /** Null when the XML can be parsed without losing or changing anything, else why not. */
    public static String xml(byte[] body) {
        Deque<String> elements = new ArrayDeque<>();
        XMLStreamReader reader = null;
        try {
            reader = XML.createXMLStreamReader(new ByteArrayInputStream(body));
            while (reader.hasNext()) {
                int event = reader.next();
                switch (event) {
                    case XMLStreamConstants.DTD -> {
                        return "The request body has a DOCTYPE, which FHIR XML does not allow";
                    }
                    case XMLStreamConstants.START_ELEMENT -> {
                        elements.push(reader.getLocalName());
                        boolean fhirElement = FHIR_NAMESPACE.equals(reader.getNamespaceURI());
                        for (int i = 0; i < reader.getAttributeCount(); i++) {
                            // Not in XHTML (a narrative), which may have empty attributes.
                            String problem = fhirElement && reader.getAttributeValue(i).isEmpty() ? EMPTY : text(reader.getAttributeValue(i));
                            if (problem != null) {
                                return "The " + reader.getAttributeLocalName(i) + " attribute of " + xmlPath(elements) + " " + problem;
                            }
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> elements.pop();
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        String problem = text(reader.getText());
                        if (problem != null) {
                            return "The text of " + xmlPath(elements) + " " + problem;
                        }
                    }
                    default -> {
                    }
                }
            }
            return null;
        } catch (XMLStreamException e) {
            return notWellFormed(e, elements);
        } catch (RuntimeException e) {
            // Woodstox reports some errors unchecked, when the text is read (WstxLazyException): a 500 before (FuzzTest, seed 7).
            return e.getCause() instanceof XMLStreamException cause ? notWellFormed(cause, elements)
                    : "The request body is not well-formed XML (in " + where(elements) + ")";
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException e) {
                    // nothing held
                }
            }
        }
    }

    private static String notWellFormed(XMLStreamException e, Deque<String> elements) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("UTF-8") || message.contains("byte")) {
            return "The request body is not valid UTF-8 (in " + where(elements) + ")";
        }
        return "The request body is not well-formed XML (in " + where(elements) + (e.getLocation() == null ? ""
                : ", line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber()) + ")";
    }

    private static String where(Deque<String> elements) {
        return elements.isEmpty() ? "the document" : xmlPath(elements);
    }

    /**
     * Keys HAPI's JSON parser skips without a word: {@code "_"} alone, the primitive-extension form
     * of the keys it handles itself, and {@code fhir_comments} (not R4 JSON; parsed as comments,
     * never written back).
     */
    private static final Set<String> DROPPED_KEYS = Set.of("_", "_resourceType", "_extension", "_modifierExtension",
            "_fhir_comments", "fhir_comments");

    /**
     * Why a key cannot be kept as sent, or null. HAPI's parser throws on an empty key (it looks at its
     * first character) and drops some keys silently, without asking the error handler that refuses
     * unknown elements: those above, and {@code resourceType} anywhere but at the start of a resource.
     */
    static String key(String name, JsonStreamContext object, boolean inResource) {
        if (name.isEmpty()) {
            return "is empty, which names no FHIR element";
        }
        if (inResource && (DROPPED_KEYS.contains(name) || ("resourceType".equals(name) && !startsResource(object)))) {
            return "is '" + name + "', which the FHIR parser would drop, so the request is refused";
        }
        return text(name);
    }

    /** Whether the object holding a key is a resource: the root, a contained one, or a resource-valued element. */
    private static boolean startsResource(JsonStreamContext object) {
        JsonStreamContext holder = object.getParent();
        if (holder == null || holder.inRoot()) {
            return true;
        }
        if (holder.inArray()) {
            return holder.getParent() != null && "contained".equals(holder.getParent().getCurrentName());
        }
        return "resource".equals(holder.getCurrentName()) || "outcome".equals(holder.getCurrentName());
    }

    /** Why a string cannot be kept as sent, or null. */
    static String text(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return "contains NUL (U+0000), which cannot be stored";
            }
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return "contains a control character (U+" + String.format("%04X", (int) c) + "), which FHIR strings do not allow";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains a lone surrogate (an invalid \\u escape), which cannot be kept";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains a lone surrogate (an invalid \\u escape), which cannot be kept";
            }
        }
        return null;
    }

    /** {@code Patient.identifier[0].value} from the parser's context. */
    static String path(String resourceType, JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push("." + safe(c.getCurrentName()));
            }
        }
        String joined = String.join("", parts).replace(".[", "[");
        String root = resourceType == null ? "the resource" : safe(resourceType);
        return joined.isEmpty() ? root : root + joined;
    }

    private static String xmlPath(Deque<String> elements) {
        StringBuilder path = new StringBuilder();
        elements.descendingIterator().forEachRemaining(e -> path.append(path.length() == 0 ? "" : ".").append(safe(e)));
        return path.toString();
    }

    /** Keys and element names are FHIR names; anything else is not echoed. */
    private static String safe(String name) {
        return name.matches("[A-Za-z0-9_\\-]{1,64}") ? name : "?";
    }
}
