package org.childrensgateway.profiles.compiled;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.StructureDefinitionContextComponent;

/**
 * Whether an extension's definition allows it where it is, for the context forms whose meaning is
 * plain: element contexts naming a type ({@code Element}, {@code Identifier}, {@code Patient}) or a
 * path ({@code Patient.birthDate}), and extension contexts. FHIRPath contexts and context
 * invariants are not understood (so the caller falls back to HAPI).
 */
final class Contexts {

  private Contexts() {}

  static boolean allows(StructureDefinition definition, Base host, String hostPath) {
    if (definition == null || definition.hasContextInvariant()) {
      return false;
    }
    String path = hostPath.replaceAll("\\[\\d+]", "");
    for (StructureDefinitionContextComponent c : definition.getContext()) {
      String e = c.getExpression();
      switch (c.getType()) {
        case ELEMENT -> {
          if (e.equals("Element") || e.equals(host.fhirType()) || e.equals(path)
              || (host instanceof Resource && (e.equals("Resource") || e.equals("DomainResource")))) {
            return true;
          }
        }
        case EXTENSION -> {
          if (host instanceof Extension parent && e.equals(parent.getUrl())) {
            return true;
          }
        }
        default -> { }
      }
    }
    return false;
  }
}
