package org.childrensgateway.profiles.compiled;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Base;
import org.junit.jupiter.api.Test;

/**
 * The walk's remembered look-ups answer what the maps they stand for answer: a rule's child rules by
 * slot ({@link ElementRule#childrenBySlot}) are {@code children.get(name)} of each slot, for every
 * model class, however many classes one rule is walked against and in whatever order; a rule's type
 * profiles ({@link ElementRule#typeProfiles}) are {@code types.get(code)}, for equal strings that are
 * not the same object too; {@link PrimitiveFormats#isKnownSystem} answers the same the second time.
 */
class ElementRuleLookupsTest {

  private static final FhirContext CONTEXT = FhirContext.forR4Cached();

  @Test
  void childRulesBySlotAreTheRulesOfTheSlotsNames() {
    ElementRule container = new ElementRule(new CompiledProfile("http://x/p", "Patient"), "Patient", "Patient");
    for (String name : List.of("identifier", "value[x]", "extension", "name", "code", "status", "id")) {
      container.children.put(name, new ElementRule(container.owner, "Patient." + name, name));
    }
    List<Base> instances = new ArrayList<>();
    for (BaseRuntimeElementDefinition<?> def : CONTEXT.getElementDefinitions()) {
      try {
        if (def.newInstance() instanceof Base b) {
          instances.add(b);
        }
      } catch (RuntimeException e) {
        // abstract or parameterised definitions have no instance of their own
      }
    }
    for (String type : List.of("Patient", "Observation", "Consent", "RelatedPerson")) {
      instances.add(CONTEXT.getResourceDefinition(type).newInstance() instanceof Base b ? b : null);
    }
    assertThat(instances).hasSizeGreaterThan(20); // far more classes than one rule remembers
    for (int round = 0; round < 3; round++) { // first learnt, then remembered (or past the limit, looked up)
      for (Base b : instances) {
        Children.Slot[] slots = Children.slots(b);
        ElementRule[] rules = container.childrenBySlot(b.getClass(), slots);
        assertThat(rules).hasSize(slots.length);
        for (int k = 0; k < slots.length; k++) {
          assertThat(rules[k]).as(b.getClass().getSimpleName() + "." + slots[k].name())
              .isSameAs(container.children.get(slots[k].name()));
        }
      }
    }
  }

  @Test
  void typeProfilesAreTheTypesMapsAnswer() {
    ElementRule rule = new ElementRule(new CompiledProfile("http://x/p", "Observation"), "Observation.value[x]", "value[x]");
    rule.types.put("Quantity", List.of("http://x/q"));
    rule.types.put("string", List.of());
    for (int round = 0; round < 3; round++) {
      assertThat(rule.typeProfiles("Quantity")).containsExactly("http://x/q");
      assertThat(rule.typeProfiles(new String("Quantity"))).containsExactly("http://x/q");
      assertThat(rule.typeProfiles("string")).isEmpty();
      assertThat(rule.typeProfiles("CodeableConcept")).isNull();
      assertThat(rule.typeProfiles(new String("string"))).isEmpty();
    }
    assertThat(rule.singleType()).isNull();
    ElementRule single = new ElementRule(rule.owner, "Observation.status", "status");
    single.types.put("code", List.of());
    assertThat(single.singleType()).isEqualTo("code");
    assertThat(single.singleType()).isEqualTo("code");
  }

  @Test
  void knownSystemsAnswerTheSameWhenRemembered() {
    for (int round = 0; round < 2; round++) {
      assertThat(PrimitiveFormats.isKnownSystem("https://fhir.nhs.uk/Id/nhs-number")).isTrue();
      assertThat(PrimitiveFormats.isKnownSystem("http://snomed.info/sct")).isTrue();
      assertThat(PrimitiveFormats.isKnownSystem("htdps://fhir.nhs.uk/Id/nhs-number")).isFalse();
      assertThat(PrimitiveFormats.isKnownSystem("https://fhir.nhs.uk/Id/nhs number")).isFalse();
    }
  }
}
