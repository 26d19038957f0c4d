package org.childrensgateway.profiles;

import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Every extension in a resource must be described by a loaded definition: FHIR core, UK Core, the
 * gateway's own ({@code profiles/}) or the cross-version stand-ins. An extension nobody defined is
 * data no receiver can interpret (and a modifier extension nobody defined changes the meaning of
 * what it sits on), so the gateway refuses it rather than store and pass it on.
 *
 * <p>HAPI's validator with {@code setAnyExtensionsAllowed(false)} already reports most of these,
 * but it lets some URLs through by design (example.org, acme.com, nema.org, HL7 tooling); this
 * rule has no exceptions. It looks at {@code extension} and {@code modifierExtension} on every
 * element, primitives ({@code _birthDate}) and contained resources included. A nested extension
 * with a relative URL must be a slice its parent extension's definition declares.
 *
 * <p>Thread-safe; cheap (one walk of the resource, definitions come from the cached chain).
 */
public final class DefinedExtensionsRule {

  private final IValidationSupport support;

  public DefinedExtensionsRule(IValidationSupport support) {
    this.support = Objects.requireNonNull(support, "support");
  }

  /** One finding per undefined extension, located FHIRPath-style (e.g. {@code Patient.birthDate.extension[0]}). */
  public List<ValidationIssue> check(IBaseResource resource) {
    List<ValidationIssue> out = new ArrayList<>();
    if (resource instanceof Base b) {
      walk(b, new At(null, b.fhirType(), -1), null, out);
    }
    return out;
  }

  /**
   * Where an element is, rendered only for a finding: the walk visits every element of every
   * written resource, and building each one's path string was most of this rule's cost.
   */
  private record At(At parent, String name, int index) {
    String render() {
      String here = index >= 0 ? name + "[" + index + "]" : name;
      return parent == null ? here : parent.render() + "." + here;
    }
  }

  private void walk(Base element, At path, StructureDefinition parentExtension, List<ValidationIssue> out) {
    for (Property p : element.children()) {
      if (!p.hasValues()) {
        continue;
      }
      boolean extensions = p.getName().equals("extension") || p.getName().equals("modifierExtension");
      List<Base> values = p.getValues();
      for (int i = 0; i < values.size(); i++) {
        Base v = values.get(i);
        At at = new At(path, p.getName(), values.size() > 1 || extensions ? i : -1);
        if (extensions && v instanceof Extension e) {
          StructureDefinition definition = check(e, at, parentExtension, out);
          walk(e, at, definition, out);
        } else {
          walk(v, at, null, out);
        }
      }
    }
  }

  /** Reports the extension if undefined; returns its definition (for nested ones) or null. */
  private StructureDefinition check(Extension e, At at, StructureDefinition parent, List<ValidationIssue> out) {
    String url = e.getUrl();
    if (url == null || url.isBlank()) {
      out.add(issue(at, "An extension has no url", "extension-no-url"));
      return null;
    }
    if (!isAbsolute(url)) {
      if (parent != null && declaresSlice(parent, url)) {
        return parent; // a part of a complex extension; its own parts are described by the same definition
      }
      out.add(issue(at, "Extension '" + url + "' is not a part the enclosing extension's definition declares"
          + " (relative extension URLs are only allowed inside a complex extension)", "extension-undefined"));
      return null;
    }
    int bar = url.indexOf('|');
    IBaseResource found = support.fetchStructureDefinition(bar >= 0 ? url.substring(0, bar) : url);
    if (found instanceof StructureDefinition sd && "Extension".equals(sd.getType())) {
      return sd;
    }
    out.add(issue(at, "Extension '" + url + "' is not defined by any StructureDefinition the gateway knows"
        + " (FHIR R4 core, UK Core or the gateway's own, served at /fhir/StructureDefinition); it is refused", "extension-undefined"));
    return null;
  }

  private static boolean declaresSlice(StructureDefinition sd, String sliceName) {
    List<ElementDefinition> elements = sd.hasSnapshot() ? sd.getSnapshot().getElement() : sd.getDifferential().getElement();
    for (ElementDefinition ed : elements) {
      if (sliceName.equals(ed.getSliceName()) && ed.getPath().endsWith(".extension")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAbsolute(String url) {
    return url.contains("://") || url.startsWith("urn:");
  }

  private static ValidationIssue issue(At location, String message, String id) {
    return new ValidationIssue("error", location.render(), message, id);
  }
}
