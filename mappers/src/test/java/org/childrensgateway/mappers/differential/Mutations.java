package org.childrensgateway.mappers.differential;

import ca.uhn.fhir.context.support.IValidationSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;

/**
 * Systematic mutations of a resource's JSON: each element removed, each repeat duplicated, each
 * primitive blanked, made malformed and replaced by another well-formed value, each code replaced
 * by an unknown one and by another of its system, an undefined extension and an unknown element
 * added to each object, each choice element turned into another type. Results are keyed by their
 * text, so the same mutant is validated once.
 */
final class Mutations {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] CHOICES = {"value", "effective", "onset", "deceased", "multipleBirth", "occurrence", "timing"};

  private final IValidationSupport support;

  Mutations(IValidationSupport support) {
    this.support = support;
  }

  /** Mutant text to a description of the mutation (path and kind, never the value). */
  Map<String, String> of(String json) {
    Map<String, String> out = new LinkedHashMap<>();
    ObjectNode root;
    try {
      root = (ObjectNode) JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    walk(root, root, "", out);
    out.remove(json);
    return out;
  }

  private void walk(ObjectNode root, JsonNode node, String path, Map<String, String> out) {
    if (node instanceof ObjectNode object) {
      mutateObject(root, object, path, out);
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (!name.equals("resourceType")) {
          walk(root, object.get(name), path + "/" + name, out);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        walk(root, array.get(i), path + "/" + i, out);
      }
    }
  }

  /** The mutations of one object (found at {@code path}); each is applied to a fresh copy of the resource. */
  private void mutateObject(ObjectNode root, ObjectNode object, String path, Map<String, String> out) {
    Mutant m = (description, change) -> {
      ObjectNode copy = root.deepCopy();
      change.accept((ObjectNode) (path.isEmpty() ? copy : copy.at(path)));
      out.putIfAbsent(copy.toString(), path + description);
    };
    m.add(" undefined extension", o -> {
      ObjectNode ext = NODES.objectNode().put("url", "http://example.invalid/StructureDefinition/undefined").put("valueString", "x");
      (o.has("extension") && o.get("extension").isArray() ? (ArrayNode) o.get("extension") : o.putArray("extension")).add(ext);
    });
    m.add(" unknown element", o -> o.put("unknownElementZz", "x"));
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (name.equals("resourceType")) {
        continue;
      }
      String at = "/" + name;
      m.add(at + " removed", o -> o.remove(name));
      JsonNode value = object.get(name);
      if (value instanceof ArrayNode array) {
        for (int i = 0; i < array.size(); i++) {
          int index = i;
          m.add(at + "/" + i + " removed", o -> {
            ArrayNode a = (ArrayNode) o.get(name);
            a.remove(index);
            if (a.isEmpty()) {
              o.remove(name);
            }
          });
          m.add(at + "/" + i + " duplicated", o -> ((ArrayNode) o.get(name)).insert(index, o.get(name).get(index).deepCopy()));
          if (!array.get(i).isContainerNode()) {
            primitive(m, at + "/" + i, (o, v) -> ((ArrayNode) o.get(name)).set(index, v), array.get(i));
          }
        }
      } else if (!value.isContainerNode()) {
        primitive(m, at, (o, v) -> o.set(name, v), value);
      }
      choice(m, name, value, at);
    }
    if (object.has("code") && object.get("code").isTextual() && object.has("system") && object.get("system").isTextual()) {
      m.add("/code unknown code", o -> o.put("code", "unknown-code-zz"));
      String other = otherCode(object.get("system").asText(), object.get("code").asText());
      if (other != null) {
        m.add("/code other code of the system", o -> o.put("code", other));
      }
    }
  }

  /** Records the resource with one change made to the object the mutations are about. */
  private interface Mutant {
    void add(String description, Consumer<ObjectNode> change);
  }

  private void primitive(Mutant m, String at, BiConsumer<ObjectNode, JsonNode> set, JsonNode value) {
    m.add(at + " blanked", o -> set.accept(o, NODES.textNode("")));
    String text = value.asText();
    if (value.isBoolean()) {
      m.add(at + " other boolean", o -> set.accept(o, NODES.booleanNode(!value.booleanValue())));
      m.add(at + " malformed boolean", o -> set.accept(o, NODES.textNode("yes")));
    } else if (value.isNumber()) {
      m.add(at + " other number", o -> set.accept(o, NODES.numberNode(value.decimalValue().add(BigDecimal.ONE))));
      m.add(at + " malformed number", o -> set.accept(o, NODES.textNode("12,4")));
    } else if (text.matches("\\d{4}-\\d{2}-\\d{2}.*")) {
      m.add(at + " other date", o -> set.accept(o, NODES.textNode(text.length() > 10 ? "2020-02-29T09:00:00Z" : "2020-02-29")));
      m.add(at + " impossible date", o -> set.accept(o, NODES.textNode("2023-02-30" + text.substring(10))));
      m.add(at + " malformed date", o -> set.accept(o, NODES.textNode("14/05/2023")));
      m.add(at + " date without zone", o -> set.accept(o, NODES.textNode(text.substring(0, 10) + "T10:30:00")));
      m.add(at + " year only", o -> set.accept(o, NODES.textNode(text.substring(0, 4))));
    } else if (text.contains("://")) {
      m.add(at + " other uri", o -> set.accept(o, NODES.textNode("http://example.org/other")));
      m.add(at + " malformed uri", o -> set.accept(o, NODES.textNode("not a uri")));
      m.add(at + " relative uri", o -> set.accept(o, NODES.textNode("local-system")));
      m.add(at + " upper-case scheme", o -> set.accept(o, NODES.textNode(Character.toUpperCase(text.charAt(0)) + text.substring(1))));
      m.add(at + " misspelt scheme", o -> set.accept(o, NODES.textNode("htdp" + text.substring(text.indexOf(':')))));
    } else {
      m.add(at + " other text", o -> set.accept(o, NODES.textNode("Other")));
      m.add(at + " padded", o -> set.accept(o, NODES.textNode(" " + text + " ")));
    }
  }

  private void choice(Mutant m, String name, JsonNode original, String at) {
    for (String base : CHOICES) {
      if (name.length() > base.length() && name.startsWith(base) && Character.isUpperCase(name.charAt(base.length()))) {
        m.add(at + " as string", o -> { o.remove(name); o.put(base + "String", "x"); });
        m.add(at + " as period", o -> { o.remove(name); o.putObject(base + "Period").put("start", "2024-01-01"); });
        if (original.isTextual()) {
          m.add(at + " as dateTime", o -> { o.remove(name); o.put(base + "DateTime", "2024-01-01T10:00:00Z"); });
        }
      }
    }
  }

  /** Another code of the same (loaded) code system, or null. */
  private String otherCode(String system, String code) {
    IBaseResource cs = support.fetchCodeSystem(system);
    if (cs instanceof CodeSystem c) {
      Iterator<CodeSystem.ConceptDefinitionComponent> it = c.getConcept().iterator();
      while (it.hasNext()) {
        String candidate = it.next().getCode();
        if (!candidate.equals(code)) {
          return candidate;
        }
      }
    }
    return null;
  }
}
