package org.childrensgateway.profiles.compiled;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Property;

/**
 * An element's children as {@link Base#children()} lists them, without building HAPI's
 * {@link Property} objects (one per possible child, each with its own list, on every element of
 * every checked resource: the largest allocation of the compiled checks). The names, their order
 * and whether each repeats are the model class's and are learnt once per class from
 * {@code children()}; the values are read by name ({@link Base#getProperty}), which the generated
 * R4 models answer from the same fields. If a model does not answer a name (and for Narrative,
 * whose div is a new object per read), the element is read through {@code children()} as before. {@code ChildrenTest} holds this to {@code children()}.
 */
final class Children {

  /**
   * One child of a model class: its name as children() gives it (choices as {@code value[x]}),
   * and the name it is read by: a choice by its name without {@code [x]}, which the models answer.
   */
  record Slot(String name, String lookup, int hash, boolean list) {}

  private static final Map<Class<?>, Slot[]> SLOTS = new ConcurrentHashMap<>();

  private Children() {}

  static Slot[] slots(Base value) {
    Slot[] slots = SLOTS.get(value.getClass());
    if (slots == null) {
      List<Property> properties = value.children();
      slots = new Slot[properties.size()];
      for (int i = 0; i < slots.length; i++) {
        Property p = properties.get(i);
        String lookup = p.getName().endsWith("[x]") ? p.getName().substring(0, p.getName().length() - 3) : p.getName();
        slots[i] = new Slot(p.getName(), lookup, lookup.hashCode(), p.isList());
      }
      SLOTS.putIfAbsent(value.getClass(), slots);
    }
    return slots;
  }

  /**
   * The values of every slot of {@code value}, in slot order, as children() has them; null when
   * the model does not answer one of the names (read it through children() then).
   */
  static List<Base>[] values(Base value, Slot[] slots) {
    if (value instanceof Narrative) {
      return null; // its div is a new wrapper object on every read: read it as children() makes it
    }
    @SuppressWarnings("unchecked")
    List<Base>[] out = new List[slots.length];
    for (int i = 0; i < slots.length; i++) {
      Base[] found = value.getProperty(slots[i].hash(), slots[i].lookup(), false);
      if (found == null) {
        return null;
      }
      out[i] = found.length == 0 ? List.of() : Arrays.asList(found);
    }
    return out;
  }
}
