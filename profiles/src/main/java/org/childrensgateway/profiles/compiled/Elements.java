package org.childrensgateway.profiles.compiled;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Base;

/** Reading an element's children by name through the model's generated switch (no property lists built). */
final class Elements {

  private Elements() {}

  /** The non-empty values of the named child ({@code value} or {@code value[x]} for a choice); empty if none or no such child. */
  static List<Base> values(Base element, String name) {
    String n = name.endsWith("[x]") ? name.substring(0, name.length() - 3) : name;
    Base[] found;
    try {
      found = element.getProperty(n.hashCode(), n, false);
    } catch (org.hl7.fhir.exceptions.FHIRException e) {
      return List.of();
    }
    if (found == null || found.length == 0) {
      return List.of();
    }
    List<Base> out = new ArrayList<>(found.length);
    for (Base b : found) {
      if (b != null && !b.isEmpty()) {
        out.add(b);
      }
    }
    return out;
  }

  static boolean exists(Base element, String name) {
    return !values(element, name).isEmpty();
  }
}
