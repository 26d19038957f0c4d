package org.childrensgateway.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import java.util.TreeSet;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * The reusing validator gives HAPI's own answers (same messages for valid and invalid resources),
 * and a reused instance holds on to nothing from the resources it validated.
 */
class ReusingInstanceValidatorTest {

  private final ProfileValidatorFactory factory = ProfileValidatorFactory.shared();

  @Test
  void sameMessagesAsHapisOwnValidator() {
    FhirContext ctx = factory.getFhirContext();
    FhirInstanceValidator plain = new FhirInstanceValidator(factory.getValidationSupport());
    plain.setAnyExtensionsAllowed(true);
    plain.setErrorForUnknownProfiles(true);
    plain.setBestPracticeWarningLevel(org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel.Ignore);
    FhirValidator hapi = ctx.newValidator();
    hapi.setValidateAgainstStandardSchema(false);
    hapi.setValidateAgainstStandardSchematron(false);
    hapi.registerValidatorModule(plain);

    Patient noBirthDate = patient(1);
    noBirthDate.setBirthDate(null);
    Observation badCode = observation(2);
    badCode.getCode().getCodingFirstRep().setSystem("http://loinc.org").setCode("not-a-code");
    Patient unknownProfile = patient(3);
    unknownProfile.getMeta().addProfile("https://example.org/StructureDefinition/nothing");
    for (IBaseResource r : List.of(patient(0), observation(0), noBirthDate, badCode, unknownProfile)) {
      String profile = ProfileValidatorFactory.defaultProfileUrl(r.fhirType()).orElseThrow();
      // Twice through the reusing validator: the second run uses a pooled instance.
      factory.validateWithResult(r, profile);
      ValidationResult reused = factory.validateWithResult(r, profile);
      ValidationResult own = hapi.validateWithResult(r, new ValidationOptions().addProfile(profile));
      assertEquals(messages(own), messages(reused), r.fhirType());
    }
    assertFalse(messages(factory.validateWithResult(noBirthDate, ProfileUrls.CHILD_PATIENT)).stream()
        .noneMatch(m -> m.startsWith("ERROR")), "a child without a birth date is still an error");
  }

  @Test
  void reusedInstancesKeepNothingFromValidatedResources() throws Exception {
    for (int i = 0; i < 50; i++) {
      factory.validateWithResult(observation(i), ProfileUrls.CHILD_OBSERVATION);
    }
    ReusingInstanceValidator module = (ReusingInstanceValidator) moduleOf(factory.getValidator());
    assertFalse(module.pooled().isEmpty());
    for (var v : module.pooled()) {
      assertEquals(0, ReusingInstanceValidator.observedCodings(v));
    }
  }

  private static Object moduleOf(FhirValidator validator) throws Exception {
    var f = FhirValidator.class.getDeclaredField("myValidators");
    f.setAccessible(true);
    List<?> modules = (List<?>) f.get(validator);
    assertTrue(modules.get(0) instanceof ReusingInstanceValidator);
    return modules.get(0);
  }

  private static TreeSet<String> messages(ValidationResult result) {
    TreeSet<String> out = new TreeSet<>();
    for (SingleValidationMessage m : result.getMessages()) {
      out.add(m.getSeverity() + " " + m.getLocationString() + " " + m.getMessage());
    }
    return out;
  }

  private static Patient patient(int i) {
    Patient p = new Patient();
    p.addIdentifier().setSystem("https://fhir.childrens-gateway.uk/Id/rio/RX9/client").setValue("R" + i);
    p.addName().setFamily("Jones").addGiven("Amelia");
    p.setGender(Enumerations.AdministrativeGender.FEMALE);
    p.setBirthDateElement(new DateType("2023-05-14"));
    return p;
  }

  private static Observation observation(int i) {
    Observation o = new Observation();
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/observation-category").setCode("vital-signs");
    o.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("27113001");
    o.setSubject(new Reference("Patient/p" + i));
    o.setEffective(new DateTimeType("2024-01-01T10:00:00Z"));
    o.setValue(new Quantity().setValue(12.5 + i).setUnit("kg").setSystem("http://unitsofmeasure.org").setCode("kg"));
    return o;
  }
}
