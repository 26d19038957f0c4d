package org.childrensgateway.profiles.compiled;

import static org.childrensgateway.profiles.compiled.Invariant.Result.FAILS;
import static org.childrensgateway.profiles.compiled.Invariant.Result.HOLDS;
import static org.childrensgateway.profiles.compiled.Invariant.Result.UNKNOWN;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Java renderings of the FHIRPath constraints the gateway's profiles (and the FHIR core types and
 * R4 vital-signs profiles they use) carry with severity error. Each is registered under its key
 * together with the exact expression it renders: a constraint with that key but another expression
 * (a changed profile, another package's reuse of a key) gets no implementation, and the compiler
 * marks the element not understood, so HAPI decides.
 */
final class Invariants {

  private record Registered(String key, String expression, BiFunction<Base, Base, Invariant.Result> check) implements Invariant {
    @Override
    public Result evaluate(Base focus, Base resource) {
      return check.apply(focus, resource);
    }
  }

  private static final Map<String, Registered> BY_KEY = new HashMap<>();
  private static final String UCUM = "http://unitsofmeasure.org";
  private static final Set<String> ASQ_DOMAINS = Set.of("COM", "GM", "FM", "PS", "PSOC");

  static {
    register("ele-1", "hasValue() or (children().count() > id.count())", (f, r) -> of(hasContent(f)));
    register("ext-1", "extension.exists() != value.exists()", (f, r) -> of(exists(f, "extension") != exists(f, "value[x]")));
    // Contained resources: each is walked on its own by the Walker (which is unsure of anything unusual in
    // them); these decide the container's rules about them, and are unsure rather than failing.
    register("dom-2", "contained.contained.empty()", (f, r) -> allContained(f, c -> !exists(c, "contained")));
    register("dom-3", "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) "
        + "| %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() "
        + "or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not())"
        + ".trace('unmatched', id).empty()", (f, r) -> everyContainedReferenced(f));
    register("dom-4", "contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()",
        (f, r) -> allContained(f, c -> !(c instanceof Resource res) || !res.hasMeta() || !res.getMeta().hasVersionId() && !res.getMeta().hasLastUpdated()));
    register("dom-5", "contained.meta.security.empty()",
        (f, r) -> allContained(f, c -> !(c instanceof Resource res) || !res.hasMeta() || !res.getMeta().hasSecurity()));
    register("obs-6", "dataAbsentReason.empty() or value.empty()", (f, r) -> of(!exists(f, "dataAbsentReason") || !exists(f, "value[x]")));
    register("obs-7", "value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()",
        (f, r) -> !exists(f, "value[x]") || !exists(f, "component") ? HOLDS : UNKNOWN);
    register("obs-3", "low.exists() or high.exists() or text.exists()", (f, r) -> of(exists(f, "low") || exists(f, "high") || exists(f, "text")));
    register("vs-1", "($this as dateTime).toString().length() >= 8",
        (f, r) -> f instanceof BaseDateTimeType d && "dateTime".equals(f.fhirType()) ? of(d.getValueAsString().length() >= 8) : UNKNOWN);
    register("vs-2", "(component.empty() and hasMember.empty()) implies (dataAbsentReason.exists() or value.exists())",
        (f, r) -> of(exists(f, "component") || exists(f, "hasMember") || exists(f, "dataAbsentReason") || exists(f, "value[x]")));
    register("vs-3", "value.exists() or dataAbsentReason.exists()", (f, r) -> of(exists(f, "value[x]") || exists(f, "dataAbsentReason")));
    register("per-1", "start.hasValue().not() or end.hasValue().not() or (start <= end)", Invariants::periodInOrder);
    register("pat-1", "name.exists() or telecom.exists() or address.exists() or organization.exists()",
        (f, r) -> of(exists(f, "name") || exists(f, "telecom") || exists(f, "address") || exists(f, "organization")));
    register("ppc-1", "policy.exists() or policyRule.exists()", (f, r) -> of(exists(f, "policy") || exists(f, "policyRule")));
    // R4 ships these with system='something', which no coding has: they always hold.
    for (String[] k : new String[][] {{"ppc-2", "patient-privacy"}, {"ppc-3", "research"}, {"ppc-4", "adr"}, {"ppc-5", "treatment"}}) {
      register(k[0], "patient.exists() or scope.coding.where(system='something' and code='" + k[1] + "').exists().not()", (f, r) -> HOLDS);
    }
    register("qty-3", "code.empty() or system.exists()", (f, r) -> of(!exists(f, "code") || exists(f, "system")));
    register("sqty-1", "comparator.empty()", (f, r) -> of(!exists(f, "comparator")));
    register("cpt-2", "value.empty() or system.exists()", (f, r) -> of(!exists(f, "value") || exists(f, "system")));
    register("att-1", "data.empty() or contentType.exists()", (f, r) -> of(!exists(f, "data") || exists(f, "contentType")));
    register("cpl-3", "detail.empty() or reference.empty()", (f, r) -> of(!exists(f, "detail") || !exists(f, "reference")));
    register("ref-1", "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))",
        (f, r) -> !(f instanceof Reference ref) || !ref.hasReference() || !ref.getReference().startsWith("#") ? HOLDS
            : containedIds(r).contains(ref.getReference().substring(1)) ? HOLDS : UNKNOWN);
    register("cg-nhs-1", "matches('^[0-9]{10}$')", (f, r) -> text(f) == null ? UNKNOWN : of(text(f).matches("[0-9]{10}")));
    register("cg-nhs-2", "matches('^[0-9]{10}$') implies (11 - (($this.substring(0,1).toInteger() * 10 + $this.substring(1,1).toInteger() * 9"
        + " + $this.substring(2,1).toInteger() * 8 + $this.substring(3,1).toInteger() * 7 + $this.substring(4,1).toInteger() * 6"
        + " + $this.substring(5,1).toInteger() * 5 + $this.substring(6,1).toInteger() * 4 + $this.substring(7,1).toInteger() * 3"
        + " + $this.substring(8,1).toInteger() * 2) mod 11)) mod 11 = $this.substring(9,1).toInteger()", (f, r) -> nhsModulus11(text(f)));
    register("cg-asq-1", "code.coding.where(system = 'https://fhir.childrens-gateway.uk/CodeSystem/asq3' and (code = 'COM' or code = 'GM'"
        + " or code = 'FM' or code = 'PS' or code = 'PSOC')).exists() implies ((value.ofType(integer) | value.ofType(Quantity).value)"
        + ".all($this >= 0 and $this <= 60))", Invariants::asqDomainScoreInRange);
    register("age-1", "(code.exists() or value.empty()) and (system.empty() or system = %ucum) and (value.empty() or value.hasValue().not() or value > 0)",
        (f, r) -> f instanceof Quantity q ? of((q.hasCode() || !q.hasValueElement()) && (!q.hasSystem() || UCUM.equals(q.getSystem()))
            && (!q.hasValue() || q.getValue().signum() > 0)) : UNKNOWN);
    register("drt-1", "code.exists() implies ((system = %ucum) and value.exists())",
        (f, r) -> f instanceof Quantity q ? of(!q.hasCode() || (UCUM.equals(q.getSystem()) && q.hasValueElement())) : UNKNOWN);
  }

  private Invariants() {}

  private static void register(String key, String expression, BiFunction<Base, Base, Invariant.Result> check) {
    BY_KEY.put(key, new Registered(key, expression, check));
  }

  /** The implementation of this constraint, or null if there is none for exactly this expression. */
  static Invariant forConstraint(String key, String expression) {
    Registered r = BY_KEY.get(key);
    return r != null && r.expression().equals(expression) ? r : null;
  }

  private static Invariant.Result of(boolean holds) {
    return holds ? HOLDS : FAILS;
  }

  private static List<Base> values(Base element, String name) {
    return Elements.values(element, name);
  }

  private static boolean exists(Base element, String name) {
    return Elements.exists(element, name);
  }

  /** FHIRPath's hasValue() or a child other than id (children() of a primitive are its id and extensions). */
  private static boolean hasContent(Base element) {
    if (element instanceof PrimitiveType<?> p) {
      return p.hasValue() || p.hasExtension();
    }
    if (element instanceof Element e && !e.hasId()) {
      return !e.isEmpty(); // anything it has is a child other than id
    }
    for (Property p : element.children()) {
      if (!p.getName().equals("id") && p.getValues().stream().anyMatch(v -> v != null && !v.isEmpty())) {
        return true;
      }
    }
    return false;
  }

  /** HOLDS if every contained resource of the focus satisfies {@code rule} (or there is none), else UNKNOWN. */
  private static Invariant.Result allContained(Base focus, java.util.function.Predicate<Base> rule) {
    for (Base c : values(focus, "contained")) {
      if (!rule.test(c)) {
        return UNKNOWN;
      }
    }
    return HOLDS;
  }

  /** A contained resource's id without the '#' HAPI may keep on it; null if it has none. */
  static String localId(Resource contained) {
    String id = contained.getIdElement().getIdPart();
    if (id != null && id.startsWith("#")) {
      id = id.substring(1);
    }
    return id == null || id.isEmpty() ? null : id;
  }

  /** The ids of the root resource's contained resources. */
  static Set<String> containedIds(Base root) {
    Set<String> ids = new java.util.HashSet<>();
    if (root != null) {
      for (Base c : values(root, "contained")) {
        String id = c instanceof Resource res ? localId(res) : null;
        if (id != null) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  /**
   * dom-3 in the shape the mappers make (each contained resource referenced by {@code #id} from a
   * Reference somewhere in the resource); anything else (canonical or uri references, a reference
   * back to the container) is left undecided.
   */
  private static Invariant.Result everyContainedReferenced(Base focus) {
    List<Base> contained = values(focus, "contained");
    if (contained.isEmpty()) {
      return HOLDS;
    }
    Set<String> referenced = new java.util.HashSet<>();
    collectLocalReferences(focus, referenced);
    for (Base c : contained) {
      String id = c instanceof Resource res ? localId(res) : null;
      if (id == null || !referenced.contains("#" + id)) {
        return UNKNOWN;
      }
    }
    return HOLDS;
  }

  private static void collectLocalReferences(Base element, Set<String> out) {
    if (element instanceof Reference ref && ref.hasReference() && ref.getReference().startsWith("#")) {
      out.add(ref.getReference());
    }
    if (element instanceof PrimitiveType<?>) {
      return;
    }
    for (Property p : element.children()) {
      for (Base v : p.getValues()) {
        if (v != null) {
          collectLocalReferences(v, out);
        }
      }
    }
  }

  private static String text(Base focus) {
    return focus instanceof PrimitiveType<?> p && p.hasValue() ? p.getValueAsString() : null;
  }

  /** Decided only for two values of the same precision and zone form, where FHIRPath's comparison is plain. */
  private static Invariant.Result periodInOrder(Base period, Base resource) {
    List<Base> start = values(period, "start");
    List<Base> end = values(period, "end");
    if (start.isEmpty() || end.isEmpty()
        || !(start.get(0) instanceof BaseDateTimeType s) || !(end.get(0) instanceof BaseDateTimeType e) || !s.hasValue() || !e.hasValue()) {
      return HOLDS;
    }
    boolean zoned = s.getTimeZone() != null;
    if (s.getPrecision() != e.getPrecision() || zoned != (e.getTimeZone() != null)
        || (s.getPrecision().ordinal() > TemporalPrecisionEnum.DAY.ordinal() && !zoned)) {
      return UNKNOWN;
    }
    return of(!s.getValue().after(e.getValue()));
  }

  private static Invariant.Result nhsModulus11(String value) {
    if (value == null) {
      return UNKNOWN;
    }
    if (!value.matches("[0-9]{10}")) {
      return HOLDS;
    }
    int sum = 0;
    for (int i = 0; i < 9; i++) {
      sum += (value.charAt(i) - '0') * (10 - i);
    }
    return of((11 - sum % 11) % 11 == value.charAt(9) - '0');
  }

  private static Invariant.Result asqDomainScoreInRange(Base observation, Base resource) {
    boolean domain = false;
    for (Base code : values(observation, "code")) {
      for (Base c : values(code, "coding")) {
        domain |= c instanceof Coding coding && "https://fhir.childrens-gateway.uk/CodeSystem/asq3".equals(coding.getSystem())
            && ASQ_DOMAINS.contains(coding.getCode());
      }
    }
    if (!domain) {
      return HOLDS;
    }
    for (Base v : values(observation, "value[x]")) {
      BigDecimal n = v instanceof IntegerType i && i.hasValue() ? BigDecimal.valueOf(i.getValue())
          : v instanceof Quantity q && q.hasValue() ? q.getValue() : null;
      if (n == null) {
        continue; // empty values and other types add nothing to value.ofType(integer) | value.ofType(Quantity).value
      }
      if (n.signum() < 0 || n.compareTo(BigDecimal.valueOf(60)) > 0) {
        return FAILS;
      }
    }
    return HOLDS;
  }
}
