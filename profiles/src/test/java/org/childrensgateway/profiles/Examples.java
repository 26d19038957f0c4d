package org.childrensgateway.profiles;

import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;

/** Realistic, fictitious example resources conforming to the project profiles. */
final class Examples {

  static final String NHS_NUMBER = "9434765919"; // passes modulus 11; fictitious test number
  static final Reference CHILD = new Reference("Patient/child-1");

  private Examples() {}

  static Patient childPatient() {
    Patient p = new Patient();
    p.setId("child-1");
    p.getMeta().addProfile(ProfileUrls.CHILD_PATIENT);
    p.addIdentifier(nhsNumber(NHS_NUMBER, ProfileUrls.CS_NHS_NUMBER_VERIFICATION_STATUS_ENGLAND, "01"));
    p.addIdentifier().setSystem("https://example.org/rio/client-id").setValue("RIO123456");
    p.addName().setFamily("Example").addGiven("Amelia");
    p.setGender(AdministrativeGender.FEMALE);
    p.setBirthDateElement(new DateType("2023-03-14"));
    p.addAddress().addLine("1 Test Street").setCity("Leeds").setPostalCode("LS1 1AA");
    return p;
  }

  static org.hl7.fhir.r4.model.Identifier nhsNumber(String value, String statusSystem, String statusCode) {
    org.hl7.fhir.r4.model.Identifier id =
        new org.hl7.fhir.r4.model.Identifier().setSystem(ProfileUrls.NHS_NUMBER_SYSTEM).setValue(value);
    if (statusSystem != null) {
      id.addExtension(
          new Extension(
              ProfileUrls.EXT_NHS_NUMBER_VERIFICATION_STATUS,
              new CodeableConcept(new Coding(statusSystem, statusCode, null))));
    }
    return id;
  }

  static RelatedPerson carer() {
    RelatedPerson rp = new RelatedPerson();
    rp.getMeta().addProfile(ProfileUrls.CARER_RELATED_PERSON);
    rp.setPatient(CHILD.copy());
    rp.addRelationship(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "MTH", "mother")));
    rp.addName().setFamily("Example").addGiven("Jo");
    return rp;
  }

  static Consent consent() {
    Consent c = new Consent();
    c.getMeta().addProfile(ProfileUrls.CHILD_CONSENT);
    c.setStatus(Consent.ConsentState.ACTIVE);
    c.setScope(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent")));
    c.addCategory(
        new CodeableConcept(new Coding("http://loinc.org", "59284-0", "Patient Consent")));
    c.setPatient(CHILD.copy());
    c.setDateTimeElement(new DateTimeType("2025-01-10"));
    c.setPolicyRule(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", "opt-in")));
    Consent.ProvisionComponent provision = c.getProvision();
    provision.setType(Consent.ConsentProvisionType.PERMIT);
    provision.setPeriod(new Period().setStartElement(new DateTimeType("2025-01-10")).setEndElement(new DateTimeType("2026-01-10")));
    provision.addActor()
        .setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient")))
        .setReference(new Reference().setDisplay("Health visiting team"));
    provision.addPurpose(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "TREAT", "treatment"));
    provision.addCode(new CodeableConcept(new Coding(ProfileUrls.CS_CONSENT_SCOPE, "HV", "Health visiting")));
    return c;
  }

  static Observation observation(String profile) {
    Observation o = new Observation();
    o.getMeta().addProfile(profile);
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.setSubject(CHILD.copy());
    o.setEffective(new DateTimeType("2025-03-20T10:15:00Z"));
    return o;
  }

  static Observation centreAttendance() {
    Observation o = observation(ProfileUrls.CHILD_OBSERVATION);
    o.setCode(new CodeableConcept(new Coding(ProfileUrls.CS_OBSERVATION_TYPE, "centre-attendance", "Children's centre session attendance")));
    o.setValue(new org.hl7.fhir.r4.model.BooleanType(true));
    return o;
  }

  static Observation growthWeight() {
    Observation o = observation(ProfileUrls.GROWTH_OBSERVATION);
    o.addCategory(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")));
    // R4 makes a body weight a vital sign: the LOINC code is required beside the SNOMED CT one.
    o.setCode(new CodeableConcept(new Coding(ProfileUrls.SNOMED_CT, "27113001", "Body weight")));
    o.getCode().addCoding(new Coding(ProfileUrls.LOINC, "29463-7", "Body weight"));
    o.setValue(new Quantity().setValue(12.4).setUnit("kg").setSystem(ProfileUrls.UCUM).setCode("kg"));
    return o;
  }

  static Observation asq3Communication(int score) {
    Observation o = observation(ProfileUrls.ASQ3_DOMAIN_SCORE_OBSERVATION);
    o.setCode(new CodeableConcept(new Coding(ProfileUrls.CS_ASQ3, "COM", "Communication")));
    o.setValue(new IntegerType(score));
    return o;
  }

  static Observation eyfs(String area, String outcome) {
    Observation o = observation(ProfileUrls.EYFS_PROGRESS_CHECK_OBSERVATION);
    o.setCode(new CodeableConcept(new Coding(ProfileUrls.CS_EYFS_PRIME_AREA, area, null)));
    o.setValue(new CodeableConcept(new Coding(ProfileUrls.CS_EYFS_OUTCOME, outcome, null)));
    return o;
  }

  static Observation serviceLevel(String level) {
    Observation o = observation(ProfileUrls.SERVICE_LEVEL_OBSERVATION);
    o.setCode(new CodeableConcept(new Coding(ProfileUrls.CS_OBSERVATION_TYPE, "hv-service-level", "Health visiting service level")));
    o.setValue(new CodeableConcept(new Coding(ProfileUrls.CS_HV_SERVICE_LEVEL, level, null)));
    return o;
  }

  static CarePlan carePlan() {
    CarePlan cp = new CarePlan();
    cp.getMeta().addProfile(ProfileUrls.CHILD_CARE_PLAN);
    cp.setStatus(CarePlan.CarePlanStatus.ACTIVE);
    cp.setIntent(CarePlan.CarePlanIntent.PLAN);
    cp.setTitle("Healthy weight plan");
    cp.setSubject(CHILD.copy());
    cp.setPeriod(new Period().setStartElement(new DateTimeType("2025-02-01")));
    cp.addActivity().getDetail()
        .setStatus(CarePlan.CarePlanActivityStatus.SCHEDULED)
        .setDescription("Monthly weight review with health visitor");
    return cp;
  }
}
