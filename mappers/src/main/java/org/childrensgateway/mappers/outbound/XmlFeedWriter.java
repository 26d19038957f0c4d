package org.childrensgateway.mappers.outbound;

import java.io.Writer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.childrensgateway.mappers.FeedWriter;
import org.childrensgateway.mappers.Issue;
import org.childrensgateway.mappers.MappingException;
import org.childrensgateway.mappers.OutboundRecord;
import org.childrensgateway.mappers.build.Layout;
import org.childrensgateway.mappers.build.OutContext;
import org.childrensgateway.mappers.build.OutRow;
import org.childrensgateway.mappers.codes.CodeTranslator;
import org.childrensgateway.mappers.config.FeedMapping;
import org.childrensgateway.mappers.config.FieldSpec;
import org.childrensgateway.mappers.config.GroupSpec;
import org.childrensgateway.mappers.transform.FieldValues;
import org.childrensgateway.mappers.xml.XmlElement;

/**
 * Writes an XML extract: the root (with the sending organisation and time) then one record element
 * per OutboundRecord, built by placing each field at its configured path in mapping-file order.
 */
public final class XmlFeedWriter implements FeedWriter {

    private final FeedMapping mapping;
    private final Layout layout;
    private final CodeTranslator translator;

    public XmlFeedWriter(FeedMapping mapping, Layout layout, CodeTranslator translator) {
        this.mapping = mapping;
        this.layout = layout;
        this.translator = translator;
    }

    @Override
    public Sink open(Writer out) {
        List<Issue> issues = new ArrayList<>();
        OutContext ctx = new OutContext(mapping, translator, issues);
        try {
            XMLStreamWriter w = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.setDefaultNamespace(mapping.namespace);
            w.writeStartElement("", mapping.rootElement, mapping.namespace);
            w.writeDefaultNamespace(mapping.namespace);
            if (mapping.organisationAttribute != null && mapping.organisation != null) {
                w.writeAttribute(mapping.organisationAttribute, mapping.organisation);
            }
            w.writeAttribute("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            return new Sink() {
                int written;

                @Override
                public void accept(OutboundRecord record) {
                    for (OutRow row : layout.extract(record, ctx)) {
                        XmlElement e = new XmlElement(mapping.recordElement);
                        fill(e, mapping.fields, mapping.groups, row, issues);
                        try {
                            e.write(w);
                        } catch (XMLStreamException ex) {
                            throw new MappingException("cannot write XML: " + ex.getMessage(), ex);
                        }
                        written++;
                    }
                }

                @Override
                public WriteResult result() {
                    return new WriteResult(written, issues);
                }

                @Override
                public void close() {
                    try {
                        w.writeEndElement();
                        w.writeEndDocument();
                        w.flush();
                    } catch (XMLStreamException ex) {
                        throw new MappingException("cannot finish XML: " + ex.getMessage(), ex);
                    }
                }
            };
        } catch (XMLStreamException e) {
            throw new MappingException("cannot start XML: " + e.getMessage(), e);
        }
    }

    private void fill(XmlElement e, Map<String, FieldSpec> fields, Map<String, GroupSpec> groups, OutRow row, List<Issue> issues) {
        for (FieldSpec f : fields.values()) {
            Object v = row.get(f.name);
            if (v == null || f.source.isEmpty()) {
                continue;
            }
            List<String> text = FieldValues.format(f, v, translator, issues);
            if ("lines".equals(f.transform) && v instanceof List<?> l) {
                e.set(f.source.get(0), l.stream().map(Object::toString).toList());
            } else {
                e.set(f.source.get(0), text);
            }
        }
        for (Map.Entry<String, GroupSpec> g : groups.entrySet()) {
            for (OutRow child : row.groups().getOrDefault(g.getKey(), List.of())) {
                fill(e.addChild(g.getValue().source), g.getValue().fields, g.getValue().groups, child, issues);
            }
        }
    }
}
