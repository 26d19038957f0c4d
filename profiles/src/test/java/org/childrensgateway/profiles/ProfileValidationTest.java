package org.childrensgateway.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Valid examples pass, invalid ones fail with a message naming the problem. */
class ProfileValidationTest {

  private static ProfileValidatorFactory factory;

  @BeforeAll
  static void buildOnce() {
    long start = System.nanoTime();
    factory = ProfileValidatorFactory.shared();
    long built = (System.nanoTime() - start) / 1_000_000;
    long warm = factory.warmUp();
    long one = System.nanoTime();
    factory.validate(Examples.childPatient());
    System.out.printf(
        "Validator built in %d ms, warm-up %d ms, one Patient validation %d ms%n",
        built, warm, (System.nanoTime() - one) / 1_000_000);
  }

  @Test
  void everyStructureDefinitionGetsASnapshotWithoutErrors() {
    Map<String, List<String>> problems = factory.checkSnapshots();
    assertThat(problems).hasSize(factory.getConformancePackage().getStructureDefinitions().size());
    problems.forEach((url, list) -> assertThat(list).as("snapshot problems for %s", url).isEmpty());
  }

  static Stream<Arguments> validExamples() {
    return Stream.of(
        Arguments.of("ChildPatient", (Supplier<IBaseResource>) Examples::childPatient),
        Arguments.of("CarerRelatedPerson", (Supplier<IBaseResource>) Examples::carer),
        Arguments.of("ChildConsent", (Supplier<IBaseResource>) Examples::consent),
        Arguments.of("ChildObservation (attendance)", (Supplier<IBaseResource>) Examples::centreAttendance),
        Arguments.of("GrowthObservation (weight)", (Supplier<IBaseResource>) Examples::growthWeight),
        Arguments.of("Asq3DomainScoreObservation (COM)", (Supplier<IBaseResource>) () -> Examples.asq3Communication(45)),
        Arguments.of("EyfsProgressCheckObservation (CL)", (Supplier<IBaseResource>) () -> Examples.eyfs("CL", "expected")),
        Arguments.of("ServiceLevelObservation", (Supplier<IBaseResource>) () -> Examples.serviceLevel("universal-plus")),
        Arguments.of("ChildCarePlan", (Supplier<IBaseResource>) Examples::carePlan));
  }

  @ParameterizedTest(name = "{0} is valid")
  @MethodSource("validExamples")
  void validExamplePasses(String name, Supplier<IBaseResource> example) {
    assertThat(factory.validate(example.get())).as(name).isEmpty();
  }

  // ---- ChildPatient ----

  @Test
  void childPatientWithoutBirthDateFails() {
    Patient p = Examples.childPatient();
    p.setBirthDate(null);
    assertError(p, "Patient.birthDate", "minimum required = 1");
  }

  @Test
  void childPatientWithoutNameFails() {
    Patient p = Examples.childPatient();
    p.getName().clear();
    assertError(p, "Patient.name", "minimum required = 1");
  }

  @Test
  void childPatientWithTwoNhsNumbersFails() {
    Patient p = Examples.childPatient();
    p.addIdentifier(Examples.nhsNumber("9000000009", null, null));
    assertError(p, "nhsNumber", "max allowed = 1");
  }

  @Test
  void nhsNumberWithBadCheckDigitFails() {
    Patient p = Examples.childPatient();
    p.getIdentifierFirstRep().setValue("9434765918");
    assertError(p, "cg-nhs-2");
  }

  @Test
  void nhsNumberWithSpacesFails() {
    Patient p = Examples.childPatient();
    p.getIdentifierFirstRep().setValue("943 476 5919");
    assertError(p, "cg-nhs-1");
  }

  @Test
  void nhsNumberVerificationStatusAcceptsEnglandWalesAndRetiredSystems() {
    for (String system :
        List.of(
            ProfileUrls.CS_NHS_NUMBER_VERIFICATION_STATUS_ENGLAND,
            ProfileUrls.CS_NHS_NUMBER_VERIFICATION_STATUS_WALES,
            ProfileUrls.CS_NHS_NUMBER_VERIFICATION_STATUS_RETIRED)) {
      Patient p = Examples.childPatient();
      p.getIdentifier().set(0, Examples.nhsNumber(Examples.NHS_NUMBER, system, "01"));
      assertThat(factory.validate(p)).as(system).isEmpty();
    }
  }

  @Test
  void unknownNhsNumberVerificationStatusCodeFails() {
    Patient p = Examples.childPatient();
    p.getIdentifier()
        .set(0, Examples.nhsNumber(Examples.NHS_NUMBER, ProfileUrls.CS_NHS_NUMBER_VERIFICATION_STATUS_RETIRED, "99"));
    assertThat(factory.validate(p)).isNotEmpty();
  }

  @Test
  void unknownProfileInMetaIsAnError() {
    Patient p = Examples.childPatient();
    p.getMeta().getProfile().clear();
    p.getMeta().addProfile(ProfileUrls.BASE + "/StructureDefinition/NoSuchProfile");
    assertError(p, "NoSuchProfile");
  }

  @Test
  void defaultProfileAppliesWhenMetaProfileIsEmpty() {
    assertThat(ProfileValidatorFactory.defaultProfiles())
        .containsEntry("Patient", ProfileUrls.CHILD_PATIENT)
        .containsEntry("RelatedPerson", ProfileUrls.CARER_RELATED_PERSON)
        .containsEntry("Consent", ProfileUrls.CHILD_CONSENT)
        .containsEntry("Observation", ProfileUrls.CHILD_OBSERVATION)
        .containsEntry("CarePlan", ProfileUrls.CHILD_CARE_PLAN);
    assertThat(ProfileValidatorFactory.defaultProfileUrl("Organization")).isEmpty();

    Patient p = Examples.childPatient();
    p.getMeta().getProfile().clear();
    p.setBirthDate(null);
    assertThat(factory.validate(p)).as("base Patient allows no birthDate").isEmpty();
    assertThat(factory.validateWithDefaultProfile(p))
        .anySatisfy(i -> assertThat(i.message()).contains("Patient.birthDate"));
    assertThat(p.getMeta().getProfile()).as("resource not modified").isEmpty();
  }

  // ---- other profiles ----

  @Test
  void carerWithoutRelationshipFails() {
    RelatedPerson rp = Examples.carer();
    rp.getRelationship().clear();
    assertError(rp, "RelatedPerson.relationship", "minimum required = 1");
  }

  @Test
  void consentWithoutCategoryFails() {
    Consent c = Examples.consent();
    c.getCategory().clear();
    assertError(c, "Consent.category", "minimum required = 1");
  }

  @Test
  void consentWithoutPatientFails() {
    Consent c = Examples.consent();
    c.setPatient(null);
    assertError(c, "Consent.patient", "minimum required = 1");
  }

  @Test
  void carePlanWithoutSubjectFails() {
    CarePlan cp = Examples.carePlan();
    cp.setSubject(null);
    assertError(cp, "CarePlan.subject", "minimum required = 1");
  }

  @Test
  void childObservationWithoutEffectiveFails() {
    Observation o = Examples.centreAttendance();
    o.setEffective(null);
    assertError(o, "Observation.effective[x]", "minimum required = 1");
  }

  @Test
  void childObservationWithoutSubjectFails() {
    Observation o = Examples.centreAttendance();
    o.setSubject(null);
    assertError(o, "Observation.subject", "minimum required = 1");
  }

  @Test
  void eyfsObservationWithUnknownOutcomeFails() {
    assertError(Examples.eyfs("CL", "outstanding"), "outstanding");
  }

  @Test
  void eyfsObservationWithUnknownAreaFails() {
    assertError(Examples.eyfs("MATHS", "expected"), "MATHS");
  }

  @Test
  void asq3DomainScoreAbove60Fails() {
    assertError(Examples.asq3Communication(75), "cg-asq-1");
  }

  @Test
  void asq3ScoreAsQuantityAndSe2TotalAreAccepted() {
    Observation o = Examples.asq3Communication(0);
    o.setValue(new Quantity().setValue(50).setUnit("score"));
    assertThat(factory.validate(o)).isEmpty();
    Observation se2 = Examples.asq3Communication(0);
    se2.getCode().getCodingFirstRep().setCode("SE2-TOTAL");
    se2.setValue(new org.hl7.fhir.r4.model.IntegerType(95));
    assertThat(factory.validate(se2)).isEmpty();
  }

  @Test
  void growthObservationRequiresQuantity() {
    Observation o = Examples.growthWeight();
    o.setValue(new StringType("12.4 kg"));
    assertThat(factory.validate(o)).isNotEmpty();
    o.setValue(null);
    assertError(o, "Observation.value[x]", "minimum required = 1");
  }

  @Test
  void growthObservationRejectsCodeOutsideGrowthValueSet() {
    Observation o = Examples.growthWeight();
    o.setCode(new CodeableConcept(new Coding(ProfileUrls.SNOMED_CT, "38341003", "Hypertensive disorder")));
    assertError(o, "child-growth-codes");
  }

  @Test
  void growthObservationAcceptsLoincAndOtherGrowthCodes() {
    for (String[] c :
        new String[][] {
          {ProfileUrls.LOINC, "29463-7", "kg", "29463-7"}, {ProfileUrls.SNOMED_CT, "248334005", "cm", "8302-2"},
          {ProfileUrls.SNOMED_CT, "363812007", "cm", "9843-4"}, {ProfileUrls.LOINC, "8302-2", "cm", "8302-2"}
        }) {
      Observation o = Examples.growthWeight();
      o.setCode(new CodeableConcept(new Coding(c[0], c[1], null)));
      if (!c[1].equals(c[3])) {
        o.getCode().addCoding(new Coding(ProfileUrls.LOINC, c[3], null)); // the vital-signs profile's LOINC code
      }
      o.setValue(new Quantity().setValue(80).setUnit(c[2]).setSystem(ProfileUrls.UCUM).setCode(c[2]));
      assertThat(factory.validate(o)).as(c[1]).isEmpty();
    }
  }

  @Test
  void aGrowthMeasurementMustMeetTheR4VitalSignsProfileItImplies() {
    Observation noCategory = Examples.growthWeight();
    noCategory.getCategory().clear();
    assertError(noCategory, "VSCat");
    // SNOMED CT body height alone implies R4 bodyheight, which requires LOINC 8302-2 (as RiO's HT was).
    Observation snomedOnly = Examples.growthWeight();
    snomedOnly.setCode(new CodeableConcept(new Coding(ProfileUrls.SNOMED_CT, "50373000", "Body height")));
    snomedOnly.setValue(new Quantity().setValue(86).setUnit("cm").setSystem(ProfileUrls.UCUM).setCode("cm"));
    assertError(snomedOnly, "8302-2");
    Observation noUcum = Examples.growthWeight();
    noUcum.getValueQuantity().setCode("kilo").setSystem(null);
    assertThat(factory.validate(noUcum)).isNotEmpty();
  }

  @Test
  void unloadedCodeSystemsAreWarningsNotErrors() {
    var all = ProfileValidatorFactory.issuesOf(factory.validateWithResult(Examples.growthWeight()));
    assertThat(all).noneMatch(ValidationIssue::isError);
  }

  @Test
  void serviceLevelWithUnknownLevelFails() {
    assertError(Examples.serviceLevel("enhanced"), "enhanced");
  }

  @Test
  void serviceLevelWithWrongCodeFails() {
    Observation o = Examples.serviceLevel("universal");
    o.getCode().getCodingFirstRep().setCode("centre-attendance");
    assertThat(factory.validate(o)).isNotEmpty();
  }

  @Test
  void crossVersionExtensionsFromUkCoreAreTolerated() {
    Observation o = Examples.growthWeight();
    o.addExtension(
        new Extension(
            "http://hl7.org/fhir/5.0/StructureDefinition/extension-Observation.bodyStructure",
            new Reference("BodyStructure/1")));
    assertThat(factory.validate(o)).isEmpty();
  }

  @Test
  void validatorIsSafeToShareBetweenThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<ValidationIssue>>> results =
          Stream.<Supplier<IBaseResource>>of(
                  Examples::childPatient, Examples::growthWeight, Examples::consent,
                  Examples::carePlan, () -> Examples.eyfs("PD", "exceeding"),
                  Examples::carer, () -> Examples.serviceLevel("universal"), Examples::centreAttendance)
              .map(s -> pool.submit(() -> factory.validate(s.get())))
              .toList();
      for (Future<List<ValidationIssue>> f : results) {
        assertThat(f.get()).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertError(IBaseResource resource, String... fragments) {
    List<ValidationIssue> errors = factory.validate(resource);
    assertThat(errors)
        .as("expected an error mentioning %s", List.of(fragments))
        .anySatisfy(
            i -> {
              String text = i.location() + " " + i.message();
              for (String f : fragments) {
                assertThat(text).contains(f);
              }
            });
  }
}
