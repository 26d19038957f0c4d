package org.childrensgateway.profiles.compiled;

import java.util.List;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;

/** FHIR's pattern[x] semantics: every element the pattern has, the instance has with the same value (repeats: each pattern item matched by some instance item). */
final class Patterns {

  private Patterns() {}

  static boolean matches(Base instance, Base pattern) {
    if (pattern instanceof PrimitiveType<?> p) {
      return instance instanceof PrimitiveType<?> i && p.hasValue() == i.hasValue()
          && (!p.hasValue() || p.getValueAsString().equals(i.getValueAsString()));
    }
    if (!instance.fhirType().equals(pattern.fhirType())) {
      return false;
    }
    for (Property p : pattern.children()) {
      if (!p.hasValues()) {
        continue;
      }
      List<Base> instanceValues = Elements.values(instance, p.getName());
      for (Base wanted : p.getValues()) {
        if (instanceValues.stream().noneMatch(v -> matches(v, wanted))) {
          return false;
        }
      }
    }
    return true;
  }
}
