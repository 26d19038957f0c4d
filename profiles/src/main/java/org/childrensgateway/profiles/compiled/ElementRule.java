package org.childrensgateway.profiles.compiled;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;

/**
 * One element definition of a snapshot, compiled: what an instance element matched to it must
 * satisfy. Built by {@link ProfileCompiler}, read-only afterwards (so safe to share).
 */
final class ElementRule {

  /** Slicing of this element: the discriminators (all supported kinds) and whether it is closed. */
  record Slicing(List<Discriminator> discriminators, boolean closed) {}

  /** A discriminator of a supported kind: {@code value}/{@code pattern} on a path, or {@code type} on $this. */
  record Discriminator(boolean byType, String path) {}

  final CompiledProfile owner;
  final String id;
  final String name;
  int min;
  /** -1 for unbounded. */
  int max = -1;
  /** Allowed type codes, each to the profiles it must conform to (empty: the type's base definition). */
  final Map<String, List<String>> types = new LinkedHashMap<>();
  /** For Reference elements: the resource types a reference may name, null if any. */
  Set<String> targetTypes;
  Base fixed;
  Base pattern;
  /** The required, extensible or preferred binding, or null. */
  Binding binding;
  final List<Invariant> invariants = new ArrayList<>();
  /** Why an instance element matched here cannot be checked by this code (null: it can). */
  String unsure;
  Slicing slicing;
  String sliceName;
  final List<ElementRule> slices = new ArrayList<>();
  final Map<String, ElementRule> children = new LinkedHashMap<>();
  /** "#id" of the element whose content this one reuses (e.g. Consent.provision.provision), or null. */
  String contentReference;
  private int required = -1;

  ElementRule(CompiledProfile owner, String id, String name) {
    this.owner = owner;
    this.id = id;
    this.name = name;
  }

  void markUnsure(String why) {
    if (unsure == null) {
      unsure = why;
    }
  }

  /** How many children must be present (min > 0), which the model's properties must all cover. */
  int requiredChildren() {
    int n = required;
    if (n < 0) { // computed once the rule is complete; a race only computes it twice
      n = 0;
      for (ElementRule c : children.values()) {
        if (c.min > 0) {
          n++;
        }
      }
      required = n;
    }
    return n;
  }

  /** The single type code, or null if several (or none) are allowed. */
  String singleType() {
    return types.size() == 1 ? types.keySet().iterator().next() : null;
  }
}
