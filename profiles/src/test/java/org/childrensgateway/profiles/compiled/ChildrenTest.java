package org.childrensgateway.profiles.compiled;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link Children} reads the same children as {@link Base#children()}: the same names, order and
 * repetition for every R4 resource and datatype class, every name answered by the model (so the
 * fallback is needed only for Narrative), and the same values, element by element, in populated resources.
 */
class ChildrenTest {

  private static final FhirContext CONTEXT = FhirContext.forR4Cached();

  @Test
  void everyModelClassAnswersEveryChildByName() {
    List<Base> instances = new ArrayList<>();
    for (String type : CONTEXT.getResourceTypes()) {
      instances.add((Base) CONTEXT.getResourceDefinition(type).newInstance());
    }
    for (BaseRuntimeElementDefinition<?> def : CONTEXT.getElementDefinitions()) {
      try {
        Object o = def.newInstance();
        if (o instanceof Base b) {
          instances.add(b);
        }
      } catch (RuntimeException e) {
        // abstract or parameterised definitions have no instance of their own
      }
    }
    assertThat(instances).hasSizeGreaterThan(190);
    for (Base b : instances) {
      assertSame(b);
    }
  }

  @Test
  void populatedResourcesHaveTheSameValuesElementByElement() {
    String[] json = {
        """
        {"resourceType": "Patient", "id": "p1", "meta": {"versionId": "1", "profile": ["http://x/p"], "tag": [{"code": "t"}]},
         "extension": [{"url": "http://e", "valueString": "v"}], "identifier": [{"system": "s", "value": "1"}, {"value": "2"}],
         "name": [{"family": "F", "given": ["A", "B"]}], "gender": "female", "birthDate": "2020-01-01",
         "_birthDate": {"extension": [{"url": "http://t", "valueDateTime": "2020-01-01T10:00:00Z"}]},
         "deceasedBoolean": false, "address": [{"line": ["1"], "postalCode": "CF10 1AA"}],
         "contact": [{"relationship": [{"text": "mother"}], "name": {"text": "M"}}],
         "link": [{"other": {"reference": "Patient/p2"}, "type": "seealso"}]}""",
        """
        {"resourceType": "Observation", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
         "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2024-01-01",
         "valueQuantity": {"value": 12.5, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"},
         "component": [{"code": {"text": "c"}, "valueString": "s"}]}""",
        """
        {"resourceType": "CarePlan", "status": "active", "intent": "plan", "subject": {"reference": "Patient/p1"},
         "contained": [{"resourceType": "Goal", "id": "g1", "lifecycleStatus": "active", "description": {"text": "d"},
                        "subject": {"reference": "Patient/p1"}}],
         "goal": [{"reference": "#g1"}], "period": {"start": "2024-01-01"},
         "activity": [{"detail": {"status": "scheduled", "description": "x"}}]}"""};
    for (String j : json) {
      walk((Base) CONTEXT.newJsonParser().parseResource(j));
    }
  }

  private static void assertSame(Base b) {
    List<Property> properties = b.children();
    Children.Slot[] slots = Children.slots(b);
    List<Base>[] values = Children.values(b, slots);
    if (b instanceof org.hl7.fhir.r4.model.Narrative) {
      assertThat(values).isNull(); // read through children()
      return;
    }
    assertThat(values).as(b.fhirType()).isNotNull();
    assertThat(slots).as(b.fhirType()).hasSameSizeAs(properties);
    for (int i = 0; i < slots.length; i++) {
      Property p = properties.get(i);
      assertThat(slots[i].name()).as(b.fhirType()).isEqualTo(p.getName());
      assertThat(slots[i].list()).as(b.fhirType() + "." + p.getName()).isEqualTo(p.isList());
      List<Base> expected = p.getValues().stream().filter(v -> v != null).toList();
      assertThat(values[i].stream().filter(v -> v != null).toList()).as(b.fhirType() + "." + p.getName())
          .containsExactlyElementsOf(expected);
    }
  }

  private static void walk(Base b) {
    assertSame(b);
    for (Property p : b.children()) {
      for (Base v : p.getValues()) {
        if (v != null) {
          walk(v);
        }
      }
    }
  }
}
