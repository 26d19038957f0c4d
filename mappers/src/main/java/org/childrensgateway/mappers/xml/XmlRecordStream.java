package org.childrensgateway.mappers.xml;

import java.io.InputStream;
import java.io.StringWriter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

import org.childrensgateway.mappers.MappedRecord;
import org.childrensgateway.mappers.MappingException;
import org.childrensgateway.mappers.RecordStream;
import org.childrensgateway.mappers.build.RecordMapper;
import org.childrensgateway.mappers.config.FeedMapping;

/**
 * Streams a namespaced XML extract with StAX: the root's attributes are read once, then each
 * record element (e.g. Patient) is read into a small tree, mapped and dropped. DTDs and external
 * entities are disabled.
 */
public final class XmlRecordStream implements RecordStream {

    /** The longest text or attribute value a record element may hold; longer quarantines the record. */
    public static final int MAX_FIELD_CHARS = 32_768;

    private final XMLStreamReader reader;
    private final MarkingUtf8Reader text;
    private final FeedMapping mapping;
    private final RecordMapper mapper;
    private final String namespace;
    private final String recordElement;
    private final String rootName;
    private final Map<String, String> rootAttributes = new LinkedHashMap<>();
    private final String organisation;
    private int index;
    private XmlElement pending;
    private long pendingLine;
    private long pendingStart;
    private long pendingEnd;
    private boolean iterated;

    public XmlRecordStream(InputStream in, FeedMapping mapping, RecordMapper mapper, String namespace, String recordElement,
                           String organisationAttribute) {
        this.mapper = mapper;
        this.mapping = mapping;
        this.text = new MarkingUtf8Reader(in);
        this.namespace = namespace;
        this.recordElement = recordElement;
        try {
            XMLInputFactory f = XMLInputFactory.newInstance();
            f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
            f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            f.setProperty(XMLInputFactory.IS_COALESCING, true);
            // Decoded here, so a bad byte costs its record rather than the rest of the document.
            reader = f.createXMLStreamReader(text);
            // File-level checks before any record: a DOCTYPE (entities), or the wrong document, refuses the whole file.
            int event = reader.getEventType();
            while (event != XMLStreamConstants.START_ELEMENT) {
                if (event == XMLStreamConstants.DTD) {
                    throw new MappingException(mapping.feed + "/" + mapping.file + ": the XML has a DOCTYPE, which is not accepted");
                }
                if (event == XMLStreamConstants.CHARACTERS && !reader.isWhiteSpace()) {
                    throw new MappingException(mapping.feed + "/" + mapping.file + ": not an XML document");
                }
                event = reader.next();
            }
            if (!namespace.equals(reader.getNamespaceURI())) {
                throw new MappingException(mapping.feed + "/" + mapping.file + ": root element is not in namespace " + namespace);
            }
            rootName = reader.getLocalName();
            if (mapping.rootElement != null && !mapping.rootElement.equals(rootName)) {
                throw new MappingException(mapping.feed + "/" + mapping.file + ": the root element is not " + mapping.rootElement);
            }
            for (int i = 0; i < reader.getAttributeCount(); i++) {
                rootAttributes.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
            }
        } catch (XMLStreamException e) {
            // The parser's own message can quote the document; the position is enough to find the fault.
            throw new MappingException(mapping.feed + "/" + mapping.file + ": not well-formed XML" + at(e), e);
        }
        String fromDoc = rootAttributes.get(organisationAttribute);
        this.organisation = fromDoc != null && !fromDoc.isBlank() ? fromDoc : mapping.organisation;
    }

    private static String at(XMLStreamException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber();
    }

    /** Attributes of the root element (e.g. organisation, generated). */
    public Map<String, String> rootAttributes() {
        return rootAttributes;
    }

    private boolean advance() {
        if (pending != null) {
            return true;
        }
        try {
            while (reader.hasNext()) {
                int ev = reader.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    if (recordElement.equals(reader.getLocalName()) && namespace.equals(reader.getNamespaceURI())) {
                        pendingLine = reader.getLocation().getLineNumber();
                        pendingStart = reader.getLocation().getCharacterOffset();
                        pending = readElement();
                        pendingEnd = reader.getLocation().getCharacterOffset();
                        if (index == 0 && text.faultBetween(0, pendingStart - 1) != null) {
                            // Before the first record (prolog, root attributes): the file, not a record, is at fault.
                            throw new MappingException(mapping.feed + "/" + mapping.file
                                    + ": the document before its first record is not UTF-8 text, or holds NUL");
                        }
                        return true;
                    }
                    skipElement();
                }
            }
            return false;
        } catch (XMLStreamException e) {
            throw new MappingException("XML input is not well-formed" + at(e) + "; the records before it were read", e);
        } catch (MappingException e) {
            throw e;
        } catch (RuntimeException e) {
            // Woodstox reports some errors (a bad character inside text) lazily, as an unchecked exception
            // wrapping the XMLStreamException.
            if (e.getCause() instanceof XMLStreamException x) {
                throw new MappingException("XML input is not well-formed" + at(x) + "; the records before it were read", e);
            }
            throw e;
        }
    }

    private XmlElement readElement() throws XMLStreamException {
        XmlElement e = new XmlElement(reader.getLocalName());
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            String ns = reader.getAttributeNamespace(i);
            if (ns == null || ns.isEmpty()) {
                e.attributes().put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
            }
        }
        while (true) {
            int ev = reader.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                if (namespace.equals(reader.getNamespaceURI())) {
                    e.children().add(readElement());
                } else {
                    skipElement();
                }
            } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
                if (!reader.isWhiteSpace()) {
                    e.appendText(reader.getText());
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                return e;
            }
        }
    }

    private void skipElement() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int ev = reader.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    @Override
    public Iterator<MappedRecord> iterator() {
        if (iterated) {
            throw new IllegalStateException("a RecordStream can be iterated once");
        }
        iterated = true;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return advance();
            }

            @Override
            public MappedRecord next() {
                if (!advance()) {
                    throw new NoSuchElementException();
                }
                XmlElement e = pending;
                pending = null;
                index++;
                String id = e.attributes().get("id");
                String location = "/" + rootName + "/" + recordElement + "[" + index + "]"
                        + (id == null ? "" : "[@id='" + id + "']") + " (line " + pendingLine + ")";
                String fault = text.faultBetween(pendingStart, pendingEnd);
                if (fault != null) {
                    return quarantined(e, location, fault, recordElement, MarkingUtf8Reader.NUL.equals(fault)
                            ? "a NUL character, which XML and the store cannot hold" : "bytes that are not valid UTF-8");
                }
                String overLong = overLong(e, recordElement);
                if (overLong != null) {
                    return quarantined(e, location, "over-long-field", overLong, "over the limit of " + MAX_FIELD_CHARS + " characters");
                }
                return mapper.map(e, location, pendingLine, raw(e), organisation);
            }
        };
    }

    /** A record-level fault: quarantined with its element path and reason; the records after it are read. */
    private MappedRecord quarantined(XmlElement e, String location, String code, String field, String message) {
        return new MappedRecord(mapping.feed, mapping.file, mapping.version, location, pendingLine, e.attributes().get("id"), raw(e),
                java.util.List.of(), null, java.util.List.of(org.childrensgateway.mappers.Issue.error(code, field, message)));
    }

    /** The path of the first text or attribute longer than {@link #MAX_FIELD_CHARS}, or null. */
    private static String overLong(XmlElement e, String path) {
        if (e.text() != null && e.text().length() > MAX_FIELD_CHARS) {
            return path;
        }
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
            if (a.getValue() != null && a.getValue().length() > MAX_FIELD_CHARS) {
                return path + "/@" + a.getKey();
            }
        }
        for (XmlElement child : e.children()) {
            String found = overLong(child, path + "/" + child.name());
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Thread-safe once configured; finding the implementation scans the class path, so once (2% of feed CPU per record). */
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newInstance();

    /** A one-record extract with the original root attributes, so it can be replayed alone. */
    private String raw(XmlElement e) {
        StringWriter sw = new StringWriter();
        try {
            XMLStreamWriter w = OUTPUT.createXMLStreamWriter(sw);
            w.setDefaultNamespace(namespace);
            w.writeStartElement(XMLConstants.DEFAULT_NS_PREFIX, rootName, namespace);
            w.writeDefaultNamespace(namespace);
            for (Map.Entry<String, String> a : rootAttributes.entrySet()) {
                w.writeAttribute(a.getKey(), a.getValue());
            }
            e.write(w);
            w.writeEndElement();
            w.close();
        } catch (XMLStreamException ex) {
            throw new MappingException("cannot copy record: " + ex.getMessage(), ex);
        }
        return sw.toString();
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (XMLStreamException e) {
            // nothing useful to do; the caller owns the InputStream
        }
    }
}
