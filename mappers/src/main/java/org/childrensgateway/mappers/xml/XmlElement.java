package org.childrensgateway.mappers.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.childrensgateway.mappers.build.SourceRecord;

/**
 * A small in-memory element (one SystmOne Patient at a time). Paths are relative, segments are
 * local names, a last segment {@code @name} is an attribute and {@code .} is the element's text.
 */
public final class XmlElement implements SourceRecord {

    private final String name;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<XmlElement> children = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    public XmlElement(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public Map<String, String> attributes() {
        return attributes;
    }

    public List<XmlElement> children() {
        return children;
    }

    public String text() {
        return text.toString();
    }

    public void appendText(String s) {
        text.append(s);
    }

    @Override
    public List<String> values(String path) {
        List<String> out = new ArrayList<>();
        String[] seg = path.split("/");
        collect(this, seg, 0, out);
        return out;
    }

    private static void collect(XmlElement e, String[] seg, int i, List<String> out) {
        if (i == seg.length) {
            out.add(e.text());
            return;
        }
        String s = seg[i];
        if (s.startsWith("@")) {
            String v = e.attributes.get(s.substring(1));
            if (v != null) {
                out.add(v);
            }
            return;
        }
        if (s.equals(".")) {
            collect(e, seg, i + 1, out);
            return;
        }
        for (XmlElement c : e.children) {
            if (c.name.equals(s)) {
                collect(c, seg, i + 1, out);
            }
        }
    }

    @Override
    public List<SourceRecord> children(String path) {
        List<XmlElement> level = List.of(this);
        for (String s : path.split("/")) {
            List<XmlElement> next = new ArrayList<>();
            for (XmlElement e : level) {
                for (XmlElement c : e.children) {
                    if (c.name.equals(s)) {
                        next.add(c);
                    }
                }
            }
            level = next;
        }
        return new ArrayList<>(level);
    }

    @Override
    public boolean has(String path) {
        return !values(path).isEmpty();
    }

    // ---- building, for the outbound writer ----

    /** Sets a value at a path, creating elements on the way; a list adds one element per item. */
    public void set(String path, List<String> values) {
        String[] seg = path.split("/");
        if (seg[seg.length - 1].startsWith("@")) {
            XmlElement target = descend(seg, seg.length - 1);
            if (!values.isEmpty() && values.get(0) != null) {
                target.attributes.put(seg[seg.length - 1].substring(1), values.get(0));
            }
            return;
        }
        if (seg[seg.length - 1].equals(".")) {
            descend(seg, seg.length - 1).text.append(values.isEmpty() || values.get(0) == null ? "" : values.get(0));
            return;
        }
        if (values.size() <= 1) {
            XmlElement target = descend(seg, seg.length);
            if (!values.isEmpty() && values.get(0) != null) {
                target.text.append(values.get(0));
            }
            return;
        }
        XmlElement parent = descend(seg, seg.length - 1);
        for (String v : values) {
            XmlElement c = new XmlElement(seg[seg.length - 1]);
            c.text.append(v);
            parent.children.add(c);
        }
    }

    /** Adds a new repeating child at the path (parents found or created). */
    public XmlElement addChild(String path) {
        String[] seg = path.split("/");
        XmlElement parent = descend(seg, seg.length - 1);
        XmlElement c = new XmlElement(seg[seg.length - 1]);
        parent.children.add(c);
        return c;
    }

    private XmlElement descend(String[] seg, int count) {
        XmlElement e = this;
        for (int i = 0; i < count; i++) {
            String s = seg[i];
            XmlElement found = null;
            for (XmlElement c : e.children) {
                if (c.name.equals(s)) {
                    found = c;
                }
            }
            if (found == null) {
                found = new XmlElement(s);
                e.children.add(found);
            }
            e = found;
        }
        return e;
    }

    public void write(XMLStreamWriter w) throws XMLStreamException {
        if (children.isEmpty() && text.length() == 0) {
            w.writeEmptyElement(name);
        } else {
            w.writeStartElement(name);
        }
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            w.writeAttribute(a.getKey(), a.getValue());
        }
        if (children.isEmpty() && text.length() == 0) {
            return;
        }
        if (!children.isEmpty()) {
            for (XmlElement c : children) {
                c.write(w);
            }
        } else {
            w.writeCharacters(text.toString());
        }
        w.writeEndElement();
    }
}
