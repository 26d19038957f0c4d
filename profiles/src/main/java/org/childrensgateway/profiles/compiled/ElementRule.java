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
    Object s = single;
    if (s == UNSET) { // computed once the rule is complete, as required is
      s = types.size() == 1 ? types.keySet().iterator().next() : null;
      single = s;
    }
    return (String) s;
  }

  private static final Object UNSET = new Object();
  private volatile Object single = UNSET;

  /**
   * The profiles {@link #types} gives a type code, the last answer kept: the walk asks this for
   * every element, nearly always with the same type, and the model's type codes are constants, so
   * the same string object hits without a hash look-up.
   */
  List<String> typeProfiles(String type) {
    TypeEntry last = lastType;
    if (last != null && last.type == type) {
      return last.profiles;
    }
    List<String> profiles = types.get(type);
    if (profiles != null) {
      lastType = new TypeEntry(type, profiles);
    }
    return profiles;
  }

  private record TypeEntry(String type, List<String> profiles) {}

  private volatile TypeEntry lastType;

  /**
   * The child rule for each slot of a model class ({@link Children#slots}, null where this rule has
   * none), learnt once per class: the walk looked each slot's name up in {@link #children} on every
   * element of every checked resource, most of them empty slots, and that look-up was the largest
   * single cost of the compiled checks. A few classes are kept (a rule is nearly always walked
   * against one); beyond them the rules are looked up as before, uncached.
   */
  ElementRule[] childrenBySlot(Class<?> type, Children.Slot[] slots) {
    SlotRules[] known = bySlot;
    for (SlotRules k : known) {
      if (k.type == type) {
        return k.rules;
      }
    }
    ElementRule[] rules = new ElementRule[slots.length];
    for (int i = 0; i < slots.length; i++) {
      rules[i] = children.get(slots[i].name());
    }
    if (known.length < MAX_CLASSES) { // a race only learns a class twice
      SlotRules[] more = java.util.Arrays.copyOf(known, known.length + 1);
      more[known.length] = new SlotRules(type, rules);
      bySlot = more;
    }
    return rules;
  }

  private static final int MAX_CLASSES = 8;

  private record SlotRules(Class<?> type, ElementRule[] rules) {}

  private volatile SlotRules[] bySlot = new SlotRules[0];
}
