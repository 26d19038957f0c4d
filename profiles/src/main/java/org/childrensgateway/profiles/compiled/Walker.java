package org.childrensgateway.profiles.compiled;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.BackboneElement;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * One walk of one resource against compiled profiles (not thread-safe; one per check). Every element
 * present is matched to its element rule; every rule is checked (cardinality, type, fixed/pattern,
 * required binding, codes, primitive format, reference format, invariants, slices, extensions).
 * The first definite problem found makes the verdict REJECT; anything not understood makes it
 * UNSURE (the walk goes on, as a later definite problem is still worth naming).
 */
final class Walker {

  private static final Pattern RELATIVE_REFERENCE =
      Pattern.compile("([A-Z][A-Za-z]+)/[A-Za-z0-9\\-.]{1,64}(/_history/[A-Za-z0-9\\-.]{1,64})?");

  private static final String SYSTEM_TYPE = "http://hl7.org/fhirpath/System.";

  private final CompiledProfiles profiles;
  private final Resource resource;
  /** The resource that contains {@link #resource} (FHIRPath's %rootResource); itself when not contained. */
  private final Resource root;
  private Verdict unsure;
  private Verdict reject;

  Walker(CompiledProfiles profiles, Resource resource) {
    this(profiles, resource, resource);
  }

  private Walker(CompiledProfiles profiles, Resource resource, Resource root) {
    this.profiles = profiles;
    this.resource = resource;
    this.root = root;
  }

  Verdict verdict() {
    return reject != null ? reject : unsure != null ? unsure : Verdict.ACCEPT;
  }

  boolean rejected() {
    return reject != null;
  }

  void unsure(Loc at, String why) {
    if (unsure == null) {
      unsure = Verdict.unsure(at.toString(), why);
    }
  }

  private void reject(Loc at, String why) {
    if (reject == null) {
      reject = Verdict.reject(at.toString(), why);
    }
  }

  /** Checks the resource against a profile's root. */
  void resource(CompiledProfile profile) {
    if (!resource.fhirType().equals(profile.type)) {
      unsure(Loc.root(resource.fhirType()), profile.root.unsure != null ? profile.root.unsure : "profile for another type: " + profile.url);
      return;
    }
    element(resource, profile.root, Loc.root(resource.fhirType()), null);
  }

  /**
   * Checks one instance element against its rule. {@code typeProfiles} are the profiles the rule
   * requires of the element's type (null at a resource root).
   */
  private void element(Base value, ElementRule rule, Loc at, List<String> typeProfiles) {
    if (reject != null) {
      return;
    }
    if (rule.unsure != null) {
      unsure(at, rule.unsure);
      return;
    }
    if (rule.fixed != null && !value.equalsDeep(rule.fixed)) {
      reject(at, "does not have the fixed value");
    }
    if (rule.pattern != null && !Patterns.matches(value, rule.pattern)) {
      reject(at, "does not match the pattern");
    }
    if (rule.binding != null) {
      binding(value, rule.binding, at);
    }
    invariants(rule, value, at);
    if (value instanceof Coding coding) {
      coding(coding, at);
    } else if (value instanceof Quantity quantity && quantity.hasCode()) {
      unit(quantity, at);
    } else if (value instanceof PrimitiveType<?> primitive) {
      primitive(primitive, at);
      if (rule.name.equals("system") && primitive.fhirType().equals("uri") && primitive.hasValue()
          && !PrimitiveFormats.isKnownSystem(primitive.getValueAsString())) {
        unsure(at, "a system outside the namespaces the fast path vouches for");
      }
    } else if (value instanceof Reference reference) {
      reference(reference, rule, at);
    }
    if (value instanceof Extension extension) {
      extension(extension, rule, at);
      return;
    }
    if (typeProfiles != null && !typeProfiles.isEmpty()) {
      if (typeProfiles.size() > 1) {
        unsure(at, "several type profiles");
        return;
      }
      element(value, profiles.profile(typeProfiles.get(0)).root, at, null); // the type profile has the children
      if (!rule.children.isEmpty()) {
        children(value, rule, at);
      }
      return;
    }
    ElementRule content = contentOf(value, rule, at, typeProfiles != null);
    if (content != null) {
      children(value, content, at);
    }
  }

  /** The rule whose children describe the value's children: the snapshot's own, a content reference, or the type's definition. */
  private ElementRule contentOf(Base value, ElementRule rule, Loc at, boolean checkTypeRoot) {
    if (!rule.children.isEmpty()) {
      if (checkTypeRoot) {
        typeRootInvariants(value, at);
      }
      return rule;
    }
    if (rule.contentReference != null) {
      ElementRule referenced = rule.owner.byId.get(rule.contentReference.substring(rule.contentReference.indexOf('#') + 1));
      if (referenced == null) {
        unsure(at, "content reference " + rule.contentReference);
      }
      return referenced;
    }
    if (!checkTypeRoot) {
      return rule; // a resource or type root without children: nothing to descend into
    }
    CompiledProfile type = profiles.type(typeOf(value));
    if (type.root.unsure != null) {
      unsure(at, type.root.unsure);
      return null;
    }
    typeRootInvariants(value, at);
    return type.root;
  }

  /** The invariants a datatype's own definition puts on its root (e.g. qty-3, per-1), which HAPI applies too. */
  private void typeRootInvariants(Base value, Loc at) {
    ElementRule root = profiles.type(typeOf(value)).root;
    if (root.unsure != null) {
      unsure(at, root.unsure);
      return;
    }
    invariants(root, value, at);
  }

  private void invariants(ElementRule rule, Base value, Loc at) {
    for (Invariant invariant : rule.invariants) {
      switch (invariant.evaluate(value, root)) {
        case HOLDS -> { }
        case FAILS -> reject(at, "constraint " + invariant.key());
        case UNKNOWN -> unsure(at, "constraint " + invariant.key() + " not decided here");
      }
    }
  }

  private void children(Base value, ElementRule container, Loc at) {
    int required = 0;
    Children.Slot[] slots = Children.slots(value);
    List<Base>[] byName = Children.values(value, slots);
    List<Property> properties = byName == null ? value.children() : null;
    ElementRule[] rules = container.childrenBySlot(value.getClass(), slots);
    for (int k = 0; k < slots.length; k++) {
      String childName = slots[k].name();
      boolean isList = slots[k].list();
      ElementRule rule = rules[k];
      List<Base> values = present(byName != null ? byName[k] : properties.get(k).getValues());
      if (rule != null && rule.min > 0) {
        required++;
      }
      String name = slots[k].lookup(); // the name without [x]
      if (rule == null) {
        if (!values.isEmpty()) {
          unsure(at.child(name), "element not in the snapshot");
        }
        continue;
      }
      if (values.size() < rule.min) {
        reject(at, "fewer " + name + " than the minimum " + rule.min);
      }
      if (values.isEmpty()) {
        continue;
      }
      Loc path = at.child(name);
      if (rule.max >= 0 && values.size() > rule.max) {
        reject(path, "more " + name + " than the maximum " + rule.max);
      }
      if (childName.equals("contained") && resource == root) {
        for (Base v : values) {
          contained(v, path);
        }
        continue;
      }
      if (childName.equals("contained") || childName.equals("modifierExtension")) {
        unsure(path, childName);
        continue;
      }
      if (value instanceof Meta && (childName.equals("security") || childName.equals("tag")) && hasDuplicates(values)) {
        unsure(path, "repeated label"); // HAPI refuses duplicate security labels, at a location of its own
      }
      if (childName.equals("extension")) {
        for (Base v : values) {
          if (v instanceof Extension e && e.getUrl() != null && e.getUrl().contains(":")
              && !Contexts.allows(profiles.definition(e.getUrl()), value, at.plain())) {
            unsure(path, "extension context not understood");
          }
        }
      }
      // HAPI reports an extension's wrong value type at the extension.
      Loc typeErrorsAt = value instanceof Extension ? at : null;
      if (rule.slicing != null) {
        Slices.check(this, values, rule, path, isList, typeErrorsAt);
      } else {
        for (int i = 0; i < values.size(); i++) {
          Loc itemAt = isList ? path.item(i) : path;
          typed(values.get(i), rule, itemAt, typeErrorsAt == null ? itemAt : typeErrorsAt);
        }
      }
    }
    if (required < container.requiredChildren()) {
      unsure(at, "a required element the model does not have"); // a definition for another version of the type
    }
  }

  /** Checks the element's type against the rule (a wrong type reported at {@code typeErrorAt}), then the element. */
  void typed(Base value, ElementRule rule, Loc at, Loc typeErrorAt) {
    String type = typeOf(value);
    List<String> typeProfiles = rule.typeProfiles(type);
    String single = rule.singleType();
    if (typeProfiles == null && single != null && single.startsWith(SYSTEM_TYPE) && value.isPrimitive()) {
      typeProfiles = List.of(); // id, Element.id, Extension.url: the model's own primitive type says which format applies
    }
    if (typeProfiles == null) {
      if (rule.types.isEmpty()) {
        unsure(at, "untyped element");
        return;
      }
      reject(typeErrorAt, "type " + type + " is not allowed here");
      return;
    }
    element(value, rule, at, typeProfiles);
  }

  /** The type code a definition uses for the value: backbone elements are BackboneElement or Element there. */
  private static String typeOf(Base value) {
    String type = value.fhirType();
    if (type.indexOf('.') < 0) {
      return type;
    }
    return value instanceof BackboneElement ? "BackboneElement" : "Element";
  }

  private static boolean hasDuplicates(List<Base> codings) {
    for (int i = 0; i < codings.size(); i++) {
      for (int j = i + 1; j < codings.size(); j++) {
        if (codings.get(i) instanceof Coding a && codings.get(j) instanceof Coding b
            && java.util.Objects.equals(a.getSystem(), b.getSystem()) && java.util.Objects.equals(a.getCode(), b.getCode())) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<Base> present(List<Base> values) {
    int n = values.size();
    int first = 0; // the list itself when every value is present (nearly always): no copy
    while (first < n && isPresent(values.get(first))) {
      first++;
    }
    if (first == n) {
      return values;
    }
    List<Base> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Base v = values.get(i);
      if (i < first || i > first && isPresent(v)) {
        out.add(v);
      }
    }
    return out;
  }

  /** What the JSON encoder leaves out (empty elements, extensions with neither value nor extensions) HAPI never sees. */
  private static boolean isPresent(Base v) {
    return v != null && !v.isEmpty() && !(v instanceof Extension e && !e.hasValue() && !e.hasExtension());
  }

  private void primitive(PrimitiveType<?> primitive, Loc at) {
    String type = primitive.fhirType();
    if (!PrimitiveFormats.knows(type)) {
      unsure(at, "primitive type " + type);
      return;
    }
    if (!primitive.hasValue()) {
      if (primitive.getValueAsString() != null) {
        reject(at, "not a valid " + type);
      }
      return; // extensions only: allowed (ele-1 is satisfied by them)
    }
    // A resource id is held with its type and version (Patient/1/_history/2); JSON carries the id part only.
    String text = primitive instanceof IdType id ? id.getIdPart() : primitive.getValueAsString();
    switch (PrimitiveFormats.check(type, text)) {
      case VALID -> { }
      case INVALID -> reject(at, "not a valid " + type);
      case UNDECIDED -> unsure(at, "padded or over-long " + type);
    }
  }

  /** A coded unit is checked by HAPI as a code of its system (UCUM through HAPI's UCUM service). */
  private void unit(Quantity quantity, Loc at) {
    switch (profiles.terminology().status(quantity.getSystem(), quantity.getCode(), null)) {
      case KNOWN, SYSTEM_NOT_LOADED -> { }
      case UNKNOWN_CODE -> reject(at, "unit not in its code system");
      case NOT_UNDERSTOOD -> unsure(at, "unit system not understood");
    }
  }

  private void coding(Coding coding, Loc at) {
    switch (profiles.terminology().status(coding.getSystem(), coding.getCode(), coding.getDisplay())) {
      case KNOWN, SYSTEM_NOT_LOADED -> { }
      case UNKNOWN_CODE -> reject(at.name().equals("coding") ? at.parent() : at, "code not in its code system"); // HAPI names the concept
      case NOT_UNDERSTOOD -> unsure(at, "code system or display not understood: " + coding.getSystem());
    }
  }

  /**
   * Required bindings: the value must be in the value set. Other strengths only give warnings for
   * codings (whose codes {@link #coding} checks against their system); a bare code or uri under any
   * binding is checked by HAPI against the value set's systems, so it must be a member here.
   */
  private void binding(Base value, Binding binding, Loc at) {
    boolean bare = value.isPrimitive();
    if (!binding.required() && !bare) {
      return;
    }
    if (!binding.enumerable()) {
      unsure(at, "binding to a value set that cannot be enumerated: " + binding.valueSet());
      return;
    }
    if (bare) {
      String code = ((PrimitiveType<?>) value).getValueAsString();
      if (code == null || !binding.bareCodes().contains(code)) {
        if (binding.required() && value.fhirType().equals("code")) {
          reject(at, "code not in the required value set");
        } else {
          unsure(at, "value outside the bound value set");
        }
      }
    } else if (value instanceof Coding coding) {
      if (!binding.codes().containsKey(coding.getSystem() + "|" + coding.getCode())) {
        reject(at, "code not in the required value set");
        return;
      }
      displayMatches(coding, binding, at);
    } else if (value instanceof CodeableConcept concept) {
      if (!concept.hasCoding()) {
        unsure(at, "coded element without a coding");
        return;
      }
      for (Coding coding : concept.getCoding()) {
        if (binding.codes().containsKey(coding.getSystem() + "|" + coding.getCode())) {
          displayMatches(coding, binding, at);
          return;
        }
      }
      reject(at, "no coding from the required value set");
    } else {
      unsure(at, "required binding on a " + value.fhirType());
    }
  }

  private void displayMatches(Coding coding, Binding binding, Loc at) {
    String expected = binding.codes().get(coding.getSystem() + "|" + coding.getCode());
    if (coding.hasDisplay() && !coding.getDisplay().equals(expected)) {
      unsure(at, "display differs from the value set's");
    }
  }

  /**
   * A contained resource, walked on its own against its type's base definition, as HAPI validates
   * it (the container's rules about it are dom-2 to dom-5). Only the plain shape the mappers make
   * is vouched for: an id, no meta, nothing contained in it, not an Observation (whose implied
   * profiles apply only at the top here), no type the gateway gives a default profile. Whatever the walk finds makes the container's verdict
   * UNSURE, never REJECT, so that HAPI names the problem at its own location.
   */
  private void contained(Base value, Loc at) {
    if (!(value instanceof DomainResource c) || Invariants.localId(c) == null || c.hasMeta() || c.hasContained()
        || c instanceof org.hl7.fhir.r4.model.Observation || !profiles.isResourceType(c.fhirType())
        || org.childrensgateway.profiles.ProfileValidatorFactory.defaultProfileUrl(c.fhirType()).isPresent()) {
      unsure(at, "contained resource of a shape not vouched for");
      return;
    }
    Walker walker = new Walker(profiles, c, root);
    walker.resource(profiles.type(c.fhirType()));
    if (!walker.verdict().isAccept()) {
      unsure(at, "contained " + c.fhirType() + ": " + walker.verdict().reason());
    }
  }

  private void reference(Reference reference, ElementRule rule, Loc at) {
    if (!reference.hasReference()) {
      return;
    }
    if (reference.getReference().startsWith("#")) {
      localReference(reference, rule, at);
      return;
    }
    Matcher m = RELATIVE_REFERENCE.matcher(reference.getReference());
    if (!m.matches() || !profiles.isResourceType(m.group(1))) {
      unsure(at, "reference other than Type/id");
      return;
    }
    if (reference.hasType() && !reference.getType().equals(m.group(1))) {
      reject(at, "reference type differs from the type its URL names");
    }
    if (rule.targetTypes != null && !rule.targetTypes.contains(m.group(1)) && !rule.targetTypes.contains("Resource")) {
      unsure(at, "reference to a type the element does not allow");
    }
  }

  /** {@code #id}: a resource contained in the root resource, of a type the element allows. */
  private void localReference(Reference reference, ElementRule rule, Loc at) {
    String id = reference.getReference().substring(1);
    Resource target = null;
    if (root instanceof DomainResource container) {
      for (Resource c : container.getContained()) {
        if (id.equals(Invariants.localId(c))) {
          target = c;
        }
      }
    }
    if (target == null || reference.hasType()) {
      unsure(at, "local reference not understood");
      return;
    }
    if (rule.targetTypes == null || !rule.targetTypes.contains(target.fhirType()) && !rule.targetTypes.contains("Resource")) {
      unsure(at, "reference to a type the element does not allow");
    }
  }

  private void extension(Extension extension, ElementRule rule, Loc at) {
    String url = extension.getUrl();
    if (url == null || !(url.contains("://") || url.startsWith("urn:"))) {
      if (rule.children.isEmpty()) {
        unsure(at, "relative extension url outside a complex extension's slice");
      } else {
        children(extension, rule, at);
      }
      return;
    }
    CompiledProfile definition = profiles.profile(url);
    if (!"Extension".equals(definition.type)) {
      unsure(at, "extension without a known definition");
      return;
    }
    if (definition != rule.owner) {
      element(extension, definition.root, at, null);
    }
    if (!rule.children.isEmpty()) {
      children(extension, rule, at);
    }
  }
}
