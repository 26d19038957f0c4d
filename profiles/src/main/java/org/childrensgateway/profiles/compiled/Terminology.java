package org.childrensgateway.profiles.compiled;

import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.context.support.ValueSetExpansionOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Code and value-set knowledge taken from the validator's own support chain, precomputed so that a
 * check is a map look-up: value sets enumerated by HAPI's in-memory expansion, code systems from
 * the loaded CodeSystems. Anything that cannot be known completely this way (a value set HAPI
 * cannot expand, a code system only present as a fragment, the common code systems HAPI checks by
 * program such as UCUM) is reported as not understood, except UCUM codes, which are asked of the
 * chain once each and remembered.
 */
final class Terminology {

  /** How a coding stands against the code system it names. */
  enum CodeStatus { KNOWN, UNKNOWN_CODE, SYSTEM_NOT_LOADED, NOT_UNDERSTOOD }

  /** Systems the chain checks by program (CommonCodeSystemsTerminologyService, the retired NHS statuses). */
  private static final Set<String> PROGRAMMATIC_SYSTEMS = Set.of(
      "http://unitsofmeasure.org", "urn:ietf:bcp:47", "urn:ietf:bcp:13", "urn:iso:std:iso:3166",
      "urn:iso:std:iso:3166:-2", "urn:iso:std:iso:4217", "https://www.usps.com/",
      "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus");
  private static final String UCUM = "http://unitsofmeasure.org";
  private static final int MAX_REMEMBERED = 10_000;

  private final IValidationSupport support;
  private final ValidationSupportContext context;
  /** What the chain holds for a system: nothing, a partial CodeSystem, or all its codes (to displays). */
  private record Loaded(CodeStatus whenAbsent, Map<String, String> codes) {}

  private static final Loaded NOT_LOADED = new Loaded(CodeStatus.SYSTEM_NOT_LOADED, null);
  private static final Loaded PARTIAL = new Loaded(CodeStatus.NOT_UNDERSTOOD, null);

  private final Map<String, Loaded> codeSystems = new ConcurrentHashMap<>();
  private final Map<String, Boolean> ucumCodes = new ConcurrentHashMap<>();

  Terminology(IValidationSupport support) {
    this.support = support;
    this.context = new ValidationSupportContext(support);
  }

  /** The value set's codes ("system|code" to display), or null if it cannot be enumerated completely. */
  Map<String, String> enumerate(String valueSetUrl) {
    IValidationSupport.ValueSetExpansionOutcome outcome;
    try {
      outcome = support.expandValueSet(context, new ValueSetExpansionOptions().setFailOnMissingCodeSystem(true), valueSetUrl);
    } catch (RuntimeException e) {
      return null;
    }
    if (outcome == null || outcome.getError() != null || !(outcome.getValueSet() instanceof ValueSet vs)) {
      return null;
    }
    ValueSet.ValueSetExpansionComponent expansion = vs.getExpansion();
    if (expansion.hasTotal() && expansion.getTotal() != count(expansion.getContains())) {
      return null; // a partial expansion
    }
    for (ValueSet.ValueSetExpansionParameterComponent p : expansion.getParameter()) {
      if (p.getName().startsWith("limitedExpansion") || p.getName().equals("incomplete")) {
        return null;
      }
    }
    Map<String, String> codes = new HashMap<>();
    if (!collect(expansion.getContains(), codes)) {
      return null;
    }
    return java.util.Collections.unmodifiableMap(codes); // displays may be null
  }

  private static int count(List<ValueSet.ValueSetExpansionContainsComponent> contains) {
    int n = 0;
    for (ValueSet.ValueSetExpansionContainsComponent c : contains) {
      n += (c.hasCode() ? 1 : 0) + count(c.getContains());
    }
    return n;
  }

  private static boolean collect(List<ValueSet.ValueSetExpansionContainsComponent> contains, Map<String, String> out) {
    for (ValueSet.ValueSetExpansionContainsComponent c : contains) {
      if (c.hasCode()) {
        if (!c.hasSystem() || c.getAbstract() || c.getInactive()) {
          return false; // abstract/inactive members have rules of their own in HAPI
        }
        out.put(c.getSystem() + "|" + c.getCode(), c.getDisplay());
      }
      if (!collect(c.getContains(), out)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The code's standing in its system. UNKNOWN_CODE only for a complete, loaded code system that
   * does not have it; systems nothing in the chain knows (or knows as a content-free stub) are
   * SYSTEM_NOT_LOADED (HAPI warns, configured so).
   */
  CodeStatus status(String system, String code, String display) {
    if (system == null || code == null || code.isBlank() || !code.equals(code.strip())) {
      return CodeStatus.NOT_UNDERSTOOD; // HAPI's handling of padded codes is its own
    }
    if (PROGRAMMATIC_SYSTEMS.contains(system)) {
      return UCUM.equals(system) && display == null && validUcum(code) ? CodeStatus.KNOWN : CodeStatus.NOT_UNDERSTOOD;
    }
    Loaded loaded = codeSystems.get(system);
    if (loaded == null) {
      loaded = load(system);
      if (codeSystems.size() < MAX_REMEMBERED) { // systems come from input: keep the memory bounded
        codeSystems.put(system, loaded);
      }
    }
    if (loaded.codes() == null) {
      return loaded.whenAbsent();
    }
    Map<String, String> concepts = loaded.codes();
    if (!concepts.containsKey(code)) {
      return CodeStatus.UNKNOWN_CODE;
    }
    // A display other than the code system's is a warning (InMemoryTerminologyServerValidationSupport's default).
    return CodeStatus.KNOWN;
  }

  private Loaded load(String system) {
    IBaseResource found = support.fetchCodeSystem(system);
    if (found == null) {
      return NOT_LOADED;
    }
    if (found instanceof CodeSystem cs && cs.getContent() == CodeSystem.CodeSystemContentMode.NOTPRESENT) {
      return NOT_LOADED; // a stub (SNOMED CT in the core package): HAPI cannot check its codes either, and warns
    }
    if (!(found instanceof CodeSystem cs) || cs.getContent() != CodeSystem.CodeSystemContentMode.COMPLETE || cs.hasSupplements()) {
      return PARTIAL;
    }
    Map<String, String> out = new HashMap<>();
    flatten(cs.getConcept(), out);
    return new Loaded(CodeStatus.UNKNOWN_CODE, Map.copyOf(out));
  }

  private static void flatten(List<ConceptDefinitionComponent> concepts, Map<String, String> out) {
    for (ConceptDefinitionComponent c : concepts) {
      out.put(c.getCode(), c.hasDisplay() ? c.getDisplay() : "");
      flatten(c.getConcept(), out);
    }
  }

  private boolean validUcum(String code) {
    Boolean known = ucumCodes.get(code);
    if (known == null) {
      IValidationSupport.CodeValidationResult result =
          support.validateCode(context, new ConceptValidationOptions(), UCUM, code, null, null);
      known = result != null && result.isOk() && result.getSeverity() == null;
      if (ucumCodes.size() < MAX_REMEMBERED) {
        ucumCodes.put(code, known);
      }
    }
    return known;
  }
}
