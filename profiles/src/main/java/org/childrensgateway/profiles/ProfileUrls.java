package org.childrensgateway.profiles;

/** Canonical URLs of the gateway's own conformance resources (and the UK Core ones it builds on). */
public final class ProfileUrls {

  /** Canonical base of every project resource. */
  public static final String BASE = "https://fhir.childrens-gateway.uk";

  private static final String SD = BASE + "/StructureDefinition/";
  private static final String CS = BASE + "/CodeSystem/";
  private static final String VS = BASE + "/ValueSet/";

  // StructureDefinitions
  public static final String CHILD_PATIENT = SD + "ChildPatient";
  public static final String CARER_RELATED_PERSON = SD + "CarerRelatedPerson";
  public static final String CHILD_CONSENT = SD + "ChildConsent";
  public static final String CHILD_OBSERVATION = SD + "ChildObservation";
  public static final String GROWTH_OBSERVATION = SD + "GrowthObservation";
  public static final String ASQ3_DOMAIN_SCORE_OBSERVATION = SD + "Asq3DomainScoreObservation";
  public static final String EYFS_PROGRESS_CHECK_OBSERVATION = SD + "EyfsProgressCheckObservation";
  public static final String SERVICE_LEVEL_OBSERVATION = SD + "ServiceLevelObservation";
  public static final String CHILD_CARE_PLAN = SD + "ChildCarePlan";

  // Extensions (the only ones the gateway itself defines; UK Core and core FHIR ones are loaded too)
  /** boolean on RelatedPerson: holds parental responsibility for the child. */
  public static final String EXT_PARENTAL_RESPONSIBILITY = SD + "Extension-ParentalResponsibility";
  /** Reference (often display only) on Consent: who recorded the decision in the source system. */
  public static final String EXT_CONSENT_RECORDED_BY = SD + "Extension-ConsentRecordedBy";

  // CodeSystems (each has a ValueSet with the same id holding all its codes)
  public static final String CS_ASQ3 = CS + "asq3";
  public static final String CS_EYFS_PRIME_AREA = CS + "eyfs-prime-area";
  public static final String CS_EYFS_OUTCOME = CS + "eyfs-outcome";
  public static final String CS_HV_SERVICE_LEVEL = CS + "hv-service-level";
  public static final String CS_OBSERVATION_TYPE = CS + "observation-type";
  public static final String CS_CONSENT_SCOPE = CS + "consent-scope";

  // ValueSets
  public static final String VS_ASQ3 = VS + "asq3";
  public static final String VS_EYFS_PRIME_AREA = VS + "eyfs-prime-area";
  public static final String VS_EYFS_OUTCOME = VS + "eyfs-outcome";
  public static final String VS_HV_SERVICE_LEVEL = VS + "hv-service-level";
  public static final String VS_OBSERVATION_TYPE = VS + "observation-type";
  public static final String VS_CONSENT_SCOPE = VS + "consent-scope";
  public static final String VS_CHILD_GROWTH_CODES = VS + "child-growth-codes";

  // National identifiers and UK Core
  public static final String NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
  public static final String ODS_ORGANIZATION_CODE_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";
  public static final String EXT_NHS_NUMBER_VERIFICATION_STATUS =
      "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus";
  public static final String VS_NHS_NUMBER_VERIFICATION_STATUS =
      "https://fhir.hl7.org.uk/ValueSet/UKCore-NHSNumberVerificationStatus";
  public static final String CS_NHS_NUMBER_VERIFICATION_STATUS_ENGLAND =
      "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland";
  public static final String CS_NHS_NUMBER_VERIFICATION_STATUS_WALES =
      "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusWales";
  /** Retired (UK Core STU1) system some senders still use; accepted on input, codes 01-08. */
  public static final String CS_NHS_NUMBER_VERIFICATION_STATUS_RETIRED =
      "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus";

  public static final String SNOMED_CT = "http://snomed.info/sct";
  public static final String LOINC = "http://loinc.org";
  public static final String UCUM = "http://unitsofmeasure.org";

  private ProfileUrls() {}
}
